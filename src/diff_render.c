/* diff.md / diff.json / diff.csv, and the Markdown section report.md embeds. */
#include "diff.h"

#include "csv_cell.h"
#include "err.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#ifndef SB_VERSION
#define SB_VERSION "unknown"
#endif

#define EM_DASH "\xe2\x80\x94"

/* Control characters (line breaks, ESC sequences) never reach the Markdown: a cell stays one line. */
static bool is_control(char c)
{
    return (unsigned char)c < 0x20 || c == 0x7f;
}

/* Inline code in a table cell: a fence longer than any backtick run inside, '|' escaped, one line. */
static void md_code(struct sb_buf *out, const char *s)
{
    if (sb_empty(s)) {
        sb_buf_puts(out, EM_DASH);
        return;
    }
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest + 1;
    bool pad = s[0] == '`' || s[strlen(s) - 1] == '`';
    for (size_t i = 0; i < fence; i++)
        sb_buf_putc(out, '`');
    if (pad)
        sb_buf_putc(out, ' ');
    for (const char *p = s; *p; p++) {
        if (*p == '|')
            sb_buf_puts(out, "\\|");
        else if (is_control(*p))
            sb_buf_putc(out, ' ');
        else
            sb_buf_putc(out, *p);
    }
    if (pad)
        sb_buf_putc(out, ' ');
    for (size_t i = 0; i < fence; i++)
        sb_buf_putc(out, '`');
}

/*
 * Plain text in a table cell: Markdown punctuation that could change the table, start a link or
 * an image, emphasis, raw HTML or an entity is backslash-escaped (resource names, controls and
 * features come from inputs).
 */
static void md_text(struct sb_buf *out, const char *s)
{
    if (sb_empty(s)) {
        sb_buf_puts(out, EM_DASH);
        return;
    }
    for (const char *p = s; *p; p++) {
        if (is_control(*p)) {
            sb_buf_putc(out, ' ');
            continue;
        }
        if (strchr("\\|*_`[]<>#!&~", *p))
            sb_buf_putc(out, '\\');
        sb_buf_putc(out, *p);
    }
}

static void md_counts(const struct sb_changes *c, struct sb_buf *out)
{
    sb_buf_printf(out, "**%zu change%s**:", c->n, c->n == 1 ? "" : "s");
    const char *sep = " ";
    for (int k = 0; k < SB_CHANGE_KIND_COUNT; k++) {
        size_t n = diff_count(c, (enum sb_change_kind)k);
        if (!n)
            continue;
        sb_buf_printf(out, "%s%s %zu", sep, sb_change_kind_label((enum sb_change_kind)k), n);
        sep = " \xc2\xb7 ";
    }
    sb_buf_puts(out, "\n\n");
}

void diff_render_md_section(const struct sb_changes *c, struct sb_buf *out)
{
    sb_buf_puts(out, "## Changes since the previous assessment\n\n");
    if (!c) {
        sb_buf_puts(out, "No previous assessment was given.\n");
        return;
    }
    sb_buf_puts(out, "Previous assessment: ");
    md_code(out, c->previous_name);
    sb_buf_puts(out, ", generated ");
    md_text(out, c->previous_generated);
    if (c->previous_sha256) {
        sb_buf_puts(out, ", SHA-256 ");
        md_code(out, c->previous_sha256);
    }
    sb_buf_puts(out, ".\n\n");
    if (c->n == 0) {
        sb_buf_puts(out, "No changes.\n");
        return;
    }
    md_counts(c, out);
    size_t gone = diff_count(c, SB_CHANGE_NO_LONGER_ASSESSED);
    if (gone < c->n)
        sb_buf_puts(out, "| Change | Finding | Control | Feature | Resource | Evidence path | Before | After |\n"
                         "|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < c->n; i++) {
        const struct sb_change *x = &c->items[i];
        if (x->kind == SB_CHANGE_NO_LONGER_ASSESSED)
            continue;
        /* Ids, paths and observed values are shown verbatim (code); names as text. */
        const struct {
            const char *value;
            bool code;
        } cells[] = {{sb_change_kind_label(x->kind), false}, {x->finding_id, true}, {x->control, false},
                     {x->feature, false}, {x->resource_id, true}, {x->path, true},
                     {x->old_value, true}, {x->new_value, true}};
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
            sb_buf_puts(out, "| ");
            (cells[k].code ? md_code : md_text)(out, cells[k].value);
            if (k + 1 == sizeof cells / sizeof cells[0] && x->reason) {
                sb_buf_puts(out, " " EM_DASH " ");
                md_text(out, x->reason);
            }
            sb_buf_putc(out, ' ');
        }
        sb_buf_puts(out, "|\n");
    }
    if (!gone)
        return;
    /* Not "resolved": nothing says these passed. Listed apart, each with what is known about why. */
    sb_buf_puts(out, "\n### No longer assessed\n\nFailing in the previous assessment and absent from this one. A "
                     "finding counts as resolved only when its resource is assessed now and passes.\n\n"
                     "| Finding | Control | Feature | Resource | Before | Reason |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < c->n; i++) {
        const struct sb_change *x = &c->items[i];
        if (x->kind != SB_CHANGE_NO_LONGER_ASSESSED)
            continue;
        sb_buf_puts(out, "| ");
        md_code(out, x->finding_id);
        sb_buf_puts(out, " | ");
        md_text(out, x->control);
        sb_buf_puts(out, " | ");
        md_text(out, x->feature);
        sb_buf_puts(out, " | ");
        md_code(out, x->resource_id);
        sb_buf_puts(out, " | ");
        md_code(out, x->old_value);
        sb_buf_puts(out, " | ");
        md_text(out, x->reason);
        sb_buf_puts(out, " |\n");
    }
}

