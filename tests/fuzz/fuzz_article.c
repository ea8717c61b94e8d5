/*
 * fuzz_article.c - the article reader: st_doc_new (UTF-8 cleaning), then
 * st_article_read (sentences, quotes, speakers), walking every sentence,
 * quote and speaker.  The first input byte chooses the options (bit 0:
 * strict); the rest is the article.
 */
#include <string.h>

#include "fuzz.h"
#include "fuzz_walk.h"
#include "stance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    st_text_options options = {.strict = data[0] & 1};
    const char *bytes = (const char *)data + 1;
    size_t n = size - 1;
    st_doc *doc = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    st_status status = st_doc_new(bytes, n, &options, &doc, &diag);
    if (status != ST_OK) {
        FUZZ_CHECK(doc == NULL);
        FUZZ_CHECK(status == ST_ERR_INPUT || status == ST_ERR_NOMEM);
        FUZZ_CHECK(status != ST_ERR_INPUT || options.strict);
        return 0;
    }
    if (options.strict)
        FUZZ_CHECK(st_doc_problem_count(doc) == 0);

    /* Cleaning is done once: the cleaned text passes strict and comes out
     * the same (unless it begins with a BOM the first pass kept). */
    const char *clean = st_doc_text(doc);
    size_t clean_size = st_doc_size(doc);
    if (!(clean_size >= 3 && memcmp(clean, "\xEF\xBB\xBF", 3) == 0)) {
        st_text_options strict = {.strict = 1};
        st_doc *again = NULL;
        status = st_doc_new(clean, clean_size, &strict, &again, &diag);
        FUZZ_CHECK(status == ST_OK || status == ST_ERR_NOMEM);
        if (status == ST_OK) {
            FUZZ_CHECK(st_doc_size(again) == clean_size);
            FUZZ_CHECK(memcmp(st_doc_text(again), clean, clean_size) == 0);
            FUZZ_CHECK(st_doc_problem_count(again) == 0);
        }
        st_doc_free(again);
    }
    st_article_free(fuzz_walk_article(doc, n));
    st_doc_free(doc);
    return 0;
}
