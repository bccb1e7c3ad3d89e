/* The back of the PDF report: exceptions, collection gaps, changes, method appendix. */
#include "eval.h"
#include "exceptions.h"
#include "pdf_doc.h"

#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EM_DASH "\xe2\x80\x94"
#define ARROW "\xe2\x86\x92"

/* Finding ids an entry matched: enough to trace it here, all of them in report.json and the workbook. */
#define PDF_MATCHED_IDS 12

static char *matched_ids_text(const struct sb_exception *x)
{
    size_t known = x->matched_ids ? x->matched : 0;
    if (!known)
        return NULL;
    struct sb_buf b = {0};
    sb_buf_puts(&b, "Matched findings: ");
    size_t shown = known < PDF_MATCHED_IDS ? known : PDF_MATCHED_IDS;
    for (size_t k = 0; k < shown; k++)
        sb_buf_printf(&b, "%s%s", k ? ", " : "", x->matched_ids[k]);
    if (known > shown)
        sb_buf_printf(&b, " \xe2\x80\xa6 and %zu more (report.json, Exceptions sheet)", known - shown);
    return sb_buf_take(&b);
}

static char *approval_text(const struct sb_exception *x)
{
    struct sb_buf b = {0};
    sb_buf_printf(&b, "Approved by: %s", x->approved_by ? x->approved_by : "(none)");
    if (x->approved_on)
        sb_buf_printf(&b, "\nApproved on: %s", x->approved_on);
    if (x->owner)
        sb_buf_printf(&b, "\nOwner: %s", x->owner);
    if (x->ticket)
        sb_buf_printf(&b, "\nTicket: %s", x->ticket);
    return sb_buf_take(&b);
}

static void governance_warnings(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    size_t n = 0;
    for (size_t i = 0; i < r->nexceptions; i++)
        n += r->exceptions[i].nwarnings;
    pdf_lay_space(&d->lay, 6);
    pdf_doc_h3(d, "Governance warnings");
    if (!n) {
        pdf_doc_para(d, "None: every active entry names an approver, a specific scope, and expires within the "
                        "review period.");
        return;
    }
    pdf_doc_para(d, "Entries an auditor will query: a blanket scope (a whole control, or every resource), an expiry "
                    "beyond the review period (--max-exception-days), or no approver.");
    static const double cols[2] = {0.22, 0.78};
    struct pdf_cell hdr[2] = {pdf_doc_hcell("Entry"), pdf_doc_hcell("Warning")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 2, cols, hdr);
    for (size_t i = 0; i < r->nexceptions; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        for (size_t k = 0; k < x->nwarnings; k++) {
            char *who = sb_xasprintf("#%d %s", x->number, x->entry_id);
            struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_MONO, who), pdf_doc_cell(PDF_FONT_SANS, x->warnings[k])};
            pdf_table_row(&d->lay, &t, row, 2);
            free(who);
        }
    }
}

