/*
 * st_article_verbs.c - verbs and their subjects: which words are verbs of
 * speech in use (not nouns, not "call off"), the verb after a phrase, and
 * the subject before a verb, past appositions, relative clauses and
 * adverbs.  Part of the article reader (st_article.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* Verbs and subjects                                                  */

/* A word in -ed of four letters or more: a verb in the past (or its
 * participle) after a subject. */
static int past_form(const sentence_state *s, size_t j)
{
    const token *t = &s->tokens[j];
    return tok_len(t) > 3 && memcmp(s->text + t->end - 2, "ed", 2) == 0;
}

/* A word of speech with no ending of tense or person ("post", "call",
 * "offer"): not past, not in -s, not in -ing, and none of the irregular
 * pasts of the list. */
static int bare_speech_form(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    /* The irregular pasts first: "said" is most of the list's use. */
    return !tok_in(s, i, ST_WORDS_IRREGULAR_SPEECH_PAST) && s->text[t->end - 1] != 's' && !past_form(s, i) &&
           !ends_with(s, i, "ing");
}

/* "a", "an", and the quantifiers that, like them, open a phrase naming
 * one thing ("any European reply", "every Water Board promise",
 * "another union call").  Not "each", which also follows a plural
 * subject ("they each call for"). */
static int singular_opener(const sentence_state *s, size_t k)
{
    return tok_in(s, k, ST_WORDS_SINGULAR_OPENER);
}

/* How many words may stand between "a" and the noun it opens. */
enum { INDEFINITE_MODIFIERS = 3 };

/* "a senior Commonwealth post", "an EU offer", "any European reply": is
 * token i the head of a phrase opened by "a", "an" or a quantifier of
 * one (singular_opener), the words between (at most
 * INDEFINITE_MODIFIERS) its modifiers?  Such a phrase is one thing, and
 * a verb in its bare form cannot have it for subject.  No
 * word between may be a plural in -s, a preposition or "few" ("a few
 * people say", "a group of analysts say": the verb's subject is
 * plural). */
int st_rd_indefinite_head(const sentence_state *s, size_t i)
{
    for (size_t k = i; k-- > 0 && i - k <= INDEFINITE_MODIFIERS + 1;) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD)
            return 0;
        if (singular_opener(s, k))
            return 1;
        if (s->text[t->end - 1] == 's' || tok_in(s, k, ST_WORDS_PREPOSITION) || tok_is(s, k, "few") ||
            is_determiner(s, k))
            return 0;
    }
    return 0;
}

/* A word that opens a noun phrase as a determiner does but says how
 * many or which ("any European reply", "every Greek offer", "no Kenyan
 * answer", "this French proposal"): what follows it is a noun phrase,
 * never a subject and its verb.  "that" is left out: it also opens a
 * clause ("said that Greek farmers ..."). */
static int quantifier(const sentence_state *s, size_t i)
{
    /* singular_opener's words (any, every, another; a and an are
     * determiners anyway), then the ones that also open a plural or
     * follow a plural subject, which st_rd_indefinite_head must not take. */
    return singular_opener(s, i) || tok_in(s, i, ST_WORDS_QUANTIFIER);
}

/* is_speech_verb past its first test: token i is a lower-case word of the
 * speech verb list. */
int st_rd_speech_verb_use(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    /* "banners that read", "the man who said": a relative clause's verb. */
    if (i > 0 && (tok_is(s, i - 1, "that") || tok_is(s, i - 1, "which")) &&
        (tok_in(s, i, ST_WORDS_IRREGULAR_SPEECH_PAST) ||
         (tok_len(t) > 3 && memcmp(s->text + t->end - 2, "ed", 2) == 0)))
        return 1;
    if (i > 0 && (is_determiner(s, i - 1) || tok_is(s, i - 1, "that") || tok_is(s, i - 1, "this") ||
                  tok_is(s, i - 1, "his") || tok_is(s, i - 1, "her") || tok_is(s, i - 1, "its") ||
                  tok_is(s, i - 1, "their") || tok_is(s, i - 1, "our") || tok_is(s, i - 1, "to")))
        return 0;
    /* "if no offer was made", "there was no reply": "no" never stands
     * before a verb, so a word of speech after it is a noun. */
    if (i > 0 && tok_is(s, i - 1, "no"))
        return 0;
    /* "dismissed the Israeli remarks as ...", "Russian warnings": after a
     * nationality, a word in -s is a plural noun, not a verb of speech
     * ("the Israeli said" keeps its verb). */
    if (i > 0 && tok_in(s, i - 1, ST_WORDS_NATIONALITY) && s->text[t->end - 1] == 's')
        return 0;
    /* "the figure in the Senegalese claim", "a Greek warning", "any
     * European reply": after a determiner or a quantifier and a
     * nationality, a word of speech in no past form is the head noun the
     * nationality qualifies ("the French said", "the Greek claimed" keep
     * their verbs). */
    if (i > 1 && tok_in(s, i - 1, ST_WORDS_NATIONALITY) && (is_determiner(s, i - 2) || quantifier(s, i - 2)) &&
        !past_form(s, i) && !tok_is(s, i, "said") && !tok_is(s, i, "told") && !tok_is(s, i, "wrote"))
        return 0;
    /* "called the government's offer "..."", "Lima's warning": after a
     * possessive, a word of speech in no past form is a noun ("she's
     * warned", "he's said" keep their verbs). */
    if (i > 0 && s->tokens[i - 1].kind == TK_POSS && !past_form(s, i) && !tok_is(s, i, "said") &&
        !tok_is(s, i, "told") && !tok_is(s, i, "wrote"))
        return 0;
    /* "for a senior Commonwealth post": modifiers between "a" and a
     * word of speech in its bare form make it a noun, as "a" right
     * before it does. */
    if (i > 1 && bare_speech_form(s, i) && st_rd_indefinite_head(s, i))
        return 0;
    /* "would not call off the strike": "call off" cancels, it says
     * nothing. */
    if (i + 1 < s->count && tok_is(s, i + 1, "off") && tok_in(s, i, ST_WORDS_CALL_FORM))
        return 0;
    /* "vessels calling at Piraeus", "the ferry called at Rhodes": "call
     * at" a named place visits it.  "called at a news conference for",
     * "called at Monday's meeting for" keep their verb. */
    if (i + 2 < s->count && tok_is(s, i + 1, "at") && tok_in(s, i, ST_WORDS_CALL_FORM) && is_cap_word(s, i + 2) &&
        !tok_in(s, i + 2, ST_WORDS_NOT_NAME))
        return 0;
    return 1;
}

