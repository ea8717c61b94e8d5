/*
 * st_article_attrib.c - attribution: the rules that give a quote its
 * speaker (an attribution right after it, the subject of the nearest
 * speech verb before it, a reporting clause later in the sentence, the
 * subject of the sentence for a partial quote).  Part of the article
 * reader (st_article.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* Attribution                                                         */

typedef struct attribution {
    int np;        /* np index in the sentence, -1 none */
} attribution;

/* The verb after phrase k, past a prepositional tail that places the
 * speaker ("Ingrid Hauge of the foreign ministry told", ""...," the
 * Union of Tea Pickers in Malawi said") or names the body a voice speaks
 * for (""...," a spokeswoman for the ministry said"), or -1. */
static long verb_after_np(const sentence_state *s, int k)
{
    size_t last = s->nps[k].last;
    long v = s->nps[k].verb; /* st_rd_verb_after(last), asked once */
    if (v >= 0 || last + 2 >= s->count)
        return v;
    if (!tok_is(s, last + 1, "of") && !tok_is(s, last + 1, "from") && !tok_is(s, last + 1, "at") &&
        !tok_is(s, last + 1, "in") && !tok_is(s, last + 1, "for"))
        return -1;
    int tail = s->np_starting[last + 2];
    if (tail < 0)
        return -1;
    /* "UNHCR's representative in Kenya, Hélène Moreau, told": a name
     * in apposition to the seat is the one the verb goes with. */
    if (tok_is(s, last + 1, "in") && s->nps[tail].verb != (long)s->nps[tail].last + 1)
        return -1;
    return s->nps[tail].verb;
}

/* A word of a portfolio's phrase: a capitalised word, "of" or "for" after
 * an office word, "the", or an owner's possessive ("Ukraine's Deputy
 * Minister for Communities"). */
static int portfolio_word(const sentence_state *s, size_t i)
{
    return is_cap_word(s, i) || st_rd_serves_word(s, i) || tok_is(s, i, "the") || s->tokens[i].kind == TK_POSS;
}

/* Phrase k holds a title word with capitals, not its last word, from
 * token `from` on: with `served` one followed by "of" or "for" ("Minister
 * of Mining"), else any ("Minister"). */
static int holds_title(const sentence_state *s, int k, size_t from, int served)
{
    const np *p = &s->nps[k];
    for (size_t i = from; i < p->last; i++)
        if (is_cap_word(s, i) && tok_in(s, i, ST_WORDS_TITLE) && (!served || st_rd_serves_word(s, i + 1)))
            return 1;
    return 0;
}

/* "Kenyan Tourism and Wildlife Minister Esther Naisula said",
 * "Information, Publicity and Broadcasting Services Minister X told",
 * "Minister of Mining and Heavy Industry X told", "Minister of Police,
 * National Security and Correctional Services X told": a title whose
 * portfolio joins fields with commas and "and" is read as phrases of
 * capitalised words, then the person with the last field.  From phrase
 * k, phrases of portfolio words joined by "," lead to "and" and a
 * person; the title is that person's (a title word before the name) or
 * the first phrase's, an office word and its "of" or "for"; the first
 * phrase is no person and the fields after it hold no title, so "Smith,
 * Jones and Brown said" (no title) and "the EU, Britain and President
 * Ruiz said" (a list of speakers) are untouched.
 * Returns the person's phrase, or -1. */
static int portfolio_holder(const sentence_state *s, int k)
{
    /* A lone capital before the list's comma ("Water, Sanitation and
     * ...") may have been read as a name; a person named more fully is
     * a list of speakers. */
    if (s->nps[k].kind == NP_PERSON && s->nps[k].first != s->nps[k].last)
        return -1;
    int titled = holds_title(s, k, s->nps[k].first, 1);
    for (int cur = k;;) {
        const np *p = &s->nps[cur];
        if (p->kind == NP_PRONOUN_PERSON || p->kind == NP_PRONOUN_GROUP || p->last + 2 >= s->count)
            return -1;
        /* "Minister of Lakes and Forests and Government Spokesman X":
         * a field may join two words with "and" inside its phrase (the
         * phrase reader ends it before a second office's "and"). */
        for (size_t i = p->first; i <= p->last; i++)
            if (!portfolio_word(s, i) && !(i > p->first && i < p->last && tok_is(s, i, "and")))
                return -1;
        if (cur != k && holds_title(s, cur, p->first, 0))
            return -1;
        int next = s->np_starting[p->last + 2];
        if (next < 0)
            return -1;
        if (tok_punct(s, p->last + 1, ',')) {
            cur = next;
            continue;
        }
        if (!tok_is(s, p->last + 1, "and") || s->nps[next].kind != NP_PERSON)
            return -1;
        /* The person's own title ends the last field ("Broadcasting
         * Services Minister"); one first ("President Ruiz") is a second
         * speaker of a list, not a portfolio's holder. */
        return titled || holds_title(s, next, s->nps[next].first + 1, 0) ? next : -1;
    }
}

