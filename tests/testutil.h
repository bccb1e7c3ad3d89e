/* Shared helpers for the Check test programs. */
#ifndef SB_TESTUTIL_H
#define SB_TESTUTIL_H

#include <stddef.h>

/** Path under tests/data. Caller frees. */
char *tu_data(const char *rel);
/** Make a fresh empty directory under the build dir's test-tmp/; returns its path (caller frees). */
char *tu_tmpdir(const char *name);
/** Read a whole file; NULL if missing. Caller frees. */
char *tu_slurp(const char *path, size_t *len);
/** Write a string to a file (test fixtures). */
void tu_write(const char *path, const char *text);
/** The repository root (for templates/ and fonts/). */
const char *tu_src_dir(void);

/** Run a suite with CK_ENV verbosity; the process exit status (frees the suite). */
#include <check.h>
int tu_run(Suite *s);

#endif
