/* cli_model.c - where the model bundle is (--model, $STANCE_MODEL, beside
 * the binary, or installed), and loading it (or, to build one, the cue
 * lexicon) with the messages a user needs. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "st_lexicon.h"
#include "st_model.h"

/* The lexicon train and features use when not given one: here, or beside
 * the binary. */
#define DEFAULT_LEXICON "training-data/lexicon"

#ifndef STANCE_MODEL_DIR
#define STANCE_MODEL_DIR "/usr/local/share/stance/default"
#endif

static char *dup_string(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    else
        cli_error("out of memory");
    return c;
}

char *cli_beside_binary(const char *relative)
{
    /* /proc/self/exe names the binary however it was started. */
    size_t cap = 256;
    char *exe = NULL;
    for (;;) {
        char *grown = realloc(exe, cap);
        if (!grown) {
            free(exe);
            return NULL;
        }
        exe = grown;
        ssize_t n = readlink("/proc/self/exe", exe, cap);
        if (n < 0) {
            free(exe);
            return NULL;
        }
        if ((size_t)n < cap) {
            exe[n] = '\0';
            break;
        }
        cap *= 2;
    }
    /* BIN_DIR/.. : strip the file name and its directory. */
    for (int k = 0; k < 2; k++) {
        char *slash = strrchr(exe, '/');
        if (!slash) {
            free(exe);
            return NULL;
        }
        *slash = '\0';
    }
    size_t n = strlen(exe), m = strlen(relative);
    char *path = malloc(n + m + 2);
    if (path) {
        memcpy(path, exe, n);
        path[n] = '/';
        memcpy(path + n + 1, relative, m + 1);
    }
    free(exe);
    struct stat st;
    if (path && stat(path, &st) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

char *cli_model_dir(const char *requested)
{
    if (requested)
        return dup_string(requested);
    const char *env = getenv("STANCE_MODEL");
    if (env && *env)
        return dup_string(env);
    /* build/stance -> models/default; build/asan/stance -> ../models/default */
    static const char *const near[] = {"models/default/MANIFEST", "../models/default/MANIFEST"};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        char *beside = cli_beside_binary(near[i]);
        if (beside) {
            beside[strlen(beside) - strlen("/MANIFEST")] = '\0';
            return beside;
        }
    }
    return dup_string(STANCE_MODEL_DIR);
}

st_model *cli_load_model(const char *requested, char **dir_out)
{
    *dir_out = NULL;
    char *dir = cli_model_dir(requested);
    if (!dir)
        return NULL;
    st_diag diag;
    st_diag_clear(&diag);
    st_model *model = NULL;
    st_status s = st_model_load(dir, &model, &diag);
    if (s != ST_OK) {
        cli_diag_error(&diag, s);
        /* Only the default can be missing through no fault of the
         * command line: say how to get one. */
        if (!requested && !(getenv("STANCE_MODEL") && *getenv("STANCE_MODEL")))
            cli_error("no usable default model: give --model DIR, set STANCE_MODEL, or run 'make model'");
        free(dir);
        return NULL;
    }
    *dir_out = dir;
    return model;
}

st_lexicon *cli_load_lexicon(const char *command, const char *dir)
{
    char *found = NULL;
    if (!dir) {
        struct stat st;
        if (stat(DEFAULT_LEXICON, &st) == 0)
            dir = DEFAULT_LEXICON;
        else if ((found = cli_beside_binary(DEFAULT_LEXICON)) != NULL ||
                 (found = cli_beside_binary("../" DEFAULT_LEXICON)) != NULL)
            dir = found; /* build/stance, or build/asan/stance one level deeper */
        else {
            cli_error("%s: no lexicon directory found (%s); give --lexicon DIR", command, DEFAULT_LEXICON);
            return NULL;
        }
    }
    st_diag diag;
    st_diag_clear(&diag);
    st_lexicon *lex = NULL;
    st_status s = st_lexicon_load(dir, &lex, &diag);
    /* A bad line is named by its file in the directory, DIR/FILE:LINE. */
    if (s != ST_OK && diag.file && diag.line)
        cli_error("%s/%s:%zu: %s", dir, diag.file, diag.line, diag.message);
    else if (s != ST_OK)
        cli_diag_error(&diag, s);
    free(found);
    return lex;
}