/* "X said the mast stood “…” according to Soviet-era maps.", "according
 * to UN figures,": capitalised words that only qualify a lower-case record
 * word ending the clause name where a fact comes from, not a speaker, so
 * "according to" attributes nothing and the quote keeps the sentence's
 * speaker.  "according to the Kremlin", "according to Defence Minister
 * X", "according to a Foreign Ministry statement" still name the source. */
static int according_to_record(const sentence_state *s, size_t i)
{
    int k = st_rd_np_after(s, i + 1);
    if (k < 0)
        return 0;
    size_t w = s->nps[k].last + 1;
    if (w >= s->count || s->tokens[w].kind != TK_WORD || !(s->tokens[w].flags & TF_LOWER) ||
        !tok_in(s, w, ST_WORDS_RECORD))
        return 0;
    return w + 1 == s->count || s->tokens[w + 1].kind == TK_PUNCT;
}

int st_rd_is_according_to(const sentence_state *s, size_t i)
{
    return i + 1 < s->count && tok_is(s, i, "according") && tok_is(s, i + 1, "to") && !according_to_record(s, i);
}

/* How many words an appositive between commas may hold, not counting a
 * parenthesis inside it. */
enum { APPOSITIVE_WORDS = 9, ROLE_APPOSITIVE_WORDS = 16, PARENTHESIS_REACH = 8 };

/* Does the appositive opened by the comma at j begin with a role, after
 * at most a determiner (", president of ...", ", the head of ...", ", a
 * senior adviser to ...")?  Such an appositive says what a person does
 * and where, and news copy strings places and bodies onto it with "of"
 * and "in" (", president of an association of olive mills in Jaén
 * province,"), so it may run longer than other words between commas. */
static int role_appositive(const sentence_state *s, size_t j)
{
    size_t k = j + 1;
    if (k < s->count && is_determiner(s, k))
        k++;
    return k < s->count && s->tokens[k].kind == TK_WORD && (s->tokens[k].flags & TF_LOWER) &&
           (tok_in(s, k, ST_WORDS_ROLE) || tok_in(s, k, ST_WORDS_TITLE));
}

/* Does the segment after the comma at j open a relative clause ("X, who
 * chairs ..., said", "The ministry, whose ..., urged")?  News writes such
 * a clause, of any length, between a subject and its verb; it ends at
 * its closing comma and never holds a quote, so its words are not
 * counted against an appositive's reach. */
/* Up to this many lower-case words between the determiner opening an
 * appositive and the relative pronoun after them (", a parish priest
 * who ..."). */
enum { DESCRIBED_RELATIVE_WORDS = 3 };

static int opens_relative_at(const sentence_state *s, size_t i)
{
    return i < s->count && (relative_pronoun(s, i) || tok_is(s, i, "whose"));
}

/* ", a priest who has led the mediation in the region,": an appositive
 * that names what the person is by a determiner and a few lower-case
 * words, and then describes them by a relative clause, is that clause
 * for its length: news hangs the clause on the noun, and it runs, as a
 * bare "who" clause does, to its closing comma.  Asked only when the
 * plain reach has run out; only lower-case words that are no verb or
 * preposition may stand before the pronoun (", a lawyer for the families
 * who ..." is no such noun). */
static int described_relative(const sentence_state *s, size_t j)
{
    size_t k = j + 1;
    if (k >= s->count || !(tok_is(s, k, "a") || tok_is(s, k, "an") || tok_is(s, k, "the")))
        return 0;
    for (size_t w = k + 1; w < s->count && w <= k + DESCRIBED_RELATIVE_WORDS + 1; w++) {
        if (w > k + 1 && opens_relative_at(s, w))
            return 1;
        const token *t = &s->tokens[w];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || tok_in(s, w, ST_WORDS_PREPOSITION) ||
            tok_in(s, w, ST_WORDS_VERBISH) || tok_in(s, w, ST_WORDS_SPEECH_VERB))
            return 0;
    }
    return 0;
}

static int opens_relative_clause(const sentence_state *s, size_t j)
{
    return opens_relative_at(s, j + 1) || described_relative(s, j);
}

/* Does the segment from token a up to the comma at k hold a verb? */
static int segment_has_verb(const sentence_state *s, size_t a, size_t k)
{
    for (size_t i = a; i < k; i++)
        if (s->tokens[i].kind == TK_WORD && (s->tokens[i].flags & TF_LOWER) &&
            (is_speech_verb(s, i) || tok_in(s, i, ST_WORDS_VERBISH) || past_form(s, i)))
            return 1;
    return 0;
}

