#!/usr/bin/env bash
# mcsb-audit(1): renders without warnings, and lists exactly the commands, options and formats that --help prints
# from the option tables (so the two cannot drift apart).
. "$SB_SRC/tests/cli-lib.sh"
page="$SB_SRC/man/mcsb-audit.1"

groff -man -ww -z "$page" 2>"$TMP/groff.err"
check "groff -man -ww renders" test $? -eq 0
check "groff: no warnings ($(head -c 300 "$TMP/groff.err"))" test ! -s "$TMP/groff.err"
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man --warnings -E UTF-8 -l -P cat "$page" >"$TMP/man.txt" 2>"$TMP/man.err"
  check "man -l renders" test -s "$TMP/man.txt"
  check "man -l: no warnings ($(head -c 300 "$TMP/man.err"))" test ! -s "$TMP/man.err"
else
  fail "man (man-db) not installed: scripts/deps.sh installs it"
fi

/usr/bin/python3 "$SB_SRC/tests/help_options.py" "$SB_BIN" >"$TMP/help.json" || fail "reading --help"
version=$("$SB_BIN" --version | cut -d' ' -f2)
/usr/bin/python3 - "$page" "$TMP/help.json" "$version" <<'PY' || fail "man page and option tables differ"
import json, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
want = json.load(open(sys.argv[2]))
version = sys.argv[3]
errors = []
unesc = lambda s: s.replace("\\-", "-")

th = next(l for l in src.splitlines() if l.startswith(".TH "))
if f'"mcsb-audit {version}"' not in th:
    errors.append(f".TH does not name version {version}: {th}")

def section(title, level=".SH"):
    """Lines of a .SH/.SS section up to the next heading of the same or a higher level."""
    lines = src.splitlines()
    stops = (".SH",) if level == ".SH" else (".SH", ".SS")
    start = next(i for i, l in enumerate(lines) if l.startswith(level) and l[4:].strip('"') == title)
    out = []
    for l in lines[start + 1:]:
        if l.startswith(stops):
            break
        out.append(l)
    return out

def tagged(lines):
    """The tag line after each .TP."""
    return [unesc(lines[i + 1]) for i, l in enumerate(lines[:-1]) if l == ".TP"]

# Commands: the COMMANDS section tags are the commands of `mcsb-audit --help`.
cmds = [t.split()[1] for t in tagged(section("COMMANDS"))]
if cmds != want["commands"]:
    errors.append(f"COMMANDS {cmds} != --help {want['commands']}")

# Options: each command's .SS section lists exactly its table (run takes collect's and report's).
for cmd, opts in want["options"].items():
    expect = {(s, l) for s, l in opts}
    if cmd == "run":
        have = set()
        for c in ("collect", "report"):
            for t in tagged(section(f"{c} options", ".SS")):
                have |= {(None, l) for l in re.findall(r"--([a-z][a-z-]*)", t)}
        expect = {(None, l) for _, l in expect} - {(None, "output"), (None, "input")}
        missing = expect - have
        if missing:
            errors.append(f"run: --help options not in the man page: {sorted(missing)}")
        continue
    have = set()
    for t in tagged(section(f"{cmd} options", ".SS")):
        longs = re.findall(r"--([a-z][a-z-]*)", t)
        shorts = re.findall(r"(?<![-\w])-([A-Za-z])\b", t)
        if len(longs) != 1:
            errors.append(f"{cmd}: tag with {len(longs)} long options: {t}")
            continue
        have.add((shorts[0] if shorts else None, longs[0]))
    if have != expect:
        errors.append(f"{cmd}: only in --help {sorted(expect - have, key=str)}; only in man {sorted(have - expect, key=str)}")

# Formats: OUTPUT FORMATS tags are the report formats of --help.
fmts = [t.split()[1] for t in tagged(section("OUTPUT FORMATS")) if t.startswith(".B ")]
if fmts != want["formats"]["report"]:
    errors.append(f"OUTPUT FORMATS {fmts} != --help {want['formats']['report']}")

# Exit codes: 0-8, as in src/err.h.
codes = [t.split()[1] for t in tagged(section("EXIT STATUS"))]
if codes != [str(i) for i in range(9)]:
    errors.append(f"EXIT STATUS codes {codes}")
for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
    if not any(l.startswith(".SH") and l[4:].strip('"') == s for l in src.splitlines()):
        errors.append(f"no {s} section")
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
pass
finish
