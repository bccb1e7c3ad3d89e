#!/usr/bin/env bash
# Bash completion offers exactly each command's options as --help prints them from the option tables,
# and completes the values it knows (formats, --fail-on levels, baseline show).
. "$SB_SRC/tests/cli-lib.sh"
/usr/bin/python3 "$SB_SRC/tests/help_options.py" "$SB_BIN" >"$TMP/help.json" || fail "reading --help"

# complete WORD... : run the completion function as bash would for the last word; one candidate a line.
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mcsb_audit; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$SB_SRC/completion/mcsb-audit.bash" mcsb-audit "$@" | sort
}
want() { # want JQ-LIKE-PYTHON-EXPR : the expected candidates, sorted, from help.json
  /usr/bin/python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); print("\n".join(sorted(eval(sys.argv[2]))))' \
    "$TMP/help.json" "$1"
}
same() { # same DESCRIPTION GOT WANT
  if [ "$2" = "$3" ]; then pass; else fail "$1: completion offers [$(echo $2)], tables say [$(echo $3)]"; fi
}

same "commands" "$(complete_words '' | grep -v '^-')" "$(want 'h["commands"]')"
for cmd in report collect verify diff baseline; do
  same "$cmd options" "$(complete_words "$cmd" --)" "$(want "['--'+l for s, l in h['options']['$cmd']]")"
done
same "run options" "$(complete_words run --)" \
  "$(want "{'--'+l for s, l in h['options']['run']} - {'--output', '--input'}")"
same "report formats" "$(complete_words report --format '')" "$(want "h['formats']['report'] + ['all']")"
same "format list continues after a comma" "$(complete_words report -f json,c)" "$(printf 'json,csv\n')"
same "diff formats" "$(complete_words diff --format '')" "$(printf 'csv\njson\nmd\n')"
same "fail-on levels" "$(complete_words report --fail-on n)" "$(printf 'never\nnew\nnot_assessed\n')"
same "baseline show" "$(complete_words baseline s)" "show"
mkdir -p "$TMP/dir/sub" && : >"$TMP/dir/file.json"
same "files for --input" "$(complete_words report --input "$TMP/dir/f")" "$TMP/dir/file.json"
same "directories for --out-dir" "$(complete_words report --out-dir "$TMP/dir/")" "$TMP/dir/sub"
finish
