/* Report inputs: every shape state_load_buffer accepts (ARM list/array/resource, Resource Graph, snapshot). */
#include "fuzz_util.h"

#include "err.h"
#include "state.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    struct sb_state *st = state_new();
    struct sb_err e = {0};
    /* Twice: the second copy exercises merging by id (duplicates, case-insensitive ids). */
    if (state_load_buffer(st, "input.json", text, size, &e) == 0 && state_load_buffer(st, "again.json", text, size, &e) == 0)
        state_finalize(st, &e);
    state_free(st);
    free(text);
    return 0;
}
