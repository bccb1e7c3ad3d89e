#include "render_jobs.h"

#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct queue {
    const struct sb_report *r;
    struct render_job **order; /* by decreasing cost */
    size_t n, next;
    pthread_mutex_t lock;
};

static void run_one(const struct sb_report *r, struct render_job *j)
{
    j->rc = j->format->render(r, &j->opts, j->path, &j->err);
}

static void *worker(void *arg)
{
    struct queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        struct render_job *j = q->next < q->n ? q->order[q->next++] : NULL;
        pthread_mutex_unlock(&q->lock);
        if (!j)
            return NULL;
        run_one(q->r, j);
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
    if (workers <= 1) {
        for (size_t i = 0; i < n; i++)
            run_one(r, &jobs[i]);
        return;
    }
    struct queue q = {.r = r, .order = sb_xcalloc(n, sizeof *q.order), .n = n};
    for (size_t i = 0; i < n; i++)
        q.order[i] = &jobs[i];
    sb_sort(q.order, n, sizeof *q.order, by_cost);
    pthread_mutex_init(&q.lock, NULL);
    pthread_t *t = sb_xcalloc(workers, sizeof *t);
    bool *started = sb_xcalloc(workers, sizeof *started);
    /* This thread works too; a thread that cannot be created only means fewer workers. */
    for (unsigned i = 1; i < workers; i++)
        started[i] = pthread_create(&t[i], NULL, worker, &q) == 0;
    worker(&q);
    for (unsigned i = 1; i < workers; i++)
        if (started[i])
            pthread_join(t[i], NULL);
    pthread_mutex_destroy(&q.lock);
    free(started);
    free(t);
    free(q.order);
}
