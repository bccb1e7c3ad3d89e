/**
 * @file manifest.h
 * @brief Evidence integrity: a hash manifest (optionally signed) over an output directory, and
 * `mcsb-audit verify` that checks it. See docs/integrity.md for the file formats and the
 * equivalent `sha256sum` / `openssl` commands an auditor can run without this tool.
 *
 * Files written next to the reports:
 * - manifest.json       tool, baseline, generation time, every input (role, name, size, sha256)
 *                       and every output (name relative to the directory, size, sha256)
 * - manifest.sha256     `sha256sum -c` format, covering the outputs and manifest.json
 * - manifest.json.sig   raw signature over the manifest.json bytes (only with a signing key)
 */
#ifndef SB_MANIFEST_H
#define SB_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

struct sb_err;
struct sb_report;

#define SB_MANIFEST_JSON "manifest.json"
#define SB_MANIFEST_SHA256 "manifest.sha256"
#define SB_MANIFEST_SIG "manifest.json.sig"
/** Value of manifest.json "manifest_version"; verify refuses other versions. */
#define SB_MANIFEST_VERSION 1

/**
 * Write DIR/manifest.json and DIR/manifest.sha256 (and DIR/manifest.json.sig when sign_key_path
 * is not NULL) for files already in place, all or nothing (an output set of its own).
 *
 * @param output_files the n report files already written; each is a name relative to out_dir,
 *        or a path starting with out_dir + "/". Order does not matter (the manifest is sorted);
 *        duplicates and the manifest's own files are ignored. A name that leaves the directory
 *        ("..", absolute after stripping out_dir) is an error.
 * @return 0, or -1 with `e` set: SB_EXIT_INPUT for key problems (message names the key file),
 *         SB_EXIT_OUTPUT for unreadable outputs or write failures.
 * Deterministic: the only time used is r->generated.
 */
int manifest_write(const char *out_dir, const struct sb_report *r, const char *const *output_files, size_t n,
                   const char *sign_key_path, struct sb_err *e);

/** The bytes of the manifest's files, before they are written. */
struct manifest_files {
    char *json;
    size_t json_len;
    char *sums;
    unsigned char *sig; /**< NULL when not signing */
    size_t sig_len;
};

/**
 * Build manifest.json, manifest.sha256 and (with sign_key_path) the signature for n outputs:
 * names[i] is the name listed (relative to the directory), paths[i] where its bytes are now (the
 * temporary, before the rename). Errors as manifest_write. Free with manifest_files_free.
 */
int manifest_build(struct manifest_files *out, const struct sb_report *r, const char *const *names,
                   const char *const *paths, size_t n, const char *sign_key_path, struct sb_err *e);
void manifest_files_free(struct manifest_files *m);

/**
 * Add the manifest's files to the open output set (out_set.h), after the reports: manifest.json,
 * its signature (or the removal of a stale one), manifest.sha256 last.
 */
int manifest_add_to_outset(const char *out_dir, const struct manifest_files *m, struct sb_err *e);

/**
 * Stream a file through SHA-256. out_hex: 65 bytes (lower-case hex). Returns -1 with `e`
 * (code `err_code`, message "PATH: reason") when it cannot be opened or read.
 */
int manifest_hash_file(const char *path, uint64_t *out_size, char out_hex[65], int err_code, struct sb_err *e);

/** The same over an open file descriptor (read to its end); `name` is only for messages. */
int manifest_hash_fd(int fd, const char *name, uint64_t *out_size, char out_hex[65], int err_code, struct sb_err *e);

/**
 * A file name as it may be printed: control characters (C0, DEL, C1), bidirectional overrides,
 * backslash and the bytes of a non-UTF-8 name become "\\xNN", so a name can never print a line
 * of its own (a forged "report.md: OK") or reorder the text around it. Caller frees.
 */
char *manifest_name_escape(const char *name);

/**
 * True when `name` is a safe manifest entry: relative, non-empty, no "." or ".." component,
 * no empty component, no backslash, no control character.
 */
int manifest_name_is_safe(const char *name);

/**
 * `mcsb-audit verify DIR [--pubkey KEY.pub]` (argv[0] == "verify"). Prints one line per file
 * on stdout ("NAME: OK" / "MISMATCH" / "MISSING" / "NOT A REGULAR FILE" / "UNSAFE NAME", names
 * escaped with manifest_name_escape), then the signature state ("unsigned" / "not checked" without
 * --pubkey), and diagnostics on stderr. Only regular files inside DIR are opened (no symbolic link
 * is followed, a FIFO is never opened).
 * @return 0 when everything matches (and the signature is good when --pubkey is given);
 *         8 (SB_EXIT_VERIFY) on any mismatch, missing file, unsafe name, missing or bad signature;
 *         3 for a malformed manifest or unusable key; 2 for usage errors.
 */
int verify_command(int argc, char **argv);

#endif