/* "“...,” Peru's Minister of Trade and Tourism, Rosa Vidal, told", "“...,”
 * the commander of the Armed Forces, Gen. Olek Pavan, said": after a
 * quote news names the office first and its holder between commas right
 * before the verb (v), as it does before a quote; the holder speaks, not
 * the title (read as a body of its own) nor a role no entity holds.
 * st_rd_subject_before takes that name in the quote-last order; here, phrase
 * k is no person (or, with `field`, the last field of a portfolio's list,
 * whose capitals may read as a name: "Minister of Foreign Affairs, Trade
 * and International Cooperation, X, told") and the apposition pass did
 * not make it the holder's.  Returns the holder's phrase, or k. */
static int apposed_holder(const sentence_state *s, int k, size_t v, int field)
{
    const np *x = &s->nps[k];
    if ((x->kind == NP_PERSON && !field) || v < x->last + 4 || !tok_punct(s, v - 1, ','))
        return k;
    int h = s->np_ending[v - 2];
    if (h <= k)
        return k;
    const np *y = &s->nps[h];
    if (y->kind != NP_PERSON || y->entity < 0 || y->entity == x->entity || !tok_punct(s, y->first - 1, ','))
        return k;
    return h;
}

/* Rule 1: an attribution right after the quote. */
int st_rd_attribution_after(const sentence_state *s, size_t q)
{
    size_t j = q + 1, n = s->count;
    while (j < n && s->tokens[j].kind == TK_PUNCT && (s->tokens[j].cp == ',' || s->tokens[j].cp == 0x2014 ||
                                                      s->tokens[j].cp == 0x2013))
        j++;
    if (j >= n)
        return -1;
    /* "“...,” said Minister of Trade and Government Spokesman X": the
     * phrase reader ends the first office before the second's "and", as
     * it does with the holder first; the holder of both speaks. */
    if (is_speech_verb(s, j)) {
        int k = st_rd_np_after(s, j);
        int holder = k >= 0 ? portfolio_holder(s, k) : -1;
        return holder >= 0 ? holder : k;
    }
    if (st_rd_is_according_to(s, j))
        return st_rd_np_after(s, j + 1);
    int k = st_rd_np_past_role_lead(s, j), holder = -1;
    if (k >= 0) {
        holder = portfolio_holder(s, k);
        k = holder >= 0 ? holder : k;
    }
    long v = k >= 0 ? verb_after_np(s, k) : -1;
    if (v >= 0 && is_speech_verb(s, (size_t)v))
        return apposed_holder(s, k, (size_t)v, holder >= 0);
    return -1;
}

/* "after Nowak drew criticism for saying": the nearest phrase before
 * token v, outside a prepositional phrase, that a verb follows; -1 when
 * none. */
static int nearest_with_verb(const sentence_state *s, size_t v)
{
    for (size_t k = s->np_count; k-- > 0;) {
        const np *p = &s->nps[k];
        if (p->last >= v)
            continue;
        if (p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_PREPOSITION))
            continue;
        if (p->verb >= 0)
            return (int)k;
    }
    return -1;
}

/* "X said ASEAN should ... and that his delegation had offered “…”": a
 * verb of speech whose subject names nobody ("his delegation", a few
 * lower-case words after "that", no phrase the reader knows) inside a clause
 * opened by "that" after an earlier verb of speech reports that verb's
 * speaker.  Returns the earlier verb's subject, or -1. */
