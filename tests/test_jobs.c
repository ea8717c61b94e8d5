/*
 * test_jobs.c - the ordered worker pool of quotes and classify
 * (src/cli_jobs.c): output and messages in input order whatever the
 * number of jobs, even when the first item finishes last; bad items
 * counted, a failing item or a write error stopping the run; memory
 * bounded by the ring.
 *
 * The pool belongs to the command-line layer, not to libstance.a, so its
 * sources are compiled into this test directly (cli_common.c asks for
 * _XOPEN_SOURCE before its first header; here that is this file's).
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/cli_common.c"
#include "../src/cli_jobs.c"

/* ------------------------------------------------------------------ */
/* A toy run: items are numbers; processing one writes "n\n" (n times
 * "x" when long output is asked for), after a delay for some.          */

typedef struct toy {
    int count;          /* items the reader submits */
    int slow_item;      /* this item sleeps slow_ms first (-1: none) */
    int slow_ms;
    int jitter;         /* others sleep 0..jitter-1 ms, by item number */
    int bad_every;      /* items n % bad_every == 1 are bad input (0: none) */
    int message_every;  /* items n % message_every == 0 write a message */
    int fail_at;        /* this item fails (-1: none) */
    size_t long_output; /* bytes of output per item besides the number */
    /* measured */
    pthread_mutex_t lock;
    int live, max_live; /* items submitted and not yet freed */
    int read_rc;
    int submitted;
} toy;

typedef struct toy_item {
    toy *toy;
    int n;
} toy_item;

static void sleep_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

static void *toy_worker_new(void *ctx)
{
    return ctx; /* any non-NULL state */
}

static void toy_worker_free(void *worker)
{
    (void)worker;
}

static int toy_process(void *worker, void *item, FILE *out, size_t *records)
{
    (void)worker;
    toy_item *it = item;
    toy *t = it->toy;
    if (it->n == t->slow_item)
        sleep_ms(t->slow_ms);
    else if (t->jitter)
        sleep_ms((it->n * 7) % t->jitter);
    if (t->message_every && it->n % t->message_every == 0)
        cli_error("item %d says hello", it->n);
    if (t->fail_at == it->n) {
        fprintf(out, "%d failed\n", it->n);
        cli_error("item %d failed", it->n);
        return -1;
    }
    if (t->bad_every && it->n % t->bad_every == 1) {
        cli_error("item %d is bad", it->n);
        return 1;
    }
    fprintf(out, "%d ", it->n);
    for (size_t i = 0; i < t->long_output; i++)
        fputc('x', out);
    fputc('\n', out);
    *records += 1;
    return 0;
}

static void toy_item_free(void *item)
{
    toy_item *it = item;
    pthread_mutex_lock(&it->toy->lock);
    it->toy->live--;
    pthread_mutex_unlock(&it->toy->lock);
    free(it);
}

static int toy_read(void *source, cli_pool *pool)
{
    toy *t = source;
    for (int n = 0; n < t->count; n++) {
        if (n == t->count / 2)
            cli_error("reader: half way");
        toy_item *it = malloc(sizeof *it);
        if (!it)
            return -1;
        it->toy = t;
        it->n = n;
        pthread_mutex_lock(&t->lock);
        t->live++;
        if (t->live > t->max_live)
            t->max_live = t->live;
        pthread_mutex_unlock(&t->lock);
        t->submitted++;
        if (cli_pool_submit(pool, it, 100) != 0)
            return t->read_rc = -1;
    }
    cli_error("reader: done");
    return t->read_rc = 0;
}

static const cli_pool_ops toy_ops = {toy_worker_new, toy_worker_free, toy_process, toy_item_free};

static toy toy_default(int count)
{
    toy t;
    memset(&t, 0, sizeof t);
    t.count = count;
    t.slow_item = -1;
    t.fail_at = -1;
    pthread_mutex_init(&t.lock, NULL);
    return t;
}

/* Reads a whole temporary file back (NUL-terminated, caller frees). */
static char *slurp(FILE *fp)
{
    fflush(fp);
    long n = ftell(fp);
    assert_true(n >= 0);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    rewind(fp);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    return s;
}

typedef struct result {
    int rc;
    char *out;
    char *err;
} result;

/* Runs the toy with `jobs` jobs; stdout of the run and the stderr it
 * printed come back as strings. */
static result run_toy(toy *t, int jobs)
{
    result r;
    FILE *out = tmpfile();
    FILE *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(err), STDERR_FILENO) >= 0);
    t->live = t->max_live = t->submitted = 0;
    r.rc = cli_pool_run(jobs, out, 1, &toy_ops, t, toy_read, t);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    r.out = slurp(out);
    r.err = slurp(err);
    fclose(out);
    fclose(err);
    assert_int_equal(t->live, 0); /* every item freed */
    return r;
}

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

