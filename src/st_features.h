/*
 * st_features.h - from a quote (and its sentence) to a libsvm vector.
 *
 * Four pieces:
 *  - st_tokens: the tokeniser.  Words are case-folded (utf8proc), numbers
 *    become "<num>", URLs "<url>", contractions are split (don't -> do n't,
 *    won't -> will n't, can't -> can n't, Russia's -> russia 's, we'll ->
 *    we 'll, they're -> they 're, I've -> i 've, I'd -> i 'd, I'm -> i 'm);
 *    curly apostrophes count as straight ones.  Punctuation marks are
 *    tokens of their own (a run of dots or an ellipsis is "…").
 *  - st_extractor: turns one example into named features with raw counts.
 *  - st_vocab: feature name <-> id (1-based), frozen in a model bundle.
 *  - st_vectorize: named features + vocabulary -> struct svm_node array.
 *  - st_extractor_run_vector: the fast path, extraction and vectorising in
 *    one, building no name of a feature the vocabulary has (classify,
 *    --explain included, whose names come from the vocabulary, and eval
 *    use it through st_model_predict; `stance features` and training use
 *    the named path).  Same vector, bit for bit:
 *    tests/test_fastpath.c compares both on every row of the training
 *    data and on awkward texts.
 *
 * Feature names (namespaced, readable; never contain TAB, CR or LF):
 *   q:<w> q:<w1 w2> q:<w1 w2 w3>   quote n-grams up to params->ngram
 *   qn:<w>                         a quote word inside a negator's scope
 *                                  (params->negation_ngrams)
 *   c:<w> c:<w1 w2>                n-grams of the sentence outside the
 *                                  quote (params->context_window words
 *                                  each side, n-grams never spanning the
 *                                  quote), up to params->context_ngram;
 *                                  with params->mask_names a capitalised
 *                                  word that does not open the sentence
 *                                  is "<cap>" (speakers, places)
 *   v:<lemma>                      attribution verb outside the quote (the
 *                                  lemma from the lexicon note "lemma X;")
 *   lex:threat lex:conciliation    weighted cue counts in the quote
 *   lex:threat:neg lex:conciliation:neg   cues inside a negator's scope
 *                                  (the negation_window words after it,
 *                                  ended early by , ; : . ! ? … dashes;
 *                                  the longest lexicon match is taken
 *                                  first, so "no intention of" is a cue)
 *   lexterm:<term>                 each matched cue phrase (":neg" appended
 *                                  when negated)
 *   clex:threat clex:conciliation (":neg")   cues in the sentence outside
 *                                  the quote (params->context_lexicon)
 *   cond:<term> cond:<term>+will   conditional markers (cond:if,
 *                                  cond:unless, ...); "+will" when will,
 *                                  would or shall follows in the same
 *                                  sentence of the quote
 *   int: down: hedge: (weighted) and int:<term> down:<term> hedge:<term>
 *   modal:will modal:would modal:shall modal:should modal:must modal:may
 *   modal:might modal:can modal:could, "-not" appended when not/never
 *   follows (modal:will-not for won't), modal:going-to
 *   you:you you:you+<modal>        second-person address ("you will")
 *   len:0 len:1-4 len:5-9 len:10-19 len:20-39 len:40+   quote length in words
 *   punct:! punct:? punct:…        punctuation in the quote
 *   partial                        quote of 1 to 4 words
 *   question                       quote ends with '?' (before closing marks)
 * Which groups are emitted is chosen by the params->use_* switches.
 * Lexicon matching sees contraction pieces spelt out (n't as not, 'll as
 * will, ...) and the extractor's copy of the lexicon holds every entry
 * written with a contraction spelt out too, so "won't back down" in the
 * lexicon matches "will not back down" in a text and the other way round.
 *
 * Ownership: st_x_new / st_x_free pairs; *_free(NULL) is a no-op.
 * Strings returned by accessors are borrowed and stay valid until the
 * owner is freed or (for the extractor and tokens) run again.
 * Nothing here prints.
 */
#ifndef ST_FEATURES_H
#define ST_FEATURES_H

#include <stddef.h>
#include <stdio.h>

#include <libsvm/svm.h>

