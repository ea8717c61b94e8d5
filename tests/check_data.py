#!/usr/bin/env python3
"""Checks the labelled training data (run by `make data-test`).

Reads training-data/train.tsv and test.tsv, or, while those do not exist
yet, training-data/parts/*.tsv, and checks
  - format: exact header, 7 tab fields, known labels, no empty field but
    `hard`, unique ids, the quote a substring of its sentence;
  - counts: >= 4000 rows, >= 1200 per label, every label >= 30% of rows,
    >= 25 topics, >= 400 speakers, >= 20% hard rows, test >= 15% of all;
  - that train.tsv + test.tsv hold exactly the rows of parts/ (when both
    exist), i.e. scripts/split-data was re-run after the parts changed;
  - attribution verbs: every verb of a fixed list found (outside the
    quote) in >= 5 sentences appears under at least two labels, so the
    verb alone does not give the label away;
  - near duplicates: no two quotes share more than 60% of their word
    3-grams (shared / the smaller quote's count; quotes with >= 3);
  - no copying: no quote of 5+ words appears in ../shared/eval/dev.tsv,
    ../shared/eval/articles/*.txt or ../shared/seeds/*.txt (skipped,
    with a message, when ../shared is absent).
Then training-data/articles.tsv (the development articles' quotes as
training rows, made by scripts/article-rows), when it exists: the same
header and fields (speaker may be empty: nobody named), ids art-NNN-K
unique and apart from the written rows', the quote a substring of its
sentence, no copying, and that it holds exactly the quotes and labels of
training-data/dev-articles/*.gold.json (so it was remade after they
changed).
Prints counts per label, topic and hard kind, one PASS/FAIL line per check
(with at most 20 offending rows each), and `data: N passed, M failed`.
Exit status 1 when a check fails.  Standard library only.
"""

import argparse
import collections
import glob
import json
import os
import re
import sys
import unicodedata

HEADER = ["id", "label", "quote", "sentence", "speaker", "topic", "hard"]
LABELS = ("threatening", "conciliatory", "neutral")
MAX_LISTED = 20

MIN_ROWS = 4000
MIN_PER_LABEL = 1200
MIN_LABEL_SHARE = 0.30
MIN_TOPICS = 25
MIN_SPEAKERS = 400
MIN_HARD_SHARE = 0.20
MIN_TEST_SHARE = 0.15
VERB_MIN_SENTENCES = 5
VERB_MIN_LABELS = 2
MAX_TRIGRAM_OVERLAP = 0.60
MIN_TRIGRAMS = 3
LEAK_MIN_WORDS = 5

# Attribution verbs whose distribution over labels is checked.  Fixed
# here (not read from the lexicon) so the check cannot change silently.
ATTRIBUTION_VERBS = [
    "said", "says", "told", "tells", "added", "adds", "warned", "warns",
    "vowed", "vows", "insisted", "insists", "stressed", "stresses", "wrote",
    "writes", "tweeted", "posted", "noted", "notes", "declared", "declares",
    "argued", "argues", "cautioned", "urged", "urges", "pledged", "pledges",
    "promised", "promises", "threatened", "threatens", "offered", "offers",
    "announced", "announces", "replied", "responded", "explained",
    "emphasised", "emphasized", "underlined", "acknowledged", "admitted",
    "conceded", "complained", "accused", "accuses", "repeated", "reiterated",
    "continued", "claimed", "asserted", "maintained", "suggested", "proposed",
    "predicted", "confirmed", "denied", "asked", "demanded", "recalled",
    "according to",
]

WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
QUOTE_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
})


def words(text):
    """Lowercased word tokens (letters and digits, inner ' and - kept)."""
    text = unicodedata.normalize("NFC", text).translate(QUOTE_CHARS).lower()
    return WORD_RE.findall(text)


