/* Tests for the evidence manifest (src/manifest.c), signatures (src/sign.c) and `verify` (src/verify.c). */
#include "err.h"
#include "manifest.h"
#include "report.h"
#include "sign.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

/* ---- a small report model, built by hand ---- */

struct fixture {
    struct sb_baseline baseline;
    struct sb_report report;
    struct sb_report_input inputs[2];
    char *dir;
};

static void fixture_init(struct fixture *fx, const char *name)
{
    memset(fx, 0, sizeof *fx);
    fx->baseline.id = "expressroute";
    fx->baseline.mcsb_version = "1.0";
    fx->baseline.sha256 = "1111111111111111111111111111111111111111111111111111111111111111";
    fx->report.baseline = &fx->baseline;
    fx->report.tool_name = "mcsb-audit";
    fx->report.tool_version = "0.1.0";
    snprintf(fx->report.generated, sizeof fx->report.generated, "2026-09-30T12:00:00Z");
    fx->inputs[0] = (struct sb_report_input){"input", "state/circuits.json", "arm-list", 1234,
                                             "2222222222222222222222222222222222222222222222222222222222222222"};
    fx->inputs[1] = (struct sb_report_input){"baseline", "templates/baselines/expressroute.json", NULL, 99,
                                             "1111111111111111111111111111111111111111111111111111111111111111"};
    fx->report.inputs = fx->inputs;
    fx->report.ninputs = 2;
    fx->dir = tu_tmpdir(name);
    char *p = sb_path_join(fx->dir, "report.json");
    tu_write(p, "{\"results\": []}\n");
    free(p);
    p = sb_path_join(fx->dir, "report.md");
    tu_write(p, "# Report\n\nAll good.\n");
    free(p);
    p = sb_path_join(fx->dir, "report.csv");
    tu_write(p, "id,status\r\n");
    free(p);
}

static void fixture_done(struct fixture *fx)
{
    free(fx->dir);
}

static const char *const outputs3[] = {"report.md", "report.json", "report.csv"};

static void write_ok(struct fixture *fx, const char *key)
{
    struct sb_err e = {0};
    int rc = manifest_write(fx->dir, &fx->report, outputs3, 3, key, &e);
    ck_assert_msg(rc == 0, "manifest_write: %s", e.msg);
}

static char *in_dir(const struct fixture *fx, const char *name)
{
    return sb_path_join(fx->dir, name);
}

static char *slurp_in(const struct fixture *fx, const char *name)
{
    char *p = in_dir(fx, name);
    char *s = tu_slurp(p, NULL);
    free(p);
    ck_assert_msg(s != NULL, "%s missing", name);
    return s;
}

