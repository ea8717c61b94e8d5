/*
 * st_params.h - the training and feature parameters, declared once.
 *
 * One X-macro table (ST_PARAMS) drives everything that knows about a
 * parameter: the st_params struct (one field per row), the defaults,
 * validation, command-line option parsing (the option is "--" followed by
 * the name with '_' written as '-'), the --help lines, and what a model
 * bundle records in params.tsv.  Adding a parameter is adding a row.
 *
 * A row is X(name, type, default, range, help):
 *   name     the field name in st_params and the key in params.tsv;
 *   type     ST_PARAM_INT (int), ST_PARAM_DOUBLE (double),
 *            ST_PARAM_BOOL (int, 0 or 1; accepts 0/1/yes/no/true/false/on/off)
 *            or ST_PARAM_ENUM (int, the index of the choice);
 *   default  the default as text, parsed like a user's value;
 *   range    "LO..HI" for numbers (inclusive), "a|b|c" for enums and bools;
 *   help     one line for --help.
 *
 * Like the rest of libstance this module never prints: st_params_write
 * writes to a FILE the caller gives it, and the --help text is built by
 * the caller from st_param_info().
 */
#ifndef ST_PARAMS_H
#define ST_PARAMS_H

#include <stddef.h>
#include <stdio.h>

#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum st_param_type {
    ST_PARAM_INT,
    ST_PARAM_DOUBLE,
    ST_PARAM_BOOL,
    ST_PARAM_ENUM
} st_param_type;

/* The choices of the enum parameters, in the order of their range text. */
enum { ST_KERNEL_LINEAR = 0, ST_KERNEL_RBF = 1 };
enum { ST_CLASS_WEIGHT_BALANCED = 0, ST_CLASS_WEIGHT_NONE = 1 };
enum { ST_SOLVER_LIBSVM = 0, ST_SOLVER_LIBLINEAR = 1, ST_SOLVER_AUTO = 2 };
/* solver=auto trains with liblinear from this many rows on (libsvm's
 * linear-kernel solver grows about as n^2.6 on our data; st_train.h). */
#define ST_SOLVER_AUTO_ROWS 20000

/* clang-format off */
/* Model and training parameters. */
#define ST_PARAMS_MODEL(X) \
    X(kernel,          ST_PARAM_ENUM,   "linear",   "linear|rbf",     "SVM kernel") \
    X(solver,          ST_PARAM_ENUM,   "auto",     "libsvm|liblinear|auto", "training engine (auto: liblinear from 20000 rows on)") \
    X(c,               ST_PARAM_DOUBLE, "1",        "1e-4..1e4",      "SVM cost C (the value used when --grid is off)") \
    X(gamma,           ST_PARAM_DOUBLE, "0",        "0..100",         "RBF gamma (0: 1/number of features)") \
    X(grid,            ST_PARAM_BOOL,   "0",        "0|1",            "search C (and gamma for rbf) by cross-validation") \
    X(class_weight,    ST_PARAM_ENUM,   "balanced", "balanced|none",  "class weights against label imbalance") \
    X(folds,           ST_PARAM_INT,    "5",        "2..20",          "cross-validation folds") \
    X(seed,            ST_PARAM_INT,    "1",        "0..2147483647",  "random seed (folds and libsvm's probability CV)") \
    X(min_count,       ST_PARAM_INT,    "2",        "1..100",         "drop features seen in fewer training examples")

/* Feature extraction parameters (st_features.h reads these). */
#define ST_PARAMS_FEATURES(X) \
    X(ngram,           ST_PARAM_INT,    "2",        "1..3",           "largest quote n-gram") \
    X(context_ngram,   ST_PARAM_INT,    "2",        "1..3",           "largest context n-gram") \
    X(context_window,  ST_PARAM_INT,    "2",        "0..50",          "context words on each side of the quote (0: all)") \
    X(negation_window, ST_PARAM_INT,    "3",        "0..10",          "words after a negator that it scopes") \
    X(lexicon_weight,  ST_PARAM_DOUBLE, "1",        "0..10",          "scale of the lex: and clex: features in the vector") \
    X(negation_ngrams, ST_PARAM_BOOL,   "1",        "0|1",            "qn: quote words inside a negator's scope") \
    X(context_lexicon, ST_PARAM_BOOL,   "1",        "0|1",            "clex: threat/conciliation cues outside the quote") \
    X(mask_names,      ST_PARAM_BOOL,   "1",        "0|1",            "c: capitalised words inside the sentence become <cap>") \
    X(clause_words,    ST_PARAM_INT,    "4",        "0..10",          "words of the quote's clause read as quote words: N before, N/2 after (0: none)") \
    X(clause_lexicon,  ST_PARAM_BOOL,   "1",        "0|1",            "threat/conciliation cues of that clause count as the quote's") \
    /* feature groups (switch one off for an ablation) */ \
    X(use_quote,       ST_PARAM_BOOL,   "1",        "0|1",            "q: quote word n-grams") \
    X(use_context,     ST_PARAM_BOOL,   "1",        "0|1",            "c: n-grams of the sentence outside the quote") \
    X(use_verb,        ST_PARAM_BOOL,   "1",        "0|1",            "v: the attribution verb") \
    X(use_lexicon,     ST_PARAM_BOOL,   "1",        "0|1",            "lex:, lexterm: threat/conciliation cues, negation scope") \
    X(use_conditional, ST_PARAM_BOOL,   "1",        "0|1",            "cond: conditional markers") \
    X(use_degree,      ST_PARAM_BOOL,   "1",        "0|1",            "int:, down:, hedge: intensifiers, downtoners, hedges") \
    X(use_modal,       ST_PARAM_BOOL,   "1",        "0|1",            "modal: future and modal forms") \
    X(use_you,         ST_PARAM_BOOL,   "1",        "0|1",            "you: second-person address") \
    X(use_shape,       ST_PARAM_BOOL,   "1",        "0|1",            "len:, punct:, partial, question: length, punctuation") \
    X(use_act,         ST_PARAM_BOOL,   "1",        "0|1",            "act: who commits to a cue (we/you/they, will/ready/must/may)")