static int reported_clause(const sentence_state *s, size_t v, int depth)
{
    size_t k = v;
    while (k > 0 && v - k < 5) {
        k--;
        const token *t = &s->tokens[k];
        if (tok_is(s, k, "that"))
            break;
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || s->np_starting[k] >= 0 || is_speech_verb(s, k))
            return -1;
    }
    if (!tok_is(s, k, "that") || k + 1 == v || depth >= 4)
        return -1;
    while (k-- > 0)
        if (is_speech_verb(s, k))
            return st_rd_subject_of_verb(s, k, depth + 1);
    return -1;
}

/* The subject of speech verb v, following the verb's shape. */
int st_rd_subject_of_verb(const sentence_state *s, size_t v, int depth)
{
    if (st_rd_is_according_to(s, v))
        return st_rd_np_after(s, v + 1);
    /* ", adding that ...", ", calling it ...": the subject of the clause
     * before (the previous speech verb) or of the sentence.  A quote
     * whose comma stands inside its marks ("called it '...,' adding
     * that") ends that clause the same way. */
    if (ends_with(s, v, "ing") && v > 0 && (tok_punct(s, v - 1, ',') || s->tokens[v - 1].kind == TK_QUOTE)) {
        for (size_t k = v - 1; k-- > 0 && depth < 4;) {
            if (is_speech_verb(s, k) && !(ends_with(s, k, "ing") && k > 0 && tok_punct(s, k - 1, ',')))
                return st_rd_subject_of_verb(s, k, depth + 1);
        }
        return st_rd_main_subject(s, v);
    }
    /* "banners that read ...": the relative clause's noun, if it names
     * anyone; a thing says nothing. */
    if (v >= 1 && (tok_is(s, v - 1, "that") || tok_is(s, v - 1, "which")))
        return v >= 2 ? s->np_ending[v - 2] : -1;
    /* "quoting President Salem as saying", "quoted him as saying" */
    if (v >= 2 && tok_is(s, v - 1, "as") && s->np_ending[v - 2] >= 0)
        return s->np_ending[v - 2];
    int subj = st_rd_subject_before(s, v);
    if (subj >= 0)
        return subj;
    if (v == 0 || s->tokens[v - 1].kind == TK_QUOTE || tok_punct(s, v - 1, ','))
        return st_rd_np_after(s, v);
    /* "..., and instead accused", "... but added": coordinated verbs
     * share the subject.  After "but" the nearest phrase with a verb
     * names it when it is the main subject's person ("Mauritania's oil
     * minister, Sidi Ould Cheikh, called ... but said": the name).
     * When the sentence's main subject names nobody ("The embassy in
     * Berlin called ... and warned": its verb is past "in Berlin"), the
     * subject of the verb of speech before is the one. */
    int but = v > 1 && (tok_is(s, v - 1, "but") || tok_is(s, v - 2, "but"));
    if (v > 1 && (tok_is(s, v - 1, "and") || tok_is(s, v - 2, "and") || but)) {
        int lead = st_rd_main_subject(s, v);
        if (lead >= 0 && s->nps[lead].entity >= 0) {
            int near = but ? nearest_with_verb(s, v) : -1;
            return near >= 0 && s->nps[near].entity == s->nps[lead].entity ? near : lead;
        }
        for (size_t k = v - 1; k-- > 0 && depth < 4;)
            if (is_speech_verb(s, k)) {
                int shared = st_rd_subject_of_verb(s, k, depth + 1);
                return shared >= 0 ? shared : lead;
            }
        return lead;
    }
    int reporter = reported_clause(s, v, depth);
    return reporter >= 0 ? reporter : nearest_with_verb(s, v);
}

/* "the shoal, which Manila calls Ayungin, and that ...", "what they call":
 * a verb of naming in a relative clause gives a name to a thing.  It
 * reports the quote that is its object ("which she called '...'") and no
 * other, so a quote further on belongs to the verb before it
 * (st_rd_attribution_before). */
static int naming_clause(const sentence_state *s, size_t v)
{
    if (!tok_in(s, v, ST_WORDS_NAMING_VERB))
        return 0;
    for (size_t k = v; k-- > 0 && k + 5 > v;) {
        if (s->tokens[k].kind != TK_WORD)
            return 0;
        if (tok_is(s, k, "which") || tok_is(s, k, "what"))
            return 1;
    }
    return 0;
}

