#!/usr/bin/python3
"""Validate glass's JSON Lines output against a JSON Schema.

Usage: validate_schema.py SCHEMA [FILE]

Reads JSON Lines from FILE (or stdin) and validates every non-empty line
with a Draft 2020-12 validator.  Prints "ok: N documents" and exits 0 when
all pass; otherwise prints "line K: <path>: <message>" for the first error
of each bad line and exits 1.  A line that is not JSON is an error, and so
is input with no document at all.  Exit 2: bad usage or a bad schema.

Written for Debian's /usr/bin/python3 with python3-jsonschema (4.10).
"""

import json
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write("validate_schema.py: cannot import jsonschema: %s\n" % e)
    sys.exit(2)


def error_path(error):
    """The error's place in the document, as $.a.b[0].c."""
    out = "$"
    for part in error.absolute_path:
        if isinstance(part, int):
            out += "[%d]" % part
        else:
            out += "." + str(part)
    return out


def first_error(validator, doc):
    """The most relevant error, or None: best_match picks the deepest,
    least ambiguous one among anyOf/allOf branches."""
    errors = list(validator.iter_errors(doc))
    if not errors:
        return None
    return jsonschema.exceptions.best_match(errors)


MAX_MESSAGE = 240


def oneline(text):
    """One line, and short: a message may quote a whole subtree."""
    text = " ".join(str(text).split())
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE - 3] + "..."
    return text


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: validate_schema.py SCHEMA [FILE]\n")
        return 2
    schema_path = argv[1]
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: %s\n" % (schema_path, oneline(e)))
        return 2
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("%s: invalid schema: %s: %s\n"
                         % (schema_path, "/".join(str(p) for p in e.absolute_path) or "$",
                            oneline(e.message)))
        return 2
    # date-time is checked only when the checker has a backend for it
    # (rfc3339-validator); the schema's pattern checks it in any case.
    validator = Draft202012Validator(schema, format_checker=FormatChecker())

    if len(argv) == 3:
        try:
            stream = open(argv[2], encoding="utf-8", errors="strict")
        except OSError as e:
            sys.stderr.write("%s: %s\n" % (argv[2], oneline(e)))
            return 2
    else:
        stream = sys.stdin
        stream.reconfigure(encoding="utf-8", errors="strict")

    documents = 0
    bad = 0
    lineno = 0
    try:
        for line in stream:
            lineno += 1
            if not line.strip():
                continue
            documents += 1
            try:
                doc = json.loads(line.rstrip("\r\n"))
            except ValueError as e:
                print("line %d: not JSON: %s" % (lineno, oneline(e)))
                bad += 1
                continue
            err = first_error(validator, doc)
            if err is not None:
                print("line %d: %s: %s" % (lineno, error_path(err), oneline(err.message)))
                bad += 1
    except UnicodeDecodeError as e:
        print("line %d: not UTF-8: %s" % (lineno + 1, oneline(e)))
        return 1
    finally:
        if stream is not sys.stdin:
            stream.close()

    if bad:
        return 1
    if documents == 0:
        print("no documents")
        return 1
    print("ok: %d documents" % documents)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
