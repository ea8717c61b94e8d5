#!/usr/bin/env python3
"""Reads a `stance report` output from standard input with a real parser
(json, csv or html.parser from the standard library), checks what every
report must satisfy, and prints a short summary for tests/cli.sh to
compare.

    stance report --format json FILE... | python3 tests/report_check.py json
    stance report --format csv  FILE... | python3 tests/report_check.py csv
    stance report --format html FILE... | python3 tests/report_check.py html
    ... | python3 tests/report_check.py counts     (json: speakers and quote
                                                   counts only, no labels)

The json and csv summaries are the same lines, so one expected file serves
both.  Exits 1 with a message naming the problem when a check fails.
"""
import csv
import io
import json
import sys
from html.parser import HTMLParser

LABELS = ("threatening", "conciliatory", "neutral")
UNATTRIBUTED = "(unattributed)"


def fail(msg):
    print("report_check: " + msg)
    sys.exit(1)


def summary_line(speaker, quotes, documents, counts, tone, low, high):
    return "%s | %d quotes, %d docs | T %d C %d N %d | tone %.4f [%.4f, %.4f]" % (
        speaker if speaker is not None else UNATTRIBUTED, quotes, documents,
        counts[0], counts[1], counts[2], tone, low, high)


def close(a, b, eps):
    return abs(a - b) <= eps


def check_speaker(sp, where):
    for key in ("speaker", "quotes", "documents", "labels", "shares", "tone", "tone_interval",
                "mean_probabilities", "most_threatening", "most_conciliatory", "names", "sources"):
        if key not in sp:
            fail("%s: no key %r" % (where, key))
    q = sp["quotes"]
    counts = [sp["labels"][l] for l in LABELS]
    if sum(counts) != q or q <= 0:
        fail("%s: label counts %r do not add up to %d quotes" % (where, counts, q))
    if not close(sum(sp["shares"][l] for l in LABELS), 1.0, 2e-4):
        fail("%s: shares do not add up to 1" % where)
    for i, l in enumerate(LABELS):
        if not close(sp["shares"][l], counts[i] / q, 6e-5):
            fail("%s: share of %s" % (where, l))
    tone = (counts[1] - counts[0]) / q
    if not close(sp["tone"], tone, 6e-5):
        fail("%s: tone %r, expected %r" % (where, sp["tone"], tone))
    low, high = sp["tone_interval"]
    if not (-1 <= low <= sp["tone"] <= high <= 1):
        fail("%s: interval %r does not hold the tone %r" % (where, sp["tone_interval"], sp["tone"]))
    means = [sp["mean_probabilities"][l] for l in LABELS]
    if not close(sum(means), 1.0, 2e-3):
        fail("%s: mean probabilities add up to %r" % (where, sum(means)))
    # The merge state must account for every figure.
    sources = sp["sources"]
    if sum(s["quotes"] for s in sources) != q:
        fail("%s: sources hold %d quotes, not %d" % (where, sum(s["quotes"] for s in sources), q))
    for i, l in enumerate(LABELS):
        if sum(s["labels"][l] for s in sources) != counts[i]:
            fail("%s: sources' %s counts" % (where, l))
        total = sum(s["probability_sums"][l] for s in sources)
        if not close(total / q / 1e9, means[i], 6e-5):
            fail("%s: sources' probability sums of %s" % (where, l))
    if len({s["doc"] for s in sources}) != sp["documents"]:
        fail("%s: %d documents, sources name %d" % (where, sp["documents"], len({s["doc"] for s in sources})))
    names = sorted({s["name"] for s in sources if s["name"] is not None})
    if sp["names"] != names:
        fail("%s: names %r, sources name %r" % (where, sp["names"], names))
    if (sp["speaker"] is None) != (not names):
        fail("%s: unattributed row with names, or a named row without" % where)
    for key, label in (("most_threatening", "threatening"), ("most_conciliatory", "conciliatory")):
        best = max(s[key]["probability"] for s in sources)
        ex = sp[key]
        if not close(ex["probability"], best, 1e-12) or ex["label"] not in LABELS or not ex["quote"]:
            fail("%s: %s is not the most probable %s quote" % (where, key, label))
    return summary_line(sp["speaker"], q, sp["documents"], counts, sp["tone"], low, high)


