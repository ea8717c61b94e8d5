/* cmd.h - the subcommands; each takes argv starting at its own name. */
#ifndef STANCE_CMD_H
#define STANCE_CMD_H
int cmd_quotes(int argc, char **argv);
#endif