class Row:
    __slots__ = ("fields", "where", "split")

    def __init__(self, fields, where, split):
        self.fields = fields
        self.where = where
        self.split = split

    def __getattr__(self, name):
        return self.fields[HEADER.index(name)]

    def tag(self):
        row_id = self.fields[0] if self.fields else "?"
        return f"{self.where} {row_id}"


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, problems, detail=""):
        """One check: `problems` is a list of lines naming offending rows."""
        if problems:
            self.failed += 1
            print(f"FAIL {name}: {len(problems)} problem{'s' if len(problems) != 1 else ''}"
                  + (f" ({detail})" if detail else ""))
            for line in problems[:MAX_LISTED]:
                print(f"    {line}")
            if len(problems) > MAX_LISTED:
                print(f"    ... and {len(problems) - MAX_LISTED} more")
        else:
            self.passed += 1
            print(f"PASS {name}" + (f" ({detail})" if detail else ""))

    def skip(self, name, why):
        print(f"SKIP {name}: {why}")


def read_tsv(path, split, header_problems, field_problems):
    """Rows of one TSV file; structural problems are appended to the lists."""
    rows = []
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as err:
        header_problems.append(f"{path}: {err.strerror}")
        return rows
    with fh:
        try:
            lines = fh.read().split("\n")
        except UnicodeDecodeError as err:
            header_problems.append(f"{path}: not UTF-8 ({err.reason} at byte {err.start})")
            return rows
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        header_problems.append(f"{path}: empty file (no header)")
        return rows
    first = lines[0].rstrip("\r").split("\t")
    if first != HEADER:
        header_problems.append(f"{path}:1: header is {lines[0]!r}, expected {chr(9).join(HEADER)!r}")
    for lineno, line in enumerate(lines[1:], 2):
        fields = line.rstrip("\r").split("\t")
        where = f"{os.path.relpath(path)}:{lineno}"
        if len(fields) != len(HEADER):
            field_problems.append(f"{where}: {len(fields)} tab-separated fields, expected {len(HEADER)}")
            continue
        rows.append(Row(fields, where, split))
    return rows


def print_counts(rows):
    total = len(rows)
    print(f"rows: {total}")
    by_label = collections.Counter(r.label for r in rows)
    by_split = collections.Counter(r.split for r in rows)
    print("labels:")
    for label in LABELS:
        n = by_label.get(label, 0)
        share = 100.0 * n / total if total else 0.0
        per_split = ", ".join(f"{s} {sum(1 for r in rows if r.split == s and r.label == label)}"
                              for s in sorted(by_split))
        print(f"    {label:<13} {n:5d}  {share:5.1f}%  ({per_split})")
    for label in sorted(set(by_label) - set(LABELS)):
        print(f"    {label!r:<13} {by_label[label]:5d}  (unknown label)")
    topics = collections.Counter(r.topic for r in rows)
    print(f"topics: {len(topics)}")
    for topic, n in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])):
        labels = collections.Counter(r.label for r in rows if r.topic == topic)
        mix = " ".join(f"{lab[0]}{labels.get(lab, 0)}" for lab in LABELS)
        print(f"    {topic or '(empty)':<28} {n:5d}  {mix}")
    hard = collections.Counter(r.hard for r in rows if r.hard)
    n_hard = sum(hard.values())
    print(f"hard kinds: {len(hard)}, hard rows {n_hard}"
          f" ({100.0 * n_hard / total if total else 0.0:.1f}%)")
    for kind, n in sorted(hard.items(), key=lambda kv: (-kv[1], kv[0])):
        labels = collections.Counter(r.label for r in rows if r.hard == kind)
        mix = " ".join(f"{lab[0]}{labels.get(lab, 0)}" for lab in LABELS)
        print(f"    {kind:<28} {n:5d}  {mix}")
    speakers = {r.speaker for r in rows if r.speaker}
    print(f"speakers: {len(speakers)}")
    print(f"splits: " + ", ".join(f"{s} {n}" for s, n in sorted(by_split.items())))


