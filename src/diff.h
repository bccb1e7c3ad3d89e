/**
 * @file diff.h
 * @brief Quarter-over-quarter changes between two reports (report.json files, or the current assessment
 *        and the previous report.json), and `mcsb-audit diff`.
 *
 * A previous report is read from report.json (the documented contract), so a report from an earlier
 * tool version can be compared as long as it carries the keys used here (the current assessment is
 * read from the model exactly as its report.json would say these keys: diff_report_from_model):
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

/*
 * A report as the comparison sees it (opaque): only the keys listed above, in a compact list. It is
 * read from a report.json file one result at a time (the file's bytes are held, never its whole JSON
 * tree), from a parsed tree, or from the assessment in memory, which then never becomes JSON.
 */
struct diff_report;

/**
 * Read a report.json file: *out (free with diff_report_free) owns its strings; out_sha256 (65 bytes)
 * receives the SHA-256 of the file's bytes. Parsing is as strict as for any input (json_parse.h), one
 * piece at a time: each element of "results", then the document without them. The file is mapped and
 * its pages given back as they are read, so memory is the compact list, not the file. An error is one
 * line naming the file and what is wrong, with the line and column in the file for a syntax error and
 * the element it is in ("old/report.json:1234:7: results[12]: malformed JSON"), or the JSON path of a
 * wrong value ("old/report.json: results[12].status: expected one of pass, fail, ..."); SB_EXIT_INPUT.
 */
int diff_report_read(struct diff_report **out, char out_sha256[65], const char *path, struct sb_err *e);
/** As diff_report_read, from text[0..len) (not written to; it need not end with a NUL), named `name` in errors. */
int diff_report_parse(struct diff_report **out, const char *text, size_t len, const char *name, struct sb_err *e);
/** From a parsed report.json (strings borrowed: doc must outlive *out). */
int diff_report_from_json(struct diff_report **out, const cJSON *doc, const char *name, struct sb_err *e);
/**
 * From the assessment in memory, exactly as its report.json would be read (strings borrowed: r must
 * outlive *out). Fails, as the reader would, only on a result without an id or duplicate ids.
 */
int diff_report_from_model(struct diff_report **out, const struct sb_report *r, const char *name,
                           struct sb_err *e);
/** The report's "generated" time (borrowed). */
const char *diff_report_generated(const struct diff_report *d);
void diff_report_free(struct diff_report *d); /**< no-op on NULL */

/**
 * The changes from old to cur (free with sb_changes_free), sorted by kind, finding id, resource id,
 * path; previous_name and previous_generated from old, previous_sha256 NULL (the caller sets it).
 * Both views are updated in passing (an index, evidence pairing), so neither is const.
 */
struct sb_changes *diff_compare(struct diff_report *old, struct diff_report *cur);

/**
 * Compare two parsed report.json documents (diff_report_from_json, then diff_compare). A document that
 * lacks a needed key or has a wrong type is SB_EXIT_INPUT, naming the document and the JSON path (e.g.
 * "old.json: results[3].status: expected one of pass, fail, ..."); *out is NULL then.
 */
int diff_reports(struct sb_changes **out, const cJSON *old_doc, const cJSON *new_doc, const char *old_name,
                 struct sb_err *e);
/** As diff_reports, with the current document's name for error messages. */
int diff_reports_named(struct sb_changes **out, const cJSON *old_doc, const cJSON *new_doc, const char *old_name,
                       const char *new_name, struct sb_err *e);

/**
 * Read and parse a whole report.json into one tree (strict JSON, see json_parse.h). *out: caller frees
 * with cJSON_Delete. out_sha256 (65 bytes) receives the SHA-256 of the file's bytes. For small reports
 * and tests; a report of any size is read with diff_report_read.
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
