/*
 * st_lexicon.h - cue lexicons: threat and conciliation cues, negators,
 * intensifiers, downtoners, conditionals, hedges and attribution verbs.
 *
 * A lexicon directory holds one UTF-8 TSV file per kind (see
 * training-data/lexicon/README.md):
 *
 *     term<TAB>weight<TAB>note
 *     pay a heavy price<TAB>3<TAB>idiom of punishment
 *
 * The first line is exactly the header "term\tweight\tnote".  Every other
 * line has exactly three tab-separated fields: a non-empty term (lowercase,
 * words separated by single spaces, no leading or trailing space), a
 * weight (a decimal number in [-3, 3]; positive for threat, conciliation
 * and intensifier entries, negative for downtoners) and a free note (may
 * be empty).  A term appears at most once per kind, and never both as a
 * threat and as a conciliation cue.  Lines may be of any length; a CR
 * before the LF is ignored.  Numbers are read with strtod, so the C locale
 * (the default until a program calls setlocale) is assumed.
 *
 * Lookup is by token sequence: the caller tokenises and lowercases its
 * text and asks whether an entry of a kind starts at a given token; the
 * longest entry wins.  Terms are stored as the tokens joined by one space,
 * so "n't" or "according to" match the tokens {"n't"} and
 * {"according", "to"}.
 *
 * Like the rest of libstance this module never prints; failures return an
 * st_status and fill an st_diag whose `file` is the lexicon file's name
 * ("threat.tsv", or the name given to st_lexicon_parse), whose `line` and
 * `column` (1-based) point at the offending field, and whose message says
 * what is wrong; the command-line layer prints it as, for example,
 *     stance: threat.tsv:17:11: weight "x" is not a number
 */
#ifndef ST_LEXICON_H
#define ST_LEXICON_H

#include <stddef.h>

#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum st_lexicon_kind {
    ST_LEXICON_THREAT = 0,       /* threat.tsv (required) */
    ST_LEXICON_CONCILIATION,     /* conciliation.tsv (required) */
    ST_LEXICON_NEGATOR,          /* negators.tsv */
    ST_LEXICON_INTENSIFIER,      /* intensifiers.tsv */
    ST_LEXICON_DOWNTONER,        /* downtoners.tsv */
    ST_LEXICON_CONDITIONAL,      /* conditionals.tsv */
    ST_LEXICON_HEDGE,            /* hedges.tsv */
    ST_LEXICON_ATTRIBUTION_VERB, /* attribution-verbs.tsv */
    ST_LEXICON_KIND_COUNT
} st_lexicon_kind;

/* Smallest and largest weight an entry may carry. */
#define ST_LEXICON_WEIGHT_MIN (-3.0)
#define ST_LEXICON_WEIGHT_MAX 3.0

/* The exact header line of every lexicon file (without the newline). */
#define ST_LEXICON_HEADER "term\tweight\tnote"

typedef struct st_lexicon st_lexicon;

/*
 * A short name of the kind ("threat", "conciliation", "negator",
 * "intensifier", "downtoner", "conditional", "hedge", "attribution-verb")
 * and its file name ("threat.tsv", ..., "attribution-verbs.tsv").  Both
 * are static strings; NULL for a kind out of range.
 */
const char *st_lexicon_kind_name(st_lexicon_kind kind);
const char *st_lexicon_kind_file(st_lexicon_kind kind);

/* Non-zero when st_lexicon_load requires the kind's file to exist. */
int st_lexicon_kind_required(st_lexicon_kind kind);

/* A new, empty lexicon (every kind has no entries); see st_lexicon_parse. */
st_status st_lexicon_new(st_lexicon **out);

/*
 * Loads every known file of the directory `dir`.  threat.tsv and
 * conciliation.tsv must exist; a missing optional file gives an empty
 * list of that kind.  Files are read line by line (any line length); no
 * seeking, so named pipes work.  On success *out owns a new lexicon;
 * on failure *out is NULL and diag (if non-NULL) names the file, line and
 * problem (for a file that cannot be opened or read, line 0, the path in
 * the message and ST_ERR_IO).
 */
st_status st_lexicon_load(const char *dir, st_lexicon **out, st_diag *diag);

/*
 * Parses lexicon text of one kind held in memory (`size` bytes, need not
 * be NUL-terminated; NUL bytes are an error) and adds its entries to
 * `lex`, so a model bundle can carry its own copy.  `name` is the name
 * used in diagnostics (borrowed; may be NULL, then the kind's file name is
 * used).  The same rules as for files apply, and an entry already present
 * in `lex` for that kind is a duplicate.  On failure `lex` is left as it
 * was before the call.
 */
st_status st_lexicon_parse(st_lexicon_kind kind, const char *name,
                           const char *text, size_t size, st_lexicon *lex,
                           st_diag *diag);

/* Releases a lexicon and everything it owns; NULL is a no-op. */
void st_lexicon_free(st_lexicon *lex);

/* Number of entries of a kind (0 for a NULL lexicon or a bad kind). */
size_t st_lexicon_count(const st_lexicon *lex, st_lexicon_kind kind);

/*
 * The entry `index` (0 <= index < st_lexicon_count) of a kind, in file
 * order.  Any of term, weight, note may be NULL.  The strings are
 * borrowed from the lexicon.  Returns 0 when there is no such entry.
 */
int st_lexicon_entry(const st_lexicon *lex, st_lexicon_kind kind,
                     size_t index, const char **term, double *weight,
                     const char **note);

/*
 * Whether an entry of `kind` starts at tokens[0]: tokens are
 * NUL-terminated, lowercased words as the caller tokenised them (an entry
 * "will not hesitate" matches {"will", "not", "hesitate", ...}).  On a
 * match returns 1 and sets *match_len to the number of tokens of the
 * longest matching entry and *weight to its weight (either pointer may be
 * NULL); otherwise returns 0 and leaves them alone.  Time is proportional
 * to the number of entries sharing the first token.
 */
int st_lexicon_match(const st_lexicon *lex, st_lexicon_kind kind,
                     const char *const *tokens, size_t ntokens,
                     size_t *match_len, double *weight);

/*
 * Like st_lexicon_match, and also returns the index of the matching entry
 * (for st_lexicon_entry) in *index (may be NULL).
 */
int st_lexicon_match_entry(const st_lexicon *lex, st_lexicon_kind kind,
                           const char *const *tokens, size_t ntokens,
                           size_t *match_len, size_t *index);

/*
 * Copies the entries of one kind of src into dst, whose list of that kind
 * must be empty: the same entries, in the same order, as
 * st_lexicon_parse of st_lexicon_format's text would give (each entry's
 * line is its index + 2, the header being line 1), without reading text
 * again (src's entries were checked when they were parsed).  Fails with
 * ST_ERR_INPUT, dst unchanged, when a threat or conciliation term is
 * already a cue of the other kind in dst, as that parse would;
 * ST_ERR_USAGE when dst's list is not empty.
 */
st_status st_lexicon_copy_kind(st_lexicon *dst, const st_lexicon *src,
                               st_lexicon_kind kind);

/*
 * Writes the entries of one kind as lexicon file text (header included)
 * into a new malloc'ed, NUL-terminated buffer: *text owns it (free() it),
 * *size is its length without the NUL.  st_lexicon_parse reads it back to
 * the same entries.  Each weight is written as it was read (the text of
 * its field), so a copy is byte for byte the lines it came from.
 */
st_status st_lexicon_format(const st_lexicon *lex, st_lexicon_kind kind,
                            char **text, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* ST_LEXICON_H */
