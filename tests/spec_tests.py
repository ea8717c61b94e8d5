#!/usr/bin/env python3
"""Run the "example quotes" blocks of literate spec files against stance.

usage: tests/spec_tests.py [--bin PATH] [--verbose] [--line N] FILE...

A spec file is prose with examples in the style of the CommonMark spec:

    ```````````````````````````````` example quotes
    article text (one or more lines, one paragraph per line)
    .
    «quote text» — Speaker Name
    «another quote» — (none)
    ````````````````````````````````

For each "example quotes" block the article text is written to a temporary
file and  BIN quotes --format jsonl FILE  is run on it; the "quote" and
"speaker" fields of its records, in order, must equal the expected lines
exactly ("(none)" stands for a null speaker; no lines after the "." means
no quotes).  As in the CommonMark spec, "→" in the text stands for a tab.
Blocks of any other kind ("example sentences", ...) are skipped: other
runners own them.

--line N runs only the example whose opening fence is on line N;
--verbose also prints the passing examples.  Prints one line per failure
and the closing line "spec: N passed, M failed"; exits 1 on any failure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(`{3,}) example ([A-Za-z_-]+)\s*$")
SEPARATOR = " — "
TIMEOUT = 60


class Example:
    def __init__(self, path, line, kind):
        self.path = path
        self.line = line  # 1-based line of the opening fence
        self.kind = kind
        self.text = []
        self.expected = []


def read_examples(path):
    """Returns the examples of one file, and a list of format errors."""
    examples, errors = [], []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, ex = m.group(1), Example(path, i + 1, m.group(2))
        i += 1
        in_text, closed = True, False
        while i < len(lines):
            line = lines[i]
            if line == fence:
                closed = True
                i += 1
                break
            if in_text and line == ".":
                in_text = False
            elif in_text:
                ex.text.append(line)
            else:
                ex.expected.append(line)
            i += 1
        if not closed:
            errors.append(f"{path}:{ex.line}: example not closed by {fence}")
        elif in_text and ex.kind == "quotes":
            errors.append(f"{path}:{ex.line}: example has no '.' line")
        else:
            examples.append(ex)
    return examples, errors


def parse_expected(line):
    """«quote» — Speaker  ->  (quote, speaker or None); None if malformed."""
    if not line.startswith("«"):
        return None
    cut = line.rfind("»" + SEPARATOR)
    if cut < 0:
        return None
    quote = line[1:cut]
    speaker = line[cut + 1 + len(SEPARATOR):]
    if speaker == "(none)":
        speaker = None
    elif not speaker:
        return None
    return quote, speaker


def show(pairs):
    return "\n".join(
        f"      «{q}» — {'(none)' if s is None else s}" for q, s in pairs
    ) or "      (no quotes)"


def run_example(binary, ex, workdir):
    """Returns None when the example passes, else the reason."""
    expected = []
    for n, line in enumerate(ex.expected, 1):
        if line == "":
            continue
        pair = parse_expected(line)
        if pair is None:
            return f"expected line {ex.line + len(ex.text) + 1 + n} is not «quote» — speaker: {line!r}"
        expected.append(pair)
    text = "\n".join(ex.text).replace("→", "\t")
    path = os.path.join(workdir, "example.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text + "\n" if text else "")
    try:
        run = subprocess.run([binary, "quotes", "--format", "jsonl", path],
                             capture_output=True, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as e:
        return f"could not run {binary}: {e}"
    if run.returncode != 0:
        err = run.stderr.decode("utf-8", "replace").strip()[:300]
        return f"exit status {run.returncode}: {err}"
    got = []
    for n, raw in enumerate(run.stdout.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
            got.append((record["quote"], record["speaker"]))
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
            return f"output line {n} is not a quote record ({e}): {raw[:120]!r}"
    if got != expected:
        return "expected:\n" + show(expected) + "\n    got:\n" + show(got)
    return None


def main(argv):
    binary, verbose, only_line, files = "build/stance", False, None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--bin" and i + 1 < len(argv):
            binary = argv[i + 1]
            i += 2
            continue
        if a == "--line" and i + 1 < len(argv):
            only_line = int(argv[i + 1])
            i += 2
            continue
        if a == "--verbose":
            verbose = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("--"):
            print(f"spec_tests.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="stance-spec.") as workdir:
        for path in files:
            try:
                examples, errors = read_examples(path)
            except OSError as e:
                print(f"{path}: {e.strerror}")
                failed += 1
                continue
            for err in errors:
                print(err)
                failed += 1
            for ex in examples:
                if ex.kind != "quotes":
                    continue
                if only_line is not None and ex.line != only_line:
                    continue
                why = run_example(binary, ex, workdir)
                if why is None:
                    passed += 1
                    if verbose:
                        print(f"ok   {path}:{ex.line}")
                else:
                    failed += 1
                    print(f"FAIL {path}:{ex.line}: {why}")
                    print("    input:\n" + "\n".join("      " + t for t in ex.text))
    print(f"spec: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
