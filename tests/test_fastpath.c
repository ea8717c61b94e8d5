/*
 * test_fastpath.c - the fast path (st_extractor_run_vector) gives the
 * vector of the named path (st_extractor_run + st_vectorize): the same
 * indices, the same values bit for bit, the same count of unseen
 * features.
 *
 * Runs from the repository root with models/default: every row of
 * training-data/train.tsv and training-data/test.tsv, the model fixtures,
 * every line of the article fixtures (as quote and as sentence), rows
 * paired with other rows' sentences (the quote not found there), and a
 * list of awkward texts (contractions, non-ASCII letters, a letter whose
 * folding holds a space, so that "q:a b" may be a unigram or a bigram,
 * marks, URLs, numbers); under the model's
 * parameters and under variants (other n-gram sizes, windows, switches,
 * lexicon weights 0 and 2.5), against the model's vocabulary, an empty
 * one and one holding every name seen (with and without the n-gram
 * index); with one extractor switching
 * paths and with two; and through the turnover of the extractor's word
 * cache (more distinct words than it keeps).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_dataset.h"
#include "st_features.h"
#include "st_model.h"
#include "test_stride.h"

#define DEFAULT_MODEL "models/default"
#define ARTICLES_DIR "tests/fixtures/articles"

static const char *const tables[] = {
    "training-data/train.tsv",
    "training-data/test.tsv",
    "tests/fixtures/model/tiny.tsv",
    "tests/fixtures/model/holdout.tsv",
};

/* Texts that take the tokeniser's and the matcher's rarer turns. */
static const char *const awkward[] = {
    "We won't back down, and we can't and shan't; they'll pay a heavy price if they attack.",
    "I'm not going to say we wouldn't retaliate - you will regret it, you'd better not.",
    "They\xE2\x80\x99re NOT sure; perhaps it is very slightly... unlikely\xE2\x80\xA6 Isn't it?!",
    "No intention of escalating: \xE2\x80\x9Cnever\xE2\x80\x9D \xE2\x80\x94 unless, or else.",
    "The U.S. and e.g. the E.U. paid 3,500.25 dollars on 12.05.2024, see https://example.org/a?b=c.",
    "Stra\xC3\x9F" "e, \xC3\x89" "COLE, na\xC3\xAF" "ve caf\xC3\xA9, \xEF\xAC\x81nance, \xE2\x84\xAB ngstr\xC3\xB6m.",
    "\xCD\xBA tokens with folded spaces \xCD\xBA\xCD\xBA and \xC2\xA8 diaeresis \xE1\xBE\xBE.",
    "\xD0\x9C\xD1\x8B \xD0\xBD\xD0\xB5 \xD0\xB1\xD1\x83\xD0\xB4\xD0\xB5\xD0\xBC \xD0\xB6\xD0\xB4\xD0\xB0\xD1\x82\xD1\x8C, "
    "\xE6\x88\x91\xE4\xBB\xAC\xE4\xB8\x8D\xE4\xBC\x9A, \xD8\xB3\xD9\x86\xD8\xB1\xD8\xAF.",
    "e\xCC\x81" "e\xCC\x81 combining marks, \xE2\x80\x8B zero width, soft\xC2\xAD" "hyphen, co-operate, well\xE2\x80\x91known.",
    "You must, you should, you might, you may, you could, you can, you shall, you would; yours, yourselves.",
    "Will not hesitate, will never, going to, going nowhere; would not; must not!",
    "\"'\xC2\xAB\xE2\x80\x9E\xE2\x80\xB9 ) ] ?\xE2\x80\xBA\xC2\xBB\xE2\x80\x9D'\"",
    "?",
    "",
    "   \t  ",
    "Said warned told reporters said; according to officials, he told reporters he warned.",
    "q: c: lex:threat lexterm:attack <cap> <num> <url> len:0 partial question",
    "\xCD\xBA \xCD\xBA we will \xCD\xBA\xCD\xBA not we will",
};

typedef struct counts {
    size_t examples, nodes, unseen;
} counts;