/* Run a shell command in the fixture directory; returns its exit status. */
static int sh_in(const struct fixture *fx, const char *cmd)
{
    char *full = sb_xasprintf("cd '%s' && %s", fx->dir, cmd);
    int st = system(full);
    free(full);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* verify_command with stdout captured into *out (caller frees). */
static int run_verify(char **out, const char *dir, const char *pubkey)
{
    char *cap = sb_path_join(dir, "..");
    char *cap_file = sb_xasprintf("%s/verify-out.%ld.txt", cap, (long)getpid());
    free(cap);
    char *argv[5] = {"verify", (char *)dir, NULL, NULL, NULL};
    int argc = 2;
    if (pubkey) {
        argv[2] = "--pubkey";
        argv[3] = (char *)pubkey;
        argc = 4;
    }
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(cap_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    int rc = verify_command(argc, argv);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    *out = tu_slurp(cap_file, NULL);
    unlink(cap_file);
    free(cap_file);
    return rc;
}

static void expect_verify(const struct fixture *fx, const char *pubkey, int want_rc, const char *want_line)
{
    char *out = NULL;
    int rc = run_verify(&out, fx->dir, pubkey);
    ck_assert_msg(rc == want_rc, "verify returned %d, want %d; stdout:\n%s", rc, want_rc, out);
    if (want_line)
        ck_assert_msg(strstr(out, want_line) != NULL, "missing line \"%s\" in:\n%s", want_line, out);
    free(out);
}

/* ---- manifest contents ---- */

START_TEST(test_manifest_json_contents)
{
    struct fixture fx;
    fixture_init(&fx, "manifest_json");
    write_ok(&fx, NULL);
    char *text = slurp_in(&fx, SB_MANIFEST_JSON);
    cJSON *root = cJSON_Parse(text);
    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(root, "manifest_version")->valueint, 1);
    cJSON *tool = cJSON_GetObjectItemCaseSensitive(root, "tool");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(tool, "name")->valuestring, "mcsb-audit");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(tool, "version")->valuestring, "0.1.0");
    cJSON *bl = cJSON_GetObjectItemCaseSensitive(root, "baseline");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(bl, "id")->valuestring, "expressroute");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(bl, "mcsb_version")->valuestring, "1.0");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(bl, "sha256")->valuestring, fx.baseline.sha256);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "generated")->valuestring, "2026-09-30T12:00:00Z");

    cJSON *ins = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    ck_assert_int_eq(cJSON_GetArraySize(ins), 2);
    cJSON *in0 = cJSON_GetArrayItem(ins, 0);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(in0, "role")->valuestring, "input");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(in0, "name")->valuestring, "state/circuits.json");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(in0, "size")->valueint, 1234);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(in0, "sha256")->valuestring, fx.inputs[0].sha256);

    /* Outputs sorted by name, with their real size and hash. */
    cJSON *outs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
    ck_assert_int_eq(cJSON_GetArraySize(outs), 3);
    const char *want[] = {"report.csv", "report.json", "report.md"};
    for (int i = 0; i < 3; i++) {
        cJSON *o = cJSON_GetArrayItem(outs, i);
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "name")->valuestring, want[i]);
        size_t len;
        char *p = in_dir(&fx, want[i]);
        char *data = tu_slurp(p, &len);
        char hex[65];
        sb_sha256_hex(data, len, hex);
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "sha256")->valuestring, hex);
        ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(o, "size")->valueint, (int)len);
        free(data);
        free(p);
    }
    cJSON_Delete(root);
    free(text);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_manifest_sha256_format)
{
    struct fixture fx;
    fixture_init(&fx, "manifest_sums");
    write_ok(&fx, NULL);
    char *sums = slurp_in(&fx, SB_MANIFEST_SHA256);
    size_t jlen;
    char *jp = in_dir(&fx, SB_MANIFEST_JSON);
    char *json = tu_slurp(jp, &jlen);
    char jhex[65];
    sb_sha256_hex(json, jlen, jhex);
    /* Exactly four lines "<hex>  <name>", sorted, manifest.json included. */
    char *want = sb_xasprintf("%s  manifest.json\n", jhex);
    ck_assert_msg(strstr(sums, want) == sums, "manifest.json should sort first:\n%s", sums);
    const char *names[] = {"  manifest.json\n", "  report.csv\n", "  report.json\n", "  report.md\n"};
    const char *prev = sums;
    for (size_t i = 0; i < 4; i++) {
        const char *at = strstr(sums, names[i]);
        ck_assert_msg(at && at >= prev, "%s out of order in:\n%s", names[i], sums);
        ck_assert(at - sums >= 64);
        prev = at;
    }
    size_t lines = 0;
    for (const char *p = sums; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 4);
    /* The standard tool agrees. */
    ck_assert_int_eq(sh_in(&fx, "sha256sum --quiet -c manifest.sha256"), 0);
    /* ... and notices a change. */
    ck_assert_int_eq(sh_in(&fx, "echo tampered >> report.md && sha256sum --quiet -c manifest.sha256 2>/dev/null"), 1);
    free(want);
    free(json);
    free(jp);
    free(sums);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_manifest_deterministic)
{
    struct fixture fx;
    fixture_init(&fx, "manifest_det");
    write_ok(&fx, NULL);
    char *j1 = slurp_in(&fx, SB_MANIFEST_JSON);
    char *s1 = slurp_in(&fx, SB_MANIFEST_SHA256);
    /* Other order, duplicates, "./" and "DIR/" spellings, and the manifest itself: same bytes. */
    char *full = sb_path_join(fx.dir, "report.json");
    const char *outs[] = {"./report.csv", full, "report.md", "report.json", SB_MANIFEST_JSON, SB_MANIFEST_SHA256};
    struct sb_err e = {0};
    ck_assert_int_eq(manifest_write(fx.dir, &fx.report, outs, 6, NULL, &e), 0);
    char *j2 = slurp_in(&fx, SB_MANIFEST_JSON);
    char *s2 = slurp_in(&fx, SB_MANIFEST_SHA256);
    tu_assert_text_eq(j1, j2);
    tu_assert_text_eq(s1, s2);
    /* The generation time is the only clock: changing it changes the manifest. */
    snprintf(fx.report.generated, sizeof fx.report.generated, "2026-10-01T00:00:00Z");
    write_ok(&fx, NULL);
    char *j3 = slurp_in(&fx, SB_MANIFEST_JSON);
    ck_assert_str_ne(j1, j3);
    /* No temporary files are left behind. */
    ck_assert_int_eq(sh_in(&fx, "test -z \"$(ls -A | grep -v -e '^report\\.' -e '^manifest\\.json$' "
                                "-e '^manifest\\.sha256$')\""),
                     0);
    free(full);
    free(j1);
    free(j2);
    free(j3);
    free(s1);
    free(s2);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_manifest_bad_outputs)
{
    struct fixture fx;
    fixture_init(&fx, "manifest_bad");
    struct sb_err e = {0};
    const char *escape[] = {"../etc/passwd"};
    ck_assert_int_eq(manifest_write(fx.dir, &fx.report, escape, 1, NULL, &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_OUTPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "../etc/passwd"));
    sb_err_clear(&e);
    const char *absent[] = {"report.md", "report.pdf"};
    ck_assert_int_eq(manifest_write(fx.dir, &fx.report, absent, 2, NULL, &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_OUTPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "report.pdf"));
    /* Nothing was written on failure. */
    char *p = in_dir(&fx, SB_MANIFEST_JSON);
    ck_assert_int_ne(access(p, F_OK), 0);
    free(p);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_name_is_safe)
{
    ck_assert(manifest_name_is_safe("report.json"));
    ck_assert(manifest_name_is_safe("assets/chart.png"));
    ck_assert(manifest_name_is_safe("name with spaces.md"));
    ck_assert(!manifest_name_is_safe(""));
    ck_assert(!manifest_name_is_safe(NULL));
    ck_assert(!manifest_name_is_safe("/etc/passwd"));
    ck_assert(!manifest_name_is_safe("../x"));
    ck_assert(!manifest_name_is_safe("a/../../x"));
    ck_assert(!manifest_name_is_safe("a/.."));
    ck_assert(!manifest_name_is_safe("./x"));
    ck_assert(!manifest_name_is_safe("a//b"));
    ck_assert(!manifest_name_is_safe("a/"));
    ck_assert(!manifest_name_is_safe("..\\x"));
    ck_assert(!manifest_name_is_safe("a\nb"));
    ck_assert(manifest_name_is_safe("..x"));
}
END_TEST