#include "st_lexicon.h"
#include "st_params.h"
#include "stance.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Tokeniser                                                           */

typedef struct st_tokens st_tokens;

st_status st_tokens_new(st_tokens **out);
void st_tokens_free(st_tokens *tokens);

/*
 * Replaces the contents of `tokens` with the tokens of text[0..len)
 * (valid UTF-8 expected; invalid bytes are treated as U+FFFD).  No
 * allocation once the buffers are large enough.
 */
st_status st_tokenize(st_tokens *tokens, const char *text, size_t len);

size_t st_tokens_count(const st_tokens *tokens);
/* Token i, folded and NUL-terminated (NULL when out of range). */
const char *st_tokens_get(const st_tokens *tokens, size_t index);
/* All tokens as an array of count pointers (for st_lexicon_match). */
const char *const *st_tokens_array(const st_tokens *tokens);
/* Byte span of token i in the text given to st_tokenize. */
st_span st_tokens_span(const st_tokens *tokens, size_t index);
/* Non-zero when token i is a word (letters/digits, <num>, <url>, n't, 's...). */
int st_tokens_is_word(const st_tokens *tokens, size_t index);

/* ------------------------------------------------------------------ */
/* Extractor                                                           */

/*
 * One example.  `quote` is the quoted words; `sentence` the whole sentence
 * holding the quote and its attribution (may be NULL / 0).  The quote's
 * words are looked for as a run of the sentence's words (after
 * tokenising both, so case, quote marks and apostrophe styles do not
 * matter; linear time); the context features come from the rest of the
 * sentence.  When the quote is not found there, only v: (from the whole
 * sentence) is emitted from the sentence.
 */
typedef struct st_example {
    const char *quote;
    size_t quote_len;
    const char *sentence;
    size_t sentence_len;
} st_example;

typedef struct st_extractor st_extractor;

/*
 * A reusable extractor (one per thread).  `lex` is borrowed and must
 * outlive the extractor; `params` is copied.  No allocation per token
 * once warm.
 */
st_status st_extractor_new(const st_lexicon *lex, const st_params *params,
                           st_extractor **out);
void st_extractor_free(st_extractor *x);

/*
 * Extracts the named features of one example, replacing the previous
 * run's.  Features are distinct (each name once) and listed in a
 * deterministic order (the order in which they were first produced).
 */
st_status st_extractor_run(st_extractor *x, const st_example *ex);

size_t st_extractor_count(const st_extractor *x);
/* Name of feature i (NUL-terminated; *len, if non-NULL, its length). */
const char *st_extractor_name(const st_extractor *x, size_t index, size_t *len);
/* Raw value of feature i: an occurrence count, or a weighted cue count. */
double st_extractor_value(const st_extractor *x, size_t index);
/* Scale of feature i in a vector: params->lexicon_weight for lex:,
 * lexterm: and clex: features, else 1. */
double st_extractor_scale(const st_extractor *x, size_t index);

/* The parameters the extractor was made with. */
const st_params *st_extractor_params(const st_extractor *x);

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */

/*
 * Feature name <-> id (1, 2, ...), a hash table.  Each name also carries a
 * count: st_vocab_add increments it, so adding every feature of every
 * training example once gives the number of examples a feature occurs
 * in, which st_vocab_prune uses for min_count.
 */
typedef struct st_vocab st_vocab;

st_status st_vocab_new(st_vocab **out);
void st_vocab_free(st_vocab *v);

/* Adds name (if new, with the next id) and increments its count; *id (may be NULL) gets its id. */
st_status st_vocab_add(st_vocab *v, const char *name, size_t len, int *id);
/* The id of name, 0 when unseen. */
int st_vocab_find(const st_vocab *v, const char *name, size_t len);
size_t st_vocab_size(const st_vocab *v);
/* Name of id (1..size), NUL-terminated; NULL when out of range. */
const char *st_vocab_name(const st_vocab *v, int id);
/* Count of id (0 when out of range). */
size_t st_vocab_count(const st_vocab *v, int id);

/*
 * A new vocabulary of the names whose count is >= min_count, with ids
 * given in byte order of the names (so the result does not depend on the
 * order of the training data); counts are kept.
 */