void pdf_doc_exceptions(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    pdf_doc_section(d, "Exceptions and attestations");
    if (!r->nexceptions) {
        pdf_doc_para(d, "No exception or attestation was recorded for this assessment.");
        return;
    }
    pdf_doc_para(d, "Entries of the exceptions file, numbered as in the file. An exception never changes a verdict: "
                    "it is shown beside the result it matches. An expired entry is not applied; an unmatched entry "
                    "matched no result of this assessment.");
    static const double cols[6] = {0.12, 0.20, 0.23, 0.19, 0.15, 0.11};
    struct pdf_cell hdr[6] = {pdf_doc_hcell("Entry"), pdf_doc_hcell("Applies to"),
                              pdf_doc_hcell("Justification / evidence"), pdf_doc_hcell("Approval"),
                              pdf_doc_hcell("Expires"), pdf_doc_hcell("Matched")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 6, cols, hdr);
    for (size_t i = 0; i < r->nexceptions; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        char *match = x->finding_id ? sb_xasprintf("finding %s", x->finding_id)
                                    : sb_xasprintf("%s \xc2\xb7 %s\nresources: %s", x->control ? x->control : "any control",
                                                   x->feature ? x->feature : "any feature",
                                                   x->resource_pattern ? x->resource_pattern : "any");
        char *who = approval_text(x);
        char matched[32], number[24];
        snprintf(matched, sizeof matched, x->matched ? "%zu" : "0\nunmatched", x->matched);
        snprintf(number, sizeof number, "entry #%d", x->number);
        struct pdf_cell row[6] = {pdf_doc_cell(PDF_FONT_MONO, x->entry_id), pdf_doc_cell(PDF_FONT_MONO, match),
                                  pdf_doc_cell(PDF_FONT_SANS, x->justification), pdf_doc_cell(PDF_FONT_SANS, who),
                                  pdf_doc_cell(PDF_FONT_SANS, x->expires), pdf_doc_cell(PDF_FONT_SANS, matched)};
        pdf_cell_add(&row[0], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, number);
        pdf_cell_add(&row[0], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, sb_exception_kind_label(x->kind));
        char *ev = x->evidence ? sb_xasprintf("Evidence: %s", x->evidence) : NULL;
        pdf_cell_add(&row[2], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, ev);
        if (x->expired) {
            row[4].fill = sb_status_fill_rgb(SB_STATUS_FAIL);
            pdf_cell_add(&row[4], PDF_FONT_BOLD, PDF_SZ_SMALL, sb_status_text_rgb(SB_STATUS_FAIL),
                         "EXPIRED " EM_DASH " not applied");
        }
        if (!x->matched)
            row[5].fill = sb_status_fill_rgb(SB_STATUS_NOT_ASSESSED);
        pdf_table_row(&d->lay, &t, row, 6);
        /* The finding ids are long: a full-width line under the entry, not a narrow column. */
        char *ids = matched_ids_text(x);
        if (ids) {
            t.nrows--; /* same zebra tint as the entry it belongs to */
            struct pdf_cell idrow = pdf_doc_cell(PDF_FONT_MONO, ids);
            idrow.runs[0].size = PDF_SZ_SMALL;
            idrow.runs[0].rgb = PDF_RGB_MUTED;
            idrow.span = 6;
            pdf_table_row(&d->lay, &t, &idrow, 1);
        }
        free(ids);
        free(match);
        free(who);
        free(ev);
    }
    governance_warnings(d);
}

static void gaps_table(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    pdf_doc_h3(d, "Collection gaps");
    if (!r->ngaps) {
        pdf_doc_para(d, "No collection gap was recorded: every request of the collection succeeded, or the "
                        "inputs were not snapshots.");
        return;
    }
    static const double cols[5] = {0.22, 0.17, 0.26, 0.10, 0.25};
    struct pdf_cell hdr[5] = {pdf_doc_hcell("Scope"), pdf_doc_hcell("Collection"), pdf_doc_hcell("Request"),
                              pdf_doc_hcell("Status"), pdf_doc_hcell("Error")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 5, cols, hdr);
    for (size_t i = 0; i < r->ngaps; i++) {
        const struct sb_gap *g = &r->gaps[i];
        char *status = g->http_status ? sb_xasprintf("HTTP %d", g->http_status) : sb_xstrdup("no HTTP status");
        struct pdf_cell row[5] = {pdf_doc_cell(PDF_FONT_MONO, g->scope), pdf_doc_cell(PDF_FONT_SANS, g->collection),
                                  pdf_doc_cell(PDF_FONT_MONO, g->request), pdf_doc_cell(PDF_FONT_SANS, status),
                                  {.fill = PDF_NO_FILL}};
        /* Error codes are long single words: they go with the message, where there is room. */
        row[1].runs[0].size = PDF_SZ_SMALL; /* "diagnosticSettings" on one line */
        pdf_cell_add(&row[4], PDF_FONT_BOLD, PDF_SZ_TABLE, PDF_RGB_TEXT, g->error_code);
        pdf_cell_add(&row[4], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, g->message);
        pdf_table_row(&d->lay, &t, row, 5);
        free(status);
    }
}

