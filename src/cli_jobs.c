/*
 * cli_jobs.c - ordered parallel work for quotes and classify: one reader,
 * N workers, and the calling thread writing every item's output and
 * messages in input order (cli.h, "Ordered parallel work").
 *
 * The ring: items get sequence numbers as they are submitted (tail); the
 * workers take them in that order (next) and the writer writes them in
 * that order (head), so head <= next <= tail and tail - head <= capacity.
 * A slot is reused only after it was written.  Everything under `lock`.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 256
#define SLOTS_PER_JOB 8
/* The most items a worker takes at once. */
#define MAX_BATCH 4
/* Input bytes in flight (submitted, not yet written) beyond which the
 * reader waits, unless the ring is empty (one huge item always goes). */
#define MAX_INFLIGHT_BYTES ((size_t)64 << 20)
/* Seconds between two progress lines, and before the first. */
#define PROGRESS_EVERY 0.5
/* How long a stopping run waits for a reader blocked on its input. */
#define READER_GRACE_SECONDS 1

enum { SLOT_QUEUED, SLOT_DONE };

typedef struct slot {
    void *item;
    size_t bytes;
    int state;
    int rc;
    size_t records;
    char *before; size_t before_len;     /* reader messages before the item */
    char *messages; size_t messages_len; /* the worker's messages */
    char *out; size_t out_len;           /* the item's records */
} slot;

typedef struct progress {
    int enabled;
    struct timespec start, last;
    size_t items, records;
    double bytes;
} progress;

typedef struct worker {
    cli_pool *pool;
    void *state;
    pthread_t thread;
    int started;
} pool_worker;

struct cli_pool {
    int jobs;
    FILE *out;
    int flush_each; /* streaming input, out not a regular file: flush when idle */
    const cli_pool_ops *ops;
    void *ctx;
    progress progress;
    int status;     /* 1 once an item was bad */
    int write_errno;
    /* jobs == 1 */
    void *state;
    int stopped;
    /* jobs > 1 */
    pthread_mutex_t lock;
    pthread_cond_t work_ready; /* workers: an item was queued, or the end */
    pthread_cond_t item_done;  /* writer: an item is done, or reading ended */
    pthread_cond_t space;      /* reader: a slot was written */
    slot *ring;
    size_t capacity;
    size_t head, next, tail;
    size_t inflight;
    int reading_done, read_rc;
    int stop;
    /* Who sleeps, so that a wake-up goes only where it lets work go on:
     * the reader, once woken, finds half the ring free; the writer is
     * woken by the item it waits for, not by the ones after it. */
    int reader_waiting, writer_waiting, workers_waiting;
    cli_capture reader_capture;
    char *after; size_t after_len; /* reader messages after the last item */
    cli_pool_reader read;
    void *source;
};

/* ------------------------------------------------------------------ */
/* Progress                                                            */

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_start(progress *p)
{
    memset(p, 0, sizeof *p);
    p->enabled = isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
}

static void progress_add(progress *p, size_t bytes, size_t records)
{
    p->items++;
    p->records += records;
    p->bytes += (double)bytes;
    if (!p->enabled)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&p->last, &now) < PROGRESS_EVERY)
        return;
    p->last = now;
    double elapsed = seconds_between(&p->start, &now);
    char line[160];
    snprintf(line, sizeof line, "stance: %zu inputs, %zu records, %.1f MB, %.1f MB/s", p->items, p->records,
             p->bytes / 1e6, elapsed > 0 ? p->bytes / 1e6 / elapsed : 0.0);
    cli_progress_show(line);
}

/* ------------------------------------------------------------------ */
/* One job: everything in the calling thread                           */

static int submit_direct(cli_pool *pool, void *item, size_t bytes)
{
    if (pool->stopped) {
        pool->ops->item_free(item);
        return -1;
    }
    size_t records = 0;
    int rc = pool->ops->process(pool->state, item, pool->out, &records);
    pool->ops->item_free(item);
    if (rc > 0)
        pool->status = 1;
    if (rc >= 0 && pool->flush_each)
        fflush(pool->out);
    if (ferror(pool->out)) {
        if (!pool->write_errno)
            pool->write_errno = errno ? errno : EIO;
        rc = -1;
    }
    progress_add(&pool->progress, bytes, records);
    if (rc < 0) {
        pool->stopped = 1;
        return -1;
    }
    return 0;
}