/* Is the quote at q the object of the verb at v: a few words on, no
 * mark between ("which Beijing called a '...'", "described as '...'")? */
static int names_quote(const sentence_state *s, size_t v, size_t q)
{
    if (q > v + 4)
        return 0;
    for (size_t k = v + 1; k < q; k++)
        if (s->tokens[k].kind != TK_WORD)
            return 0;
    return 1;
}

/* A lower-case word that can be the noun a reduced relative clause
 * describes: of no verb, preposition, time or function list, no adverb,
 * and no word that names a body or an office ("the company Rusgaz said"
 * is one phrase). */
static int relative_noun(const sentence_state *s, size_t n)
{
    const token *t = &s->tokens[n];
    return t->kind == TK_WORD && (t->flags & TF_LOWER) && !tok_in(s, n, ST_WORDS_NOT_NAME) &&
           !tok_in(s, n, ST_WORDS_VERBISH) && !is_speech_verb(s, n) && !tok_in(s, n, ST_WORDS_PREPOSITION) &&
           !tok_in(s, n, ST_WORDS_AUX_ADVERB) && !tok_in(s, n, ST_WORDS_TIME_OPENER) && !ends_with(s, n, "ly") &&
           !tok_in(s, n, ST_WORDS_ORG_HEAD) && !tok_in(s, n, ST_WORDS_ROLE) && !tok_in(s, n, ST_WORDS_TITLE) &&
           !tok_in(s, n, ST_WORDS_BODY_KIND);
}

/* "any such dam on land China claims", "over the islands Japan says it
 * owns": a name right after a noun, with no "that" or "which" between,
 * opens a relative clause that describes the noun; its verb of speech
 * reports nothing, so a quote further on belongs to the verb before it.
 * The noun (relative_noun) is a preposition's object, maybe after a
 * determiner: a noun phrase the clause is no subject of.  It stands
 * before the verb's subject ("on land China"), or opens it when the
 * phrase took the noun in ("the islands Japan").  One standing alone
 * may still report its quote ("an offer Vilnius dismissed as '...'").
 * Asked only for the subject right before the verb. */
static int reduced_relative(const sentence_state *s, size_t v, int subject)
{
    const np *p = &s->nps[subject];
    if (p->last + 1 != v || p->first < 2 || p->kind == NP_PRONOUN_PERSON || p->kind == NP_PRONOUN_GROUP)
        return 0;
    size_t n = p->first - 1;
    if (is_determiner(s, p->first) && p->first + 2 <= p->last && relative_noun(s, p->first + 1) &&
        is_cap_word(s, p->first + 2))
        n = p->first + 1;
    else if (!relative_noun(s, n))
        return 0;
    size_t d = is_determiner(s, n - 1) ? n - 1 : n;
    return d >= 1 && tok_in(s, d - 1, ST_WORDS_PREPOSITION);
}

/* Rule 2: the nearest speech verb before the quote.  NOBODY when the
 * verb's subject is a thing ("banners that read"): no later rule may then
 * guess. */
enum { NOBODY = -2 };
static int coordinated_that(const sentence_state *s, size_t that);
static int future_act_reporter(const sentence_state *s, int subject);
static int is_place_np(const sentence_state *s, int k);
static int place_clause_reporter(const sentence_state *s, int subject);
/* "the ambassador had been told that ...", "she was asked", "X said
 * the airline had been warned "..."": the subject of a passive verb
 * whose object hears the words (the hearer_verb list) is who heard
 * them, never who said them, so the verb names no speaker and an
 * earlier one may. */
static int addressee_passive(const sentence_state *s, size_t k)
{
    return k > 0 && tok_in(s, k, ST_WORDS_HEARER_VERB) && tok_in(s, k - 1, ST_WORDS_PASSIVE_BE);
}
/* "would", "will", "could": a modal before a verb makes its act one still
 * to come (or only possible).  "had", "has", "have": the perfect, in a
 * reported clause, tells of an act gone by ("X said Nigeria had asked
 * for '...'"): the reporter retells it.  Either way the quoted words are
 * the reporter's own (future_act_reporter). */
