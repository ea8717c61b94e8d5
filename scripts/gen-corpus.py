#!/usr/bin/env python3
"""gen-corpus.py - a deterministic generator of invented political-news
quotes and articles, for `make bench` (scripts/bench).

    scripts/gen-corpus.py quotes N [--seed S] -o FILE.tsv
        N labelled quotes: TSV with id, label, quote, sentence, speaker.
    scripts/gen-corpus.py articles N [--seed S] [--format jsonl|text] -o OUT
        N articles of a few paragraphs (narration and attributed quotes):
        one JSONL file ({"id", "text"}) or, for text, a directory of
        N .txt files.

Everything is made up here from word lists and templates (speakers,
countries and places are invented from syllables); nothing comes from
training-data/ or any real reporting.  The same arguments give the same
bytes on every machine (Python's random with a fixed seed; no set or
dict iteration order involved).  Sentences run about 25 words, like the
sentences of issue 6's measurements.
"""
import argparse
import json
import os
import random
import sys

SYLLABLES = ["ka", "lo", "ven", "dra", "mi", "sor", "tel", "an", "ru", "bek", "sha", "nor", "vi", "ta",
             "gal", "re", "os", "mun", "zi", "pel", "ar", "ko", "lin", "dus", "ve", "ra", "tam", "is"]


def name_list(rng, count, syllables=(2, 3)):
    seen, out = set(), []
    while len(out) < count:
        n = rng.randint(*syllables)
        w = "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


class Words:
    def __init__(self, rng):
        self.countries = name_list(rng, 60)
        self.cities = name_list(rng, 200)
        self.first = name_list(rng, 300, (2, 2))
        self.last = name_list(rng, 600, (2, 3))
        self.things = ["grain corridor", "pipeline", "border crossing", "fishing zone", "airspace",
                       "tariff schedule", "port authority", "water treaty", "power grid", "rail link",
                       "energy deal", "trade pact", "ceasefire line", "patrol route", "customs union",
                       "sanctions regime", "missile shield", "naval exercise", "refugee corridor",
                       "nuclear program", "debt settlement", "peace plan", "aid convoy", "oil field"]
        self.roles = ["Foreign Minister", "Defence Minister", "President", "Prime Minister",
                      "Deputy Foreign Minister", "Interior Minister", "Trade Minister", "Ambassador",
                      "Army Chief", "Opposition leader", "Spokeswoman", "Spokesman", "General"]
        self.verbs = ["said", "warned", "told reporters", "declared", "wrote on social media", "added",
                      "insisted", "stressed", "told a news conference", "said in a statement",
                      "told parliament", "said on Tuesday", "said late on Sunday", "told state television"]


THREAT = [
    "{C} will pay a heavy price for every drone that crosses into our {T}",
    "if they touch the {T} again we will respond with overwhelming force and without further warning",
    "any provocation near {P} will be met with a swift and crushing answer from our armed forces",
    "our missiles are ready and the {T} of {C} is within their range tonight",
    "we will not hesitate to strike the depots in {P} if the shelling of our villages continues",
    "those who ordered the attack on the {T} will be hunted down and punished severely",
    "the patience of our people is exhausted and {C} should prepare for the consequences",
    "we have drawn up plans to seize the {T} and we will carry them out if provoked",
    "one more incident at {P} and we will close the {T} to every ship flying their flag",
    "they are playing with fire and they will be burned if they keep arming the rebels",
    "we reserve the right to use every means at our disposal including the nuclear option",
    "the next convoy that enters our waters near {P} will be sunk without warning",
]
CONCILIATORY = [
    "we are ready to sit down with {C} tomorrow and find a fair solution for the {T}",
    "our hand remains extended and we welcome the proposal from {C} on the {T}",
    "both sides should return to the negotiating table in {P} and work for a lasting peace",
    "we hope the talks on the {T} will build trust and open a new chapter between our nations",
    "we are committed to dialogue and to a peaceful settlement of the dispute over the {T}",
    "let us work together with {C} to rebuild the {T} and reopen the border at {P}",
    "we thank {C} for its patience and we are willing to extend the ceasefire for another month",
    "the agreement on the {T} shows that cooperation is possible when both sides show goodwill",
    "we will release the detained sailors as a gesture of goodwill toward the people of {C}",
    "there is room for compromise and we are prepared to make concessions on the {T}",
    "we are open to mediation by {C} and we welcome every effort to end the fighting",
    "this is a moment for calm and for patient diplomacy rather than for angry words",
]
NEUTRAL = [
    "the delegation from {C} will arrive in {P} on Thursday for two days of technical meetings",
    "the report on the {T} will be published next week after the committee has reviewed it",
    "we have received the letter from {C} and our lawyers are studying the text carefully",
    "the meeting on the {T} lasted three hours and the next round is scheduled for March",
    "the ministry will hold a briefing in {P} at noon to present the figures for the quarter",
    "the vote on the budget for the {T} has been moved to Friday because of the holiday",
    "our engineers inspected the {T} near {P} and their findings will be shared with the public",
    "the minister met the ambassador of {C} and they discussed the schedule for the summit",
    "the census data for {P} shows that the population grew by two percent last year",
    "the agenda for the conference on the {T} has not been finalised yet",
    "the talks in {P} are expected to cover fishing quotas, transit fees and visa rules",
    "the commission counted the ballots twice and published the results on its website",
]
FILLERS = ["frankly", "once again", "today", "at this stage", "as we said before", "in the coming days",
           "let me be clear", "for the record", "after careful consideration", "this week"]
