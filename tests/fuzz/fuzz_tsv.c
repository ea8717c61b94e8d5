/*
 * fuzz_tsv.c - the labelled quote table reader (st_dataset.h): the
 * streaming st_tsv_reader, going on after bad rows as classify does, and
 * st_dataset_read, which keeps rows.  The first input byte chooses the
 * flags (bit 0: ST_DATASET_LABELLED); the rest is the table.
 */
#include <string.h>

#include "fuzz.h"
#include "st_dataset.h"

static void check_field(const char *s, size_t n)
{
    if (!s) {
        FUZZ_CHECK(n == 0);
        return;
    }
    FUZZ_CHECK(strlen(s) == n);
    FUZZ_CHECK(memchr(s, '\t', n) == NULL);
    FUZZ_CHECK(memchr(s, '\n', n) == NULL);
}

static void check_row(const st_row *row, int labelled, size_t lines)
{
    FUZZ_CHECK(row->line >= 2 && row->line <= lines);
    check_field(row->id, row->id_len);
    check_field(row->quote, row->quote_len);
    check_field(row->sentence, row->sentence_len);
    check_field(row->speaker, row->speaker_len);
    FUZZ_CHECK(row->quote != NULL);
    FUZZ_CHECK(row->label == ST_LABEL_NONE || (row->label >= 0 && row->label < ST_LABEL_COUNT));
    if (labelled)
        FUZZ_CHECK(row->label != ST_LABEL_NONE);
    if (row->label != ST_LABEL_NONE)
        FUZZ_CHECK(st_label_parse(st_label_name(row->label), strlen(st_label_name(row->label))) == row->label);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int flags = (data[0] & 1) ? ST_DATASET_LABELLED : 0;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += text[i] == '\n';

    /* Streaming, as classify reads. */
    FILE *fp = fmemopen((void *)text, n ? n : 1, "rb");
    if (!fp)
        return 0;
    if (n == 0)
        fgetc(fp); /* fmemopen wants a size >= 1: read the byte away */
    st_tsv_reader *reader = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    st_status status = st_tsv_reader_new(fp, "fuzz.tsv", flags, &reader, &diag);
    if (status == ST_OK) {
        size_t calls = 0;
        for (;;) {
            st_row row;
            int done = 0;
            st_diag_clear(&diag);
            status = st_tsv_reader_next(reader, &row, &done, &diag);
            FUZZ_CHECK(++calls <= lines + 1); /* every call consumes a line */
            if (status == ST_OK && done)
                break;
            if (status == ST_OK) {
                check_row(&row, flags & ST_DATASET_LABELLED, lines);
                if (!st_tsv_reader_has_label(reader))
                    FUZZ_CHECK(row.label == ST_LABEL_NONE);
                if (!st_tsv_reader_has_id(reader))
                    FUZZ_CHECK(row.id == NULL);
            } else {
                FUZZ_CHECK(status == ST_ERR_INPUT || status == ST_ERR_NOMEM);
                FUZZ_CHECK(diag.message[0] != '\0');
                if (status == ST_ERR_NOMEM)
                    break;
            }
        }
        char hex[65];
        st_tsv_reader_sha256(reader, hex);
        FUZZ_CHECK(strlen(hex) == 64);
        st_tsv_reader_free(reader);
    } else {
        FUZZ_CHECK(reader == NULL);
        FUZZ_CHECK(diag.message[0] != '\0');
    }
    fclose(fp);

    /* Kept in memory, as train and eval read. */
    fp = fmemopen((void *)text, n ? n : 1, "rb");
    if (!fp)
        return 0;
    if (n == 0)
        fgetc(fp);
    st_dataset *ds = NULL;
    FUZZ_CHECK(st_dataset_new(&ds) == ST_OK);
    st_diag_clear(&diag);
    status = st_dataset_read(ds, fp, "fuzz.tsv", flags, &diag);
    size_t count = st_dataset_count(ds);
    for (size_t i = 0; i < count; i++)
        check_row(st_dataset_row(ds, i), flags & ST_DATASET_LABELLED, lines);
    FUZZ_CHECK(st_dataset_row(ds, count) == NULL);
    if (status != ST_OK)
        FUZZ_CHECK(diag.message[0] != '\0');
    st_dataset_free(ds);
    fclose(fp);
    return 0;
}