/* The comma ahead of token k (no further than a quote or the sentence's
 * end), or 0. */
static size_t next_comma(const sentence_state *s, size_t k)
{
    while (k < s->count && !tok_punct(s, k, ',') && s->tokens[k].kind != TK_QUOTE)
        k++;
    return k < s->count && tok_punct(s, k, ',') ? k : 0;
}

/* "The Guyana Defence Force, whose chief of staff, Brigadier Marlon
 * Fredericks, flew to the border post ..., said": a clause opened by
 * "whose" at the comma j names its subject first and may put that
 * subject's name in apposition before the clause's verb.  The comma at
 * k after "whose <noun>" with no verb yet cannot close the clause: the
 * name after it is closed by a second comma, and the clause by a third.
 * Returns that third comma, or 0 when the clause is no such one. */
static size_t whose_clause_end(const sentence_state *s, size_t j, size_t k)
{
    if (!tok_is(s, j + 1, "whose") || segment_has_verb(s, j + 2, k))
        return 0;
    size_t name_end = next_comma(s, k + 1);
    int name = s->np_starting[k + 1];
    if (!name_end || name < 0 || s->nps[name].kind != NP_PERSON || s->nps[name].last + 1 != name_end)
        return 0;
    return next_comma(s, name_end + 1);
}

/* Up to this many capitalised words in one name of a list. */
enum { LIST_NAME_WORDS = 4 };

/* The token after the run of capitalised words at i (a name of a list:
 * "Porto", "Santa Cruz"), or i when none opens there. */
static size_t past_name(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && k < i + LIST_NAME_WORDS && is_cap_word(s, k))
        k++;
    return k;
}

/* "The company, which runs ferries between Lisbon, Porto and Faro,
 * said": a relative clause ending on a list of names has a comma after
 * each of its first items; the clause runs on past them, to the comma
 * after the list's last name (after "and" or "or").  `k` is the first
 * comma; returns the clause's closing comma, or k when no such list
 * follows.  Read on tokens: the phrases after the clause are not read
 * yet when a subject's verb is looked for. */
static size_t list_end(const sentence_state *s, size_t k)
{
    for (size_t c = k, items = 0; items < APPOSITIVE_WORDS; items++) {
        size_t after = past_name(s, c + 1);
        if (after == c + 1 || after + 1 >= s->count)
            return k;
        if (tok_punct(s, after, ',')) {
            c = after;
            continue;
        }
        if (!tok_is(s, after, "and") && !tok_is(s, after, "or"))
            return k;
        size_t close = past_name(s, after + 1);
        return close > after + 1 && close < s->count && tok_punct(s, close, ',') ? close : k;
    }
    return k;
}

/* The token that ends the appositive opened by the comma at j: the
 * closing comma, or the token where the search gave up (a quote, the
 * end, or one word too many: APPOSITIVE_WORDS, or ROLE_APPOSITIVE_WORDS
 * when it opens on a role).  A parenthesis inside is stepped over and
 * not counted: news copy gives a body's acronym in brackets after its
 * name (", chief executive of the Ghana Cocoa Board (COCOBOD), told"),
 * and that makes the appositive no longer to read. */
static size_t apposition_end(const sentence_state *s, size_t j)
{
    size_t k = j + 1, n = s->count;
    int limit = APPOSITIVE_WORDS;
    for (int words = 0; k < n && !tok_punct(s, k, ',') && s->tokens[k].kind != TK_QUOTE; words++) {
        /* The relative-clause and role tests only when the plain reach
         * runs out: a relative clause runs to its closing comma. */
        if (words == limit && limit == APPOSITIVE_WORDS && opens_relative_clause(s, j)) {
            while (k < n && !tok_punct(s, k, ',') && s->tokens[k].kind != TK_QUOTE)
                k++;
            return k;
        }
        if (words == limit) {
            if (limit == ROLE_APPOSITIVE_WORDS || !role_appositive(s, j))
                break;
            limit = ROLE_APPOSITIVE_WORDS;
        }
        if (tok_punct(s, k, '(')) {
            size_t c = k + 1;
            while (c < n && c < k + PARENTHESIS_REACH && !tok_punct(s, c, ')') && !tok_punct(s, c, ','))
                c++;
            if (c < n && tok_punct(s, c, ')')) {
                k = c + 1;
                continue;
            }
        }
        k++;
    }
    /* One compare, and more only after "whose" or a relative pronoun. */
    if (k >= n || !tok_punct(s, k, ',') || j + 1 >= n)
        return k;
    size_t end = tok_is(s, j + 1, "whose") ? whose_clause_end(s, j, k) : 0;
    if (!end && relative_pronoun(s, j + 1))
        end = list_end(s, k);
    return end ? end : k;
}

/* Does a verb follow the phrase ending at token i (after adverbs, an
 * appositive or a time phrase)?  Returns the verb's index or -1. */
