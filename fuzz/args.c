/* libFuzzer target: the option reader of every command (src/cli, getopt_long over each command's table)
 * on arbitrary argument vectors. The first byte picks the command, the rest is split at NUL bytes into
 * arguments. Only the parse functions run (nothing is trained or written): each must return 0, --help's
 * GB_CLI_HELPED or EXIT_USAGE, never crash, read out of bounds or leak. The messages and help texts are
 * the parser's output, not the fuzzer's: run it with -close_fd_mask=3. */
#include "cli/cli.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ARGS = 48 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const gb_command *c = &gb_commands[data[0] % gb_ncommands];
    char *buf = malloc(size + 1);   /* the arguments, NUL-terminated in place */
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = 0;
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)c->cli->name;
    for (size_t i = 0; i < size - 1 && argc <= MAX_ARGS; i += strlen(buf + i) + 1)
        argv[argc++] = buf + i;
    argv[argc] = NULL;
    int rc = c->parse(argc, argv);
    if (rc != 0 && rc != GB_CLI_HELPED && rc != EXIT_USAGE)
        abort();   /* a parse function has no other outcome */
    free(buf);
    return 0;
}