/* ---- verify ---- */

START_TEST(test_verify_ok)
{
    struct fixture fx;
    fixture_init(&fx, "verify_ok");
    write_ok(&fx, NULL);
    char *out = NULL;
    ck_assert_int_eq(run_verify(&out, fx.dir, NULL), 0);
    ck_assert_str_eq(out, "manifest.json: OK\nreport.csv: OK\nreport.json: OK\nreport.md: OK\n"
                          "manifest.json.sig: unsigned\n");
    free(out);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_tampered)
{
    struct fixture fx;
    fixture_init(&fx, "verify_tampered");
    write_ok(&fx, NULL);
    /* Same size, one byte different. */
    char *p = in_dir(&fx, "report.md");
    tu_write(p, "# Report\n\nAll bad.\n");
    free(p);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.md: MISMATCH\n");
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.json: OK\n");
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_missing)
{
    struct fixture fx;
    fixture_init(&fx, "verify_missing");
    write_ok(&fx, NULL);
    char *p = in_dir(&fx, "report.csv");
    unlink(p);
    free(p);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.csv: MISSING\n");
    /* No manifest at all. */
    p = in_dir(&fx, SB_MANIFEST_JSON);
    unlink(p);
    free(p);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.json: MISSING\n");
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_manifest_tampered)
{
    struct fixture fx;
    fixture_init(&fx, "verify_manifest_tampered");
    write_ok(&fx, NULL);
    /* Rewriting manifest.json to match a forged output is caught by manifest.sha256. */
    ck_assert_int_eq(sh_in(&fx, "sed -i 's/2026-09-30T12:00:00Z/2026-01-01T00:00:00Z/' manifest.json"), 0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.json: MISMATCH\n");
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_manifests_disagree)
{
    struct fixture fx;
    fixture_init(&fx, "verify_disagree");
    write_ok(&fx, NULL);
    /* A forged manifest.sha256 that matches a changed report.md, while manifest.json does not. */
    ck_assert_int_eq(sh_in(&fx, "echo x >> report.md && grep -v ' report.md$' manifest.sha256 > s.tmp && "
                                "sha256sum report.md >> s.tmp && mv s.tmp manifest.sha256"),
                     0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.md: MISMATCH\n");
    /* A manifest.sha256 that drops a file manifest.json still lists. */
    write_ok(&fx, NULL);
    ck_assert_int_eq(sh_in(&fx, "grep -v ' report.csv$' manifest.sha256 > s.tmp && mv s.tmp manifest.sha256"), 0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, NULL);
    /* manifest.sha256 missing entirely. */
    ck_assert_int_eq(sh_in(&fx, "rm manifest.sha256"), 0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.sha256: MISSING\n");
    fixture_done(&fx);
}
END_TEST

/* Hand-write a consistent manifest pair listing `name` with the hash of `content`. */
static void write_manifest_for(const struct fixture *fx, const char *name, const char *content)
{
    char hex[65];
    sb_sha256_hex(content, strlen(content), hex);
    char *json = sb_xasprintf("{\"manifest_version\": 1, \"outputs\": [{\"name\": \"%s\", \"size\": %zu, "
                              "\"sha256\": \"%s\"}]}\n",
                              name, strlen(content), hex);
    char jhex[65];
    sb_sha256_hex(json, strlen(json), jhex);
    char *sums = sb_xasprintf("%s  manifest.json\n%s  %s\n", jhex, hex, name);
    char *p = in_dir(fx, SB_MANIFEST_JSON);
    tu_write(p, json);
    free(p);
    p = in_dir(fx, SB_MANIFEST_SHA256);
    tu_write(p, sums);
    free(p);
    free(json);
    free(sums);
}

START_TEST(test_verify_path_traversal)
{
    struct fixture fx;
    fixture_init(&fx, "verify_traversal");
    /* The file exists outside the directory with the right hash: still refused. */
    char *outside = sb_path_join(fx.dir, "../outside.txt");
    tu_write(outside, "secret\n");
    write_manifest_for(&fx, "../outside.txt", "secret\n");
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "../outside.txt: UNSAFE NAME\n");
    write_manifest_for(&fx, "/etc/hostname", "x");
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "/etc/hostname: UNSAFE NAME\n");
    /* The same hand-written shape with a safe name passes, so the refusals above are about the names. */
    write_manifest_for(&fx, "report.md", "# Report\n\nAll good.\n");
    expect_verify(&fx, NULL, SB_EXIT_OK, "report.md: OK\n");
    unlink(outside);
    free(outside);
    fixture_done(&fx);
}
END_TEST

/* A manifest pair listing `name` (raw bytes, may hold anything) for a file whose content is `content`. */
static void write_sums_only(const struct fixture *fx, const char *sums_tail, size_t tail_len)
{
    /* manifest.json lists nothing; manifest.sha256 gets manifest.json's line plus the raw tail. */
    const char *json = "{\"manifest_version\": 1, \"outputs\": []}\n";
    char jhex[65];
    sb_sha256_hex(json, strlen(json), jhex);
    char *p = in_dir(fx, SB_MANIFEST_JSON);
    tu_write(p, json);
    free(p);
    p = in_dir(fx, SB_MANIFEST_SHA256);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s  manifest.json\n", jhex);
    fwrite(sums_tail, 1, tail_len, f);
    fclose(f);
    free(p);
}

START_TEST(test_verify_nul_in_sums)
{
    struct fixture fx;
    fixture_init(&fx, "verify_nul");
    /* A NUL inside a line, at the start of a line, and a NUL with no newline after it: exit 3, no crash. */
    static const char a[] = "0000000000000000000000000000000000000000000000000000000000000000  rep\0ort.md\n";
    write_sums_only(&fx, a, sizeof a - 1);
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    static const char b[] = "\0\n";
    write_sums_only(&fx, b, sizeof b - 1);
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    static const char c[] = "\0";
    write_sums_only(&fx, c, sizeof c - 1);
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_control_names_escaped)
{
    struct fixture fx;
    fixture_init(&fx, "verify_ctl");
    /* A name that would print its own forged verdict line, and a carriage return. */
    static const char t[] = "0000000000000000000000000000000000000000000000000000000000000000  "
                            "x: MISSING\rreport.md: OK\x1b[2K\n";
    write_sums_only(&fx, t, sizeof t - 1);
    char *out = NULL;
    ck_assert_int_eq(run_verify(&out, fx.dir, NULL), SB_EXIT_VERIFY);
    ck_assert_msg(strstr(out, "x: MISSING\\x0dreport.md: OK\\x1b[2K: UNSAFE NAME\n") != NULL, "got:\n%s", out);
    ck_assert_ptr_null(strchr(out, '\r'));
    ck_assert_ptr_null(strchr(out, '\x1b'));
    free(out);
    char *esc = manifest_name_escape("a\\b\n\xc2\x85\xe2\x80\xaeok\xff");
    ck_assert_str_eq(esc, "a\\x5cb\\x0a\\xc2\\x85\\xe2\\x80\\xaeok\\xff");
    free(esc);
    esc = manifest_name_escape("r\xc3\xa9sum\xc3\xa9.md");
    ck_assert_str_eq(esc, "r\xc3\xa9sum\xc3\xa9.md");
    free(esc);
    fixture_done(&fx);
}
END_TEST

/* Make a FIFO; skip silently where the file system cannot hold one (never in our CI). */
static void make_fifo(const struct fixture *fx, const char *name)
{
    char *p = in_dir(fx, name);
    unlink(p);
    ck_assert_int_eq(mkfifo(p, 0644), 0);
    free(p);
}

START_TEST(test_verify_fifo_never_blocks)
{
    struct fixture fx;
    fixture_init(&fx, "verify_fifo");
    write_ok(&fx, NULL);
    /* A listed output that is a FIFO with no writer: refused at once (the test's timeout would catch a hang). */
    make_fifo(&fx, "report.md");
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.md: NOT A REGULAR FILE\n");
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.json: OK\n");
    /* manifest.sha256 and manifest.json themselves as FIFOs. */
    make_fifo(&fx, SB_MANIFEST_SHA256);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.sha256: NOT A REGULAR FILE\n");
    make_fifo(&fx, SB_MANIFEST_JSON);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.json: NOT A REGULAR FILE\n");
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_symlinks_refused)
{
    struct fixture fx;
    fixture_init(&fx, "verify_symlink");
    /* Everything "outside" is a sibling of the fixture named after this process: concurrent runs of the suite
     * share the parent directory. */
    long pid = (long)getpid();
    char cmd[512];
    /* A symlink to a file outside whose hash the manifest states correctly: still refused. */
    char *target = sb_xasprintf("../outside-link-target.%ld.txt", pid);
    char *outside = sb_path_join(fx.dir, target);
    tu_write(outside, "secret\n");
    write_manifest_for(&fx, "report.md", "secret\n");
    snprintf(cmd, sizeof cmd, "rm report.md && ln -s %s report.md", target);
    ck_assert_int_eq(sh_in(&fx, cmd), 0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.md: NOT A REGULAR FILE\n");
    /* Also to a regular file inside the directory. */
    snprintf(cmd, sizeof cmd, "cp %s inside.txt && rm report.md && ln -s inside.txt report.md", target);
    ck_assert_int_eq(sh_in(&fx, cmd), 0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "report.md: NOT A REGULAR FILE\n");
    /* A sub-directory reached through a symlink is outside too. */
    snprintf(cmd, sizeof cmd, "mkdir -p ../outside-dir.%ld && cp inside.txt ../outside-dir.%ld/r.md && "
                              "ln -s ../outside-dir.%ld sub", pid, pid, pid);
    ck_assert_int_eq(sh_in(&fx, cmd), 0);
    write_manifest_for(&fx, "sub/r.md", "secret\n");
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "sub/r.md: NOT A REGULAR FILE\n");
    /* A real sub-directory is fine. */
    ck_assert_int_eq(sh_in(&fx, "rm sub && mkdir sub && cp inside.txt sub/r.md"), 0);
    expect_verify(&fx, NULL, SB_EXIT_OK, "sub/r.md: OK\n");
    /* manifest.json as a symlink to a valid manifest elsewhere. */
    snprintf(cmd, sizeof cmd, "cp manifest.json ../outside-manifest.%ld.json && rm manifest.json && "
                              "ln -s ../outside-manifest.%ld.json manifest.json", pid, pid);
    ck_assert_int_eq(sh_in(&fx, cmd), 0);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.json: NOT A REGULAR FILE\n");
    snprintf(cmd, sizeof cmd, "rm -r ../outside-dir.%ld ../outside-manifest.%ld.json", pid, pid);
    ck_assert_int_eq(sh_in(&fx, cmd), 0);
    unlink(outside);
    free(outside);
    free(target);
    fixture_done(&fx);
}
END_TEST

/* Many names (through the hash index, which grows several times) and names listed twice. */
START_TEST(test_verify_many_names_and_twice)
{
    struct fixture fx;
    fixture_init(&fx, "verify_many");
    struct sb_buf j = {0}, t = {0};
    const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    sb_buf_puts(&j, "{\"manifest_version\": 1, \"outputs\": [");
    for (int i = 0; i < 3000; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%04d", i);
        char *p = in_dir(&fx, name);
        tu_write(p, "");
        free(p);
        sb_buf_printf(&j, "%s{\"name\": \"%s\", \"size\": 0, \"sha256\": \"%s\"}", i ? ", " : "", name, empty);
        sb_buf_printf(&t, "%s  %s\n", empty, name);
    }
    sb_buf_puts(&j, "]}\n");
    char jhex[65];
    sb_sha256_hex(j.data, j.len, jhex);
    char *sums = sb_xasprintf("%s  manifest.json\n%s", jhex, t.data);
    char *jp = in_dir(&fx, SB_MANIFEST_JSON), *sp = in_dir(&fx, SB_MANIFEST_SHA256);
    tu_write(jp, j.data);
    tu_write(sp, sums);
    char *out = NULL;
    ck_assert_int_eq(run_verify(&out, fx.dir, NULL), SB_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(out, "f0000: OK\n"));
    ck_assert_ptr_nonnull(strstr(out, "f2999: OK\n"));
    free(out);
    /* The same name twice in manifest.sha256, then in manifest.json: malformed (exit 3). */
    char *twice = sb_xasprintf("%s%s  f1234\n", sums, empty);
    tu_write(sp, twice);
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    tu_write(sp, sums);
    tu_write(jp, "{\"manifest_version\": 1, \"outputs\": [{\"name\": \"a\", \"size\": 0, \"sha256\": "
                 "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}, {\"name\": \"a\", \"size\": 0, "
                 "\"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}]}");
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    free(twice);
    free(sums);
    free(jp);
    free(sp);
    sb_buf_free(&j);
    sb_buf_free(&t);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_signature_state)
{
    struct fixture fx;
    fixture_init(&fx, "verify_sigstate");
    write_ok(&fx, NULL);
    expect_verify(&fx, NULL, SB_EXIT_OK, "manifest.json.sig: unsigned\n");
    char *p = in_dir(&fx, SB_MANIFEST_SIG);
    tu_write(p, "not really a signature");
    expect_verify(&fx, NULL, SB_EXIT_OK, "manifest.json.sig: not checked\n");
    unlink(p);
    make_fifo(&fx, SB_MANIFEST_SIG);
    expect_verify(&fx, NULL, SB_EXIT_VERIFY, "manifest.json.sig: NOT A REGULAR FILE\n");
    unlink(p);
    free(p);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_malformed)
{
    struct fixture fx;
    fixture_init(&fx, "verify_malformed");
    write_ok(&fx, NULL);
    char *jp = in_dir(&fx, SB_MANIFEST_JSON);
    char *sp = in_dir(&fx, SB_MANIFEST_SHA256);
    tu_write(sp, "not a checksum line\n");
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    tu_write(jp, "{\"manifest_version\": 1, \"outputs\": [");
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    tu_write(jp, "{\"manifest_version\": 1, \"outputs\": [{\"name\": \"a\", \"size\": 1, \"sha256\": \"XYZ\"}]}");
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    tu_write(jp, "{\"manifest_version\": 2, \"outputs\": []}");
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    tu_write(jp, "[]");
    expect_verify(&fx, NULL, SB_EXIT_INPUT, NULL);
    free(jp);
    free(sp);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_verify_usage)
{
    char *argv1[] = {"verify", NULL};
    ck_assert_int_eq(verify_command(1, argv1), SB_EXIT_USAGE);
    char *argv2[] = {"verify", "a", "b", NULL};
    ck_assert_int_eq(verify_command(3, argv2), SB_EXIT_USAGE);
    char *argv3[] = {"verify", "--nope", "a", NULL};
    ck_assert_int_eq(verify_command(3, argv3), SB_EXIT_USAGE);
    char *argv4[] = {"verify", "a", "--pubkey", NULL};
    ck_assert_int_eq(verify_command(3, argv4), SB_EXIT_USAGE);
    char *argv5[] = {"verify", "/nonexistent/dir", NULL};
    ck_assert_int_eq(verify_command(2, argv5), SB_EXIT_INPUT);
}
END_TEST

/* ---- signatures ---- */

static char *make_key(const struct fixture *fx, const char *name, const char *algo_args)
{
    char *cmd = sb_xasprintf("openssl genpkey %s -out %s.key 2>/dev/null && "
                             "openssl pkey -in %s.key -pubout -out %s.pub 2>/dev/null",
                             algo_args, name, name, name);
    ck_assert_int_eq(sh_in(fx, cmd), 0);
    free(cmd);
    char *rel = sb_xasprintf("%s.key", name);
    char *path = in_dir(fx, rel);
    free(rel);
    return path;
}

static char *pub_of(const char *key_path)
{
    char *p = sb_xstrdup(key_path);
    strcpy(p + strlen(p) - 4, ".pub");
    return p;
}

START_TEST(test_sign_ed25519)
{
    struct fixture fx;
    fixture_init(&fx, "sign_ed25519");
    char *key = make_key(&fx, "ed", "-algorithm ED25519");
    char *pub = pub_of(key);
    write_ok(&fx, key);
    /* 64-byte raw Ed25519 signature, checkable with the openssl CLI. */
    size_t len = 0;
    char *sp = in_dir(&fx, SB_MANIFEST_SIG);
    free(tu_slurp(sp, &len));
    ck_assert_uint_eq(len, 64);
    ck_assert_int_eq(sh_in(&fx, "openssl pkeyutl -verify -pubin -inkey ed.pub -rawin -in manifest.json "
                                "-sigfile manifest.json.sig >/dev/null"),
                     0);
    expect_verify(&fx, pub, SB_EXIT_OK, "manifest.json.sig: signature OK\n");
    /* Ed25519 is deterministic: signing again gives the same bytes. */
    char *sig1 = slurp_in(&fx, SB_MANIFEST_SIG);
    write_ok(&fx, key);
    char *sig2 = slurp_in(&fx, SB_MANIFEST_SIG);
    ck_assert_mem_eq(sig1, sig2, 64);
    free(sig1);
    free(sig2);
    free(sp);
    free(pub);
    free(key);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_sign_rsa)
{
    struct fixture fx;
    fixture_init(&fx, "sign_rsa");
    char *key = make_key(&fx, "rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048");
    char *pub = pub_of(key);
    write_ok(&fx, key);
    ck_assert_int_eq(sh_in(&fx, "openssl dgst -sha256 -verify rsa.pub -signature manifest.json.sig manifest.json "
                                ">/dev/null"),
                     0);
    expect_verify(&fx, pub, SB_EXIT_OK, "manifest.json.sig: signature OK\n");
    /* A certificate for the key works as --pubkey too. */
    ck_assert_int_eq(sh_in(&fx, "openssl req -new -x509 -key rsa.key -subj /CN=auditor -days 1 -out rsa.crt "
                                "2>/dev/null"),
                     0);
    char *crt = in_dir(&fx, "rsa.crt");
    expect_verify(&fx, crt, SB_EXIT_OK, "manifest.json.sig: signature OK\n");
    free(crt);
    free(pub);
    free(key);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_sign_wrong_key_and_tampering)
{
    struct fixture fx;
    fixture_init(&fx, "sign_wrong");
    char *key = make_key(&fx, "ed", "-algorithm ED25519");
    char *other = make_key(&fx, "other", "-algorithm ED25519");
    char *other_pub = pub_of(other);
    char *pub = pub_of(key);
    write_ok(&fx, key);
    expect_verify(&fx, other_pub, SB_EXIT_VERIFY, "manifest.json.sig: BAD SIGNATURE\n");
    /* A key of another type cannot verify it either. */
    char *rsa = make_key(&fx, "rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048");
    char *rsa_pub = pub_of(rsa);
    expect_verify(&fx, rsa_pub, SB_EXIT_VERIFY, "manifest.json.sig: BAD SIGNATURE\n");
    /* A corrupted signature. */
    ck_assert_int_eq(sh_in(&fx, "printf 'garbage' > manifest.json.sig"), 0);
    expect_verify(&fx, pub, SB_EXIT_VERIFY, "manifest.json.sig: BAD SIGNATURE\n");
    /* A consistent re-hash of an edited manifest still fails on the signature. */
    write_ok(&fx, key);
    ck_assert_int_eq(sh_in(&fx, "sed -i 's/2026-09-30T12:00:00Z/2026-01-01T00:00:00Z/' manifest.json && "
                                "sed -i \"s/^[0-9a-f]*  manifest.json$/$(sha256sum manifest.json | cut -c1-64)"
                                "  manifest.json/\" manifest.sha256"),
                     0);
    expect_verify(&fx, NULL, SB_EXIT_OK, "manifest.json: OK\n");
    expect_verify(&fx, pub, SB_EXIT_VERIFY, "manifest.json.sig: BAD SIGNATURE\n");
    free(rsa);
    free(rsa_pub);
    free(other);
    free(other_pub);
    free(pub);
    free(key);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_sign_unsigned_and_stale)
{
    struct fixture fx;
    fixture_init(&fx, "sign_unsigned");
    char *key = make_key(&fx, "ed", "-algorithm ED25519");
    char *pub = pub_of(key);
    write_ok(&fx, NULL);
    expect_verify(&fx, pub, SB_EXIT_VERIFY, "manifest.json.sig: MISSING\n");
    /* Signed, then re-written unsigned: the old signature must not survive. */
    write_ok(&fx, key);
    expect_verify(&fx, pub, SB_EXIT_OK, NULL);
    write_ok(&fx, NULL);
    char *sp = in_dir(&fx, SB_MANIFEST_SIG);
    ck_assert_int_ne(access(sp, F_OK), 0);
    expect_verify(&fx, pub, SB_EXIT_VERIFY, "manifest.json.sig: MISSING\n");
    free(sp);
    free(pub);
    free(key);
    fixture_done(&fx);
}
END_TEST

static void expect_key_error(struct fixture *fx, const char *key, const char *want)
{
    struct sb_err e = {0};
    ck_assert_int_eq(manifest_write(fx->dir, &fx->report, outputs3, 3, key, &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_msg(strncmp(e.msg, key, strlen(key)) == 0, "message should name the key file: %s", e.msg);
    ck_assert_msg(strstr(e.msg, want) != NULL, "want \"%s\" in: %s", want, e.msg);
    ck_assert_ptr_null(strstr(e.msg, "-----"));
    /* Nothing written: a failed signing run leaves no unsigned manifest that looks complete. */
    char *p = in_dir(fx, SB_MANIFEST_JSON);
    ck_assert_int_ne(access(p, F_OK), 0);
    free(p);
}

START_TEST(test_sign_key_errors)
{
    struct fixture fx;
    fixture_init(&fx, "sign_key_errors");
    char *missing = in_dir(&fx, "nope.key");
    expect_key_error(&fx, missing, "No such file");
    char *key = make_key(&fx, "ed", "-algorithm ED25519");
    char *pub = pub_of(key);
    expect_key_error(&fx, pub, "not a PEM or DER private key");
    ck_assert_int_eq(sh_in(&fx, "openssl genpkey -algorithm ED25519 -aes-128-cbc -pass pass:secret -out enc.key "
                                "2>/dev/null"),
                     0);
    char *enc = in_dir(&fx, "enc.key");
    expect_key_error(&fx, enc, "encrypted");
    ck_assert_int_eq(sh_in(&fx, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out small.key "
                                "2>/dev/null"),
                     0);
    char *small = in_dir(&fx, "small.key");
    expect_key_error(&fx, small, "at least 2048");
    char *empty = in_dir(&fx, "empty.key");
    tu_write(empty, "");
    expect_key_error(&fx, empty, "empty key file");
    /* verify: a private key or garbage is not a usable public key (exit 3). */
    write_ok(&fx, key);
    expect_verify(&fx, empty, SB_EXIT_INPUT, NULL);
    char *garbage = in_dir(&fx, "garbage.pub");
    tu_write(garbage, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    expect_verify(&fx, garbage, SB_EXIT_INPUT, NULL);
    expect_verify(&fx, pub, SB_EXIT_OK, NULL);
    free(garbage);
    free(empty);
    free(small);
    free(enc);
    free(pub);
    free(key);
    free(missing);
    fixture_done(&fx);
}
END_TEST

START_TEST(test_sign_api_roundtrip)
{
    struct fixture fx;
    fixture_init(&fx, "sign_api");
    char *key = make_key(&fx, "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
    char *pub = pub_of(key);
    struct sb_err e = {0};
    unsigned char *sig = NULL;
    size_t n = 0;
    ck_assert_int_eq(sb_sign(&sig, &n, "hello", 5, key, &e), 0);
    bool ok = false;
    ck_assert_int_eq(sb_verify_signature(&ok, "hello", 5, sig, n, pub, &e), 0);
    ck_assert(ok);
    ck_assert_int_eq(sb_verify_signature(&ok, "hellO", 5, sig, n, pub, &e), 0);
    ck_assert(!ok);
    free(sig);
    free(pub);
    free(key);
    fixture_done(&fx);
}
END_TEST

static Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc = tcase_create("manifest");
    tcase_add_test(tc, test_manifest_json_contents);
    tcase_add_test(tc, test_manifest_sha256_format);
    tcase_add_test(tc, test_manifest_deterministic);
    tcase_add_test(tc, test_manifest_bad_outputs);
    tcase_add_test(tc, test_name_is_safe);
    suite_add_tcase(s, tc);
    tc = tcase_create("verify");
    tcase_add_test(tc, test_verify_ok);
    tcase_add_test(tc, test_verify_tampered);
    tcase_add_test(tc, test_verify_missing);
    tcase_add_test(tc, test_verify_manifest_tampered);
    tcase_add_test(tc, test_verify_manifests_disagree);
    tcase_add_test(tc, test_verify_path_traversal);
    tcase_add_test(tc, test_verify_malformed);
    tcase_add_test(tc, test_verify_nul_in_sums);
    tcase_add_test(tc, test_verify_control_names_escaped);
    tcase_add_test(tc, test_verify_fifo_never_blocks);
    tcase_add_test(tc, test_verify_symlinks_refused);
    tcase_add_test(tc, test_verify_signature_state);
    tcase_add_test(tc, test_verify_many_names_and_twice);
    tcase_add_test(tc, test_verify_usage);
    suite_add_tcase(s, tc);
    tc = tcase_create("sign");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_sign_ed25519);
    tcase_add_test(tc, test_sign_rsa);
    tcase_add_test(tc, test_sign_wrong_key_and_tampering);
    tcase_add_test(tc, test_sign_unsigned_and_stale);
    tcase_add_test(tc, test_sign_key_errors);
    tcase_add_test(tc, test_sign_api_roundtrip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(manifest_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
