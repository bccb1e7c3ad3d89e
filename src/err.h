/**
 * @file err.h
 * @brief Exit codes and the explicit error context every fallible function takes.
 *
 * Conventions for the whole code base (read once, applies everywhere):
 * - A function that can fail returns 0 on success and -1 on failure, with the reason in a
 *   caller-supplied `struct sb_err`. Output parameters come first and are named `out`.
 * - Running out of memory is fatal: the x* allocators in util.h print one line and exit 4.
 * - Structs are not typedef'd; public names carry the `sb_` prefix, constants `SB_`.
 * - `*_free(NULL)` is always a no-op.
 */
#ifndef SB_ERR_H
#define SB_ERR_H

/** Process exit codes: a documented, stable contract (README "Exit codes"). */
enum sb_exit {
    SB_EXIT_OK = 0,          /**< done; nothing at or above --fail-on */
    SB_EXIT_FINDINGS = 1,    /**< findings at or above --fail-on */
    SB_EXIT_USAGE = 2,       /**< bad command line */
    SB_EXIT_INPUT = 3,       /**< invalid input (state, baseline, exceptions, JSON) */
    SB_EXIT_OUTPUT = 4,      /**< output or system error (write, rename, font, memory) */
    SB_EXIT_INCOMPLETE = 5,  /**< collect: snapshot written, but with collection gaps */
    SB_EXIT_AUTH = 6,        /**< collect: no credential, or the token request failed */
    SB_EXIT_COLLECT = 7,     /**< collect: nothing usable collected (network, every scope failed) */
    SB_EXIT_VERIFY = 8       /**< verify: a hash or signature did not match, or a file is missing */
};

struct sb_err {
    int code;        /**< an enum sb_exit value; 0 while no error is set */
    char msg[1024];  /**< one line, no trailing newline */
};

/** Record an error (first one wins: later calls keep the first message). Returns -1. */
int sb_err_set(struct sb_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Overwrite any recorded error. Returns -1. */
int sb_err_reset(struct sb_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void sb_err_clear(struct sb_err *e);

#endif