/* The slow first item finishes last; its output still comes first. */
static void test_slow_first_item(void **state)
{
    (void)state;
    toy t = toy_default(60);
    t.slow_item = 0;
    t.slow_ms = 300;
    result one = run_toy(&t, 1);
    result three = run_toy(&t, 3);
    assert_int_equal(one.rc, 0);
    assert_int_equal(three.rc, 0);
    assert_true(strncmp(one.out, "0 \n1 \n2 \n", 9) == 0);
    assert_string_equal(three.out, one.out);
    assert_string_equal(three.err, one.err);
    assert_string_equal(one.err, "stance: reader: half way\nstance: reader: done\n");
    result_free(&one);
    result_free(&three);
}

/* Messages of workers and of the reader keep their place among items. */
static void test_messages_in_order(void **state)
{
    (void)state;
    toy t = toy_default(200);
    t.jitter = 5;
    t.message_every = 7;
    t.bad_every = 13;
    result one = run_toy(&t, 1);
    for (int jobs = 2; jobs <= 8; jobs *= 2) {
        result many = run_toy(&t, jobs);
        assert_int_equal(many.rc, 1); /* bad items: status 1 */
        assert_string_equal(many.out, one.out);
        assert_string_equal(many.err, one.err);
        result_free(&many);
    }
    assert_int_equal(one.rc, 1);
    /* The reader's "half way" (before item 100) comes after the messages
     * of items 92 and 98, before those of item 105. */
    const char *half = strstr(one.err, "stance: reader: half way\n");
    const char *item98 = strstr(one.err, "stance: item 98 says hello\n");
    const char *item92 = strstr(one.err, "stance: item 92 is bad\n");
    const char *item105 = strstr(one.err, "stance: item 105 says hello\n");
    assert_non_null(half);
    assert_non_null(item98);
    assert_non_null(item92);
    assert_non_null(item105);
    assert_true(item98 < half && item92 < half && half < item105);
    result_free(&one);
}

/* A failing item stops the run after its own output; nothing later is
 * written, and the reader is told to stop. */
static void test_failure_stops(void **state)
{
    (void)state;
    toy t = toy_default(500);
    t.fail_at = 10;
    t.jitter = 3;
    result one = run_toy(&t, 1);
    int read_one = t.read_rc;
    result three = run_toy(&t, 3);
    assert_int_equal(one.rc, -1);
    assert_int_equal(three.rc, -1);
    assert_int_equal(read_one, -1);
    assert_int_equal(t.read_rc, -1);
    assert_true(t.submitted < 500);
    assert_string_equal(three.out, one.out);
    assert_string_equal(three.err, one.err);
    const char *tail = strstr(one.out, "9 \n10 failed\n");
    assert_non_null(tail);
    assert_string_equal(tail, "9 \n10 failed\n");
    assert_string_equal(one.err, "stance: item 10 failed\n");
    result_free(&one);
    result_free(&three);
}

/* The reader waits for the writer: never more than the ring (8 per job)
 * plus the item in the reader's hands is alive at once. */
static void test_memory_bounded(void **state)
{
    (void)state;
    toy t = toy_default(300);
    t.slow_item = 0;
    t.slow_ms = 200;
    t.long_output = 1000;
    result r = run_toy(&t, 3);
    assert_int_equal(r.rc, 0);
    assert_true(t.max_live <= 8 * 3 + 1);
    /* 300 lines of 1000 x, a space and a newline, and the digits of 0..299 */
    assert_int_equal(strlen(r.out), 300 * 1002 + 10 * 1 + 90 * 2 + 200 * 3);
    result_free(&r);
}

/* A full disk stops the run with errno ENOSPC, whatever the jobs. */
static void test_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    toy t = toy_default(2000);
    t.long_output = 100;
    /* Streaming input flushes when idle; otherwise the error comes when
     * stdio's buffer fills: either way the run stops and says ENOSPC. */
    for (int run = 0; run < 4; run++) {
        int jobs = run % 2 ? 3 : 1, streaming = run / 2;
        clearerr(full);
        errno = 0;
        int rc = cli_pool_run(jobs, full, streaming, &toy_ops, &t, toy_read, &t);
        int err = errno;
        assert_int_equal(rc, -1);
        assert_int_equal(err, ENOSPC);
        assert_int_equal(t.read_rc, -1);
        assert_int_equal(t.live, 0);
    }
    fclose(full);
}

static void test_parse_jobs(void **state)
{
    (void)state;
    int jobs = -1;
    assert_int_equal(cli_parse_jobs("1", &jobs), 0);
    assert_int_equal(jobs, 1);
    assert_int_equal(cli_parse_jobs("256", &jobs), 0);
    assert_int_equal(jobs, 256);
    assert_int_equal(cli_parse_jobs("0", &jobs), 0);
    assert_true(jobs >= 1 && jobs <= 256);
    assert_int_equal(cli_parse_jobs("auto", &jobs), 0);
    assert_true(jobs >= 1);
    assert_int_equal(cli_parse_jobs("257", &jobs), -1);
    assert_int_equal(cli_parse_jobs("-1", &jobs), -1);
    assert_int_equal(cli_parse_jobs("2x", &jobs), -1);
    assert_int_equal(cli_parse_jobs("", &jobs), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_first_item),
        cmocka_unit_test(test_messages_in_order),
        cmocka_unit_test(test_failure_stops),
        cmocka_unit_test(test_memory_bounded),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_parse_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