long st_rd_verb_after(const sentence_state *s, size_t i)
{
    size_t j = i + 1, n = s->count;
    for (int guard = 0; j < n && guard < 16; guard++) {
        if (tok_in(s, j, ST_WORDS_AUX_ADVERB) && !tok_in(s, j, ST_WORDS_VERBISH) && !is_speech_verb(s, j)) {
            j++;
            continue;
        }
        if (tok_in(s, j, ST_WORDS_DAY_OPENER) && j + 1 < n &&
            tok_in(s, j + 1, ST_WORDS_NOT_NAME) && (s->tokens[j + 1].flags & TF_CAP)) {
            j += 2;
            continue;
        }
        if (tok_punct(s, j, ',')) {
            /* ", the foreign minister," or ", meanwhile," */
            size_t k = apposition_end(s, j);
            if (k < n && tok_punct(s, k, ',') && k > j + 1) {
                /* "X, a senior official of Y, the largest party in the
                 * north, said": a second appositive opens on a
                 * determiner (no verb does), so its comma opens one more
                 * segment to step over; so does a relative clause ("X,
                 * Russia's envoy in Riga, who was summoned ..., told"). */
                j = k + 1 < n && (is_determiner(s, k + 1) || relative_pronoun(s, k + 1)) ? k : k + 1;
                continue;
            }
            /* "..., Gen. Osman Haroun, blamed": the phrase was itself an
             * appositive; its comma closes it before the verb, which may
             * be any verb in the past ("The envoy to Chad, X, praised"). */
            if (j + 1 < n && s->tokens[j + 1].kind == TK_WORD && (s->tokens[j + 1].flags & TF_LOWER) &&
                (is_speech_verb(s, j + 1) || tok_in(s, j + 1, ST_WORDS_VERBISH) || past_form(s, j + 1))) {
                j++;
                break;
            }
            return -1;
        }
        /* "The governor of Congo’s Ituri province on Sunday gave": a
         * lower-case region word right after a place's name closes the
         * phrase that names it (st_rd_subject_before steps back over it). */
        if (j == i + 1 && (s->tokens[j].flags & TF_LOWER) && tok_in(s, j, ST_WORDS_REGION)) {
            j++;
            continue;
        }
        if (tok_punct(s, j, '(')) {
            size_t k = j + 1;
            while (k < n && k < j + 8 && !tok_punct(s, k, ')'))
                k++;
            if (k < n && tok_punct(s, k, ')')) {
                j = k + 1;
                continue;
            }
            return -1;
        }
        break;
    }
    if (j >= n || s->tokens[j].kind != TK_WORD || !(s->tokens[j].flags & TF_LOWER))
        return -1;
    if (is_speech_verb(s, j) || tok_in(s, j, ST_WORDS_VERBISH) || past_form(s, j))
        return (long)j;
    return -1;
}

/* "near", "in", "at": a preposition that places what comes before it. */
static int place_preposition(const sentence_state *s, size_t i)
{
    /* "A farmer outside Mandalay", "a guard inside the compound", "a
     * trader around the market": where the person is, as "in" and "near" */
    return tok_is(s, i, "in") || tok_is(s, i, "at") || tok_is(s, i, "near") || tok_is(s, i, "outside") ||
           tok_is(s, i, "inside") || tok_is(s, i, "around");
}

/* Do the words before the preposition at token at name someone without a
 * name: "a" or "an" opening the clause (at the sentence's start or after
 * a mark), then up to INDEFINITE_MODIFIERS + 1 lower-case words that no
 * phrase holds ("A shopkeeper near the Friendship Gate", "A fruit seller
 * in Moreh")? */
static int unnamed_before(const sentence_state *s, size_t at)
{
    for (size_t k = at; k-- > 0 && k + INDEFINITE_MODIFIERS + 2 > at;) {
        const token *t = &s->tokens[k];
        if (tok_is(s, k, "a") || tok_is(s, k, "an"))
            return k + 1 < at && (k == 0 || s->tokens[k - 1].kind != TK_WORD);
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER))
            return 0;
        if (is_speech_verb(s, k) || tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_PREPOSITION))
            return 0;
    }
    return 0;
}

/* "The Chilean embassy in Lima called", "A senior official in Baghdad,
 * who asked not to be named, said", "A senior official near the border
 * said": the phrase before a prepositional phrase is the subject, not the
 * place or thing in it.  Returns that phrase, else `k` itself; -1 when a
 * place follows someone news leaves unnamed ("A shopkeeper near the
 * Friendship Gate, who asked not to be named, said"): the place does not
 * speak, and nobody the reader can name does. */
static int past_preposition(const sentence_state *s, int k)
{
    const np *p = &s->nps[k];
    if (p->first < 2)
        return k;
    size_t at = p->first - 1;
    int place = place_preposition(s, at);
    if (!place && !tok_is(s, at, "of") && !tok_is(s, at, "from") && !tok_is(s, at, "for") && !tok_is(s, at, "to"))
        return k;
    if (s->np_ending[at - 1] >= 0)
        return s->np_ending[at - 1];
    return place && unnamed_before(s, at) ? -1 : k;
}

/* "Gerard Lindqvist, chief executive of the mining company, Nautilon
 * Metals, said": a name in apposition to the object of "of" or "for"
 * (`object`, "the mining company") names that object when the role
 * phrase it completes is itself in apposition to a person; that person
 * is the subject.  ("A member of the committee, Jonas Feldhaus, said":
 * no person before the role, the name is the subject.)  Returns the
 * person's phrase, or -1. */
static int apposed_complement_owner(const sentence_state *s, const np *object)
{
    if (object->first == 0 || !(tok_is(s, object->first - 1, "of") || tok_is(s, object->first - 1, "for")))
        return -1;
    for (size_t k = object->first - 1; k-- > 0 && k + 8 > object->first;) {
        if (s->tokens[k].kind == TK_QUOTE)
            return -1;
        if (!tok_punct(s, k, ','))
            continue;
        int person = k > 0 ? s->np_ending[k - 1] : -1;
        return person >= 0 && s->nps[person].kind == NP_PERSON ? person : -1;
    }
    return -1;
}