def check_json(text, counts_only=False):
    try:
        report = json.loads(text)
    except ValueError as e:
        fail("not JSON: %s" % e)
    if report.get("format") != "stance-report 1":
        fail("no \"format\": \"stance-report 1\"")
    out = ["documents %d, quotes %d" % (report["documents"], report["quotes"])]
    blocks = report["by_doc"] if "by_doc" in report else [{"speakers": report["speakers"]}]
    all_docs, all_quotes = set(), 0
    for block in blocks:
        if "doc" in block:
            out.append("== %s (%d quotes)" % (block["doc"], block["quotes"]))
            if sum(sp["quotes"] for sp in block["speakers"]) != block["quotes"]:
                fail("%s: speakers do not add up to the block's quotes" % block["doc"])
        for sp in block["speakers"]:
            line = check_speaker(sp, sp["speaker"] or UNATTRIBUTED)
            if counts_only:
                line = "%s | %d quotes, %d docs" % (sp["speaker"] or UNATTRIBUTED, sp["quotes"], sp["documents"])
            out.append(line)
            all_quotes += sp["quotes"]
            all_docs |= {s["doc"] for s in sp["sources"]}
    if all_quotes != report["quotes"] or len(all_docs) != report["documents"]:
        fail("top-level documents/quotes do not match the speakers")
    return out


def check_csv(data):
    if data and not data.endswith(b"\r\n"):
        fail("csv does not end with CRLF")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    header = rows[0]
    if header[:1] == ["doc"]:
        by_doc, header = True, header[1:]
    else:
        by_doc = False
    expected = ["speaker", "quotes", "documents", "threatening", "conciliatory", "neutral",
                "share_threatening", "share_conciliatory", "share_neutral", "tone", "tone_low", "tone_high",
                "mean_threatening", "mean_conciliatory", "mean_neutral",
                "most_threatening_quote", "most_threatening_doc", "most_threatening_probability",
                "most_conciliatory_quote", "most_conciliatory_doc", "most_conciliatory_probability"]
    if header != expected:
        fail("csv header %r" % header)
    out, last_doc = [], None
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(rows[0]):
            fail("csv row %d has %d fields, not %d" % (n, len(row), len(rows[0])))
        if by_doc:
            doc, row = row[0], row[1:]
            if doc != last_doc:
                out.append("== %s" % doc)
                last_doc = doc
        rec = dict(zip(expected, row))
        counts = [int(rec[l]) for l in LABELS]
        q = int(rec["quotes"])
        if sum(counts) != q:
            fail("csv row %d: label counts do not add up" % n)
        out.append(summary_line(rec["speaker"] or None, q, int(rec["documents"]), counts,
                                float(rec["tone"]), float(rec["tone_low"]), float(rec["tone_high"])))
    return out


class Html(HTMLParser):
    FORBIDDEN = {"script", "iframe", "link", "img", "object", "embed", "base", "form", "audio", "video"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bars, self.quotes, self.tags, self.errors = [], 0, [], []
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag in self.FORBIDDEN:
            self.errors.append("forbidden element <%s>" % tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action") or name.startswith("on"):
                self.errors.append("attribute %s on <%s>" % (name, tag))
            if value and "url(" in value:
                self.errors.append("url() in an attribute")
        if tag == "g" and "bar" in (a.get("class") or "").split():
            self.bars.append(a.get("data-speaker"))
        if tag == "li" and "quote" in (a.get("class") or "").split():
            self.quotes += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.tags and self.tags[-1] == "style" and ("url(" in data or "@import" in data):
            self.errors.append("external resource in <style>")


def check_html(text):
    p = Html()
    p.feed(text)
    p.close()
    if not p.doctype:
        fail("no <!DOCTYPE html>")
    if p.errors:
        fail("; ".join(sorted(set(p.errors))))
    if "</html>" not in text:
        fail("no </html>")
    out = ["bars %d, quotes listed %d" % (len(p.bars), p.quotes)]
    out += ["bar: %s" % b for b in p.bars]
    return out


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("json", "csv", "html", "counts"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    data = sys.stdin.buffer.read()
    mode = sys.argv[1]
    if mode == "csv":
        lines = check_csv(data)
    elif mode == "html":
        lines = check_html(data.decode("utf-8"))
    else:
        lines = check_json(data.decode("utf-8"), counts_only=mode == "counts")
        if mode == "json":
            lines = lines[1:]  # the csv has no totals: keep the two summaries equal
        if mode == "json" and any(l.startswith("== ") for l in lines):
            lines = [l.rsplit(" (", 1)[0] if l.startswith("== ") else l for l in lines]
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
