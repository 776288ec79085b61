# greenbound — verification test-bed for arXiv:2506.15199 (and arXiv:2411.15101)
#
#   make verify   regenerate every report under reports/ (installs missing packages first)
#   make test     build and run the Criterion unit tests (installs missing packages first)
#   make bench    timings of the heavy steps, and training steps beside PyTorch (reports/bench.*)
#   make install  PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
GB_VERSION = $(shell sed -n 's/^#define GB_VERSION "\(.*\)"/\1/p' src/cli/cli.h)
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS     = mpfr gmp openblas lapacke jansson fftw3 zlib
GB_CFLAGS = -std=c11 -Wall -Wextra -fopenmp -D_GNU_SOURCE -Isrc -Iverify -I$(B) $(shell pkg-config --cflags $(PKGS))
# GSL for statistics only: its own CBLAS is not linked (OpenBLAS provides the one BLAS)
# Arb (ball arithmetic: the certified enclosures of src/certify) has no pkg-config file on Debian 12
GB_LIBS   = $(shell pkg-config --libs $(PKGS)) -lflint-arb -lflint -lgsl -lm
REPORTS ?= reports
# make MPI=1: an OpenMPI build of the command line in build/mpi/ ('mpirun -np R build/mpi/greenbound
# xval ...' spreads the cross-validation rows over R ranks); the default build has no MPI dependency
MPI ?= 0
B = build
ifeq ($(MPI),1)
CC = mpicc
B = build/mpi
GB_CFLAGS += -DGB_MPI
endif
# make SAN=1: AddressSanitizer and UndefinedBehaviorSanitizer build in build/san/ ('make sanitize' runs
# the unit tests under it)
SAN ?= 0
ifeq ($(SAN),1)
B = build/san
GB_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
VERIFY_FLAGS ?=
EXPECTED = verify/expected-verdicts.tsv
EXPECTED_FULL = verify/expected-verdicts-full.tsv
FULL_RANKS ?= 2
FULL_MODELS ?=