/* How far back, in tokens, st_rd_subject_before looks for the comma that opens
 * an apposition or relative clause closed by the comma before a verb. */
enum { APPOSITION_REACH = 24 };

/* The reach ran out at token k, inside the words before a comma: when
 * they are a relative clause ("Mariela Souto, who chairs the commission
 * set up under ..., said"), its opening comma, else k.  The walk goes on
 * to the comma (no further than a quote or the sentence's start) only
 * in this rare case, so ordinary sentences cost nothing more. */
static long relative_clause_opening(const sentence_state *s, long k)
{
    long c = k;
    while (c >= 0 && !tok_punct(s, (size_t)c, ',') && s->tokens[c].kind != TK_QUOTE)
        c--;
    return c >= 0 && tok_punct(s, (size_t)c, ',') && opens_relative_clause(s, (size_t)c) ? c : k;
}

/* The comma at k closes a person's name in apposition: when that name
 * is the subject of a clause opened by "whose" ("The Guyana Defence
 * Force, whose chief of staff, Brigadier Marlon Fredericks, flew ...,
 * said"), the comma that opens the clause (whose_clause_end leads from
 * it to j, the comma before the verb), else k.  Two compares at most for
 * any other comma. */
static long whose_clause_opening(const sentence_state *s, long k, long j)
{
    int name = s->np_ending[k - 1];
    if (name < 0 || s->nps[name].kind != NP_PERSON || s->nps[name].first < 2 ||
        !tok_punct(s, s->nps[name].first - 1, ','))
        return k;
    long c = (long)s->nps[name].first - 2;
    while (c >= 0 && c > k - APPOSITION_REACH && !tok_punct(s, (size_t)c, ',') && s->tokens[c].kind != TK_QUOTE)
        c--;
    return c > 0 && tok_punct(s, (size_t)c, ',') && whose_clause_end(s, (size_t)c, s->nps[name].first - 1) == (size_t)j ? c : k;
}

/* Does a list's last items open at token a: one phrase, "and" or "or",
 * and the segment then ends at the comma at j ("Porto and Faro,")? */
static int list_tail(const sentence_state *s, size_t a, long j)
{
    int item = s->np_starting[a];
    if (item < 0)
        return 0;
    size_t after = s->nps[item].last + 1;
    return (long)after + 1 < j && (tok_is(s, after, "and") || tok_is(s, after, "or")) && s->np_ending[j - 1] >= 0;
}

/* "The company, which runs ferries between Lisbon, Porto and Faro,
 * said": the comma at k belongs to a list inside a relative clause, and
 * the subject is before the clause, not the list's first items.  When
 * the words after k are the list's last items (list_tail) and each comma
 * further back opens one more phrase of the list, up to a comma that
 * opens a relative clause, returns that comma; else k.  Asked only at a
 * comma that "and" or "or" follows within one phrase. */
static long list_clause_opening(const sentence_state *s, long k, long j)
{
    if (!list_tail(s, (size_t)k + 1, j))
        return k;
    long end = k; /* the comma closing the item after c */
    for (long c = k - 1; c > 0 && c > j - APPOSITION_REACH; c--) {
        if (s->tokens[c].kind == TK_QUOTE)
            return k;
        if (!tok_punct(s, (size_t)c, ','))
            continue;
        if (opens_relative_clause(s, (size_t)c))
            return c;
        int item = s->np_starting[c + 1];
        if (item < 0 || (long)s->nps[item].last + 1 != end)
            return k;
        end = c;
    }
    return k;
}

/* "Zora Lint, a senior official of Nova Lista, the largest party in
 * the north, said": news copy may follow a person's appositive with a
 * second that describes what the first named; the second is no subject
 * (even when it ends on a capitalised word read as a name, "the largest
 * party of Kosovo's Serbs"), the person before both is.  `k` is the
 * comma that opens the second, which must open on a determiner (a
 * description, not "..., Tom Hale, said"; st_rd_verb_after steps over it on
 * the same sign) or be a relative clause opened by "who" or "which"
 * (then the person must open the clause); the segment before
 * it must open, after a comma, on a phrase that is no person or on a
 * word with no capital (a role or description, "a senior official of
 * ...", "chairman of ...") right after a person's name.
 * Returns that person's phrase, or -1. */
static int person_before_apposition(const sentence_state *s, long k)
{
    /* A relative clause after the appositive ("X, Sweden's envoy in
     * Riga, who was summoned ..., told"; "X, head of the Y Union, which
     * represents ..., said") tells more of the person or of what the
     * appositive named: either way the person speaks. */
    if ((size_t)k + 1 >= s->count || !(is_determiner(s, (size_t)k + 1) || relative_pronoun(s, (size_t)k + 1)))
        return -1;
    long c = k - 1;
    while (c >= 0 && c > k - APPOSITION_REACH && !tok_punct(s, (size_t)c, ',') && s->tokens[c].kind != TK_QUOTE)
        c--;
    if (c <= 0 || !tok_punct(s, (size_t)c, ',') || c + 1 >= k)
        return -1;
    /* "a senior official of ...", or a bare role no phrase opens on
     * ("chairman of the Rural Doctors Union"). */
    int described = s->np_starting[c + 1];
    int role = described >= 0 ? s->nps[described].kind != NP_PERSON : (s->tokens[c + 1].flags & TF_LOWER) != 0;
    int person = s->np_ending[c - 1];
    /* "Mette Lund, chief executive of the developer, Nordvind Marine, a
     * venture of two banks, said": the first appositive names the object
     * of a role phrase in apposition to a person, who speaks (the name
     * may read as a person's: the role phrase's place tells). */
    if (person >= 0 && s->nps[person].kind != NP_PERSON && described >= 0) {
        person = apposed_complement_owner(s, &s->nps[person]);
        role = person >= 0;
    }
    if (!role || person < 0 || s->nps[person].kind != NP_PERSON)
        return -1;
    /* After a relative clause, the person must open the clause (at the
     * sentence's start or after punctuation): in "After meeting Hale,
     * the minister, who ..., said" Hale is an object, not the one the
     * appositive describes. */
    size_t f = s->nps[person].first;
    if (relative_pronoun(s, (size_t)k + 1) && f > 0 && s->tokens[f - 1].kind == TK_WORD)
        return -1;
    return person;
}

