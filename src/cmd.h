/* cmd.h - the subcommands; each takes argv starting at its own name. */
#ifndef STANCE_CMD_H
#define STANCE_CMD_H
int cmd_quotes(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_report(int argc, char **argv);
#endif
