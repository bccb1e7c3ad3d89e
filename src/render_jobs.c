#include "render_jobs.h"

#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct render_queue {
    const struct sb_report *r;
    struct render_job **order; /* by decreasing cost */
    bool *taken;               /* per order slot */
    size_t n;
    size_t plain_left;         /* jobs that do not read outputs, not finished yet */
    pthread_mutex_t lock;
    pthread_cond_t plain_done;
};

static void run_one(struct render_queue *q, struct render_job *j)
{
    j->rc = j->format->render(q->r, &j->opts, j->path, &j->err);
    if (j->format->reads_outputs)
        return;
    pthread_mutex_lock(&q->lock);
    if (--q->plain_left == 0)
        pthread_cond_broadcast(&q->plain_done);
    pthread_mutex_unlock(&q->lock);
}

/* The next job not yet taken (only plain ones when `plain_only`), marked taken; NULL when none. Locked. */
static struct render_job *take(struct render_queue *q, bool plain_only)
{
    for (size_t i = 0; i < q->n; i++)
        if (!q->taken[i] && !(plain_only && q->order[i]->format->reads_outputs)) {
            q->taken[i] = true;
            return q->order[i];
        }
    return NULL;
}

static void *worker(void *arg)
{
    struct render_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        struct render_job *j = take(q, false);
        pthread_mutex_unlock(&q->lock);
        if (!j)
            return NULL;
        run_one(q, j);
    }
}

void render_jobs_wait_others(struct render_job *self)
{
    struct render_queue *q = self->queue;
    if (!q)
        return;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        struct render_job *j = take(q, true);
        if (!j) {
            while (q->plain_left > 0)
                pthread_cond_wait(&q->plain_done, &q->lock);
            pthread_mutex_unlock(&q->lock);
            return;
        }
        pthread_mutex_unlock(&q->lock);
        run_one(q, j);
    }
}

unsigned render_jobs_default_workers(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 4 ? 4 : (unsigned)n;
}

static int by_cost(const void *a, const void *b)
{
    const struct render_job *x = *(struct render_job *const *)a, *y = *(struct render_job *const *)b;
    if (x->format->cost != y->format->cost)
        return x->format->cost > y->format->cost ? -1 : 1;
    return (x > y) - (x < y);
}

void render_jobs_run(const struct sb_report *r, struct render_job *jobs, size_t n, unsigned workers)
{
    if (workers > n)
        workers = (unsigned)n;
    if (workers < 1)
        workers = 1;
    struct render_queue q = {.r = r, .order = sb_xcalloc(n + 1, sizeof *q.order),
                             .taken = sb_xcalloc(n + 1, sizeof *q.taken), .n = n};
    for (size_t i = 0; i < n; i++) {
        q.order[i] = &jobs[i];
        jobs[i].queue = &q;
        q.plain_left += !jobs[i].format->reads_outputs;
    }
    sb_sort(q.order, n, sizeof *q.order, by_cost);
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.plain_done, NULL);
    pthread_t *t = sb_xcalloc(workers, sizeof *t);
    bool *started = sb_xcalloc(workers, sizeof *started);
    /* This thread works too; a thread that cannot be created only means fewer workers. */
    for (unsigned i = 1; i < workers; i++)
        started[i] = pthread_create(&t[i], NULL, worker, &q) == 0;
    worker(&q);
    for (unsigned i = 1; i < workers; i++)
        if (started[i])
            pthread_join(t[i], NULL);
    for (size_t i = 0; i < n; i++)
        jobs[i].queue = NULL;
    pthread_cond_destroy(&q.plain_done);
    pthread_mutex_destroy(&q.lock);
    free(started);
    free(t);
    free(q.taken);
    free(q.order);
}