/* One example through both paths: identical vectors. */
static void compare(st_extractor *named, st_extractor *fast, const st_vocab *v, const st_example *ex,
                    counts *c)
{
    st_vector want = {0};
    assert_int_equal(st_extractor_run(named, ex), ST_OK);
    assert_int_equal(st_vectorize(named, v, &want), ST_OK);
    const st_vector *got = NULL;
    assert_int_equal(st_extractor_run_vector(fast, v, ex, &got), ST_OK);
    assert_non_null(got);
    if (got->count != want.count || got->unseen != want.unseen)
        fail_msg("example %zu (quote \"%.*s\"): fast path %zu nodes, %zu unseen; named %zu, %zu", c->examples,
                 (int)ex->quote_len, ex->quote ? ex->quote : "", got->count, got->unseen, want.count,
                 want.unseen);
    for (size_t i = 0; i <= want.count; i++) {
        if (got->nodes[i].index != want.nodes[i].index ||
            memcmp(&got->nodes[i].value, &want.nodes[i].value, sizeof(double)) != 0)
            fail_msg("example %zu (quote \"%.*s\"), node %zu: fast %d:%.17g, named %d:%.17g", c->examples,
                     (int)ex->quote_len, ex->quote ? ex->quote : "", i, got->nodes[i].index, got->nodes[i].value,
                     want.nodes[i].index, want.nodes[i].value);
    }
    c->examples++;
    c->nodes += want.count;
    c->unseen += want.unseen;
    st_vector_clear(&want);
}

/* Every example of the corpus: each row as it is, as a sentence alone,
 * with the next row's sentence; each awkward text in several roles. */
typedef struct corpus {
    st_dataset *rows[sizeof tables / sizeof tables[0]];
    char **lines; /* article fixture lines */
    size_t nlines;
} corpus;

static void each_example(const corpus *cp, st_extractor *named, st_extractor *fast, const st_vocab *v, counts *c)
{
    size_t stride = test_row_stride();
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const st_dataset *ds = cp->rows[t];
        size_t n = st_dataset_count(ds);
        for (size_t i = 0; i < n; i += stride) {
            const st_row *r = st_dataset_row(ds, i);
            const st_row *o = st_dataset_row(ds, (i + 1) % n);
            st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
            compare(named, fast, v, &ex, c);
            st_example alone = {r->sentence, r->sentence_len, NULL, 0};
            compare(named, fast, v, &alone, c);
            st_example other = {r->quote, r->quote_len, o->sentence, o->sentence_len};
            compare(named, fast, v, &other, c);
        }
    }
    for (size_t i = 0; i < cp->nlines; i++) {
        const char *l = cp->lines[i];
        st_example ex = {l, strlen(l), l, strlen(l)};
        compare(named, fast, v, &ex, c);
        /* The second half of the line as the quote. */
        size_t half = strlen(l) / 2;
        while (half > 0 && ((unsigned char)l[half] & 0xC0) == 0x80)
            half--;
        st_example part = {l + half, strlen(l + half), l, strlen(l)};
        compare(named, fast, v, &part, c);
    }
    size_t na = sizeof awkward / sizeof awkward[0];
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < na; j++) {
            st_example ex = {awkward[i], strlen(awkward[i]), awkward[j], strlen(awkward[j])};
            compare(named, fast, v, &ex, c);
        }
        st_example none = {awkward[i], strlen(awkward[i]), NULL, 0};
        compare(named, fast, v, &none, c);
    }
}

/*
 * The quote's tokens shared with its sentence's (quote_from_sentence):
 * quotes cut from a sentence at every byte offset and of every length
 * (mid-word, mid-character, before "U.S." and "1,000" end, around URLs
 * and dot runs), each as a piece of the sentence's own memory (articles)
 * and as a copy (quote tables), several in a row with one sentence (the
 * sentence's tokens are kept between runs), and a sentence with its
 * final bytes changed after a run at the same address.
 */