st_status st_vocab_prune(const st_vocab *v, size_t min_count, st_vocab **out);

/* The order st_vocab_prune gives names: bytes, then the shorter first
 * (<0, 0, >0 as memcmp). */
int st_vocab_name_order(const char *a, size_t alen, const char *b, size_t blen);

/*
 * vocab.tsv: header "id\tfeature\tcount", then one line per id in order.
 * st_vocab_format returns it malloc'ed (free() it); st_vocab_write writes
 * it to fp (ST_ERR_IO on a write error).  st_vocab_parse reads it back
 * (`size` bytes, need not be NUL-terminated); ids must run 1, 2, ... and
 * names be distinct and non-empty; errors are ST_ERR_MODEL with the line
 * in diag (diag->file is left to the caller).
 */
st_status st_vocab_format(const st_vocab *v, char **text, size_t *size);
st_status st_vocab_write(const st_vocab *v, FILE *fp);
st_status st_vocab_parse(const char *text, size_t size, st_vocab **out,
                         st_diag *diag);

/*
 * st_vocab_parse without the n-gram index the fast path of st_vectorize
 * uses (a vocabulary without it is slower, not wrong), and
 * st_vocab_index_ngrams, which builds that index (once; a second call
 * does nothing).  Split so that a model's loading can build the index on
 * a second thread while it reads the rest of the bundle: the index
 * writes only its own fields, so other threads may call st_vocab_size,
 * st_vocab_name, st_vocab_count and st_vocab_find meanwhile, but nothing
 * may vectorise with v or change it until the index is built.
 */
st_status st_vocab_parse_unindexed(const char *text, size_t size, st_vocab **out,
                                   st_diag *diag);
void st_vocab_index_ngrams(st_vocab *v);

/* ------------------------------------------------------------------ */
/* Vectors                                                             */

/*
 * A libsvm vector.  Zero-initialise; st_vector_clear frees the nodes.
 * After st_vectorize: nodes[0..count) have indices 1-based, strictly
 * increasing, and nodes[count].index == -1.  To keep the nodes (e.g. in
 * an svm_problem), take `nodes` and zero the struct.
 */
typedef struct st_vector {
    struct svm_node *nodes;
    size_t count;    /* nodes before the terminator */
    size_t capacity; /* nodes allocated */
    size_t unseen;   /* features of the example not in the vocabulary */
} st_vector;

/*
 * The extractor's current features mapped through the vocabulary:
 * value = 1 + ln(raw) for raw > 0 (sublinear tf), times
 * params->lexicon_weight for lex:, lexterm: and clex: features; values
 * <= 0 are dropped (raw <= 1/e, or a weight of 0); then scaled to unit L2
 * norm (an example with no known feature gives an
 * empty vector: count 0, nodes[0].index == -1).  Reuses out's storage.
 */
st_status st_vectorize(const st_extractor *x, const st_vocab *v, st_vector *out);
void st_vector_clear(st_vector *v);

/*
 * The fast path: st_extractor_run followed by st_vectorize(x, v, ...) in
 * one, with the same result (the same nodes, values bit for bit, and the
 * same unseen count), without building the names of the features that
 * are in the vocabulary: each candidate's hash is computed from its
 * pieces (prefix, tokens) and looked up in v, whose bytes are compared
 * on a hit.  *out is the extractor's own vector, valid until its next
 * run.  Afterwards the extractor's named features (st_extractor_count,
 * st_extractor_name ...) are the example's unseen features only.
 */
st_status st_extractor_run_vector(st_extractor *x, const st_vocab *v, const st_example *ex,
                                  const st_vector **out);

/*
 * The two halves of st_vectorize, for code that maps names to ids its own
 * way (training extracts every row once and builds each fold's vector
 * from that): the value of a raw feature before L2 (0 when dropped), and
 * the finishing of nodes[0..count): sorted by index, equal indices
 * merged, values <= 0 dropped, scaled to unit L2 norm, the terminator
 * written at nodes[result] (room for count + 1 nodes needed).
 */
double st_feature_value(double raw, double scale);
size_t st_vector_normalize(struct svm_node *nodes, size_t count);

#ifdef __cplusplus
}
#endif

#endif /* ST_FEATURES_H */
