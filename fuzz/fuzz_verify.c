/*
 * verify: input = manifest.json, then FUZZ_SEP_SUMS, then manifest.sha256 (without the separator:
 * no manifest.sha256). The directory also holds a regular file, a symlink to outside, a FIFO and
 * a sub-directory, so names the fuzzer finds reach every refusal path.
 */
#include "fuzz_util.h"

#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    /* The verdicts are not what is fuzzed; keep them off the terminal. */
    if (!freopen("/dev/null", "w", stdout))
        abort();
    fuzz_write("report.md", "# Report\n", 9);
    fuzz_write("report.json", "{}\n", 3);
    char p[4096];
    snprintf(p, sizeof p, "%s/link.md", fuzz_dir());
    unlink(p);
    if (symlink("/etc/hostname", p) != 0)
        abort();
    snprintf(p, sizeof p, "%s/fifo.md", fuzz_dir());
    unlink(p);
    if (mkfifo(p, 0600) != 0)
        abort();
    snprintf(p, sizeof p, "%s/sub", fuzz_dir());
    mkdir(p, 0700);
    fuzz_write("sub/r.md", "r\n", 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *json, *sums;
    size_t jlen, slen;
    fuzz_split(data, size, FUZZ_SEP_SUMS, &json, &jlen, &sums, &slen);
    fuzz_write(SB_MANIFEST_JSON, json, jlen);
    if (sums) {
        fuzz_write(SB_MANIFEST_SHA256, sums, slen);
    } else {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", fuzz_dir(), SB_MANIFEST_SHA256);
        unlink(p);
    }
    char *argv[] = {"verify", (char *)fuzz_dir(), NULL};
    verify_command(2, argv);
    clearerr(stdout);
    free(json);
    free(sums);
    return 0;
}
