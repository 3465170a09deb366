#!/usr/bin/python3
"""The CI templates in contrib/ci parse as YAML, every pvh-sev command they run exists with the
options they give it (options of the right command, values where the table wants one), and
their predict and compare steps, run for real against an example guest with a made-up launch
report, pass on a matching digest and fail with a readable line on a wrong or missing one.

ci_templates.py LIST_OPTIONS PVH_SEV MAN_SCD KERNEL GITHUB_YAML GITLAB_YAML
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.exit("FAIL: python3-yaml is not installed (scripts/install-deps.sh installs it)")

OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", ")", "(", "&"}
problems = []


def options_table(list_options):
    out = subprocess.run([list_options], check=True, capture_output=True, text=True).stdout
    return dict(line.split() for line in out.splitlines())


def options_per_command(scd):
    """The man page's sections say which command takes which option."""
    per = {"run": set(), "measure": set()}
    section = None
    lines = scd.splitlines()
    for line, below in zip(lines, lines[1:]):
        if line.startswith("# "):
            section = line
        elif line.startswith("*-") and below.startswith("\t") and section:
            opts = set(re.findall(r"\*(--[a-z][a-z0-9-]*)\*", line))
            for cmd in per:
                if ("BOOT" in section or "GENERAL" in section
                        or section.startswith(f"# {cmd.upper()} OPTIONS")):
                    per[cmd] |= opts
    return per


def scripts_of(doc, github):
    """(name, shell text) of every script block in the workflow or the pipeline."""
    if github:
        for job in doc["jobs"].values():
            for step in job["steps"]:
                if "run" in step:
                    yield step.get("name", step["run"][:30]), step["run"]
    else:
        for name, job in doc.items():
            if isinstance(job, dict):
                for key in ("before_script", "script", "after_script"):
                    for i, block in enumerate(job.get(key, [])):
                        yield f"{name}.{key}[{i}]", block


def check_invocations(where, text, table, per_command, commands):
    # One line of tokens: a newline ends a command like ";" (inside quotes it does no harm).
    text = text.replace("\\\n", " ").replace("\n", " ; ")
    lex = shlex.shlex(text, posix=True, punctuation_chars=";&|<>()")
    tokens = list(lex)
    used = 0
    for i, t in enumerate(tokens):
        if t != "pvh-sev":
            continue
        used += 1
        rest = []
        for u in tokens[i + 1:]:
            if u in OPERATORS or u.startswith(">"):
                break
            rest.append(u)
        if not rest:
            problems.append(f"{where}: pvh-sev without a command")
            continue
        cmd = rest[0]
        if cmd.startswith("--"):
            if cmd not in ("--version", "--help"):
                problems.append(f"{where}: pvh-sev {cmd}: not a command")
            continue
        if cmd not in commands:
            problems.append(f"{where}: pvh-sev {cmd}: no such command (--help has "
                            f"{sorted(commands)})")
            continue
        j = 1
        while j < len(rest):
            a = rest[j]
            if a.startswith("--"):
                name = a.split("=", 1)[0]
                if name not in table:
                    problems.append(f"{where}: pvh-sev {cmd} {name}: no such option")
                elif name not in per_command.get(cmd, set()):
                    problems.append(f"{where}: pvh-sev {cmd} {name}: an option of another command")
                elif table[name] == "value" and "=" not in a:
                    if j + 1 >= len(rest) or rest[j + 1].startswith("--"):
                        problems.append(f"{where}: pvh-sev {cmd} {name}: value missing")
                    j += 1
                elif table[name] == "flag" and "=" in a:
                    problems.append(f"{where}: pvh-sev {cmd} {name} takes no value")
            j += 1
    return used


def run_block(text, cwd, env):
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", text],
                          cwd=cwd, env=env, capture_output=True, text=True)


def dry_run(where, blocks, pvh, kernel):
    """The predict and compare blocks, for real, with a launch report made up three ways."""
    predict = [t for _, t in blocks if re.search(r"--json\s*(\\\s*)?> predicted\.json", t)]
    compare = [t for _, t in blocks if "--expect-ld" in t]
    if len(predict) != 1 or len(compare) != 1:
        problems.append(f"{where}: expected one predict and one compare block, found "
                        f"{len(predict)} and {len(compare)}")
        return
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(pvh)) + ":" +
                   os.environ["PATH"], KERNEL=os.path.abspath(kernel), SMP="2", MEM="128M",
                   CMDLINE="console=com1", TIK="", PVH_SEV_TIK="")
        r = run_block(predict[0], d, env)
        if r.returncode:
            problems.append(f"{where}: the predict block failed: {r.stdout}{r.stderr}")
            return
        ld = json.load(open(os.path.join(d, "predicted.json")))["ld"]
        cases = [("matching", {"launch": {"ld": ld}}, 0, "matches"),
                 ("wrong", {"launch": {"ld": "0" * 64}}, 1, "mismatch"),
                 ("launch-less", {"ending": "vmm-error"}, 1, "no launch.ld")]
        for name, report, want, says in cases:
            with open(os.path.join(d, "launch-report.json"), "w") as f:
                json.dump(report, f)
            r = run_block(compare[0], d, env)
            if (r.returncode != 0) != (want != 0) or says not in r.stdout:
                problems.append(f"{where}: compare block with a {name} report: status "
                                f"{r.returncode}, output {r.stdout!r}{r.stderr!r}")


def main(list_options, pvh, man_scd, kernel, github, gitlab):
    table = options_table(list_options)
    per_command = options_per_command(open(man_scd).read())
    help_text = subprocess.run([pvh, "--help"], check=True, capture_output=True,
                               text=True).stdout
    commands = set(re.findall(r"\S*pvh-sev ([a-z]+) ", help_text))
    for path, is_github in ((github, True), (gitlab, False)):
        try:
            doc = yaml.safe_load(open(path))
        except yaml.YAMLError as e:
            problems.append(f"{path}: not YAML: {e}")
            continue
        blocks = list(scripts_of(doc, is_github))
        used = sum(check_invocations(f"{path}: {name}", text, table, per_command, commands)
                   for name, text in blocks)
        if used < 5:
            problems.append(f"{path}: only {used} pvh-sev invocations found")
        dry_run(path, blocks, pvh, kernel)
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print("ok: both CI templates parse, use existing commands and options, and their "
              "compare step passes a match and fails a mismatch readably")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