def check_format(report, rows, header_problems, field_problems):
    report.check("header", header_problems)
    report.check("7 tab-separated fields", field_problems)
    report.check("known labels",
                 [f"{r.tag()}: label {r.label!r}" for r in rows if r.label not in LABELS],
                 "one of " + ", ".join(LABELS))
    empty = []
    for r in rows:
        missing = [HEADER[i] for i, f in enumerate(r.fields) if HEADER[i] != "hard" and f.strip() == ""]
        if missing:
            empty.append(f"{r.tag()}: empty {', '.join(missing)}")
    report.check("no empty field except hard", empty)
    first, dups = {}, []
    for r in rows:
        if r.id in first:
            dups.append(f"{r.tag()}: id {r.id!r} also at {first[r.id]}")
        else:
            first[r.id] = r.where
    report.check("unique ids", dups)
    report.check("quote is a substring of sentence",
                 [f"{r.tag()}: quote {r.quote[:60]!r} not in its sentence"
                  for r in rows if r.quote and r.quote not in r.sentence])


def check_counts(report, rows, have_split):
    total = len(rows)
    by_label = collections.Counter(r.label for r in rows)
    report.check(f"at least {MIN_ROWS} rows",
                 [] if total >= MIN_ROWS else [f"{total} rows"], f"{total}")
    report.check(f"at least {MIN_PER_LABEL} rows per label",
                 [f"{lab}: {by_label.get(lab, 0)}" for lab in LABELS
                  if by_label.get(lab, 0) < MIN_PER_LABEL],
                 ", ".join(f"{lab} {by_label.get(lab, 0)}" for lab in LABELS))
    report.check(f"every label at least {MIN_LABEL_SHARE:.0%} of rows",
                 [f"{lab}: {100.0 * by_label.get(lab, 0) / total:.1f}%" for lab in LABELS
                  if total and by_label.get(lab, 0) < MIN_LABEL_SHARE * total] or
                 ([] if total else ["no rows"]))
    topics = {r.topic for r in rows if r.topic}
    report.check(f"at least {MIN_TOPICS} topics",
                 [] if len(topics) >= MIN_TOPICS else [f"{len(topics)} topics"], f"{len(topics)}")
    speakers = {r.speaker for r in rows if r.speaker}
    report.check(f"at least {MIN_SPEAKERS} speakers",
                 [] if len(speakers) >= MIN_SPEAKERS else [f"{len(speakers)} speakers"],
                 f"{len(speakers)}")
    n_hard = sum(1 for r in rows if r.hard)
    report.check(f"at least {MIN_HARD_SHARE:.0%} hard rows",
                 [] if total and n_hard >= MIN_HARD_SHARE * total
                 else [f"{n_hard} of {total} rows"],
                 f"{100.0 * n_hard / total if total else 0.0:.1f}%")
    if have_split:
        n_test = sum(1 for r in rows if r.split == "test")
        report.check(f"test at least {MIN_TEST_SHARE:.0%} of all",
                     [] if total and n_test >= MIN_TEST_SHARE * total
                     else [f"{n_test} of {total} rows in test.tsv"],
                     f"{100.0 * n_test / total if total else 0.0:.1f}%")
    else:
        report.check(f"test at least {MIN_TEST_SHARE:.0%} of all",
                     ["no train.tsv/test.tsv yet: run scripts/split-data"])


def check_split_current(report, rows, parts_dir):
    """train.tsv + test.tsv hold exactly the rows of parts/*.tsv."""
    paths = sorted(glob.glob(os.path.join(parts_dir, "*.tsv")))
    if not paths:
        report.skip("split matches parts/", f"no {parts_dir}/*.tsv")
        return
    part_rows, hp, fp = [], [], []
    for p in paths:
        part_rows.extend(read_tsv(p, "parts", hp, fp))
    split_rows = {tuple(r.fields) for r in rows}
    in_parts = {tuple(r.fields) for r in part_rows}
    problems = [f"{r.tag()}: not in train.tsv/test.tsv (or changed since the split)"
                for r in part_rows if tuple(r.fields) not in split_rows]
    problems += [f"{r.tag()}: not in parts/ (or changed since the split)"
                 for r in rows if tuple(r.fields) not in in_parts]
    if hp or fp:
        problems += [f"parts: {p}" for p in hp + fp]
    report.check("split matches parts/", problems, "re-run scripts/split-data" if problems else "")