/* Grouped PDF: the not-assessed results per feature; their resources are listed under the feature. */
static void not_assessed_counts(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    pdf_doc_para(d, "Per feature, the number of not-assessed results; the findings list each one by resource under "
                    "its feature, with what could not be checked and how to collect it.");
    static const double cols[2] = {0.80, 0.20};
    struct pdf_cell hdr[2] = {pdf_doc_hcell("Control \xc2\xb7 feature"), pdf_doc_hcell("Not assessed")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 2, cols, hdr);
    for (size_t i = 0; i < r->nresults;) {
        const struct sb_feature *f = r->results[i].feature;
        size_t n = 0, k = i;
        for (; k < r->nresults && r->results[k].feature == f; k++)
            n += r->results[k].status == SB_STATUS_NOT_ASSESSED;
        if (n) {
            char *cf = sb_xasprintf("%s \xc2\xb7 %s", r->results[i].control->id, f->name);
            char *cnt = sb_xasprintf("%zu", n);
            struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_SANS, cf), pdf_doc_cell(PDF_FONT_SANS, cnt)};
            pdf_table_row(&d->lay, &t, row, 2);
            free(cf);
            free(cnt);
        }
        i = k;
    }
}

static void not_assessed_table(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    pdf_doc_h3(d, "Not-assessed results");
    if (!r->counts[SB_STATUS_NOT_ASSESSED]) {
        pdf_doc_para(d, "Every result could be assessed.");
        return;
    }
    if (!d->detail_full) {
        not_assessed_counts(d);
        return;
    }
    static const double cols[3] = {0.24, 0.30, 0.46};
    struct pdf_cell hdr[3] = {pdf_doc_hcell("Control \xc2\xb7 feature"), pdf_doc_hcell("Resource"),
                              pdf_doc_hcell("What could not be checked, and why")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 3, cols, hdr);
    for (size_t i = 0; i < r->nresults; i++) {
        const struct sb_result *res = &r->results[i];
        if (res->status != SB_STATUS_NOT_ASSESSED)
            continue;
        char *cf = sb_xasprintf("%s \xc2\xb7 %s", res->control->id, res->feature->name);
        struct pdf_cell row[3] = {pdf_doc_cell(PDF_FONT_SANS, cf), pdf_doc_cell(PDF_FONT_MONO, res->resource_id),
                                  pdf_doc_cell(PDF_FONT_SANS, res->summary)};
        if (!res->resource_id)
            row[1] = pdf_doc_cell(PDF_FONT_SANS, "(no resource)");
        pdf_cell_add(&row[2], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, res->remediation);
        pdf_table_row(&d->lay, &t, row, 3);
        free(cf);
    }
}

void pdf_doc_gaps(struct pdf_doc *d)
{
    pdf_doc_section(d, "Collection gaps and not-assessed results");
    pdf_doc_para(d, "What the collection could not read, and the results that could therefore not be checked. "
                    "A not-assessed result is neither a pass nor a fail.");
    gaps_table(d);
    pdf_lay_space(&d->lay, 6);
    not_assessed_table(d);
}

void pdf_doc_changes(struct pdf_doc *d)
{
    const struct sb_changes *c = d->r->changes;
    if (!c)
        return;
    pdf_doc_section(d, "Changes since the previous assessment");
    char *intro = sb_xasprintf("Compared with %s (generated %s, SHA-256 %s): %zu change%s.",
                               c->previous_name ? c->previous_name : "the previous report",
                               c->previous_generated ? c->previous_generated : "at an unrecorded time",
                               c->previous_sha256 ? c->previous_sha256 : "not recorded", c->n, c->n == 1 ? "" : "s");
    pdf_doc_para(d, intro);
    free(intro);
    static const double cols[3] = {0.42, 0.28, 0.30};
    for (int k = 0; k < SB_CHANGE_KIND_COUNT; k++) {
        size_t n = 0;
        for (size_t i = 0; i < c->n; i++)
            n += c->items[i].kind == (enum sb_change_kind)k;
        if (!n)
            continue;
        char *h = sb_xasprintf("%s (%zu)", sb_change_kind_label((enum sb_change_kind)k), n);
        pdf_doc_h3(d, h);
        free(h);
        struct pdf_cell hdr[3] = {pdf_doc_hcell("Finding / resource"), pdf_doc_hcell("Control \xc2\xb7 feature / path"),
                                  pdf_doc_hcell("Old " ARROW " new")};
        struct pdf_table t = {.zebra = true};
        pdf_table_begin(&d->lay, &t, 3, cols, hdr);
        for (size_t i = 0; i < c->n; i++) {
            const struct sb_change *x = &c->items[i];
            if (x->kind != (enum sb_change_kind)k)
                continue;
            char *where = sb_xasprintf("%s%s%s", x->control ? x->control : "", x->control && x->feature ? " \xc2\xb7 " : "",
                                       x->feature ? x->feature : "");
            char *delta = !x->old_value && !x->new_value
                              ? sb_xstrdup(EM_DASH)
                              : sb_xasprintf("%s " ARROW " %s", x->old_value ? x->old_value : "(none)",
                                             x->new_value ? x->new_value : "(none)");
            struct pdf_cell row[3] = {pdf_doc_cell(PDF_FONT_MONO, x->finding_id), pdf_doc_cell(PDF_FONT_SANS, where),
                                      pdf_doc_cell(PDF_FONT_SANS, delta)};
            pdf_cell_add(&row[0], PDF_FONT_MONO, 6.0, PDF_RGB_MUTED, x->resource_id);
            pdf_cell_add(&row[1], PDF_FONT_MONO, 6.0, PDF_RGB_MUTED, x->path);
            pdf_cell_add(&row[2], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, x->reason);
            pdf_table_row(&d->lay, &t, row, 3);
            free(where);
            free(delta);
        }
    }
}

