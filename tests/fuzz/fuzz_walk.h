/*
 * fuzz_walk.h - reads one article as `stance quotes` does and checks what
 * the library promises about the result (used by fuzz_article.c and
 * fuzz_jsonl.c).
 */
#ifndef STANCE_FUZZ_WALK_H
#define STANCE_FUZZ_WALK_H

#include <string.h>

#include "fuzz.h"
#include "stance.h"

/* Whether `offset` starts a code point (or is the end) of text[0..size). */
static int fuzz_on_boundary(const char *text, size_t size, size_t offset)
{
    return offset == size || (offset < size && ((unsigned char)text[offset] & 0xC0) != 0x80);
}

static void fuzz_check_span(const char *text, size_t size, st_span s)
{
    FUZZ_CHECK(s.start <= s.end);
    FUZZ_CHECK(s.end <= size);
    FUZZ_CHECK(fuzz_on_boundary(text, size, s.start));
    FUZZ_CHECK(fuzz_on_boundary(text, size, s.end));
}

/*
 * Every sentence, quote and speaker of doc's article.  Returns the article
 * (the caller frees it) or NULL when st_article_read failed (only out of
 * memory may fail: a cleaned document is always readable).
 */
static st_article *fuzz_walk_article(const st_doc *doc, size_t input_size)
{
    const char *text = st_doc_text(doc);
    size_t size = st_doc_size(doc);
    FUZZ_CHECK(text != NULL);
    FUZZ_CHECK(text[size] == '\0');
    FUZZ_CHECK(strlen(text) == size); /* NULs were replaced */
    size_t last = 0;
    for (size_t i = 0; i <= size; i++) {
        size_t o = st_doc_source_offset(doc, i);
        FUZZ_CHECK(o <= input_size);
        FUZZ_CHECK(o >= last);
        last = o;
    }
    FUZZ_CHECK(st_doc_source_offset(doc, size) == input_size);
    for (size_t i = 0; i < st_doc_problem_count(doc); i++) {
        const st_problem *p = st_doc_problem(doc, i);
        FUZZ_CHECK(p != NULL && p->offset < input_size);
    }

    /* The pieces on their own, as a caller of the public API may use them. */
    st_quote_list quotes = {0};
    st_span_list sentences = {0};
    if (st_quotes_find(text, size, &quotes) == ST_OK &&
        st_sentences_split(text, size, &quotes, &sentences) == ST_OK) {
        for (size_t i = 0; i < quotes.count; i++) {
            fuzz_check_span(text, size, quotes.items[i].inner);
            fuzz_check_span(text, size, quotes.items[i].outer);
            FUZZ_CHECK(quotes.items[i].outer.start <= quotes.items[i].inner.start);
            FUZZ_CHECK(quotes.items[i].inner.end <= quotes.items[i].outer.end);
            if (i > 0)
                FUZZ_CHECK(quotes.items[i - 1].outer.end <= quotes.items[i].outer.start);
        }
        for (size_t i = 0; i < sentences.count; i++) {
            fuzz_check_span(text, size, sentences.items[i]);
            if (i > 0)
                FUZZ_CHECK(sentences.items[i - 1].end <= sentences.items[i].start);
        }
    }
    st_quotes_clear(&quotes);
    st_spans_clear(&sentences);

    st_article *article = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    if (st_article_read(doc, &article, &diag) != ST_OK) {
        FUZZ_CHECK(article == NULL);
        return NULL;
    }
    size_t nsent = st_article_sentence_count(article);
    for (size_t i = 0; i < nsent; i++) {
        fuzz_check_span(text, size, st_article_sentence(article, i));
        const char *mention = NULL;
        const char *speaker = st_article_sentence_speaker(article, i, &mention);
        if (speaker)
            FUZZ_CHECK(speaker[0] != '\0');
        if (mention)
            FUZZ_CHECK(mention[0] != '\0');
    }
    for (size_t i = 0; i < st_article_quote_count(article); i++) {
        const st_attributed_quote *q = st_article_quote(article, i);
        FUZZ_CHECK(q != NULL);
        fuzz_check_span(text, size, q->quote.inner);
        fuzz_check_span(text, size, q->quote.outer);
        FUZZ_CHECK(q->sentence < nsent);
        if (q->speaker) {
            FUZZ_CHECK(q->speaker[0] != '\0');
            FUZZ_CHECK(q->speaker_id >= 0);
        }
        if (q->mention)
            FUZZ_CHECK(q->mention[0] != '\0');
        FUZZ_CHECK(st_doc_source_offset(doc, q->quote.inner.start) <= st_doc_source_offset(doc, q->quote.inner.end));
    }
    return article;
}

#endif
