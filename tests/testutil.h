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

/**
 * NULL when a and b are equal, else a short description of the first difference (byte offset,
 * line, column and a few escaped characters of each side), small enough for Check's message
 * limit. NULL arguments compare as "(null)". Caller frees.
 */
char *tu_text_diff(const char *a, const char *b);

/** Assert two (possibly long) texts are equal; on failure show where they first differ. */
#define tu_assert_text_eq(a, b)                                                    \
    do {                                                                           \
        char *tu_diff_ = tu_text_diff((a), (b));                                   \
        ck_assert_msg(tu_diff_ == NULL, "texts differ: %s", tu_diff_);              \
    } while (0)

struct sb_baseline;
struct sb_report;
/** Assess the sample estate (sample-reports/estate: its three inputs and exceptions) against the built-in
 *  baseline, with `organisation` (may be NULL); asserts success. Free with report_free and baseline_free. */
void tu_sample_report(struct sb_baseline **b, struct sb_report **r, const char *organisation);

/** Run a suite with CK_ENV verbosity; the process exit status (frees the suite). */
#include <check.h>
int tu_run(Suite *s);

#endif