/* What each rule reads and when it passes: the evaluator's own description, so the appendix cannot drift. */
static void rules_table(struct pdf_doc *d)
{
    const struct sb_baseline *b = d->r->baseline;
    static const double cols[2] = {0.28, 0.72};
    struct pdf_cell hdr[2] = {pdf_doc_hcell("Control \xc2\xb7 feature (rule)"), pdf_doc_hcell("What it reads and when it passes")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 2, cols, hdr);
    for (size_t c = 0; c < b->ncontrols; c++)
        for (size_t i = 0; i < b->controls[c].nfeatures; i++) {
            const struct sb_feature *f = &b->controls[c].features[i];
            if (sb_empty(f->rule))
                continue;
            const char *method = eval_rule_method(f->rule);
            char *cf = sb_xasprintf("%s \xc2\xb7 %s", b->controls[c].id, f->name);
            struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_SANS, cf),
                                      pdf_doc_cell(PDF_FONT_SANS, method ? method : "See docs/rules.md.")};
            pdf_cell_add(&row[0], PDF_FONT_MONO, 6.5, PDF_RGB_MUTED, f->rule);
            pdf_table_row(&d->lay, &t, row, 2);
            free(cf);
        }
}

/* A shell word: left bare when it is plainly safe, else single-quoted ('\'' for a quote inside). */
static void shell_word(struct sb_buf *b, const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("_./:=@%+,-", *p) != NULL;
    if (plain) {
        sb_buf_puts(b, s);
        return;
    }
    sb_buf_putc(b, '\'');
    for (const char *p = s; *p; p++)
        sb_buf_puts(b, *p == '\'' ? "'\\''" : (char[]){*p, '\0'});
    sb_buf_putc(b, '\'');
}

static void shell_opt(struct sb_buf *b, const char *option, const char *value)
{
    sb_buf_printf(b, " %s ", option);
    shell_word(b, value);
}

/* Every option that shapes the PDF, so that running the command (from the same directory, with the
 * same files) gives this PDF byte for byte. */
static char *rerun_command(const struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    static const struct {
        const char *role, *option;
    } opts[] = {{"input", "--input"}, {"baseline", "--baseline"}, {"exceptions", "--exceptions"},
                {"previous", "--previous"}};
    struct sb_buf b = {0};
    sb_buf_printf(&b, "SOURCE_DATE_EPOCH=%lld mcsb-audit report", (long long)r->generated_at);
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
        for (size_t i = 0; i < r->ninputs; i++)
            /* the built-in baseline needs no option: it is what runs by default */
            if (r->inputs[i].role && strcmp(r->inputs[i].role, opts[k].role) == 0 && !strstr(r->inputs[i].name, "(built-in)"))
                shell_opt(&b, opts[k].option, r->inputs[i].name);
    if (r->nexceptions && r->max_exception_days && r->max_exception_days != SB_MAX_EXCEPTION_DAYS)
        sb_buf_printf(&b, " --max-exception-days %d", r->max_exception_days);
    if (r->period_from && r->period_to)
        sb_buf_printf(&b, " --period %s..%s", r->period_from, r->period_to);
    if (r->organisation)
        shell_opt(&b, "--organisation", r->organisation);
    if (r->classification)
        shell_opt(&b, "--classification", r->classification);
    if (d->lay.page_w > 600) /* US Letter is 612 pt wide, A4 595 */
        sb_buf_puts(&b, " --paper letter");
    if (d->detail_full)
        sb_buf_puts(&b, " --pdf-detail full");
    if (d->volume_pages)
        sb_buf_printf(&b, " --pdf-volume-pages %u", d->volume_pages);
    sb_buf_puts(&b, " --format pdf --out-dir DIR");
    return sb_buf_take(&b);
}