/* The subject of the verb at token v: the phrase right before it, past
 * adverbs, auxiliaries, a time phrase, an appositive, a parenthesis or a
 * coordinated tail ("Seoul and its partners have threatened").  -1 when
 * nothing fits. */
/* Token i is a lower-case word that is no verb, preposition or
 * determiner: a word of an office or a field written out in prose
 * ("former foreign minister", "head of delegation"). */
static int bare_lower_word(const sentence_state *s, size_t i)
{
    return s->tokens[i].kind == TK_WORD && (s->tokens[i].flags & TF_LOWER) && !is_speech_verb(s, i) &&
           !tok_in(s, i, ST_WORDS_VERBISH) && !tok_in(s, i, ST_WORDS_PREPOSITION) && !is_determiner(s, i);
}

/* "The head of the mission, former Costa Rican foreign minister X,
 * said", "..., foreign minister X, said": up to three lower-case words
 * between comma k and a person phrase opening at `first`, one of them an
 * office word ("former", "minister") and none a verb, preposition or
 * determiner, are the person's office: the phrase is still the one in
 * apposition. */
static int office_lead(const sentence_state *s, long k, size_t first)
{
    if (k < 0 || !tok_punct(s, (size_t)k, ',') || first <= (size_t)k + 1 || first > (size_t)k + 4)
        return 0;
    int office = 0;
    for (size_t i = (size_t)k + 1; i < first; i++) {
        if (!bare_lower_word(s, i) || tok_is(s, i, "and"))
            return 0;
        office |= role_part(s, i);
    }
    return office;
}

int st_rd_subject_before(const sentence_state *s, size_t v)
{
    long j = (long)v - 1;
    for (int guard = 0; j >= 0 && guard < 16; guard++) {
        if (s->np_ending[j] >= 0)
            return past_preposition(s, s->np_ending[j]);
        const token *t = &s->tokens[j];
        if (t->kind == TK_WORD && (tok_in(s, (size_t)j, ST_WORDS_AUX_ADVERB) ||
                                   ((t->flags & TF_LOWER) && tok_len(t) > 3 &&
                                    memcmp(s->text + t->end - 2, "ly", 2) == 0))) {
            j--;
            continue;
        }
        if (t->kind == TK_WORD && (t->flags & TF_CAP) && tok_in(s, (size_t)j, ST_WORDS_NOT_NAME) && j > 0 &&
            tok_in(s, (size_t)j - 1, ST_WORDS_DAY_OPENER)) {
            j -= 2;
            continue;
        }
        /* "The governor of Congo’s Ituri province on Sunday gave": a
         * lower-case region word after a place's name closes the phrase
         * that names it. */
        if (t->kind == TK_WORD && (t->flags & TF_LOWER) && j > 0 && s->np_ending[j - 1] >= 0 &&
            tok_in(s, (size_t)j, ST_WORDS_REGION)) {
            j--;
            continue;
        }
        if (tok_punct(s, (size_t)j, ',')) {
            /* "The French envoy, Anne-Claire Dufour, said": a name in
             * apposition is the speaker; "Diallo, the minister, said" and
             * "Diallo, meanwhile, said": the phrase before the commas.
             * The segment may be long: "X, a spokesman for the U.S.
             * Navy's Bahrain-based Fifth Fleet, said", "The ministry,
             * whose country has long carried messages between Tehran and
             * Western capitals, urged". */
            long k = j - 1;
            while (k >= 0 && k > j - APPOSITION_REACH && !tok_punct(s, (size_t)k, ',') &&
                   s->tokens[k].kind != TK_QUOTE)
                k--;
            if (k >= 0 && k == j - APPOSITION_REACH)
                k = relative_clause_opening(s, k);
            else if (k > 0 && tok_punct(s, (size_t)k, ','))
                k = list_clause_opening(s, whose_clause_opening(s, k, j), j);
            /* The segment between the commas opens with a person
             * ("Tevita Fonua of Tonga"), or the person phrase ends
             * right at the comma. */
            if (k >= 0 && tok_punct(s, (size_t)k, ',') && (size_t)k + 1 < (size_t)j) {
                int opening = s->np_starting[k + 1];
                int head = k > 0 ? s->np_ending[k - 1] : -1;
                int outer = opening >= 0 && head >= 0 ? apposed_complement_owner(s, &s->nps[head]) : -1;
                if (outer >= 0)
                    return outer;
                int first = person_before_apposition(s, k);
                if (first >= 0)
                    return first;
                if (opening >= 0 && s->nps[opening].kind == NP_PERSON)
                    return opening;
                /* "Kapanadze's party, Georgian Unity, said": a named body
                 * in apposition to a role phrase. */
                if (opening >= 0 && s->nps[opening].kind == NP_ORG &&
                    (head < 0 || s->nps[head].kind == NP_ROLE ||
                     (s->tokens[s->nps[head].last].flags & TF_LOWER)))
                    return opening;
            }
            int inner = j > 0 ? s->np_ending[j - 1] : -1;
            if (inner >= 0 && s->nps[inner].kind == NP_PERSON && s->nps[inner].first > 0 &&
                (tok_punct(s, s->nps[inner].first - 1, ',') || office_lead(s, k, s->nps[inner].first)))
                return inner;
            if (k > 0 && tok_punct(s, (size_t)k, ',') && k < j - 1 && s->np_ending[k - 1] >= 0)
                return past_preposition(s, s->np_ending[k - 1]);
            return -1;
        }
        /* "..., Lucia Cordero, who said": the relative pronoun stands for
         * the phrase before it. */
        if (tok_is(s, (size_t)j, "who") || tok_is(s, (size_t)j, "which")) {
            j--;
            if (j >= 0 && tok_punct(s, (size_t)j, ','))
                j--;
            continue;
        }
        if (tok_punct(s, (size_t)j, ')')) {
            long k = j - 1;
            while (k >= 0 && k > j - 8 && !tok_punct(s, (size_t)k, '('))
                k--;
            if (k >= 0 && tok_punct(s, (size_t)k, '(')) {
                j = k - 1;
                continue;
            }
            return -1;
        }
        /* "... called the reaction in Seoul and Tokyo “…” and warned": a
         * verb right after "and" or "but" is coordinated, and its
         * subject is the clause's (st_rd_subject_of_verb), never a tail. */
        if (tok_is(s, (size_t)j, "and") || tok_is(s, (size_t)j, "but"))
            return -1;
        /* "Seoul and its partners": a short tail after "and" */
        for (long k = j - 1; k >= 0 && k >= j - 3; k--) {
            /* ("&" would be a punctuation token, never a word: it joins
             * company names, "Procter & Gamble", and is left to them.) */
            if (tok_is(s, (size_t)k, "and")) {
                /* "met the director and that both sides had agreed":
                 * "that" with more than one word after it before the
                 * verb opens a second reported clause (its subject is
                 * the clause's, st_rd_subject_of_verb), no tail joined
                 * to the phrase before "and" ("and that group said"). */
                if (tok_is(s, (size_t)k + 1, "that") && k + 2 < j)
                    break;
                if (k > 0 && s->np_ending[k - 1] >= 0)
                    return s->np_ending[k - 1];
                break;
            }
        }
        return -1;
    }
    return -1;
}

