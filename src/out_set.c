#include "out_set.h"

#include "err.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The one piece of global mutable state, and why: a signal handler gets no argument, so the list of
 * temporaries it must delete has to be reachable from static storage. It is fixed-size (the handler
 * may not allocate), the handler only reads it and calls unlink(2) (async-signal-safe), and it is
 * changed only with the signals blocked, so the handler never sees a half-written entry.
 */
static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
#define NCAUGHT (sizeof caught / sizeof *caught)

static struct {
    bool open;
    size_t n;
    char tmp[SB_OUTSET_MAX][PATH_MAX];   /* "" for a removal */
    char final[SB_OUTSET_MAX][PATH_MAX];
    volatile sig_atomic_t live[SB_OUTSET_MAX]; /* temporary exists and must be deleted on a signal */
    bool external[SB_OUTSET_MAX];              /* written by its caller (sb_outset_add), not by us */
    struct sigaction saved[NCAUGHT];
} set;

static void on_signal(int sig)
{
    for (size_t i = 0; i < SB_OUTSET_MAX; i++)
        if (set.live[i])
            unlink(set.tmp[i]);
    /* Die of the same signal, so the parent sees what happened (exit status 128 + sig in a shell). */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void block(sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaddset(&s, caught[i]);
    sigprocmask(SIG_BLOCK, &s, old);
}

static void unblock(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

int sb_outset_begin(struct sb_err *e)
{
    if (set.open)
        return sb_err_set(e, SB_EXIT_OUTPUT, "internal error: output set already open");
    memset(&set, 0, sizeof set);
    set.open = true;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaddset(&sa.sa_mask, caught[i]);
    for (size_t i = 0; i < NCAUGHT; i++) {
        sigaction(caught[i], NULL, &set.saved[i]);
        /* A signal the caller ignores (nohup, a shell's background job) stays ignored. */
        if (set.saved[i].sa_handler != SIG_IGN)
            sigaction(caught[i], &sa, NULL);
    }
    return 0;
}

static int slot(const char *final_path, struct sb_err *e)
{
    if (!set.open)
        return sb_err_set(e, SB_EXIT_OUTPUT, "internal error: output set not open");
    if (set.n == SB_OUTSET_MAX)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: too many output files", final_path);
    if (strlen(final_path) + 16 >= PATH_MAX)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: path too long", final_path);
    return 0;
}

int sb_outset_add(const char *final_path, char *tmp_out, size_t tmp_size, struct sb_err *e)
{
    if (slot(final_path, e) != 0)
        return -1;
    size_t i = set.n;
    sigset_t old;
    /* Created and registered with the signals held, so no temporary can exist unregistered. */
    block(&old);
    snprintf(set.final[i], PATH_MAX, "%s", final_path);
    int rc = sb_temp_sibling(set.tmp[i], PATH_MAX, final_path, e);
    if (rc == 0) {
        set.live[i] = 1;
        set.external[i] = true;
        set.n++;
    }
    unblock(&old);
    if (rc != 0)
        return -1;
    if ((size_t)snprintf(tmp_out, tmp_size, "%s", set.tmp[i]) >= tmp_size)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: path too long", final_path);
    return 0;
}

/* SB_TEST_* hooks: does the environment variable name this destination's file name? */
static bool hook_names(const char *var, const char *final_path)
{
    const char *v = getenv(var);
    return v && *v && strcmp(v, sb_basename(final_path)) == 0;
}

int sb_outset_write(const char *final_path, const void *data, size_t n, struct sb_err *e)
{
    char tmp[PATH_MAX];
    if (sb_outset_add(final_path, tmp, sizeof tmp, e) != 0)
        return -1;
    set.external[set.n - 1] = false;
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot write: %s", final_path, strerror(errno));
    bool bad = n && fwrite(data, 1, n, f) != n;
    int err = errno;
    if (!bad && hook_names("SB_TEST_FAIL_WRITE", final_path))
        bad = true, err = ENOSPC;
    if (!bad && (fflush(f) != 0 || fsync(fileno(f)) != 0) && errno != EINVAL)
        bad = true, err = errno;
    if (fclose(f) != 0 && !bad)
        bad = true, err = errno;
    if (bad)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", final_path, strerror(err));
    if (hook_names("SB_TEST_RAISE_AFTER", final_path))
        raise(SIGTERM);
    return 0;
}

int sb_outset_remove(const char *final_path, struct sb_err *e)
{
    if (slot(final_path, e) != 0)
        return -1;
    snprintf(set.final[set.n], PATH_MAX, "%s", final_path);
    set.tmp[set.n][0] = '\0';
    set.n++;
    return 0;
}

int sb_outset_commit(struct sb_err *e)
{
    /* The test hooks for files their callers wrote (the renderers): as if it happened just after. */
    for (size_t i = 0; i < set.n; i++) {
        if (!set.external[i])
            continue;
        if (hook_names("SB_TEST_FAIL_WRITE", set.final[i])) {
            sb_outset_abort();
            return sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", set.final[i], strerror(ENOSPC));
        }
        if (hook_names("SB_TEST_RAISE_AFTER", set.final[i]))
            raise(SIGTERM);
    }
    sigset_t old;
    block(&old);
    int rc = 0;
    for (size_t i = 0; i < set.n && rc == 0; i++) {
        if (!set.tmp[i][0]) {
            if (unlink(set.final[i]) != 0 && errno != ENOENT)
                rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot remove: %s", set.final[i], strerror(errno));
        } else if (rename(set.tmp[i], set.final[i]) != 0) {
            rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot rename into place: %s", set.final[i], strerror(errno));
        } else {
            set.live[i] = 0;
        }
    }
    if (rc != 0)
        sb_outset_abort();
    unblock(&old);
    return rc;
}

void sb_outset_abort(void)
{
    sigset_t old;
    block(&old);
    for (size_t i = 0; i < set.n; i++) {
        if (set.live[i])
            unlink(set.tmp[i]);
        set.live[i] = 0;
    }
    unblock(&old);
}

void sb_outset_end(void)
{
    if (!set.open)
        return;
    sb_outset_abort();
    for (size_t i = 0; i < NCAUGHT; i++)
        if (set.saved[i].sa_handler != SIG_IGN)
            sigaction(caught[i], &set.saved[i], NULL);
    set.n = 0;
    set.open = false;
}
