/* The command table: names, option tables (their help) and entry points, in the order 'greenbound
 * --help' lists them. */
#include "cli/cli.h"

#include <string.h>

const gb_command gb_commands[] = {
    {&gb_fd_learn_cli, cmd_fd_learn, parse_only_fd_learn},
    {&gb_linear_cli, cmd_linear, parse_only_linear},
    {&gb_train_cli, cmd_train, parse_only_train},
    {&gb_green_cli, cmd_green, parse_only_green},
    {&gb_xval_cli, cmd_xval, parse_only_xval},
    {&gb_export_cli, cmd_export, parse_only_export},
    {&gb_score_cli, cmd_score, parse_only_score},
    {&gb_npde_cli, cmd_npde, parse_only_npde},
    {&gb_p2d_cli, cmd_p2d, parse_only_p2d},
    {&gb_verify_cli, cmd_verify, parse_only_verify},
    {&gb_full_cli, cmd_verify_full, parse_only_verify_full},
    {&gb_list_cli, cmd_list, parse_only_list},
    {&gb_bench_cli, cmd_bench, parse_only_bench},
};
const int gb_ncommands = (int)(sizeof gb_commands / sizeof *gb_commands);

const gb_command *gb_command_find(const char *name)
{
    for (int i = 0; i < gb_ncommands; i++)
        if (!strcmp(gb_commands[i].cli->name, name))
            return &gb_commands[i];
    return NULL;
}