/* Past up to three lower-case words from j ending on a role word, the
 * person phrase that follows; -1 if none. */
static int role_lead_person(const sentence_state *s, size_t j)
{
    for (size_t k = j; k < s->count && k < j + 3; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || is_speech_verb(s, k) ||
            tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_PREPOSITION) || is_determiner(s, k))
            return -1;
        int next = k + 1 < s->count ? s->np_starting[k + 1] : -1;
        if (role_part(s, k) && next >= 0 && s->nps[next].kind == NP_PERSON)
            return next;
    }
    return -1;
}

/* Wire copy puts a bare role before a name without "the" ("opposition
 * leader Grace Obi told", "said party spokesman Tom Reyes"), and may
 * name the body first ("BGB sector commander Lt. Col. Shafiqul Haque
 * said": "BGB" is a phrase of its own, the role words after it are
 * not): the person phrase after the role.  Returns its np index, or the
 * np starting at j (-1 if none). */
int st_rd_np_past_role_lead(const sentence_state *s, size_t j)
{
    if (j >= s->count)
        return -1;
    int at = s->np_starting[j];
    if (at < 0)
        return role_lead_person(s, j);
    int person = s->nps[at].kind == NP_PERSON ? -1 : role_lead_person(s, s->nps[at].last + 1);
    return person >= 0 ? person : at;
}

/* How many lower-case words a role's bare field may hold ("head of
 * delegation", "chief of general staff"). */
#define BARE_FIELD_WORDS 2

static size_t past_plural_possessive(const sentence_state *s, size_t a, size_t c);

/* "said New Zealand's head of delegation, Aroha Tane", "said the chief
 * of staff, Lena Ruiz": a role's field may be lower-case words with no
 * article, which make no phrase of their own.  From token i after the
 * "of" or "for", one or two such words (no verb, preposition or
 * determiner) and a comma: the comma's token, else c.  past_bare_words
 * gives the token past those words. */
static size_t past_bare_words(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && k < i + BARE_FIELD_WORDS && bare_lower_word(s, k))
        k++;
    return k;
}

static size_t past_bare_field(const sentence_state *s, size_t i, size_t c)
{
    size_t k = past_bare_words(s, i);
    return k > i && k < s->count && tok_punct(s, k, ',') ? k : c;
}

/* "said a spokesman for the dockers’ union, Ana Ruiz": a plural
 * possessive's mark ends the phrase before it (the lower-case body word
 * after it is no name part, so the phrase does not read on), and the
 * body it owns follows.  From the mark at a, the comma after that body
 * (a phrase of its own, or bare lower-case words), else c. */
static size_t past_plural_possessive(const sentence_state *s, size_t a, size_t c)
{
    if (a + 2 >= s->count || !plural_mark(s, a))
        return c;
    int body = s->np_starting[a + 1];
    if (body < 0)
        return past_bare_field(s, a + 1, c);
    if (s->nps[body].kind == NP_PERSON || !tok_punct(s, s->nps[body].last + 1, ','))
        return c;
    return s->nps[body].last + 1;
}

