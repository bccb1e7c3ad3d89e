/*
 * Report inputs: every shape state_load_buffer accepts (ARM list/array/resource, Resource Graph,
 * snapshot), then finalize (children folded into parents) and every rule of the built-in baseline.
 */
#include "fuzz_util.h"

#include "baseline.h"
#include "err.h"
#include "eval.h"
#include "report.h"
#include "state.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

static const struct sb_baseline *builtin(void)
{
    static struct sb_baseline *b;
    if (!b) {
        struct sb_err e = {0};
        if (baseline_load(&b, SB_DEFAULT_DATA_DIR "/templates/baselines/expressroute.json", &e) != 0) {
            fprintf(stderr, "fuzz_state: %s\n", e.msg);
            abort();
        }
    }
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct sb_baseline *b = builtin();
    char *text = fuzz_text(data, size);
    struct sb_state *st = state_new();
    struct sb_err e = {0};
    /* Twice: the second copy exercises merging by id (duplicates, case-insensitive ids). */
    if (state_load_buffer(st, "input.json", text, size, &e) == 0 && state_load_buffer(st, "again.json", text, size, &e) == 0
        && state_finalize(st, &e) == 0) {
        struct sb_results res = {0};
        eval_baseline(&res, b, st, &e);
        /* report_free knows how to free results. */
        struct sb_report *r = sb_xcalloc(1, sizeof *r);
        r->results = res.items;
        r->nresults = res.n;
        r->strings = res.strings;
        report_free(r);
    }
    state_free(st);
    free(text);
    return 0;
}