static int run_direct(cli_pool *pool)
{
    pool->state = pool->ops->worker_new(pool->ctx);
    if (!pool->state)
        return -1;
    int rc = pool->read(pool->source, pool);
    pool->ops->worker_free(pool->state);
    if (pool->stopped || rc < 0)
        return -1;
    return pool->status || rc > 0 ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* N jobs                                                              */

static int submit_threaded(cli_pool *pool, void *item, size_t bytes)
{
    char *before;
    size_t before_len;
    cli_capture_take(&pool->reader_capture, &before, &before_len);
    pthread_mutex_lock(&pool->lock);
    while (!pool->stop && (pool->tail - pool->head == pool->capacity ||
                           (pool->tail != pool->head && pool->inflight + bytes > MAX_INFLIGHT_BYTES))) {
        pool->reader_waiting = 1;
        pthread_cond_wait(&pool->space, &pool->lock);
    }
    pool->reader_waiting = 0;
    if (pool->stop) {
        pthread_mutex_unlock(&pool->lock);
        free(before);
        pool->ops->item_free(item);
        return -1;
    }
    slot *s = &pool->ring[pool->tail % pool->capacity];
    memset(s, 0, sizeof *s);
    s->item = item;
    s->bytes = bytes;
    s->state = SLOT_QUEUED;
    s->before = before;
    s->before_len = before_len;
    pool->tail++;
    pool->inflight += bytes;
    if (pool->workers_waiting)
        pthread_cond_signal(&pool->work_ready);
    pthread_mutex_unlock(&pool->lock);
    return 0;
}

static void *reader_main(void *arg)
{
    cli_pool *pool = arg;
    cli_capture_begin(&pool->reader_capture);
    int rc = pool->read(pool->source, pool);
    char *after;
    size_t after_len;
    cli_capture_take(&pool->reader_capture, &after, &after_len);
    cli_capture_end(&pool->reader_capture);
    pthread_mutex_lock(&pool->lock);
    pool->after = after;
    pool->after_len = after_len;
    pool->read_rc = rc;
    pool->reading_done = 1;
    pthread_cond_broadcast(&pool->work_ready);
    pthread_cond_broadcast(&pool->item_done);
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

static void *worker_main(void *arg)
{
    pool_worker *w = arg;
    cli_pool *pool = w->pool;
    cli_capture capture;
    cli_capture_begin(&capture);
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && pool->next == pool->tail && !pool->reading_done) {
            pool->workers_waiting++;
            pthread_cond_wait(&pool->work_ready, &pool->lock);
            pool->workers_waiting--;
        }
        if (pool->stop || pool->next == pool->tail)
            break;
        /* A share of what is queued, so that one lock and one wake-up
         * serve several items when the reader is ahead. */
        size_t first = pool->next;
        size_t take = (pool->tail - pool->next) / (size_t)pool->jobs;
        take = take < 1 ? 1 : take > MAX_BATCH ? MAX_BATCH : take;
        pool->next += take;
        pthread_mutex_unlock(&pool->lock);

        /* Slots [first, first + take) are this worker's until marked done:
         * the reader fills only slots past them, the writer reads them only
         * once done (under the lock, which orders these writes). */
        for (size_t seq = first; seq != first + take; seq++) {
            slot *s = &pool->ring[seq % pool->capacity];
            void *item = s->item;
            s->item = NULL;
            s->out = NULL;
            s->out_len = 0;
            s->records = 0;
            FILE *mem = open_memstream(&s->out, &s->out_len);
            if (!mem) {
                cli_error("out of memory");
                s->rc = -1;
            } else {
                s->rc = pool->ops->process(w->state, item, mem, &s->records);
                if (fclose(mem) != 0 && s->rc >= 0) {
                    cli_error("out of memory");
                    s->rc = -1;
                }
            }
            pool->ops->item_free(item);
            cli_capture_take(&capture, &s->messages, &s->messages_len);
        }

        pthread_mutex_lock(&pool->lock);
        int wakes_writer = 0;
        for (size_t seq = first; seq != first + take; seq++) {
            pool->ring[seq % pool->capacity].state = SLOT_DONE;
            wakes_writer |= seq == pool->head;
        }
        if (pool->writer_waiting && wakes_writer)
            pthread_cond_signal(&pool->item_done);
    }
    pthread_mutex_unlock(&pool->lock);
    cli_capture_end(&capture);
    return NULL;
}