def check_attribution_verbs(report, rows):
    verb_tokens = {v: tuple(v.split()) for v in ATTRIBUTION_VERBS}
    firsts = collections.defaultdict(list)
    for v, toks in verb_tokens.items():
        firsts[toks[0]].append((v, toks))
    seen = {v: collections.Counter() for v in ATTRIBUTION_VERBS}
    for r in rows:
        outside = r.sentence.replace(r.quote, " ", 1) if r.quote else r.sentence
        toks = words(outside)
        found = set()
        for i, t in enumerate(toks):
            for v, vt in firsts.get(t, ()):
                if tuple(toks[i:i + len(vt)]) == vt:
                    found.add(v)
        for v in found:
            seen[v][r.label] += 1
    problems, checked = [], 0
    for v in ATTRIBUTION_VERBS:
        counts = seen[v]
        n = sum(counts.values())
        if n < VERB_MIN_SENTENCES:
            continue
        checked += 1
        labels = [lab for lab in LABELS if counts.get(lab)]
        if len(labels) < VERB_MIN_LABELS:
            mix = ", ".join(f"{lab} {counts.get(lab, 0)}" for lab in LABELS)
            problems.append(f"{v!r}: in {n} sentences, all {labels[0] if labels else '?'} ({mix})")
    report.check("attribution verbs spread over labels", problems,
                 f"{checked} verbs in >= {VERB_MIN_SENTENCES} sentences")


def check_near_duplicates(report, rows):
    shingles = []
    for r in rows:
        toks = words(r.quote)
        grams = {tuple(toks[i:i + 3]) for i in range(len(toks) - 2)}
        shingles.append(grams if len(grams) >= MIN_TRIGRAMS else None)
    index = collections.defaultdict(list)
    for i, grams in enumerate(shingles):
        if grams:
            for g in grams:
                index[g].append(i)
    problems = []
    for i, grams in enumerate(shingles):
        if not grams:
            continue
        shared = collections.Counter()
        for g in grams:
            for j in index[g]:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            smaller = min(len(grams), len(shingles[j]))
            if n > MAX_TRIGRAM_OVERLAP * smaller:
                problems.append(f"{rows[i].tag()} ~ {rows[j].tag()}: {n}/{smaller} 3-grams shared"
                                f" ({rows[i].quote[:50]!r} / {rows[j].quote[:50]!r})")
    report.check(f"no two quotes share more than {MAX_TRIGRAM_OVERLAP:.0%} of their 3-grams",
                 problems)