/* Put after a copy of a piece: the quote's scan of its last shared
 * tokens sees these bytes, not the sentence's (a word going on, a URL
 * made by "//" or "s://", a digit after a comma...). */
static const char *const tails[] = {
    "s://x.org", "//y", "/", ":/", ".", "-x", "'s", "1", "a", " b", "\xC3\xA9", ",5", "", ":", "..", "\xE2\x80\x99t",
};

static void each_cut(const char *text, st_extractor *named, st_extractor *fast, const st_vocab *v, counts *c)
{
    size_t len = strlen(text);
    size_t ntails = sizeof tails / sizeof tails[0];
    char *copy = malloc(len + 16);
    char *sent = malloc(len + 1);
    assert_non_null(copy);
    assert_non_null(sent);
    memcpy(sent, text, len + 1);
    for (size_t from = 0; from < len; from++) {
        for (size_t to = from + 1; to <= len; to += (to - from < 24 || len - to < 24) ? 1 : 7) {
            st_example piece = {sent + from, to - from, sent, len};
            compare(named, fast, v, &piece, c);
            memcpy(copy, text + from, to - from);
            st_example table = {copy, to - from, sent, len};
            compare(named, fast, v, &table, c);
            /* Every tail after short pieces, one (in turn) after longer. */
            size_t t0 = to - from <= 10 ? 0 : (from * 7 + to) % ntails;
            size_t t1 = to - from <= 10 ? ntails : t0 + 1;
            for (size_t k = t0; k < t1; k++) {
                size_t tl = strlen(tails[k]);
                memcpy(copy + (to - from), tails[k], tl);
                st_example other = {copy, to - from + tl, sent, len};
                compare(named, fast, v, &other, c);
            }
        }
    }
    if (len > 0) {
        /* Same address, same length, other bytes: not the kept tokens. */
        sent[len - 1] = sent[len - 1] == '.' ? '!' : '.';
        st_example changed = {sent, len, sent, len};
        compare(named, fast, v, &changed, c);
    }
    free(copy);
    free(sent);
}

static const char *const cut_texts[] = {
    "\xE2\x80\x9CWe will release the sailors,\xE2\x80\x9D the minister said. \xE2\x80\x9CWe won't wait.\xE2\x80\x9D",
    "The U.S. paid 3,500.25 on 12.05.2024 - see https://example.org/a?b=c. and www.x.org, or else... Don't!",
    "\"They'll cannot-go e.g. U.S\" he said\xE2\x80\xA6 caf\xC3\xA9 \xCD\xBA\xCD\xBA na\xC3\xAF" "ve \xE2\x80\x8B e\xCC\x81 ...",
    /* Words starting with h or w (the URL test reads 8 bytes), near-URLs. */
    "We said http:/x and https:/y, warned him: http https www wwwx Http:// whatever, hold 1,2 a.b what-now we'd h: w.",
};

static void read_lines(corpus *cp)
{
    DIR *d = opendir(ARTICLES_DIR);
    assert_non_null(d);
    struct dirent *e;
    char **names = NULL;
    size_t nnames = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        names = realloc(names, (nnames + 1) * sizeof *names);
        assert_non_null(names);
        names[nnames++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t k = 0; k < nnames; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", ARTICLES_DIR, names[k]);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        char *line = NULL;
        size_t cap = 0;
        ssize_t got;
        while ((got = getline(&line, &cap, fp)) > 0) {
            while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
                line[--got] = '\0';
            if (got == 0)
                continue;
            cp->lines = realloc(cp->lines, (cp->nlines + 1) * sizeof *cp->lines);
            assert_non_null(cp->lines);
            cp->lines[cp->nlines++] = strdup(line);
        }
        free(line);
        fclose(fp);
        free(names[k]);
    }
    free(names);
}

static void corpus_free(corpus *cp)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        st_dataset_free(cp->rows[t]);
    for (size_t i = 0; i < cp->nlines; i++)
        free(cp->lines[i]);
    free(cp->lines);
}

/* The names of the cut texts and of the tails, each as a quote alone,
 * pruned (so with the n-gram index, as a model's vocabulary). */
