/* verify-thm31: the Theorem 3.1 family (FD-1 … FD-8) as one program.
 * Same options as 'greenbound verify'; this is the per-theorem entry point. */
#include "claim/claim.h"
#include "verify.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc)
            o.out = argv[++i];
        else if (!strcmp(argv[i], "--quick"))
            o.quick = 1;
        else {
            fprintf(stderr, "usage: verify-thm31 [--out DIR] [--quick]\n"
                            "(for every option use 'greenbound verify FD-1 ... FD-8')\n");
            return 2;
        }
    }
    int bad = 0;
    for (int i = 0; i < gb_verify_count; i++) {
        const gb_verify_entry *e = &gb_verify_registry[i];
        if (strncmp(e->id, "FD-", 3))
            continue;
        gb_verdict v = gb_verify_run(e, &o);
        printf("%-6s %-13s %s\n", e->id, gb_verdict_name(v), e->title);
        bad |= v == GB_FAIL || v == GB_ERROR;
    }
    gb_fd_cache_clear();
    return gb_report_index(o.out) ? 3 : bad;
}
