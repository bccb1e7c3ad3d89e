/* Shared by the libFuzzer harnesses (fuzz/README in docs/fuzzing.md). Not part of the tool. */
#ifndef SB_FUZZ_UTIL_H
#define SB_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/** The entry point every harness defines (libFuzzer's, or fuzz/replay.c's main). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** A NUL-terminated copy of the input (the loaders want buf[len] == '\0'). Caller frees. */
char *fuzz_text(const uint8_t *data, size_t size);

/**
 * Split an input holding two files at the first `sep` line. *b is NULL when there is no separator.
 * Both are NUL-terminated copies; caller frees.
 */
void fuzz_split(const uint8_t *data, size_t size, const char *sep, char **a, size_t *alen, char **b, size_t *blen);

/** A private directory for this process, made once (under $TMPDIR or /tmp). */
const char *fuzz_dir(void);

/** Write bytes to fuzz_dir()/name; returns the path (static storage, overwritten by the next call). */
const char *fuzz_write(const char *name, const void *data, size_t size);

/** Separators of the two-file inputs (also used by scripts/fuzz.sh to make seeds). */
#define FUZZ_SEP_SUMS "\n#--manifest.sha256--#\n"
#define FUZZ_SEP_NEW "\n#--new report.json--#\n"

#endif