static st_vocab *cut_names(st_extractor *x)
{
    st_vocab *v = NULL, *pruned = NULL;
    assert_int_equal(st_vocab_new(&v), ST_OK);
    size_t nc = sizeof cut_texts / sizeof cut_texts[0], nt = sizeof tails / sizeof tails[0];
    for (size_t i = 0; i < nc + nt; i++) {
        const char *text = i < nc ? cut_texts[i] : tails[i - nc];
        st_example ex = {text, strlen(text), NULL, 0};
        assert_int_equal(st_extractor_run(x, &ex), ST_OK);
        for (size_t k = 0; k < st_extractor_count(x); k++) {
            size_t len;
            const char *name = st_extractor_name(x, k, &len);
            assert_int_equal(st_vocab_add(v, name, len, NULL), ST_OK);
        }
    }
    assert_int_equal(st_vocab_prune(v, 1, &pruned), ST_OK);
    st_vocab_free(v);
    return pruned;
}

/* A vocabulary of every name the named path produces on the corpus. */
static st_vocab *every_name(const corpus *cp, st_extractor *x)
{
    st_vocab *v = NULL;
    assert_int_equal(st_vocab_new(&v), ST_OK);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (size_t i = 0; i < st_dataset_count(cp->rows[t]); i++) {
            const st_row *r = st_dataset_row(cp->rows[t], i);
            st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
            assert_int_equal(st_extractor_run(x, &ex), ST_OK);
            for (size_t k = 0; k < st_extractor_count(x); k++) {
                size_t len;
                const char *name = st_extractor_name(x, k, &len);
                assert_int_equal(st_vocab_add(v, name, len, NULL), ST_OK);
            }
        }
    }
    /* And the awkward texts' names: words that fold to hold a space. */
    size_t na = sizeof awkward / sizeof awkward[0];
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < na; j++) {
            st_example ex = {awkward[i], strlen(awkward[i]), awkward[j], strlen(awkward[j])};
            assert_int_equal(st_extractor_run(x, &ex), ST_OK);
            for (size_t k = 0; k < st_extractor_count(x); k++) {
                size_t len;
                const char *name = st_extractor_name(x, k, &len);
                assert_int_equal(st_vocab_add(v, name, len, NULL), ST_OK);
            }
        }
    }
    return v;
}

