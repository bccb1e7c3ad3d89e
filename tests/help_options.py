"""Options, commands and formats as `mcsb-audit ... --help` prints them from the option tables.

Used by the man page and bash completion tests to compare those against the tables.
Usage: help_options.py BIN  ->  JSON {"commands": [...], "options": {cmd: [[short, long], ...]}, "formats": {...}}
"""
import json
import re
import subprocess
import sys

COMMANDS = ["report", "collect", "run", "verify", "diff", "baseline"]
OPTION = re.compile(r"^ {2,}(?:-([A-Za-z]), )?--([a-z][a-z-]*)\b")


def help_text(binary, *args):
    return subprocess.run([binary, *args, "--help"], check=True, capture_output=True, text=True).stdout


def sections(text):
    """Map each 'Heading:' line to the lines up to the next blank line."""
    out, name = {}, None
    for line in text.splitlines():
        if not line.strip():
            name = None
        elif re.match(r"^[A-Z][A-Za-z ]*:$", line):
            name = line[:-1]
            out.setdefault(name, [])
        elif name:
            out[name].append(line)
    return out


def options(lines):
    found = []
    for line in lines:
        m = OPTION.match(line)
        if m:
            found.append([m.group(1), m.group(2)])
    return found


def main(binary):
    top = sections(help_text(binary))
    commands = [line.split()[0] for line in top["Commands"]]
    opts, formats = {}, {}
    for cmd in COMMANDS:
        s = sections(help_text(binary, cmd))
        if cmd == "run":
            opts[cmd] = options(s["Collect options"]) + options(s["Report options"])
        else:
            opts[cmd] = options(s["Options"])
        if "Formats" in s:
            formats[cmd] = [line.split()[0] for line in s["Formats"]]
    print(json.dumps({"commands": commands, "options": opts, "formats": formats}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
