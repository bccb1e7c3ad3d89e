/* The --baseline file (baseline_load reads a path, so the input goes through a file). */
#include "fuzz_util.h"

#include "baseline.h"
#include "err.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("baseline.json", data, size);
    struct sb_baseline *b = NULL;
    struct sb_err e = {0};
    if (baseline_load(&b, path, &e) == 0) {
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            baseline_print_matrix(b, devnull);
            fclose(devnull);
        }
    }
    baseline_free(b);
    return 0;
}
