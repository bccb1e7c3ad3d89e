/**
 * @file data_dir.h
 * @brief Where templates/ and fonts/ live, so an installed tool works wherever its prefix is.
 *
 * Lookup order: --data-dir, then $MCSB_AUDIT_DATA_DIR (both taken as given: the user named
 * them, later errors name the missing file), then `<dir of the executable>/<rel>` (an install:
 * <prefix>/bin/../share/mcsb-audit), then the source tree the binary was built from. The
 * install location comes before the build tree so an installed binary never reads data from a
 * source checkout that happens to still exist.
 */
#ifndef SB_DATA_DIR_H
#define SB_DATA_DIR_H

struct sb_err;

struct sb_data_dir_lookup {
    const char *override;      /**< --data-dir, or NULL */
    const char *env;           /**< $MCSB_AUDIT_DATA_DIR, or NULL / "" */
    const char *exe_path;      /**< absolute path of the running executable, or NULL if unknown */
    const char *rel_from_bin;  /**< data dir relative to the executable's directory, e.g. "../share/mcsb-audit" */
    const char *build_default; /**< the source tree at build time, or NULL */
};

/**
 * Pick the data directory. The automatic candidates must contain templates/baselines/.
 * On failure: -1 with SB_EXIT_OUTPUT and a message listing every path searched.
 * Caller frees *out.
 */
int sb_data_dir_find(char **out, const struct sb_data_dir_lookup *l, struct sb_err *e);

/** The running executable's absolute path (/proc/self/exe), or NULL. Caller frees. */
char *sb_exe_path(void);

#endif