/* "said the spokeswoman for the Harbour Authority, Ingrid Solberg": a
 * role's "for" or "of" and the body it serves, named before the holder
 * as news names the office and then who holds it; "said an army
 * spokesman in Walvis Bay, Commander X": or "in" and the place where the
 * office sits (a phrase only: no bare field follows "in").  From token c
 * right after the role's phrase, the token past that tail when a comma
 * follows it, else c. */
static size_t past_role_tail(const sentence_state *s, size_t c)
{
    int in = c + 3 < s->count && tok_is(s, c, "in");
    if (c + 3 >= s->count || !(in || tok_is(s, c, "for") || tok_is(s, c, "of")))
        return c;
    int tail = s->np_starting[c + 1];
    if (tail < 0) {
        if (in)
            return c;
        /* "for the teachers’ union": lower-case owners make no phrase. */
        size_t k = c + 1 + (is_determiner(s, c + 1) ? 1 : 0);
        size_t e = past_bare_words(s, k);
        size_t p = e > k ? past_plural_possessive(s, e, c) : c;
        return p != c ? p : past_bare_field(s, c + 1, c);
    }
    /* "in Walvis Bay", "in Montego Bay": after a role, "in" and two
     * capitalised words no list holds are where the office sits, never
     * a person (one holds an office in a place, not in someone), though
     * the words read as a name; the holder follows the comma. */
    if (s->nps[tail].kind == NP_PERSON && !in)
        return c;
    size_t e = s->nps[tail].last + 1;
    if (!tok_punct(s, e, ','))
        return in ? c : past_plural_possessive(s, e, c);
    return e;
}

/* "New Zealand's head of delegation", "Chile's envoy for the talks": a
 * capitalised owner's possessive, then a role word ending the phrase,
 * which is read as the owner's body; it names an office as "the head"
 * does, and a field and a name in apposition may follow it. */
static int owner_role(const sentence_state *s, size_t k)
{
    size_t last = s->nps[k].last;
    return last > s->nps[k].first && role_part(s, last) && s->tokens[last - 1].kind == TK_POSS;
}

/* The phrase right after token v ("said Nora Quist"), past a time phrase. */
int st_rd_np_after(const sentence_state *s, size_t v)
{
    size_t j = v + 1;
    if (j + 1 < s->count && tok_is(s, j, "on") && tok_in(s, j + 1, ST_WORDS_NOT_NAME))
        j += 2;
    int k = st_rd_np_past_role_lead(s, j);
    /* "according to the commission's chairman, Ahmad Fauzi,": the name. */
    if (k >= 0 && s->nps[k].kind != NP_PERSON) {
        size_t c = s->nps[k].last + 1;
        if (s->nps[k].kind == NP_ROLE || owner_role(s, k))
            c = past_role_tail(s, c);
        if (c + 1 < s->count && tok_punct(s, c, ',') && s->np_starting[c + 1] >= 0 &&
            s->nps[s->np_starting[c + 1]].kind == NP_PERSON)
            return s->np_starting[c + 1];
    }
    return k;
}

/* "The head of France's largest farm union, Claire Mercier, said": a
 * person named in apposition to a phrase that is no person, and that the
 * apposition pass did not make hers, is whom the sentence is about (as
 * st_rd_subject_before already takes it for the verb), so a later "she" finds
 * her, not the body.  Returns k or the person's phrase. */
static int appositive_person(const sentence_state *s, size_t k)
{
    const np *x = &s->nps[k];
    if (x->kind == NP_PERSON || k + 1 >= s->np_count)
        return (int)k;
    const np *y = &s->nps[k + 1];
    if (y->kind == NP_PERSON && y->entity >= 0 && y->entity != x->entity && y->first == x->last + 2 &&
        tok_punct(s, x->last + 1, ','))
        return (int)k + 1;
    return (int)k;
}

static inline int main_subject_from(const sentence_state *s, size_t k, size_t before);

/* "Chief Wesley Ashkewe of the Anishinabek Nation said": a person
 * named with the body they belong to, whose verb follows the body.  The
 * phrase k inside the prepositional phrase has the verb; the person
 * before the preposition (past_preposition) is the subject, when that
 * person is in no prepositional phrase of their own; else the walk
 * goes on after k.  Out of line and called last, so the walk stays a
 * leaf loop where no such phrase arises. */
__attribute__((noinline)) static int person_before_preposition(const sentence_state *s, size_t k, size_t before)
{
    int at = past_preposition(s, (int)k);
    if (at >= 0 && at != (int)k && s->nps[at].kind == NP_PERSON && s->nps[at].entity >= 0 &&
        !(s->nps[at].first > 0 && tok_in(s, s->nps[at].first - 1, ST_WORDS_PREPOSITION)))
        return at;
    return main_subject_from(s, k + 1, before);
}

/* The main subject from phrase k on: the first phrase, not inside a
 * prepositional phrase, that a verb follows (or the person before a
 * prepositional phrase with the verb).  -1 when none. */
static inline __attribute__((always_inline)) int main_subject_from(const sentence_state *s, size_t k, size_t before)
{
    for (; k < s->np_count; k++) {
        const np *p = &s->nps[k];
        if (p->last >= before)
            break;
        if (p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_PREPOSITION)) {
            if (p->verb >= 0)
                return person_before_preposition(s, k, before);
            continue;
        }
        if (p->verb >= 0)
            return appositive_person(s, k);
    }
    return -1;
}

/* The main subject: the first phrase, not inside a prepositional phrase,
 * that a verb follows.  -1 when none. */
int st_rd_main_subject(const sentence_state *s, size_t before)
{
    return main_subject_from(s, 0, before);
}
