#!/usr/bin/env python3
"""tests/gen_jsonl.py - a JSONL stream of articles for scale tests.

    python3 tests/gen_jsonl.py --records 300 > build/articles.jsonl
    python3 tests/gen_jsonl.py --megabytes 100 > /tmp/big.jsonl
    python3 tests/gen_jsonl.py --records 40 --big-first 2 > build/slow.jsonl

Cycles through the articles of tests/fixtures/articles/*.txt (sorted by
name) and writes one {"id": ..., "text": ..., "n": ...} line per article
until --records lines or --megabytes of output (10^6 bytes); ids are
"NNNNNN-<fixture name>", so every record names its article.  With
--big-first M the first record is one article of about M MB (the
fixtures glued together), far slower to process than the others: a test
of ordered output when the first record finishes last.  The output is a
function of the arguments only.
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=0, help="number of records")
    ap.add_argument("--megabytes", type=float, default=0, help="size of the output in MB")
    ap.add_argument("--big-first", type=float, default=0, metavar="M",
                    help="a first record of about M MB")
    args = ap.parse_args()
    if (args.records > 0) == (args.megabytes > 0):
        ap.error("give one of --records or --megabytes")

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "articles")
    articles = []
    for name in sorted(os.listdir(root)):
        if name.endswith(".txt"):
            with open(os.path.join(root, name), encoding="utf-8") as f:
                articles.append((name[:-4], f.read()))
    if not articles:
        sys.exit("gen_jsonl: no articles in " + root)

    out = sys.stdout.buffer
    limit = int(args.megabytes * 1e6)
    written = 0
    n = 0
    if args.big_first > 0:
        parts = []
        size = 0
        while size < args.big_first * 1e6:
            text = articles[len(parts) % len(articles)][1]
            parts.append(text)
            size += len(text.encode("utf-8"))
        line = json.dumps({"id": "big-first", "text": "\n".join(parts), "n": n},
                          ensure_ascii=False).encode("utf-8") + b"\n"
        out.write(line)
        written += len(line)
        n += 1
    while (args.records and n < args.records) or (limit and written < limit):
        name, text = articles[n % len(articles)]
        line = json.dumps({"id": "%06d-%s" % (n, name), "text": text, "n": n},
                          ensure_ascii=False).encode("utf-8") + b"\n"
        out.write(line)
        written += len(line)
        n += 1


if __name__ == "__main__":
    main()