static void test_fast_equals_named(void **state)
{
    (void)state;
    st_diag diag;
    st_diag_clear(&diag);
    st_model *m = NULL;
    if (st_model_load(DEFAULT_MODEL, &m, &diag) != ST_OK)
        fail_msg("%s", diag.message);
    corpus cp = {0};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        assert_int_equal(st_dataset_new(&cp.rows[t]), ST_OK);
        if (st_dataset_read_file(cp.rows[t], tables[t], 0, &diag) != ST_OK)
            fail_msg("%s: %s", tables[t], diag.message);
    }
    read_lines(&cp);

    st_vocab *empty = NULL;
    assert_int_equal(st_vocab_new(&empty), ST_OK);
    counts c = {0};

    /* The model's own extractor and vocabulary; one extractor for both
     * paths too (the fast path must leave nothing behind). */
    st_extractor *named = NULL, *fast = NULL;
    assert_int_equal(st_model_extractor_new(m, &named), ST_OK);
    assert_int_equal(st_model_extractor_new(m, &fast), ST_OK);
    each_example(&cp, named, fast, st_model_vocab(m), &c);
    each_example(&cp, fast, fast, st_model_vocab(m), &c);
    each_example(&cp, named, fast, empty, &c);
    size_t before = c.examples;
    for (size_t i = 0; i < sizeof cut_texts / sizeof cut_texts[0]; i++)
        each_cut(cut_texts[i], named, fast, st_model_vocab(m), &c);
    for (size_t i = 0; i < sizeof awkward / sizeof awkward[0]; i++)
        each_cut(awkward[i], named, fast, st_model_vocab(m), &c);
    for (size_t i = 0; i < 40 && i < st_dataset_count(cp.rows[1]); i += test_row_stride()) {
        const st_row *r = st_dataset_row(cp.rows[1], i);
        char *sentence = strndup(r->sentence, r->sentence_len);
        assert_non_null(sentence);
        each_cut(sentence, named, fast, st_model_vocab(m), &c);
        free(sentence);
    }
    /* Against a vocabulary holding the cut texts' own n-grams (q:<url>,
     * q:http ...): a wrongly shared token changes a known feature, not
     * only which unseen one is counted. */
    st_vocab *cutv = cut_names(named);
    for (size_t i = 0; i < sizeof cut_texts / sizeof cut_texts[0]; i++)
        each_cut(cut_texts[i], named, fast, cutv, &c);
    st_vocab_free(cutv);
    print_message("quotes cut from sentences: %zu examples\n", c.examples - before);
    /* Every name: as added (no n-gram index: n-grams go by bytes) and
     * pruned (re-numbered, with the index, as a model's vocabulary). */
    st_vocab *all = every_name(&cp, named);
    each_example(&cp, named, fast, all, &c);
    st_vocab *pruned = NULL;
    assert_int_equal(st_vocab_prune(all, 1, &pruned), ST_OK);
    assert_int_equal(st_vocab_size(pruned), st_vocab_size(all));
    each_example(&cp, named, fast, pruned, &c);
    st_vocab_free(pruned);
    /* A bigger vocabulary after a smaller one: the fast path's tables grow. */
    each_example(&cp, named, fast, st_model_vocab(m), &c);
    st_vocab_free(all);
    st_extractor_free(named);
    st_extractor_free(fast);

    /* Other parameters, same lexicon, the model's vocabulary. */
    for (int variant = 0; variant < 6; variant++) {
        st_params p = *st_model_params(m);
        switch (variant) {
        case 0: p.ngram = 3; p.use_context = 1; p.context_ngram = 3; p.context_window = 0; break;
        case 1: p.ngram = 1; p.use_context = 1; p.context_ngram = 1; p.mask_names = 0; p.negation_window = 0; break;
        case 2: p.lexicon_weight = 0; p.context_lexicon = 0; p.negation_ngrams = 0; break;
        case 3: p.lexicon_weight = 2.5; p.use_quote = 0; p.use_modal = 0; break;
        case 4: p.use_context = !p.use_context; p.use_verb = 0; p.use_you = 0; p.use_shape = 0; break;
        default: p.use_lexicon = 0; p.use_conditional = 0; p.use_degree = 0; p.use_context = 1; p.context_window = 1; break;
        }
        assert_int_equal(st_extractor_new(st_model_lexicon(m), &p, &named), ST_OK);
        assert_int_equal(st_extractor_new(st_model_lexicon(m), &p, &fast), ST_OK);
        each_example(&cp, named, fast, st_model_vocab(m), &c);
        st_extractor_free(named);
        st_extractor_free(fast);
    }
    print_message("fast path vs named path: %zu examples, %zu nodes, %zu unseen features: identical\n",
                  c.examples, c.nodes, c.unseen);
    assert_true(c.examples > 50000);
    st_vocab_free(empty);
    corpus_free(&cp);
    st_model_free(m);
}

/* The default model and the rows of the test split (both owned by the caller). */
static void load_model_and_test_rows(st_model **m, st_dataset **ds)
{
    st_diag diag;
    st_diag_clear(&diag);
    if (st_model_load(DEFAULT_MODEL, m, &diag) != ST_OK)
        fail_msg("%s", diag.message);
    assert_int_equal(st_dataset_new(ds), ST_OK);
    if (st_dataset_read_file(*ds, "training-data/test.tsv", 0, &diag) != ST_OK)
        fail_msg("training-data/test.tsv: %s", diag.message);
}

