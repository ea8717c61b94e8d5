#!/usr/bin/env python3
"""Checks the cue lexicons (training-data/lexicon/*.tsv) and lists gaps.

    python3 scripts/lexicon-check.py [--gaps] [--all] [LEXDIR]

Errors (exit status 1): a bad header, a line without three TAB-separated
fields, a term that is not lowercase with single spaces, a weight that is
not a number in [-3, 3] or has the wrong sign for its list, a duplicate
term within a file, a term that is both a threat and a conciliation cue.
These are the loader's and tests/test_lexicon.c's rules, checked here
without building anything.

--gaps lists likely inflection gaps of threat.tsv and conciliation.tsv:
for every single-word cue that looks like a verb (from its listed forms or
its ending), the regular forms -s/-ed/-ing and the -ation noun of -ate
verbs that are not in the same file; and for every -ise/-ize or
-our/-or spelling, the other spelling.  It guesses from spelling only (no
dictionary), so it is a list to read, not to paste: --all adds the guesses
for words that do not look like verbs.  A form listed in the other cue
file is not reported (it was put there on purpose).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUE_FILES = ("threat.tsv", "conciliation.tsv")
SIGN = {"threat.tsv": 1, "conciliation.tsv": 1, "intensifiers.tsv": 1, "downtoners.tsv": -1}
NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)$")

# Irregular verbs that appear in statements of threat or conciliation:
# base -> (third person, past, past participle, -ing).
IRREGULAR = {
    "strike": ("strikes", "struck", "struck", "striking"),
    "hit": ("hits", "hit", "hit", "hitting"),
    "fight": ("fights", "fought", "fought", "fighting"),
    "bite": ("bites", "bit", "bitten", "biting"),
    "pay": ("pays", "paid", "paid", "paying"),
    "seek": ("seeks", "sought", "sought", "seeking"),
    "bring": ("brings", "brought", "brought", "bringing"),
    "shoot": ("shoots", "shot", "shot", "shooting"),
    "forgive": ("forgives", "forgave", "forgiven", "forgiving"),
    "shed": ("sheds", "shed", "shed", "shedding"),
    "cut": ("cuts", "cut", "cut", "cutting"),
    "tear": ("tears", "tore", "torn", "tearing"),
    "hold": ("holds", "held", "held", "holding"),
    "meet": ("meets", "met", "met", "meeting"),
    "take": ("takes", "took", "taken", "taking"),
    "make": ("makes", "made", "made", "making"),
    "give": ("gives", "gave", "given", "giving"),
    "break": ("breaks", "broke", "broken", "breaking"),
    "sit": ("sits", "sat", "sat", "sitting"),
    "build": ("builds", "built", "built", "building"),
    "bury": ("buries", "buried", "buried", "burying"),
}
# Endings of words that are not verbs (nouns, adjectives, adverbs).
NOT_VERB = re.compile(
    r"(tion|sion|ment|ness|ity|ism|ful|ous|ive|ic|al|ly|ry|ty|ance|ence|ant|ent|"
    r"ary|ory|ist|ship|hood|ward|less|able|ible|ial|ian|ship|ory|ure|fare|war|"
    r"peace|truce|wrath|fury|price|mercy)$")
VOWELS = "aeiou"


def double_final(base):
    """Whether a regular verb doubles its last consonant (stop -> stopped)."""
    return (len(base) >= 3 and base[-1] not in VOWELS + "wxy" and base[-2] in VOWELS
            and base[-3] not in VOWELS and len(base) <= 4)


def forms(base):
    """The regular (or listed irregular) forms of a verb base."""
    if base in IRREGULAR:
        return set(IRREGULAR[base])
    if base.endswith("e"):
        stem = base[:-1]
        return {base + "s", base + "d", stem + "ing"}
    if base.endswith("y") and base[-2:-1] not in VOWELS:
        return {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if re.search(r"(s|x|z|ch|sh)$", base):
        return {base + "es", base + "ed", base + "ing"}
    if double_final(base):
        return {base + "s", base + base[-1] + "ed", base + base[-1] + "ing"}
    return {base + "s", base + "ed", base + "ing"}


E_STEM = re.compile(r"([aeiou][^aeiouwxy]?[cgvz]|[^aeiou][aeiou][tdgslm]|[aeiou]s|iz|u|[^aeiou]l|ng)$")


def guess_base(word, candidates):
    """Of the bases an -ed/-ing/-s form may come from, the likeliest."""
    if len(candidates) <= 1:
        return candidates
    for suf in ("ing", "ed"):
        if word.endswith(suf):
            stem = word[: -len(suf)]
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls" and stem[:-1] in candidates:
                return {stem[:-1]}
            if stem + "e" in candidates and E_STEM.search(stem) and not stem.endswith(("ng", "ck")):
                return {stem + "e"}
            if stem in candidates:
                return {stem}
    if word.endswith("es") and word[:-1] in candidates and not re.search(r"(s|x|z|ch|sh)es$", word):
        return {word[:-1]}
    if word.endswith("es") and word[:-2] in candidates:
        return {word[:-2]}
    return {min(candidates, key=len)}


def lemmas(word):
    """Bases a word may be a regular form of (itself included)."""
    out = {word}
    for base, fs in IRREGULAR.items():
        if word in fs:
            out.add(base)
    for suf in ("ing", "ed"):
        if word.endswith(suf) and len(word) > len(suf) + 2:
            stem = word[: -len(suf)]
            out.update({stem, stem + "e"})
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.add(stem[:-1])
    if word.endswith("ied"):
        out.add(word[:-3] + "y")
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    elif word.endswith("es"):
        out.update({word[:-2], word[:-1]})
    elif word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    return out


def read(path, name, errors):
    """The (term, weight, note, line number) rows of one file."""
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "term\tweight\tnote":
        errors.append(f"{name}:1: header is not term<TAB>weight<TAB>note")
    seen = {}
    for no, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 3:
            errors.append(f"{name}:{no}: {len(fields)} fields, not 3: {line!r}")
            continue
        term, weight, note = fields
        if not term or term != term.lower() or term != " ".join(term.split()) or "\u2019" in term:
            errors.append(f"{name}:{no}: term {term!r} is not lowercase words with single spaces")
        if not NUMBER.match(weight) or not -3 <= float(weight) <= 3:
            errors.append(f"{name}:{no}: weight {weight!r} is not a number in [-3, 3]")
            continue
        w = float(weight)
        sign = SIGN.get(name)
        if sign is not None and w * sign <= 0:
            errors.append(f"{name}:{no}: weight {weight} has the wrong sign for this list")
        if term in seen:
            errors.append(f"{name}:{no}: duplicate term {term!r} (first on line {seen[term]})")
        seen[term] = no
        rows.append((term, w, note, no))
    return rows


NOT_ISE = {"compromise", "exercise", "praise", "promise", "advise", "revise", "surprise",
           "raise", "rise", "otherwise", "enterprise", "comprise", "despise", "supervise",
           "devise", "premise", "precise", "concise", "expertise", "chastise", "disguise",
           "franchise", "merchandise", "wise", "size", "prize", "seize", "capsize", "downsize"}
NOT_OUR = {"hour", "four", "pour", "sour", "tour", "your", "flour", "devour", "detour"}
VERB_ENDING = re.compile(r"(ate|ise|ize|ify|en|ect|uce|ude|ige|ish)$")
NOUN_ENDING = re.compile(r"(tion|sion|ment|ure|um|ade|ance|ence|ty|cy|ism|ship|ist|ess)$")


def gaps(files, show_all):
    out = []
    cue_terms = {t for n in CUE_FILES for t, _, _, _ in files.get(n, [])}
    said = {t for t, _, _, _ in files.get("attribution-verbs.tsv", [])}
    for name in CUE_FILES:
        here = {t for t, _, _, _ in files.get(name, [])}
        listed = cue_terms
        singles = sorted(t for t in here if " " not in t)
        # Words that are themselves a regular or irregular form of a shorter base.
        cands = {w: {b for b in lemmas(w) if b != w and w in forms(b) and not NOT_VERB.search(b)}
                 for w in singles}
        bases = {}
        for w in singles:
            if cands[w]:
                known = cands[w] & here
                for b in known or guess_base(w, cands[w]):
                    bases.setdefault(b, set()).add(w)
            else:
                bases.setdefault(w, set()).add(w)
        missing = {}
        for b, seen in sorted(bases.items()):
            evidence = (seen - {b}) or (forms(b) & (listed | said)) or b in IRREGULAR
            verb = evidence or VERB_ENDING.search(b) or (show_all and not NOT_VERB.search(b))
            if verb and not NOUN_ENDING.search(b):
                family = forms(b) | {b}
                if b.endswith("ate"):
                    family.add(b[:-1] + "ion")
                for f in family - listed:
                    missing.setdefault(f, set()).update(seen)
            elif NOUN_ENDING.search(b) or show_all:
                plural = b + "es" if re.search(r"(s|x|z|ch|sh)$", b) else (
                    b[:-1] + "ies" if b.endswith("y") and b[-2:-1] not in VOWELS else b + "s")
                if plural not in listed and not b.endswith("s"):
                    missing.setdefault(plural, set()).update(seen)
        for t in sorted(here):
            words = t.split()
            for i, w in enumerate(words):
                for a, b2 in (("ise", "ize"), ("ised", "ized"), ("ising", "izing"), ("ises", "izes"),
                              ("isation", "ization"), ("our", "or"), ("ours", "ors")):
                    for x, y in ((a, b2), (b2, a)):
                        if not w.endswith(x) or len(w) <= len(x) + 2:
                            continue
                        stem = w[: -len(x)]
                        if x.startswith(("is", "iz")) and (stem + "ise" in NOT_ISE or stem + "ize" in NOT_ISE):
                            continue
                        if x.startswith("o") and (stem + "our" in NOT_OUR or x in ("or", "ors")):
                            continue
                        alt = " ".join(words[:i] + [stem + y] + words[i + 1:])
                        if alt not in listed:
                            missing.setdefault(alt, set()).add(t)
        for f in sorted(missing):
            out.append(f"{name}: missing {f!r} (from {', '.join(sorted(missing[f]))})")
    return out


def main(argv):
    show_gaps = "--gaps" in argv or "--all" in argv
    show_all = "--all" in argv
    args = [a for a in argv if not a.startswith("--")]
    lexdir = args[0] if args else os.path.join(ROOT, "training-data", "lexicon")
    errors, files = [], {}
    for name in sorted(os.listdir(lexdir)):
        if name.endswith(".tsv"):
            files[name] = read(os.path.join(lexdir, name), name, errors)
    for name in CUE_FILES:
        if name not in files:
            errors.append(f"{name}: missing (required)")
    threat = {t: no for t, _, _, no in files.get("threat.tsv", [])}
    for t, _, _, no in files.get("conciliation.tsv", []):
        if t in threat:
            errors.append(f"conciliation.tsv:{no}: {t!r} is also threat.tsv:{threat[t]}")
    for e in errors:
        print(e)
    counts = ", ".join(f"{n} {len(r)}" for n, r in sorted(files.items()))
    print(f"lexicon-check: {counts}; {len(errors)} error(s)", file=sys.stderr)
    if show_gaps:
        g = gaps(files, show_all)
        for line in g:
            print(line)
        print(f"lexicon-check: {len(g)} possible gap(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