static int is_retold_aux(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_RETOLD_AUX);
}
int st_rd_attribution_before(const sentence_state *s, size_t q)
{
    for (size_t k = q; k-- > 0;) {
        if (tok_is(s, k, "that") && !(k + 1 < s->count && is_speech_verb(s, k + 1))) {
            int first = coordinated_that(s, k);
            if (first >= 0)
                return first;
        }
        if ((is_speech_verb(s, k) || st_rd_is_according_to(s, k)) && !(naming_clause(s, k) && !names_quote(s, k, q))) {
            if (addressee_passive(s, k))
                continue;
            int subject = st_rd_subject_of_verb(s, k, 0);
            if (subject < 0 && k >= 1 && (tok_is(s, k - 1, "that") || tok_is(s, k - 1, "which")))
                return NOBODY;
            if (subject >= 0 && reduced_relative(s, k, subject))
                continue;
            /* "China said through Foreign Ministry spokesman Liu Hanqing
             * that ...": the person it spoke through says the words. */
            if (k + 2 < q && tok_is(s, k + 1, "through")) {
                int voice = st_rd_np_after(s, k + 1);
                if (voice >= 0 && s->nps[voice].kind == NP_PERSON)
                    return voice;
            }
            if (subject >= 0 && k >= 1 && is_retold_aux(s, k - 1)) {
                int reporter = future_act_reporter(s, subject);
                if (reporter >= 0)
                    return reporter;
            }
            if (subject >= 0 && is_place_np(s, subject)) {
                int reporter = place_clause_reporter(s, subject);
                if (reporter >= 0)
                    return reporter;
            }
            return subject;
        }
    }
    return -1;
}

/* "X said the strike would go on, and that the union was '...'", "...
 * but that it would not ...": a clause opened by "and that" or "but
 * that", with no verb of speech of its own before the quote, is a second
 * object of the sentence's first verb of speech, whose speaker goes on
 * (the nouns and verbs in between, "the offer", "the federation was",
 * speak for no one).  Returns that verb's subject, or -1 when "that" is
 * not so joined or no verb of speech with a subject comes before. */
static int coordinated_that(const sentence_state *s, size_t that)
{
    size_t j = that;
    if (j > 0 && (tok_is(s, j - 1, "and") || tok_is(s, j - 1, "but")))
        j--;
    else
        return -1;
    for (size_t k = 0; k < j; k++) {
        if (!is_speech_verb(s, k) && !st_rd_is_according_to(s, k))
            continue;
        int subject = st_rd_subject_of_verb(s, k, 1);
        if (subject >= 0)
            return subject;
    }
    return -1;
}

/* "Minister X said Egypt would ask the federation to keep police away
 * from '...'": a verb of speech after a modal ("would ask", "will
 * demand") in a clause reported by an earlier verb of speech is an act
 * still to come, and one after "had" or "has" ("X said Nigeria had asked
 * for '...'") an act the reporter retells, so the quoted words are the
 * reporter's, not those of the clause's subject.  Only when that subject is a body or a place ("the
 * government" too) and the reporter a person.  Returns the reporter's phrase, or -1. */
static int future_act_reporter(const sentence_state *s, int subject)
{
    const np *inner = &s->nps[subject];
    /* "the government", "the ministry": a role phrase on an institution
     * word is a body too; so is one that resolved to no one ("He said
     * the state would ask ..."), which names no speaker the story
     * knows, while the reporter is one. */
    if (inner->kind != NP_ORG && inner->kind != NP_PRONOUN_GROUP &&
        !(inner->kind == NP_ROLE && (tok_in(s, inner->last, ST_WORDS_ORG_HEAD) || inner->entity < 0)))
        return -1;
    for (size_t k = inner->first; k-- > 0;) {
        if (!is_speech_verb(s, k))
            continue;
        int outer = st_rd_subject_of_verb(s, k, 1);
        if (outer >= 0 && outer != subject &&
            (s->nps[outer].kind == NP_PERSON || s->nps[outer].kind == NP_PRONOUN_PERSON))
            return outer;
        return -1;
    }
    return -1;
}

/* A country or capital ("Belize", "Ottawa", "the United States"): a body
 * phrase whose words are all place words, bar "the" and a nationality
 * word ("North Korea"), or a capital of more than one word ("La Paz",
 * "Dar es Salaam": st_rd_capital_words), whose words are in no place
 * list of their own. */