/* Every parameter: the model rows, then the feature rows. */
#define ST_PARAMS(X) ST_PARAMS_MODEL(X) ST_PARAMS_FEATURES(X)
/* clang-format on */

/* The C type of a field, from its type tag. */
#define ST_PARAM_CTYPE_ST_PARAM_INT int
#define ST_PARAM_CTYPE_ST_PARAM_DOUBLE double
#define ST_PARAM_CTYPE_ST_PARAM_BOOL int
#define ST_PARAM_CTYPE_ST_PARAM_ENUM int

typedef struct st_params {
#define ST_PARAM_FIELD(name, type, def, range, help) ST_PARAM_CTYPE_##type name;
    ST_PARAMS(ST_PARAM_FIELD)
#undef ST_PARAM_FIELD
} st_params;

/* One row of the table, for option parsing and --help. */
typedef struct st_param_info {
    const char *name;   /* "negation_window" */
    const char *option; /* "negation-window" (the long option without "--") */
    st_param_type type;
    const char *default_value; /* "3" */
    const char *range;         /* "0..10", "linear|rbf" */
    const char *help;
    int feature; /* 1: a feature extraction parameter (ST_PARAMS_FEATURES) */
} st_param_info;

/* Number of rows, and row i (NULL when out of range).  Static storage. */
size_t st_param_count(void);
const st_param_info *st_param_info_at(size_t index);

/* The row whose name or option is `name` ('-' and '_' are the same), or -1. */
int st_param_find(const char *name);

/* Sets every field to its default. */
void st_params_default(st_params *p);

/*
 * Parses `value` for the parameter `name` (name or option spelling) and
 * stores it in p.  Numbers are read with end-pointer and errno checks and
 * must lie in the row's range; an enum value must be one of its choices.
 * On failure p is unchanged, ST_ERR_USAGE is returned and diag's message
 * reads, e.g., `--folds: "1" is out of range 2..20` or
 * `unknown parameter "foo"`.
 */
st_status st_params_set(st_params *p, const char *name, const char *value,
                        st_diag *diag);

/* Checks every field against its range (ST_ERR_USAGE and a message). */
st_status st_params_validate(const st_params *p, st_diag *diag);

/*
 * The value of row `index` as text: the enum's choice name, "0"/"1" for
 * bools, the integer, or the shortest "%.*g" that reads back to the same
 * double.  Writes at most `size` bytes including the NUL into out
 * (32 bytes always suffice) and returns out; "" for a bad index.
 */
const char *st_params_value(const st_params *p, size_t index, char *out,
                            size_t size);

/*
 * params.tsv: one "name\tvalue\n" line per row, in table order, no header.
 * st_params_format returns it in a new malloc'ed NUL-terminated buffer
 * (*text owns it; *size is its length); st_params_write writes it to fp.
 */
st_status st_params_format(const st_params *p, char **text, size_t *size);
st_status st_params_write(const st_params *p, FILE *fp);

/*
 * Reads params.tsv text (`size` bytes, need not be NUL-terminated) into p,
 * starting from the defaults.  An unknown name, a repeated name, a line
 * without a tab or a bad value is an error (ST_ERR_MODEL; diag gets
 * `name` as the file, the line and the problem); a missing name keeps its
 * default.  CRLF is tolerated.  On failure p is unchanged.
 */
st_status st_params_parse(const char *text, size_t size, const char *name,
                          st_params *p, st_diag *diag);

/* Non-zero when every field of a and b is equal. */
int st_params_equal(const st_params *a, const st_params *b);

#ifdef __cplusplus
}
#endif

#endif /* ST_PARAMS_H */