void diff_render_md(const struct sb_changes *c, const struct sb_diff_current *cur, struct sb_buf *out)
{
    sb_buf_puts(out, "# Assessment changes\n\nCurrent assessment: ");
    md_code(out, cur ? cur->name : NULL);
    sb_buf_puts(out, ", generated ");
    md_text(out, cur ? cur->generated : NULL);
    if (cur && cur->sha256) {
        sb_buf_puts(out, ", SHA-256 ");
        md_code(out, cur->sha256);
    }
    sb_buf_puts(out, ".\n\n");
    diff_render_md_section(c, out);
}

static void add_str(cJSON *o, const char *key, const char *v)
{
    cJSON_AddItemToObject(o, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static void add_count(cJSON *o, const char *key, size_t n)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", n);
    cJSON_AddItemToObject(o, key, cJSON_CreateRaw(num));
}

cJSON *diff_changes_json(const struct sb_changes *c)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; c && i < c->n; i++) {
        const struct sb_change *x = &c->items[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "kind", sb_change_kind_id(x->kind));
        add_str(o, "finding_id", x->finding_id);
        add_str(o, "control", x->control);
        add_str(o, "feature", x->feature);
        add_str(o, "resource_id", x->resource_id);
        add_str(o, "path", x->path);
        add_str(o, "old_value", x->old_value);
        add_str(o, "new_value", x->new_value);
        add_str(o, "reason", x->reason);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

void diff_render_json(const struct sb_changes *c, const struct sb_diff_current *cur, struct sb_buf *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    add_str(tool, "name", "mcsb-audit");
    add_str(tool, "version", SB_VERSION);
    cJSON *prev = cJSON_AddObjectToObject(root, "previous");
    add_str(prev, "name", c ? c->previous_name : NULL);
    add_str(prev, "sha256", c ? c->previous_sha256 : NULL);
    add_str(prev, "generated", c ? c->previous_generated : NULL);
    cJSON *now = cJSON_AddObjectToObject(root, "current");
    add_str(now, "name", cur ? cur->name : NULL);
    add_str(now, "sha256", cur ? cur->sha256 : NULL);
    add_str(now, "generated", cur ? cur->generated : NULL);
    cJSON *counts = cJSON_AddObjectToObject(root, "counts");
    for (int k = 0; k < SB_CHANGE_KIND_COUNT; k++)
        add_count(counts, sb_change_kind_id((enum sb_change_kind)k), diff_count(c, (enum sb_change_kind)k));
    cJSON_AddItemToObject(root, "changes", diff_changes_json(c));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        fputs("mcsb-audit: out of memory\n", stderr);
        exit(SB_EXIT_OUTPUT);
    }
    sb_buf_puts(out, text);
    sb_buf_putc(out, '\n');
    cJSON_free(text);
}

void diff_render_csv(const struct sb_changes *c, struct sb_buf *out)
{
    sb_buf_puts(out, "kind,finding_id,control,feature,resource_id,path,old_value,new_value,reason\r\n");
    for (size_t i = 0; c && i < c->n; i++) {
        const struct sb_change *x = &c->items[i];
        const char *fields[] = {sb_change_kind_id(x->kind), x->finding_id, x->control, x->feature,
                                x->resource_id, x->path, x->old_value, x->new_value, x->reason};
        size_t nf = sizeof fields / sizeof fields[0];
        for (size_t k = 0; k < nf; k++)
            sb_csv_cell(out, fields[k], k + 1 == nf);
    }
}