static int is_place_np(const sentence_state *s, int k)
{
    const np *p = &s->nps[k];
    if (p->kind != NP_ORG)
        return 0;
    if (p->last > p->first && st_rd_capital_words(s, p->first, p->last))
        return 1;
    int place = 0;
    for (size_t i = p->first; i <= p->last; i++) {
        if (tok_in(s, i, ST_WORDS_PLACE))
            place = 1;
        else if (!tok_in(s, i, ST_WORDS_NATIONALITY) && !tok_is(s, i, "the") && s->tokens[i].kind != TK_POSS)
            return 0;
    }
    return place;
}

/* "She said Ottawa had made the request and expected '...'", "Hartono
 * said Jakarta welcomed the idea and hoped to agree a date '...'", "The
 * ministry ..., adding that Athens would ask its partners '...'": in
 * news a country or capital that is the subject of a clause reported by
 * a person or body is metonymy for the reporter's own government, so
 * whatever verb the clause holds (a second verb after "and", a verb of
 * no speech, a noun read as one: "a protest note"), its quoted words
 * are the reporter's.  The clause must open right after the reporting
 * verb or after its "that" (a place after ", and" heads a clause of its
 * own).  Returns the reporter's phrase: a person, or a body that is no
 * place itself; else -1. */
static int place_clause_reporter(const sentence_state *s, int subject)
{
    size_t first = s->nps[subject].first;
    if (first == 0)
        return -1;
    size_t k = first - 1;
    if (tok_is(s, k, "that")) {
        /* "told reporters on Monday that": words only back to the verb. */
        while (k-- > 0 && s->tokens[k].kind == TK_WORD && !is_speech_verb(s, k))
            ;
        if (k == (size_t)-1)
            return -1;
    }
    if (!is_speech_verb(s, k) || addressee_passive(s, k))
        return -1;
    int outer = st_rd_subject_of_verb(s, k, 1);
    if (outer < 0 || outer == subject || s->nps[outer].kind == NP_ROLE || is_place_np(s, outer))
        return -1;
    if (s->nps[outer].entity >= 0 && s->nps[outer].entity == s->nps[subject].entity)
        return -1;
    return outer;
}

/* Rule 3: a reporting clause later in the sentence. */
int st_rd_attribution_later(const sentence_state *s, size_t q)
{
    for (size_t j = q + 1; j < s->count; j++) {
        if (s->tokens[j].kind == TK_QUOTE) {
            int k = st_rd_attribution_after(s, j);
            if (k >= 0)
                return k;
            continue;
        }
        if (!tok_punct(s, j, ','))
            continue;
        size_t v = j + 1;
        if (v >= s->count)
            break;
        if (is_speech_verb(s, v) && st_rd_np_after(s, v) >= 0)
            return st_rd_np_after(s, v);
        int k = st_rd_np_past_role_lead(s, v);
        if (k >= 0) {
            long verb = verb_after_np(s, k);
            if (verb >= 0 && is_speech_verb(s, (size_t)verb))
                return k;
        }
    }
    return -1;
}

/* "a briefing paper from the Asia Peace Institute entitled '...'", "a
 * report by the bank titled '...'": a document's title speaks for the
 * body or person the document is from, named within the phrase before
 * "entitled" (no mark between).  Returns that phrase, or -1. */
int st_rd_document_issuer(const sentence_state *s, size_t q)
{
    if (q < 3 || !(tok_is(s, q - 1, "entitled") || tok_is(s, q - 1, "titled")))
        return -1;
    for (size_t j = q - 1; j-- > 0 && j + 12 > q;) {
        if (s->tokens[j].kind != TK_WORD && s->tokens[j].kind != TK_POSS)
            return -1;
        int k = s->np_ending[j];
        if (k < 0)
            continue;
        const np *p = &s->nps[k];
        if (p->entity >= 0 && p->first > 0 && (tok_is(s, p->first - 1, "from") || tok_is(s, p->first - 1, "by")))
            return k;
    }
    return -1;
}

/* Only punctuation besides the quote: the sentence is the quote. */
int st_rd_quote_only(const sentence_state *s)
{
    size_t quotes = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (s->tokens[i].kind == TK_QUOTE)
            quotes++;
        else if (s->tokens[i].kind != TK_PUNCT)
            return 0;
    }
    return quotes == 1;
}
