/**
 * @file out_set.h
 * @brief A set of output files written to temporaries beside their destinations and renamed into
 * place together, in the order they were added, only when every one was written; on failure, or
 * on SIGINT / SIGTERM / SIGHUP while the set is open, every temporary is removed and the files
 * already in the directory stay as they were.
 *
 * There is one set per process (the signal handler must reach the temporaries, see out_set.c):
 * sb_outset_begin ... sb_outset_add / sb_outset_write / sb_outset_remove ... sb_outset_commit or
 * sb_outset_abort ... sb_outset_end.
 *
 * Test hooks (read from the environment; they name a destination's file name, not a path):
 * SB_TEST_FAIL_WRITE=NAME makes writing NAME's temporary fail with ENOSPC ("disk full");
 * SB_TEST_RAISE_AFTER=NAME raises SIGTERM just after NAME's temporary is written.
 */
#ifndef SB_OUT_SET_H
#define SB_OUT_SET_H

#include <stddef.h>

struct sb_err;

/** Most files one set holds (every report format, the manifest's three files, a removal). */
#define SB_OUTSET_MAX 40

/** Open the set and install the signal handlers (the previous ones are restored by sb_outset_end). */
int sb_outset_begin(struct sb_err *e);

/**
 * Create an empty temporary for `final_path` (for a library that writes the file itself) and add
 * it to the set. tmp_out receives its path (PATH_MAX bytes).
 */
int sb_outset_add(const char *final_path, char *tmp_out, size_t tmp_size, struct sb_err *e);

/** Add `final_path` with these bytes (written, flushed to disk and closed now). */
int sb_outset_write(const char *final_path, const void *data, size_t n, struct sb_err *e);

/** Remove `final_path` at commit, at this place in the order (a missing file is fine). */
int sb_outset_remove(const char *final_path, struct sb_err *e);

/**
 * Rename every temporary into place, in the order added, with the signals held off so an
 * interrupt cannot stop half-way. A rename that fails stops the commit and removes the remaining
 * temporaries (the files renamed before it stay renamed: rename within one directory does not fail
 * for lack of space, so this is a permissions change or a vanished directory in the middle of a run).
 */
int sb_outset_commit(struct sb_err *e);

/** Remove every temporary not yet renamed. */
void sb_outset_abort(void);

/** Abort what is left, restore the previous signal handlers, close the set. */
void sb_outset_end(void);

#endif
