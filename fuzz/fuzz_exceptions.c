/* The --exceptions file. */
#include "fuzz_util.h"

#include "err.h"
#include "exceptions.h"
#include "baseline.h"
#include "report.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    struct sb_exception *ex = NULL;
    size_t n = 0;
    struct sb_err e = {0};
    /* A fixed "now" (2026-09-30) so expiry decisions are reproducible. */
    if (exceptions_load(&ex, &n, "exceptions.json", text, size, (time_t)1790726400, &e) == 0) {
        /* Two results for matching and globbing against: a failing one and a manual one. */
        struct sb_control ns1 = {.id = "NS-1"}, lt4 = {.id = "LT-4"};
        struct sb_feature f1 = {.name = "Network Security Group Support"}, f2 = {.name = "Azure Resource Logs"};
        struct sb_result res[2] = {{0}};
        res[0].id = "expressroute-NS-1-0123456789abcdef";
        res[0].control = &ns1;
        res[0].feature = &f1;
        res[0].resource_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c";
        res[0].status = SB_STATUS_FAIL;
        res[1] = res[0];
        res[1].id = "expressroute-LT-4-0123456789abcdef";
        res[1].control = &lt4;
        res[1].feature = &f2;
        res[1].status = SB_STATUS_MANUAL;
        exceptions_apply(ex, n, res, 2);
    }
    for (size_t i = 0; i < n; i++)
        sb_exception_clear(&ex[i]);
    free(ex);
    free(text);
    return 0;
}