static void slot_clear(cli_pool *pool, slot *s)
{
    if (s->item)
        pool->ops->item_free(s->item);
    free(s->before);
    free(s->messages);
    free(s->out);
    memset(s, 0, sizeof *s);
}

/* Stops the run: every thread wakes up and gives up (lock held). */
static void stop_locked(cli_pool *pool)
{
    pool->stop = 1;
    pthread_cond_broadcast(&pool->work_ready);
    pthread_cond_broadcast(&pool->space);
}

/*
 * Writes the items in input order until the end or a stop.  Returns 1
 * when the run was stopped.  Called and returns with the lock held.
 */
static int write_in_order(cli_pool *pool)
{
    int flushed = 1;
    for (;;) {
        if (pool->head == pool->tail && pool->reading_done)
            return 0;
        size_t head = pool->head, ready = 0;
        while (head + ready != pool->tail && pool->ring[(head + ready) % pool->capacity].state == SLOT_DONE)
            ready++;
        if (ready) {
            /* Slots [head, head + ready) are done: no other thread touches
             * them until head moves past them. */
            pthread_mutex_unlock(&pool->lock);
            int stop = 0;
            size_t written = 0, bytes = 0;
            while (written < ready && !stop) {
                slot *s = &pool->ring[(head + written) % pool->capacity];
                cli_messages_write(s->before, s->before_len);
                cli_messages_write(s->messages, s->messages_len);
                if (s->out_len)
                    fwrite(s->out, 1, s->out_len, pool->out);
                stop = s->rc < 0;
                if (s->rc > 0)
                    pool->status = 1;
                if (ferror(pool->out)) {
                    if (!pool->write_errno)
                        pool->write_errno = errno ? errno : EIO;
                    stop = 1;
                }
                progress_add(&pool->progress, s->bytes, s->records);
                free(s->before);
                free(s->messages);
                free(s->out);
                s->before = s->messages = s->out = NULL;
                bytes += s->bytes;
                written++;
            }
            flushed = 0;
            pthread_mutex_lock(&pool->lock);
            pool->head += written;
            pool->inflight -= bytes;
            if (pool->reader_waiting && (pool->tail - pool->head <= pool->capacity / 2 ||
                                         pool->inflight <= MAX_INFLIGHT_BYTES / 2))
                pthread_cond_signal(&pool->space);
            if (stop) {
                stop_locked(pool);
                return 1;
            }
            continue;
        }
        if (pool->flush_each && !flushed) {
            /* Nothing to write just now: let the reader of our output see
             * what it has so far. */
            pthread_mutex_unlock(&pool->lock);
            int failed = fflush(pool->out) != 0 || ferror(pool->out);
            int err = errno;
            pthread_mutex_lock(&pool->lock);
            flushed = 1;
            if (failed) {
                if (!pool->write_errno)
                    pool->write_errno = err ? err : EIO;
                stop_locked(pool);
                return 1;
            }
            continue;
        }
        pool->writer_waiting = 1;
        pthread_cond_wait(&pool->item_done, &pool->lock);
        pool->writer_waiting = 0;
    }
}