/* st_model_predict (the fast path) gives what the named vector gives. */
static void test_predict_uses_the_same_vector(void **state)
{
    (void)state;
    st_model *m = NULL;
    st_dataset *ds = NULL;
    load_model_and_test_rows(&m, &ds);
    st_extractor *x = NULL;
    assert_int_equal(st_model_extractor_new(m, &x), ST_OK);
    st_vector v = {0};
    for (size_t i = 0; i < st_dataset_count(ds); i++) {
        const st_row *r = st_dataset_row(ds, i);
        st_example ex = {r->quote, r->quote_len, r->sentence, r->sentence_len};
        assert_int_equal(st_extractor_run(x, &ex), ST_OK);
        assert_int_equal(st_vectorize(x, st_model_vocab(m), &v), ST_OK);
        st_prediction want, got;
        assert_int_equal(st_model_predict_vector(m, v.nodes, &want), ST_OK);
        assert_int_equal(st_model_predict(m, x, &ex, &got, 0, NULL), ST_OK);
        assert_int_equal(got.label, want.label);
        assert_memory_equal(got.probability, want.probability, sizeof want.probability);
        assert_int_equal(got.features, v.count);
        assert_int_equal(got.unseen, v.unseen);
    }
    st_vector_clear(&v);
    st_extractor_free(x);
    st_dataset_free(ds);
    st_model_free(m);
}

/*
 * The extractor's word cache is kept across runs and emptied between runs
 * once it holds 32768 words: tens of thousands of made-up words, in
 * sentences each used for three quotes (the later runs keep the sentence's
 * tokens, unless the cache was emptied in between), with the vocabulary
 * switched every few examples, give the named path's vectors throughout.
 */
static void test_word_cache_turnover(void **state)
{
    (void)state;
    st_model *m = NULL;
    st_dataset *ds = NULL;
    load_model_and_test_rows(&m, &ds);
    st_vocab *empty = NULL;
    assert_int_equal(st_vocab_new(&empty), ST_OK);
    st_extractor *named = NULL, *fast = NULL;
    assert_int_equal(st_model_extractor_new(m, &named), ST_OK);
    assert_int_equal(st_model_extractor_new(m, &fast), ST_OK);
    counts c = {0};
    size_t n = st_dataset_count(ds), stride = test_row_stride();
    char sentence[4096];
    for (size_t k = 0; k < 5000; k += stride) {
        const st_row *r = st_dataset_row(ds, k % n);
        int len = snprintf(sentence, sizeof sentence, "%.*s Zq%zu said xq%zua and yq%zub, %.*s", (int)r->sentence_len,
                           r->sentence, k, k, k, (int)r->quote_len, r->quote);
        assert_true(len > 0 && (size_t)len < sizeof sentence);
        for (size_t w = 0; w < 8 * stride; w++) {
            char word[32];
            int wl = snprintf(word, sizeof word, " w%zuq%zu", k, w);
            assert_true(wl > 0 && (size_t)len + (size_t)wl < sizeof sentence);
            memcpy(sentence + len, word, (size_t)wl + 1);
            len += wl;
        }
        const st_vocab *v = (k / 7) % 3 == 2 ? empty : st_model_vocab(m);
        st_example ex = {r->quote, r->quote_len, sentence, (size_t)len};
        compare(named, fast, v, &ex, &c);
        st_example tail = {sentence + len / 2, (size_t)len - (size_t)len / 2, sentence, (size_t)len};
        compare(named, fast, v, &tail, &c);
        /* Words of the sentence in a quote not cut from it (tokenised on
         * its own), found there word for word. */
        char quote[128];
        int ql = snprintf(quote, sizeof quote, "Zq%zu  said  xq%zua", k, k);
        assert_true(ql > 0 && (size_t)ql < sizeof quote);
        st_example own = {quote, (size_t)ql, sentence, (size_t)len};
        compare(named, fast, v, &own, &c);
    }
    print_message("word cache turnover: %zu examples\n", c.examples);
    st_extractor_free(named);
    st_extractor_free(fast);
    st_vocab_free(empty);
    st_dataset_free(ds);
    st_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_equals_named),
        cmocka_unit_test(test_predict_uses_the_same_vector),
        cmocka_unit_test(test_word_cache_turnover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
