#!/usr/bin/python3
"""Validates JSON documents against pvh-sev's JSON Schemas (draft 2020-12) with python3-jsonschema.

validate_json.py [--invalid] SCHEMA_DIR SCHEMA_FILE DOCUMENT...

Every *.schema.json in SCHEMA_DIR is loaded under its $id, so references between the schemas
resolve offline. Exit 0 when every document is valid (with --invalid: when every one is
rejected, to show the schema does catch what it should), else 1 with one line per problem.
"""
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("FAIL: python3-jsonschema is not installed (scripts/install-deps.sh installs it)")


def make_validator(schema_dir, name):
    d = pathlib.Path(schema_dir)
    schemas = [json.loads(p.read_text()) for p in sorted(d.glob("*.schema.json"))]
    schema = json.loads((d / name).read_text())
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    try:  # jsonschema >= 4.18 resolves through the referencing library
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas)
        return cls(schema, registry=registry)
    except ImportError:  # Debian 12's jsonschema 4.10
        store = {s["$id"]: s for s in schemas}
        return cls(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store))


def main(argv):
    invalid = argv[:1] == ["--invalid"]
    if invalid:
        argv = argv[1:]
    if len(argv) < 3:
        sys.exit(__doc__)
    validator = make_validator(argv[0], argv[1])
    failed = False
    for path in argv[2:]:
        try:
            doc = json.loads(pathlib.Path(path).read_text())
        except (OSError, ValueError) as e:
            print(f"FAIL: {path}: not JSON: {e}")
            failed = True
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if invalid and not errors:
            print(f"FAIL: {path}: accepted by {argv[1]}, but should be rejected")
            failed = True
        for e in [] if invalid else errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"FAIL: {path}: {where}: {e.message}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