static int run_threaded(cli_pool *pool)
{
    /* jansson picks its hash seed at the first object; pick it here,
     * before there are threads to race for it. */
    json_object_seed(0);
    pool->capacity = (size_t)pool->jobs * SLOTS_PER_JOB;
    pool->ring = calloc(pool->capacity, sizeof *pool->ring);
    pool_worker *workers = calloc((size_t)pool->jobs, sizeof *workers);
    if (!pool->ring || !workers) {
        cli_error("out of memory");
        free(pool->ring);
        free(workers);
        return -1;
    }
    int rc = -1;
    int abandoned = 0;
    int nworkers = 0;
    for (; nworkers < pool->jobs; nworkers++) {
        workers[nworkers].pool = pool;
        workers[nworkers].state = pool->ops->worker_new(pool->ctx);
        if (!workers[nworkers].state)
            goto free_workers;
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work_ready, NULL);
    pthread_cond_init(&pool->item_done, NULL);
    pthread_cond_init(&pool->space, NULL);

    pthread_t reader;
    int started = 0;
    for (int i = 0; i < nworkers; i++) {
        if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
            break;
        workers[i].started = 1;
        started++;
    }
    int reader_started = started > 0 && pthread_create(&reader, NULL, reader_main, pool) == 0;

    pthread_mutex_lock(&pool->lock);
    int stopped;
    if (!reader_started) {
        cli_error("cannot start threads: %s", strerror(EAGAIN));
        stop_locked(pool);
        stopped = 1;
    } else {
        stopped = write_in_order(pool);
    }
    int reader_finished = pool->reading_done;
    if (stopped && reader_started && !reader_finished) {
        /* The reader may be blocked on an input that is still open. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += READER_GRACE_SECONDS;
        while (!pool->reading_done &&
               pthread_cond_timedwait(&pool->item_done, &pool->lock, &until) != ETIMEDOUT)
            ;
        reader_finished = pool->reading_done;
    }
    pthread_mutex_unlock(&pool->lock);

    for (int i = 0; i < nworkers; i++)
        if (workers[i].started)
            pthread_join(workers[i].thread, NULL);
    if (reader_started) {
        if (reader_finished) {
            pthread_join(reader, NULL);
        } else {
            /* Leave it (and the pool it uses) to the end of the process. */
            pthread_detach(reader);
            abandoned = 1;
        }
    }
    if (!stopped) {
        cli_messages_write(pool->after, pool->after_len);
        rc = pool->read_rc < 0 ? -1 : pool->status || pool->read_rc > 0 ? 1 : 0;
    }
    if (!abandoned) {
        for (size_t seq = pool->head; seq != pool->tail; seq++)
            slot_clear(pool, &pool->ring[seq % pool->capacity]);
        free(pool->after);
        pool->after = NULL;
        pthread_cond_destroy(&pool->space);
        pthread_cond_destroy(&pool->item_done);
        pthread_cond_destroy(&pool->work_ready);
        pthread_mutex_destroy(&pool->lock);
        free(pool->ring);
        pool->ring = NULL;
    }
free_workers:
    for (int i = 0; i < nworkers; i++)
        pool->ops->worker_free(workers[i].state);
    free(workers);
    return abandoned ? -2 : rc;
}

/* ------------------------------------------------------------------ */

int cli_pool_submit(cli_pool *pool, void *item, size_t bytes)
{
    return pool->jobs > 1 ? submit_threaded(pool, item, bytes) : submit_direct(pool, item, bytes);
}

int cli_pool_run(int jobs, FILE *out, int streaming, const cli_pool_ops *ops, void *ctx, cli_pool_reader read,
                 void *source)
{
    cli_pool *pool = calloc(1, sizeof *pool);
    if (!pool) {
        cli_error("out of memory");
        return -1;
    }
    pool->jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
    pool->out = out;
    pool->ops = ops;
    pool->ctx = ctx;
    pool->read = read;
    pool->source = source;
    struct stat st;
    pool->flush_each = streaming && !(fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode));
    progress_start(&pool->progress);
    int rc = pool->jobs > 1 ? run_threaded(pool) : run_direct(pool);
    cli_progress_clear();
    int err = pool->write_errno;
    if (rc == -2) {
        rc = -1; /* a reader still holds the pool: leave it */
    } else {
        free(pool);
    }
    if (rc < 0 && err)
        errno = err;
    return rc;
}

int cli_parse_jobs(const char *arg, int *jobs)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (strcmp(arg, "auto") == 0) {
        n = 0;
    } else if (errno || end == arg || *end || n < 0 || n > MAX_JOBS) {
        return -1;
    }
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus < 1 ? 1 : cpus > MAX_JOBS ? MAX_JOBS : cpus;
    }
    *jobs = (int)n;
    return 0;
}
