/**
 * @file pdf_doc.h
 * @brief The PDF report's sections, written on top of the layout layer (pdf_layout.h).
 *
 * render_pdf() lays the document out several times: dry passes learn on which page each
 * heading lands and how many pages there are, and the last pass draws with that knowledge
 * (table of contents, "Page N of M"). Every section writer is therefore a pure function of
 * the report and the previous pass's table of contents.
 *
 * Ownership: a pdf_doc borrows the report and the previous toc; the toc it records is the
 * caller's to free with pdf_doc_free_toc().
 */
#ifndef SB_PDF_DOC_H
#define SB_PDF_DOC_H

#include "pdf_layout.h"
#include "report.h"

/* Type sizes (REPORT-DESIGN.md: body 9-10, tables 8, headings 16/13/11). */
#define PDF_SZ_BODY 9.5
#define PDF_SZ_TABLE 8.0
#define PDF_SZ_SMALL 7.0
#define PDF_SZ_H1 16.0
#define PDF_SZ_H2 13.0
#define PDF_SZ_H3 11.0

#define PDF_RGB_TEXT 0x1A1A1Au
#define PDF_RGB_MUTED 0x5A6270u
#define PDF_RGB_ACCENT 0x1F4E79u
#define PDF_RGB_GROUP 0xE8EEF6u

struct pdf_toc_entry {
    int level;    /**< 0 = section, 1 = control */
    char *title;
    int page;
    double y;     /**< height of the heading on its page (link target) */
};

/** A result printed in the findings, and the page its row (or its group's rows) landed on. */
struct pdf_index_entry {
    const struct sb_result *res;
    int page;
};

struct pdf_doc {
    struct pdf_lay lay;
    const struct sb_report *r;
    char *title;                          /**< "ExpressRoute security baseline assessment" */
    struct pdf_toc_entry *toc;            /**< headings met in this pass */
    size_t ntoc, captoc;
    const struct pdf_toc_entry *prev_toc; /**< from the previous pass (page numbers to print) */
    size_t nprev;
    int total_pages;                      /**< from the previous pass; 0 = not known yet */
    bool detail_full;                     /**< --pdf-detail full: every result with its evidence */
    bool defer_contents;                  /**< layout pass: the contents takes no page yet (see render_pdf.c) */
    int contents_after;                   /**< the page the contents follows (set when deferred) */
    size_t contents_entry;                /**< its own toc entry (set when deferred) */
    struct pdf_index_entry *index;        /**< rows printed by the findings, for the resource index */
    size_t nindex, capindex;
    unsigned volume_pages;                /**< --pdf-volume-pages when given (for the re-run command), else 0 */
    int volume, nvolumes;                 /**< this file's volume of a report split in several (footer) */
    const char *volume_name;              /**< its file name, e.g. "report-2.pdf" */
};

/**
 * Keep a block together: lay `block` out on a dry copy of the document from the cursor, and
 * start a new page first when it would cross a page boundary (unless the cursor is already at
 * the top of a page). The block is not drawn; the caller draws it after.
 */
void pdf_doc_keep(struct pdf_doc *d, void (*block)(struct pdf_doc *d, const void *arg), const void *arg);

/** A section: new page, 16 pt heading, outline level 0, toc entry. */
void pdf_doc_section(struct pdf_doc *d, const char *title);
/** A control heading: 13 pt, outline level 1, toc entry. */
void pdf_doc_h2(struct pdf_doc *d, const char *title);
/** An 11 pt heading kept with the next few lines (no outline entry). */
void pdf_doc_h3(struct pdf_doc *d, const char *title);
/** The same with an outline entry at level 2 (a feature under its control). */
void pdf_doc_h3_bookmarked(struct pdf_doc *d, const char *title);
/** Body paragraph followed by a small gap. */
void pdf_doc_para(struct pdf_doc *d, const char *text);
/** A body paragraph whose bytes [from, to) link to `url` (see pdf_lay_para_link), and the gap. */
void pdf_doc_para_link(struct pdf_doc *d, const char *text, size_t from, size_t to, const char *url);
/**
 * A web address printed in small muted type under the text that links to it, itself a link:
 * "label url", or the bare url when label is NULL. Nothing when url is NULL. A printed report
 * keeps its references this way.
 */
void pdf_doc_url_line(struct pdf_doc *d, const char *label, const char *url);
/** A paragraph in a given face and size, muted or not. */
void pdf_doc_text(struct pdf_doc *d, enum pdf_font f, double size, uint32_t rgb, const char *text);
/** A header cell (bold, table size). */
struct pdf_cell pdf_doc_hcell(const char *text);
/** A body cell with one run. */
struct pdf_cell pdf_doc_cell(enum pdf_font f, const char *text);
/** "Label: value" two-column row in a key/value table. */
void pdf_doc_kv(struct pdf_doc *d, struct pdf_table *t, const char *key, const char *value, enum pdf_font vf);

/** The first line of `text` wrapped to `width`, with "…" when more was cut. Caller frees. */
char *pdf_doc_fit_line(const struct pdf_lay *l, enum pdf_font f, double size, const char *text, double width);

/** Running header and footer (pdf_decorate_fn; the cover gets the footer only). */
void pdf_doc_decorate(struct pdf_lay *l, void *arg);

/* The sections, in document order. */
void pdf_doc_cover(struct pdf_doc *d);
void pdf_doc_contents(struct pdf_doc *d);
void pdf_doc_summary(struct pdf_doc *d);
void pdf_doc_profile(struct pdf_doc *d);
void pdf_doc_matrix(struct pdf_doc *d);
void pdf_doc_findings(struct pdf_doc *d);
void pdf_doc_exceptions(struct pdf_doc *d);
void pdf_doc_gaps(struct pdf_doc *d);
void pdf_doc_changes(struct pdf_doc *d);
void pdf_doc_method(struct pdf_doc *d);
/** Appendix: every resource printed in the findings, its finding ids and their pages. */
void pdf_doc_resource_index(struct pdf_doc *d);
/** The scope and completeness statement (report_statement) as a key/value table: cover and executive summary. */
void pdf_doc_statement(struct pdf_doc *d);
/** The input files table (cover and method appendix). */
void pdf_doc_inputs_table(struct pdf_doc *d);

/** Free the toc entries of this pass (keeps nothing else). */
void pdf_doc_free_toc(struct pdf_toc_entry *toc, size_t n);

#endif
