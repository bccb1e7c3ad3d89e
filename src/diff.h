/**
 * @file diff.h
 * @brief Quarter-over-quarter changes between two report.json files, and `mcsb-audit diff`.
 *
 * The comparison reads report.json (the documented contract, not the in-memory model), so a
 * report from an earlier tool version can be compared as long as it carries the keys used here:
 * `generated`, `results[].{id, status, control, feature, resource_id, subscription_id, evidence[].{resource_id,
 * path, value}, exception and expired_exception.{entry_id, state, expires}}`, `exceptions[].{entry_id, kind,
 * finding_id, control, feature, resource_pattern, expires, expired}`, and optionally
 * `scope.subscriptions[].{id, collected}`. Other keys are ignored.
 *
 * Kinds of change (enum sb_change_kind in report.h):
 * - new_finding: status fail now, and absent or not failing before (old_value: previous status or NULL)
 * - resolved: failing before; present now and pass, or still fail but now with an active exception (reason
 *   "excepted: EX-1")
 * - no_longer_assessed: failing before and absent now; reason says whether the current report read the
 *   finding's subscription completely ("resource deleted: ...") or not ("not collected: ...", "deleted or not
 *   collected: ..."), from the current report's `scope.subscriptions[].collected`
 * - status_changed: any other status transition of the same finding id (e.g. fail -> not_applicable)
 * - resource_added / resource_removed: the set of results[].resource_id (case-insensitive)
 * - evidence_changed: same finding id, same evidence (resource id, path), different value
 * - exception_expired: the finding's exception was applied before and is expired now (or, for an
 *   entry no finding carries any more, the entry went from not expired to expired)
 * - exception_added: an exceptions[] entry id that the previous report did not have
 * Exception changes describe the entry in the values: "EX-1: applied", "EX-1: expired (valid
 * through 2026-09-30)", "EX-1: accepted_risk, expires 2027-03-31".
 */
#ifndef SB_DIFF_H
#define SB_DIFF_H

#include <cjson/cJSON.h>

#include "report.h"
#include "util.h"

struct sb_err;

/**
 * Compare two parsed report.json documents. *out (free with sb_changes_free) holds the changes
 * sorted by kind, finding id, resource id, path; previous_name = old_name, previous_generated
 * from old_doc, previous_sha256 NULL (set it when you have the file's bytes, see diff_load_report).
 * A document that lacks a needed key or has a wrong type is SB_EXIT_INPUT, naming the document
 * and the JSON path (e.g. "old.json: results[3].status: expected one of pass, fail, ...").
 */
int diff_reports(struct sb_changes **out, const cJSON *old_doc, const cJSON *new_doc, const char *old_name,
                 struct sb_err *e);
/** As diff_reports, with the current document's name for error messages. */
int diff_reports_named(struct sb_changes **out, const cJSON *old_doc, const cJSON *new_doc, const char *old_name,
                       const char *new_name, struct sb_err *e);

/**
 * Read and parse a report.json (strict JSON, see json_parse.h). *out: caller frees with
 * cJSON_Delete. out_sha256 (65 bytes) receives the SHA-256 of the file's bytes.
 */
int diff_load_report(cJSON **out, char out_sha256[65], const char *path, struct sb_err *e);
/** The report file a command-line argument names: the path itself, or for a report directory its
 *  report.json (else its only report-like .json file, written with --basename). Caller frees; NULL
 *  with e set (exit 3) when a directory holds no single report. */
char *diff_report_path(const char *path, struct sb_err *e);

/**
 * 1 when c holds at least one new failing finding, else 0 (NULL c: 0). sb_changes does not carry
 * exceptions: when the current report is at hand, use diff_fail_on_new_report, which skips new
 * findings that have an active exception in r.
 */
int diff_fail_on_new(const struct sb_changes *c);
int diff_fail_on_new_report(const struct sb_changes *c, const struct sb_report *r);

/** Number of changes of one kind. */
size_t diff_count(const struct sb_changes *c, enum sb_change_kind k);

/** The current report, for the header of diff.md / diff.json (any field may be NULL). */
struct sb_diff_current {
    const char *name;
    const char *sha256;
    const char *generated;
};

/**
 * Append "## Changes since the previous assessment", a line naming the previous report, a counts
 * line and a table (or "No changes.") to out. For embedding in report.md.
 */
void diff_render_md_section(const struct sb_changes *c, struct sb_buf *out);
/** The whole diff.md document. */
void diff_render_md(const struct sb_changes *c, const struct sb_diff_current *cur, struct sb_buf *out);
/**
 * The changes as a JSON array of {kind, finding_id, control, feature, resource_id, path,
 * old_value, new_value, reason} (absent values are null): diff.json's "changes", reusable wherever the
 * changes are embedded in JSON. Caller owns the tree (cJSON_Delete).
 */
cJSON *diff_changes_json(const struct sb_changes *c);
/** diff.json: {tool, previous, current, counts, changes[]}. */
void diff_render_json(const struct sb_changes *c, const struct sb_diff_current *cur, struct sb_buf *out);
/** diff.csv (RFC 4180, CRLF): kind,finding_id,control,feature,resource_id,path,old_value,new_value,reason. */
void diff_render_csv(const struct sb_changes *c, struct sb_buf *out);

/**
 * `mcsb-audit diff OLD/report.json NEW/report.json [--format md,json,csv] [--out-dir DIR]
 * [--basename diff]` (argv[0] == "diff"). Without --out-dir one format (default md) goes to
 * stdout; with it, DIR/<basename>.<ext> is written atomically for each format.
 * @return 0; 2 usage; 3 unreadable or malformed report.json; 4 output error.
 */
int diff_command(int argc, char **argv);

#endif