NARRATION = [
    "The {T} has been a source of friction between {C} and {C2} for more than a decade.",
    "Officials in {P} declined to comment on the reports, citing the sensitivity of the talks.",
    "Satellite images published on Monday showed new construction near the {T} outside {P}.",
    "Trade between the two countries fell by a third last year, according to customs figures.",
    "The statement came hours after a meeting of the security council in {P}.",
    "Diplomats from {C} and {C2} are expected to meet again before the end of the month.",
    "Analysts said the remarks were aimed as much at voters at home as at foreign capitals.",
    "Residents of {P} reported hearing explosions overnight near the {T}.",
]


def fill(rng, w, template):
    c, c2 = rng.sample(w.countries, 2)
    return template.format(C=c, C2=c2, P=rng.choice(w.cities), T=rng.choice(w.things))


def speaker(rng, w):
    first, last = rng.choice(w.first), rng.choice(w.last)
    return "%s %s" % (first, last), "%s %s %s of %s" % (rng.choice(w.roles), first, last, rng.choice(w.countries))


POOLS = {"threatening": THREAT, "conciliatory": CONCILIATORY, "neutral": NEUTRAL}
LABELS = ["threatening", "conciliatory", "neutral"]


def quote(rng, w):
    """A label and a quote.  Not too easy: one quote in five joins a clause
    of another label ("..., but ..."), and one label in twelve is wrong
    (annotators disagree), so a model keeps many support vectors, as on
    real data."""
    label = rng.choice(LABELS)
    q = fill(rng, w, rng.choice(POOLS[label]))
    if rng.random() < 0.2:
        other = fill(rng, w, rng.choice(POOLS[rng.choice(LABELS)]))
        q = q + ", but " + other if rng.random() < 0.5 else other + ", and " + q
    if rng.random() < 0.5:
        f = rng.choice(FILLERS)
        q = f[0].upper() + f[1:] + ", " + q if rng.random() < 0.5 else q + ", " + f
    q = q[0].upper() + q[1:] + rng.choice([".", ".", ".", "!"])
    if rng.random() < 1 / 12:
        label = rng.choice(LABELS)
    return label, q


def sentence(rng, w, q, who, mention):
    verb = rng.choice(w.verbs)
    form = rng.randrange(3)
    if form == 0:
        return "\u201c%s\u201d %s %s." % (q, mention, verb), mention
    if form == 1:
        return "%s %s: \u201c%s\u201d" % (mention, verb, q), mention
    return "\u201c%s\u201d %s %s." % (q[:-1] + ",", who.split()[-1], verb), who


def gen_quotes(n, seed, out):
    rng = random.Random(seed)
    w = Words(rng)
    out.write("id\tlabel\tquote\tsentence\tspeaker\n")
    for i in range(n):
        label, q = quote(rng, w)
        who, mention = speaker(rng, w)
        s, _ = sentence(rng, w, q, who, mention)
        out.write("g%07d\t%s\t%s\t%s\t%s\n" % (i + 1, label, q, s, who))


def article(rng, w):
    paras = []
    people = [speaker(rng, w) for _ in range(rng.randint(2, 4))]
    introduced = set()
    for _ in range(rng.randint(4, 9)):
        sents = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.55:
                _, q = quote(rng, w)
                who, mention = rng.choice(people)
                s, _ = sentence(rng, w, q, who, mention if who not in introduced else who.split()[-1])
                introduced.add(who)
                sents.append(s)
            else:
                sents.append(fill(rng, w, rng.choice(NARRATION)))
        paras.append(" ".join(sents))
    title = fill(rng, w, rng.choice(["Tension rises over the {T}", "Talks on the {T} resume in {P}",
                                     "{C} and {C2} trade words over the {T}"]))
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def gen_articles(n, seed, fmt, out):
    rng = random.Random(seed)
    w = Words(rng)
    if fmt == "jsonl":
        with open(out, "w", encoding="utf-8") as f:
            for i in range(n):
                f.write(json.dumps({"id": "a%06d" % (i + 1), "text": article(rng, w)}, ensure_ascii=False) + "\n")
        return
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out, "a%06d.txt" % (i + 1)), "w", encoding="utf-8") as f:
            f.write(article(rng, w))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=["quotes", "articles"])
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    if a.n < 0:
        ap.error("N must be >= 0")
    if a.kind == "quotes":
        with open(a.output, "w", encoding="utf-8") as f:
            gen_quotes(a.n, a.seed, f)
    else:
        gen_articles(a.n, a.seed, a.format, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
