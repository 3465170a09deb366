#!/usr/bin/python3
"""--help, the man page source and the bash and zsh completions name exactly the commands and
options of pvh-sev's option table, each with the right kind (takes a value or not), so that none
of them can drift from the parser.

docs_match_options.py LIST_OPTIONS PVH_SEV MAN_SCD BASH_COMPLETION ZSH_COMPLETION
"""
import re
import subprocess
import sys

OPT = r"--[a-z][a-z0-9-]*"
problems = []


def table(list_options):
    out = subprocess.run([list_options], check=True, capture_output=True, text=True).stdout
    return dict(line.split() for line in out.splitlines())  # "--name": "value" | "flag"


def compare(where, found, want):
    for o in sorted(set(want) - set(found)):
        problems.append(f"{where}: {o} is in the option table but missing here")
    for o in sorted(set(found) - set(want)):
        problems.append(f"{where}: {o} is not in the option table")
    for o in sorted(set(found) & set(want)):
        if found[o] is not None and found[o] != want[o]:
            problems.append(f"{where}: {o} shown as {found[o]}, the table says {want[o]}")


def help_options(text):
    """--name followed by one space and a metavariable (SIZE, hex|base64) takes a value."""
    found = {}
    for m in re.finditer(rf"({OPT})( [A-Z][A-Z0-9.]*\b| [a-z0-9]+(?:\|[a-z0-9]+)+)?", text):
        kind = "value" if m.group(2) else "flag"
        if found.get(m.group(1)) not in (None, kind):
            problems.append(f"--help: {m.group(1)} shown both with and without a value")
        found[m.group(1)] = kind
    return found


def help_commands(text, prog="pvh-sev"):
    return set(re.findall(rf"\S*{prog} ([a-z]+) ", text))


def man_options(scd):
    """Definition terms (a line starting with *-, its text indented below it): *--name*
    _VALUE_ takes a value."""
    found = {}
    lines = scd.splitlines()
    for line, below in zip(lines, lines[1:]):
        if line.startswith("*-") and below.startswith("\t"):
            for m in re.finditer(rf"\*({OPT})\*( _)?", line):
                found[m.group(1)] = "value" if m.group(2) else "flag"
    mentioned = set(re.findall(rf"\*({OPT})\*", scd))
    for o in sorted(mentioned - set(found)):
        found[o] = None  # mentioned in the text: must exist, kind not shown
    return found


def man_commands(scd):
    synopsis = scd.split("# SYNOPSIS", 1)[1].split("\n# ", 1)[0]
    return set(re.findall(r"\*pvh-sev ([a-z]+)\*", synopsis))


def bash_options(text):
    values = set(re.findall(OPT, text.split("case $prev in", 1)[1].split("esac", 1)[0]))
    return {o: "value" if o in values else "flag" for o in re.findall(OPT, text)}


def bash_commands(text):
    return set(re.search(r'compgen -W "([a-z ]+)" -- "\$cur"\)\)\n\telse', text).group(1).split())


def zsh_options(text):
    found = {}
    for m in re.finditer(rf"'(?:\([^)]*\))?\*?({OPT})(=?)\[", text):
        found[m.group(1)] = "value" if m.group(2) else "flag"
    for m in re.finditer(rf"\{{-[a-z],({OPT})\}}'\[", text):
        found[m.group(1)] = "flag"
    for m in re.finditer(rf"({OPT})\\:", text):  # the _alternative list: --help, --version
        found[m.group(1)] = "flag"
    return found


def zsh_commands(text):
    return set(re.findall(r"(?<![-\w])([a-z]+)\\:\"", text))


def main(list_options, pvh, man_scd, bash_file, zsh_file):
    want = table(list_options)
    help_text = subprocess.run([pvh, "--help"], check=True, capture_output=True,
                               text=True).stdout
    scd = open(man_scd).read()
    bash = open(bash_file).read()
    zsh = open(zsh_file).read()
    compare("--help", help_options(help_text), want)
    compare(man_scd, man_options(scd), want)
    compare(bash_file, bash_options(bash), want)
    compare(zsh_file, zsh_options(zsh), want)
    commands = help_commands(help_text)
    if not commands:
        problems.append("--help: no 'pvh-sev COMMAND' usage lines found")
    for where, found in ((man_scd, man_commands(scd)), (bash_file, bash_commands(bash)),
                         (zsh_file, zsh_commands(zsh))):
        if found != commands:
            problems.append(f"{where}: commands {sorted(found)}, --help has {sorted(commands)}")
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print(f"ok: {len(want)} options and commands {sorted(commands)} agree in --help, "
              "the man page and both completions")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