/*
 * How each rule rates severity, read from its code (src/eval_rule_*.c: the SB_SEV_* it passes with
 * each verdict). tests/cli/pdf_method.sh checks real reports never show a severity this table does
 * not name, so the table cannot drift from the rules silently.
 */
static const struct {
    const char *rule, *rating;
} severity_rules[] = {
    {"ns1_vnet_integration", "Medium: an ExpressRoute gateway outside a GatewaySubnet, or a Virtual WAN gateway "
                             "naming no hub (Fail); what the input cannot show (Not assessed)."},
    {"ns1_nsg_support", "High: an NSG or a 0.0.0.0/0 user-defined route on GatewaySubnet, which the baseline "
                        "says customers cannot configure and which breaks the gateway. Medium: a workload subnet "
                        "without an NSG (Fail), or what the input cannot show (Not assessed)."},
    {"im8_key_vault", "High: MACsec CKN/CAK not held as Key Vault secrets, or the port without an identity to read "
                      "them (Fail), and the same questions left open by the input (Not assessed): the keys protect "
                      "every frame on the link."},
    {"dp3_transit_encryption", "None: the verdict records the encryption evidence; no failing verdict."},
    {"lt4_resource_logs", "Medium: no diagnostic setting sending the resource logs to a destination (Fail), or "
                          "settings that could not be read (Not assessed)."},
    {"br1_native_backup", "None: Pass, or Manual for a person to attest the backup path."},
};

static void severity_table(struct pdf_doc *d)
{
    pdf_doc_para(d, "Severity is given to Fail and Not-assessed results only (Pass, Manual and N/A carry none) and "
                    "orders the findings; it never changes a verdict. A result that could not be assessed because "
                    "part of the estate was not collected is Medium. Per rule:");
    static const double cols[2] = {0.28, 0.72};
    struct pdf_cell hdr[2] = {pdf_doc_hcell("Rule"), pdf_doc_hcell("How severity is rated")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 2, cols, hdr);
    const struct sb_baseline *b = d->r->baseline;
    for (size_t k = 0; k < sizeof severity_rules / sizeof *severity_rules; k++) {
        /* Only rules this baseline uses, named by their features. */
        struct sb_buf who = {0};
        for (size_t c = 0; c < b->ncontrols; c++)
            for (size_t i = 0; i < b->controls[c].nfeatures; i++)
                if (b->controls[c].features[i].rule && strcmp(b->controls[c].features[i].rule, severity_rules[k].rule) == 0)
                    sb_buf_printf(&who, "%s%s \xc2\xb7 %s", who.len ? "\n" : "", b->controls[c].id,
                                  b->controls[c].features[i].name);
        if (who.len) {
            struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_SANS, who.data),
                                      pdf_doc_cell(PDF_FONT_SANS, severity_rules[k].rating)};
            pdf_cell_add(&row[0], PDF_FONT_MONO, 6.5, PDF_RGB_MUTED, severity_rules[k].rule);
            pdf_table_row(&d->lay, &t, row, 2);
        }
        sb_buf_free(&who);
    }
}