LIB_SRC    := $(wildcard src/*/*.c)
CLI_SRC    := $(wildcard src/cli/*.c)
LIB_SRC    := $(filter-out $(CLI_SRC),$(LIB_SRC))
CLI_OBJ    := $(CLI_SRC:%.c=$(B)/%.o)
VERIFY_SRC := $(filter-out verify/thm31_main.c,$(wildcard verify/*.c))
TEST_SRC   := $(wildcard tests/*.c)
LIB_OBJ    := $(LIB_SRC:%.c=$(B)/%.o)
VERIFY_OBJ := $(VERIFY_SRC:%.c=$(B)/%.o)
TEST_OBJ   := $(TEST_SRC:%.c=$(B)/%.o)
HEADERS    := $(wildcard src/*/*.h verify/*.h)

.PHONY: FORCE all deps test sanitize fuzz verify verify-full check-full bench install uninstall clean check-build check-mpi selftest hostile memcheck man check-install

ifeq ($(MPI),1)
all: $(B)/greenbound
else
all: build/greenbound build/verify-thm31
endif

deps:
	@./scripts/deps.sh

$(B)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(GB_CFLAGS) $(CFLAGS) -c $< -o $@

# the release and the commit a build came from (src/core/provenance.c); rewritten only when they change
GB_COMMIT = $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
$(B)/gb_commit.h: FORCE
	@mkdir -p $(B)
	@printf '#define GB_RELEASE "%s"\n#define GB_COMMIT "%s"\n' '$(GB_VERSION)' '$(GB_COMMIT)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(B)/src/core/provenance.o: $(B)/gb_commit.h
build/fuzz/lib/src/core/provenance.o: build/gb_commit.h
FORCE:

# the library is src/ alone (what 'make install' ships with its headers); the claims of verify/ link against it
$(B)/libgreenbound.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/greenbound: $(CLI_OBJ) $(VERIFY_OBJ) $(B)/libgreenbound.a
	$(CC) $(GB_CFLAGS) $(CFLAGS) $^ $(GB_LIBS) -o $@

build/verify-thm31: build/verify/thm31_main.o $(VERIFY_SRC:%.c=build/%.o) build/libgreenbound.a
	$(CC) $(GB_CFLAGS) $(CFLAGS) $^ $(GB_LIBS) -o $@

CLI_LIB_OBJ := $(filter-out $(B)/src/cli/main.o,$(CLI_OBJ))
$(B)/test_all: $(TEST_OBJ) $(CLI_LIB_OBJ) $(VERIFY_OBJ) $(B)/libgreenbound.a
	$(CC) $(GB_CFLAGS) $(CFLAGS) $^ $(GB_LIBS) -lcriterion -o $@

test: deps
	@$(MAKE) --no-print-directory build/test_all build/greenbound
	./build/test_all --jobs 2

# the full tier's reports are rendered from the committed trainings (results/full) first, so that the
# INDEX shows both tiers; the CI tier then trains its small budget now
# the unit tests under AddressSanitizer and UndefinedBehaviorSanitizer (any report fails the run); the
# command-line tests drive build/greenbound, so the sanitized library is what they reach through test_all
sanitize: deps
	@$(MAKE) --no-print-directory build/greenbound
	@$(MAKE) --no-print-directory SAN=1 build/san/test_all
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/san/test_all --jobs 2

# coverage-guided fuzzing (clang's libFuzzer with AddressSanitizer) of the parsers of outside input: the
# option reader of every command, the .npy and .npz readers (score's predictions), the store of trainings, the
# checkpoint reader and score's manifest reader; FUZZ_SECONDS each, seeds in fuzz/corpus
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc -Iverify -Ibuild $(shell pkg-config --cflags jansson)
# the checkpoint and manifest readers reach the whole library: it is built once more with clang (GCC's OpenMP
# runtime, as in the main build) into build/fuzz/lib
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/lib/%.o)
FUZZ_CLI_OBJ := $(filter-out build/fuzz/lib/src/cli/main.o,$(CLI_SRC:%.c=build/fuzz/lib/%.o)) $(VERIFY_SRC:%.c=build/fuzz/lib/%.o)
build/fuzz/lib/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fopenmp=libgomp $(shell pkg-config --cflags $(PKGS)) -c $< -o $@
fuzz:
	@./scripts/deps.sh --fuzz
	@mkdir -p build/fuzz
	@$(MAKE) --no-print-directory $(FUZZ_LIB_OBJ) $(FUZZ_CLI_OBJ)
	clang $(FUZZ_CFLAGS) -fopenmp=libgomp fuzz/args.c $(FUZZ_CLI_OBJ) $(FUZZ_LIB_OBJ) $(GB_LIBS) -o build/fuzz/args
	clang $(FUZZ_CFLAGS) fuzz/npy.c src/xval/npy.c src/core/str.c src/core/status.c -o build/fuzz/npy
	clang $(FUZZ_CFLAGS) fuzz/npz.c src/xval/npz.c src/core/status.c -lz -o build/fuzz/npz
	clang $(FUZZ_CFLAGS) fuzz/store.c src/xval/store.c src/xval/npy.c src/core/str.c src/core/status.c \
	    $(shell pkg-config --libs jansson) -o build/fuzz/store
	clang $(FUZZ_CFLAGS) -fopenmp=libgomp fuzz/checkpoint.c $(FUZZ_LIB_OBJ) $(GB_LIBS) -o build/fuzz/checkpoint
	clang $(FUZZ_CFLAGS) -fopenmp=libgomp fuzz/manifest.c $(FUZZ_LIB_OBJ) $(GB_LIBS) -o build/fuzz/manifest
	@mkdir -p build/fuzz/args-corpus build/fuzz/npz-corpus build/fuzz/npy-corpus build/fuzz/store-corpus build/fuzz/checkpoint-corpus build/fuzz/manifest-corpus
	./build/fuzz/args -max_total_time=$(FUZZ_SECONDS) -max_len=512 -close_fd_mask=3 build/fuzz/args-corpus fuzz/corpus/args
	./build/fuzz/npy -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/npy-corpus fuzz/corpus/npy
	./build/fuzz/npz -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build/fuzz/npz-corpus fuzz/corpus/npz
	./build/fuzz/store -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build/fuzz/store-corpus fuzz/corpus/store
	./build/fuzz/checkpoint -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build/fuzz/checkpoint-corpus fuzz/corpus/checkpoint
	./build/fuzz/manifest -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build/fuzz/manifest-corpus fuzz/corpus/manifest

verify: deps
	@$(MAKE) --no-print-directory all
	./build/greenbound verify --tier full --out $(REPORTS)/full --expect $(EXPECTED_FULL)
	./build/greenbound verify --out $(REPORTS) --expect $(EXPECTED) $(VERIFY_FLAGS)

# the hostile-input matrix: bad flags and values, corrupt, foreign and FIFO inputs, unwritable and full
# outputs, interruption; each with its exit status and message, the existing reports untouched
hostile: deps
	@$(MAKE) --no-print-directory all
	./scripts/hostile.sh

# the man page from the help text (help2man); committed, so 'make install' needs no help2man
man: all
	@command -v help2man >/dev/null || apt-get install -y -q help2man >/dev/null
	./scripts/man.sh

# valgrind memcheck on one program of each family (not in CI: minutes under valgrind)
memcheck:
	@./scripts/deps.sh --memcheck
	@$(MAKE) --no-print-directory all
	./scripts/memcheck.sh

# every gate can fail: each --fault kind turns the claims it aims at from PASS to FAIL (quick tier)
selftest: deps
	@$(MAKE) --no-print-directory all
	./scripts/selftest.sh

# the full tier (SPEC §8): every training results/full lacks, over FULL_RANKS MPI ranks when OpenMPI
# is installed; resumable; then reports/full. FULL_MODELS=mlp,fno restricts the training to those.
verify-full: deps
	@$(MAKE) --no-print-directory all
	./scripts/verify-full.sh $(FULL_RANKS) $(FULL_MODELS)

# every committed full-tier number is reproducible: a seeded sample of stored trainings is retrained
# and must give the same bits (CI also requires reports/full to re-render byte-identically)
check-full: all
	./build/greenbound verify-full --check 3 --check-seed 1

# the MPI run must equal the serial run, file for file (two ranks on localhost)
check-mpi:
	@./scripts/deps.sh --mpi
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory MPI=1 all
	./scripts/check-mpi.sh

bench: deps
	@./scripts/deps.sh --bench
	@$(MAKE) --no-print-directory all
	./build/greenbound bench
	/usr/bin/python3 scripts/bench-peer.py --greenbound ./build/greenbound --out $(REPORTS)
	/usr/bin/python3 scripts/bench-scaling.py --greenbound ./build/greenbound --out $(REPORTS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/greenbound
	install -m 755 build/greenbound $(DESTDIR)$(PREFIX)/bin/greenbound
	install -m 644 build/libgreenbound.a $(DESTDIR)$(PREFIX)/lib/libgreenbound.a
	cd src && for h in */*.h; do install -D -m 644 $$h $(DESTDIR)$(PREFIX)/include/greenbound/$$h; done
	install -D -m 644 doc/greenbound.1 $(DESTDIR)$(PREFIX)/share/man/man1/greenbound.1
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include/greenbound' '' \
	    'Name: greenbound' 'Description: verification test-bed for learning spatial physics (arXiv:2506.15199)' \
	    'Version: $(GB_VERSION)' 'Requires: $(PKGS)' 'Cflags: -I$${includedir}' \
	    'Libs: -L$${libdir} -lgreenbound -lflint-arb -lflint -lgsl -lgomp -lm' \
	    >$(DESTDIR)$(PREFIX)/lib/pkgconfig/greenbound.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/greenbound $(DESTDIR)$(PREFIX)/lib/libgreenbound.a
	rm -rf $(DESTDIR)$(PREFIX)/include/greenbound
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/greenbound.1 $(DESTDIR)$(PREFIX)/lib/pkgconfig/greenbound.pc

# a program compiles and runs against the installed tree through pkg-config (a scratch DESTDIR)
check-install: all
	./scripts/check-install.sh

clean:
	rm -rf build