def check_not_copied(report, rows, shared_dir):
    name = "no quote copied from ../shared"
    if not os.path.isdir(shared_dir):
        report.skip(name, f"{shared_dir} not found, copying not checked")
        return
    sources = [os.path.join(shared_dir, "eval", "dev.tsv")]
    sources += sorted(glob.glob(os.path.join(shared_dir, "eval", "articles", "*.txt")))
    sources += sorted(glob.glob(os.path.join(shared_dir, "seeds", "*.txt")))
    sources = [p for p in sources if os.path.isfile(p)]
    if not sources:
        report.skip(name, f"no dev.tsv, articles or seeds under {shared_dir}")
        return
    # Every 5-word window of the reference texts; a quote is copied when
    # all its 5-word windows are there and its words occur in one text in order.
    grams, texts = set(), []
    for p in sources:
        with open(p, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                toks = words(line)
                if len(toks) >= LEAK_MIN_WORDS:
                    texts.append(" " + " ".join(toks) + " ")
                    for i in range(len(toks) - LEAK_MIN_WORDS + 1):
                        grams.add(tuple(toks[i:i + LEAK_MIN_WORDS]))
    problems = []
    for r in rows:
        toks = words(r.quote)
        if len(toks) < LEAK_MIN_WORDS:
            continue
        if all(tuple(toks[i:i + LEAK_MIN_WORDS]) in grams
               for i in range(len(toks) - LEAK_MIN_WORDS + 1)):
            needle = " " + " ".join(toks) + " "
            if any(needle in t for t in texts):
                problems.append(f"{r.tag()}: quote {r.quote[:60]!r} appears in ../shared")
    report.check(name, problems, f"{len(sources)} reference files")


def clean_field(text):
    """A text as scripts/article-rows writes it into a TSV field."""
    return " ".join(text.replace("\t", " ").split())


def check_article_rows(report, path, articles_dir, written, shared_dir):
    """training-data/articles.tsv against the gold files it is made from."""
    header_problems, field_problems = [], []
    rows = read_tsv(path, "articles", header_problems, field_problems)
    print(f"article rows: {len(rows)} in {os.path.relpath(path)}")
    report.check("articles: header and 7 tab-separated fields", header_problems + field_problems)
    bad = [f"{r.tag()}: label {r.label!r}" for r in rows if r.label not in LABELS]
    bad += [f"{r.tag()}: id not art-NNN-K" for r in rows if not re.fullmatch(r"art-\d{3,}-\d+", r.id)]
    bad += [f"{r.tag()}: empty {name}" for r in rows for name in ("quote", "sentence", "topic")
            if getattr(r, name).strip() == ""]
    bad += [f"{r.tag()}: quote {r.quote[:60]!r} not in its sentence" for r in rows if r.quote not in r.sentence]
    seen = {w.id for w in written}
    for r in rows:
        if r.id in seen:
            bad.append(f"{r.tag()}: id {r.id!r} used twice")
        seen.add(r.id)
    report.check("articles: labels, ids, fields, quote in sentence", bad)
    want = {}
    for gold in sorted(glob.glob(os.path.join(articles_dir, "*.gold.json"))):
        number = int(os.path.basename(gold).split("-", 1)[0])
        try:
            with open(gold, encoding="utf-8") as fh:
                quotes = json.load(fh).get("quotes", [])
        except (OSError, ValueError) as err:
            report.check(f"articles: {os.path.relpath(gold)} readable", [str(err)])
            return
        for k, q in enumerate(quotes):
            want[f"art-{number:03d}-{k}"] = (q.get("label"), clean_field(q.get("quote", "")))
    have = {r.id: (r.label, r.quote) for r in rows}
    stale = [f"{i}: {want[i][1][:50]!r} ({want[i][0]}) missing" for i in want if i not in have]
    stale += [f"{i}: not a gold quote" for i in have if i not in want]
    stale += [f"{i}: {have[i]} but the gold file says {want[i]}" for i in have if i in want and have[i] != want[i]]
    report.check("articles.tsv holds the gold quotes and labels of dev-articles (scripts/article-rows)", stale,
                 f"{len(want)} gold quotes")
    check_not_copied(report, rows, shared_dir)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, ".."))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join(root, "training-data"),
                        help="the training-data directory (default: this repository's)")
    parser.add_argument("--shared", default=os.path.join(root, "..", "shared"),
                        help="the shared directory with eval/ and seeds/ (default: ../shared)")
    args = parser.parse_args()

    train = os.path.join(args.data, "train.tsv")
    test = os.path.join(args.data, "test.tsv")
    parts_dir = os.path.join(args.data, "parts")
    header_problems, field_problems = [], []
    have_split = os.path.isfile(train) or os.path.isfile(test)
    if have_split:
        print(f"data: {os.path.relpath(train)} + {os.path.relpath(test)}")
        rows = read_tsv(train, "train", header_problems, field_problems)
        rows += read_tsv(test, "test", header_problems, field_problems)
    else:
        paths = sorted(glob.glob(os.path.join(parts_dir, "*.tsv")))
        print(f"data: no train.tsv/test.tsv yet, reading {len(paths)} files of {os.path.relpath(parts_dir)}/")
        if not paths:
            header_problems.append(f"{parts_dir}: no .tsv files")
        rows = []
        for p in paths:
            rows += read_tsv(p, "parts", header_problems, field_problems)

    print_counts(rows)
    print()
    report = Report()
    check_format(report, rows, header_problems, field_problems)
    check_counts(report, rows, have_split)
    if have_split:
        check_split_current(report, rows, parts_dir)
    check_attribution_verbs(report, rows)
    check_near_duplicates(report, rows)
    check_not_copied(report, rows, args.shared)
    articles = os.path.join(args.data, "articles.tsv")
    if os.path.isfile(articles):
        print()
        check_article_rows(report, articles, os.path.join(args.data, "dev-articles"), rows, args.shared)
    print(f"data: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