void pdf_doc_method(struct pdf_doc *d)
{
    pdf_doc_section(d, "Method");
    pdf_doc_para(d, "Each feature of the baseline is evaluated against the collected resource state. Features "
                    "with an evaluation rule are checked per resource as below; a supported feature without a rule "
                    "is reported Manual (a person must attest it) and an unsupported one N/A. Evidence is what was "
                    "read: the resource, the property path, the observed value and the expected value. Secret values "
                    "are never read or shown.");
    const struct sb_baseline *b = d->r->baseline;
    pdf_doc_h3(d, "Baseline");
    char *head = sb_xasprintf("The features, their texts and links are those of the %s (Microsoft cloud security "
                              "benchmark version %s), as published at ",
                              b->title, b->mcsb_version);
    const char *source = b->source ? b->source : "(source not recorded)";
    char *src = sb_xasprintf("%s%s. The SHA-256 of the baseline file read is on the cover.", head, source);
    bool web = b->source && !baseline_url_problem(b->source);
    pdf_doc_para_link(d, src, strlen(head), strlen(head) + strlen(source), web ? b->source : NULL);
    free(src);
    free(head);
    pdf_doc_h3(d, "How completeness is established");
    pdf_doc_para(d, "A snapshot made by \xe2\x80\x9cmcsb-audit collect\xe2\x80\x9d lists the subscriptions visible "
                    "to the collecting identity (all of them, or those under the requested management groups, or the "
                    "requested subscriptions), reads the resources of the baseline's types with Azure Resource Graph, "
                    "sending the same query again with each $skipToken until the answer has none, and reads each "
                    "ExpressRoute port and each resource's diagnostic settings with a Resource Manager GET, following "
                    "every nextLink to the end. A request that fails (for example HTTP 403 on a subscription), a "
                    "truncated answer and a paging loop are recorded as gaps.");
    pdf_doc_para(d, "Input files exported by other means are checked to be whole listings: an ARM list that still has "
                    "a nextLink, a Resource Graph answer with a $skipToken (or skip_token, as \xe2\x80\x9c" "az graph "
                    "query\xe2\x80\x9d prints it), and one marked resultTruncated are gaps that name the file and "
                    "the command that fetches the rest. The population is reported complete only when no gap exists; "
                    "otherwise every page carries \xe2\x80\x9cPopulation incomplete\xe2\x80\x9d and the cover "
                    "lists the reasons. Results that depend on what is missing are Not assessed, never Pass.");
    pdf_doc_para(d, "What the tool cannot see: subscriptions the identity has no access to at all do not appear in "
                    "any listing, so they cannot be reported as missing \xe2\x80\x94 compare the subscriptions on "
                    "the cover with your own inventory. Files exported by other means record neither what was asked "
                    "for nor when they were read (shown as \xe2\x80\x9cnot recorded\xe2\x80\x9d). Resource "
                    "Graph rows can omit properties: a property missing from a row is unknown, not absent. Settings "
                    "outside Azure Resource Manager (the connectivity provider's side, on-premises routers) are not "
                    "read. Against a previous assessment, a failing finding whose resource is absent now is "
                    "\xe2\x80\x9cno longer assessed\xe2\x80\x9d, never resolved: it is called deleted only when "
                    "this run collected its subscription completely.");
    pdf_doc_h3(d, "Evaluation rules");
    rules_table(d);
    pdf_lay_space(&d->lay, 6);
    pdf_doc_h3(d, "How severity is rated");
    severity_table(d);
    pdf_lay_space(&d->lay, 6);
    pdf_doc_h3(d, "Input files");
    pdf_doc_inputs_table(d);
    pdf_lay_space(&d->lay, 6);
    char *cmd = rerun_command(d);
    const char *how = "The same inputs, baseline and options give the same report, byte for byte, when the "
                      "generation time is fixed (SOURCE_DATE_EPOCH). To re-run the assessment, from the directory "
                      "it was run in:";
    /* The explanation and the command read as one block: keep them on one page. */
    pdf_lay_space(&d->lay, 4);
    pdf_lay_need(&d->lay, pdf_line_height(PDF_SZ_H3) + 14 + pdf_lay_para_height(&d->lay, PDF_FONT_SANS, PDF_SZ_BODY, 0, how) +
                              pdf_lay_para_height(&d->lay, PDF_FONT_MONO, PDF_SZ_SMALL + 0.5, 0, cmd));
    pdf_doc_h3(d, "Reproducing this report");
    pdf_doc_para(d, how);
    pdf_doc_text(d, PDF_FONT_MONO, PDF_SZ_SMALL + 0.5, PDF_RGB_TEXT, cmd);
    free(cmd);
    pdf_lay_space(&d->lay, 4);
    char *gen = sb_xasprintf("This report was generated at %s (SOURCE_DATE_EPOCH=%lld).", d->r->generated,
                             (long long)d->r->generated_at);
    pdf_doc_para(d, gen);
    free(gen);
}
