/*
 * st_article.c - an article's sentences, quotes, and who said each quote.
 *
 * The reader works the way a careful human reads newswire:
 *  1. quotes are found first (st_quotes_find), then sentences, so that a
 *     sentence end inside a quote never separates it from its attribution;
 *  2. each sentence's narration (the words outside quotes) is split into
 *     tokens, and noun phrases that can name a speaker are picked out:
 *     names with titles ("Foreign Minister Amara Diallo"),
 *     institutions ("the State Department"), places used for governments
 *     ("Washington"), pronouns and role nouns ("the minister");
 *  3. every such mention is resolved to an entity of the article, in text
 *     order, so "Diallo" and "she" later point to "Amara Diallo";
 *  4. each quote takes its speaker from the first rule that applies:
 *     an attribution right after it ("...," Diallo said / said Diallo),
 *     the subject of the nearest speech verb before it (Diallo warned of
 *     a "firm" answer), a reporting clause later in the sentence, the
 *     subject of the sentence for a partial quote, and last the speaker
 *     of the previous quote when the quote stands alone.
 * Nothing here guesses: a quote with no attribution gets no speaker.
 * All work is linear in the text, with a bounded look-around per quote.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* The sentence pass                                                   */

/* "central bank governor Osman Kheir told", "said opposition leader Ana
 * Ruiz": a lower-case title right before a person's name (no capital,
 * so st_rd_read_np did not open the phrase on it) is the person's role, so
 * that "the governor added" later finds the person. */
static st_status note_role_before_name(reader *r, const np *p)
{
    const sentence_state *s = &r->s;
    if (r->a->entities[p->entity].kind != ENT_PERSON || !tok_in(s, p->first - 1, ST_WORDS_TITLE) ||
        !tok_in(s, p->first - 1, ST_WORDS_ROLE))
        return ST_OK;
    return st_rd_token_role(r, p->first - 1, p->entity);
}

/* "Pilots at state carrier Aerolíneas Argentinas", "the lender Banco
 * Sur": a name right after a lower-case noun for a kind of body names a
 * body (a name of two words with no institution word was read as a
 * person; it becomes a body unless known to be a person), and "the
 * airline" later, with no body for subject before it, is that body. */
static void note_kind_body(reader *r, const np *p)
{
    entity *e = &r->a->entities[p->entity];
    if (!(r->s.tokens[p->first].flags & TF_CAP) || st_rd_known_person(e))
        return;
    e->kind = ENT_ORG;
    r->kind_body = p->entity;
}

/* "The Russian space corporation Orbita", "the state agency Rosgeo": a
 * name right after a lower-case institution word that a determiner
 * opens (up to two words between) names a body of that kind, unless
 * known to be a person, and the word is its role, so that "the
 * corporation said" later is that body.  The phrase did not take the
 * word in when a capital or a third modifier stood before it.  The
 * determiner keeps out words of other uses ("three times Okafor"). */
static st_status note_institution_before_name(reader *r, const np *p)
{
    const sentence_state *s = &r->s;
    size_t w = p->first - 1, k = w;
    for (int n = 0; n < 3 && k > 0; n++) {
        k--;
        if (s->tokens[k].kind != TK_WORD)
            return ST_OK;
        if (is_determiner(s, k)) {
            entity *e = &r->a->entities[p->entity];
            if (st_rd_known_person(e))
                return ST_OK;
            e->kind = ENT_ORG;
            return st_rd_token_role(r, w, p->entity);
        }
    }
    return ST_OK;
}

/* A lower-case word right before a named phrase that says what the name
 * is: a kind of body (note_kind_body), an institution word
 * (note_institution_before_name) or a title (note_role_before_name).
 * Asked for every phrase, so the common case (no such word) is one test
 * of the word's flags and lists. */
static st_status note_word_before_name(reader *r, const np *p)
{
    if (p->entity < 0 || p->first == 0)
        return ST_OK;
    const token *w = &r->s.tokens[p->first - 1];
    if (!(w->flags & TF_LOWER) ||
        !(w->lists & (ST_LIST_BIT(ST_WORDS_BODY_KIND) | ST_LIST_BIT(ST_WORDS_TITLE) | ST_LIST_BIT(ST_WORDS_ORG_HEAD))))
        return ST_OK;
    if (w->lists & ST_LIST_BIT(ST_WORDS_BODY_KIND))
        note_kind_body(r, p);
    else if (!(w->lists & ST_LIST_BIT(ST_WORDS_TITLE))) {
        st_status st = note_institution_before_name(r, p);
        if (st != ST_OK)
            return st;
    }
    return note_role_before_name(r, p);
}

static st_status grow_maps(sentence_state *s)
{
    if (s->map_capacity >= s->count + 1)
        return ST_OK;
    size_t cap = s->count + 16;
    int *e = realloc(s->np_ending, cap * sizeof *e);
    if (!e)
        return ST_ERR_NOMEM;
    s->np_ending = e;
    int *b = realloc(s->np_starting, cap * sizeof *b);
    if (!b)
        return ST_ERR_NOMEM;
    s->np_starting = b;
    s->map_capacity = cap;
    return ST_OK;
}

/* "a spokesman for the Ministry of Defence ... "...," the spokesman
 * said": a role word for a person (no institution word) that names no
 * one but stands for a body (voice_for_body, resolve_unnamed_voice).
 * Returns that body when phrase p is such a voice, else -1. */
static int voice_of_body(const reader *r, const np *p)
{
    const sentence_state *s = &r->s;
    if (p->kind != NP_ROLE || p->entity < 0 || r->a->entities[p->entity].kind != ENT_ORG)
        return -1;
    size_t h = p->last;
    if (!(s->tokens[h].flags & TF_LOWER) || !tok_in(s, h, ST_WORDS_ROLE) || tok_in(s, h, ST_WORDS_ORG_HEAD) ||
        tok_in(s, h, ST_WORDS_BODY_KIND) || tok_in(s, h, ST_WORDS_DOCUMENT))
        return -1;
    return p->entity;
}

static void mark_salient(reader *r, int entity_id)
{
    if (entity_id < 0)
        return;
    if (r->a->entities[entity_id].kind != ENT_PERSON) {
        r->salient_group = entity_id;
        return;
    }
    r->salient_person = entity_id;
    /* Move (or add) the person to the front of the recent list. */
    size_t at = RECENT - 1;
    for (size_t i = 0; i < RECENT; i++)
        if (r->recent[i] == entity_id) {
            at = i;
            break;
        }
    memmove(r->recent + 1, r->recent, at * sizeof r->recent[0]);
    r->recent[0] = entity_id;
}

/* "Asked whether the Water Project could be drawn in, she said", "When
 * asked about Okafor, he said": a sentence opening with an asked clause
 * names in it the topic of the question, never who answers it, so the
 * phrases between its opening and the pronoun at token at are no
 * antecedent.  Returns the token where the clause opens, or at. */
static size_t asked_topic_from(const reader *r, size_t at)
{
    const sentence_state *s = &r->s;
    size_t b = r->body;
    if (b < at && tok_is(s, b, "when") && b + 1 < at)
        b++;
    return b < at && tok_is(s, b, "asked") ? b : at;
}

/* Does the sentence name a person before the phrase being read? */
static int person_named_before(const reader *r)
{
    const sentence_state *s = &r->s;
    for (size_t k = 0; k < s->np_count; k++) {
        int e = s->nps[k].entity;
        if (e >= 0 && r->a->entities[e].kind == ENT_PERSON)
            return 1;
    }
    return 0;
}

/* "Rep. Ana Ruiz, whose district includes El Paso, said she would": a
 * pronoun right after a verb of speech (or after its "that") is the one
 * who speaks, the person subject of that verb, when not known to be of
 * the other gender; a name nearer the pronoun, inside the subject's
 * relative clause or appositive (a place read as a name, "El Paso"),
 * is no antecedent there.  -1 when the verb's subject is no person.
 * Asked only for a pronoun after a speech word. */
static int sayer_before(const reader *r, size_t at, int want)
{
    const sentence_state *s = &r->s;
    size_t v = at > 0 && tok_is(s, at - 1, "that") ? at - 1 : at;
    if (v == 0 || !tok_in(s, v - 1, ST_WORDS_SPEECH_VERB) || !st_rd_speech_verb_use(s, v - 1))
        return -1;
    int k = st_rd_subject_before(s, v - 1);
    if (k < 0 || s->nps[k].kind != NP_PERSON)
        return -1;
    int e = s->nps[k].entity;
    if (e < 0 || r->a->entities[e].kind != ENT_PERSON)
        return -1;
    int gender = r->a->entities[e].gender;
    return gender == want || !gender ? e : -1;
}

/* he/she: a person named earlier in the same sentence ("Wahyuni said she
 * would"), else the most recent subject or speaker, skipping people whose
 * known gender does not fit.  The pronoun then teaches the gender. */
static int resolve_pronoun(reader *r, size_t at)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    int want = tok_is(s, at, "she") || tok_is(s, at, "her") ? 2 : 1; /* "her letter" */
    /* ""...," the spokesman said. He said ...": the unnamed voice of a
     * body that led the previous sentence goes on speaking for the body,
     * unless this sentence names a person first. */
    if (r->prev_voice >= 0 && !person_named_before(r))
        return r->prev_voice;
    int found = sayer_before(r, at, want);
    size_t topic = asked_topic_from(r, at);
    /* First someone known to fit, then someone not known not to. */
    for (int exact = 1; exact >= 0 && found < 0; exact--) {
        /* Someone not known to fit: first one outside a prepositional
         * phrase ("Solís said ... near Isla Portillos, in what she
         * called": not the place read as a name), then anyone. */
        for (int placed = 0; placed <= 1 && found < 0; placed++) {
            for (size_t k = s->np_count; k-- > 0 && found < 0;) {
                const np *p = &s->nps[k];
                int e = p->entity;
                if (!exact && !placed && p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_PREPOSITION))
                    continue;
                if (p->first >= topic && p->last < at)
                    continue;
                if (p->kind == NP_PERSON && e >= 0 && a->entities[e].kind == ENT_PERSON &&
                    (a->entities[e].gender == want || (!exact && !a->entities[e].gender)))
                    found = e;
            }
        }
        /* A known fit among the people of the previous sentence ("Le
         * Sueur met Arnaud, the fishermen's spokesman. ... he said"). */
        for (size_t i = 0; exact && i < RECENT && found < 0; i++) {
            int e = r->prev_persons[i];
            if (e >= 0 && a->entities[e].gender == want)
                found = e;
        }
        /* Among earlier subjects, anyone not known not to fit: an old
         * "she" must not outrank the person just named. */
        for (size_t i = 0; !exact && i < RECENT && found < 0; i++) {
            int e = r->recent[i];
            if (e >= 0 && (a->entities[e].gender == want || (!exact && !a->entities[e].gender)))
                found = e;
        }
    }
    if (found < 0)
        found = r->salient_person;
    if (found >= 0 && !a->entities[found].gender)
        a->entities[found].gender = want;
    return found;
}

/* A copy of the words of a phrase, as the article wrote them (in the
 * article's arena). */
static const char *np_text(st_article *a, const sentence_state *s, const np *p)
{
    const token *f = &s->tokens[p->first], *l = &s->tokens[p->last];
    return st_arena_strndup(&a->arena, s->text + f->start, l->end - f->start);
}

/* The lower-case words of tokens [from, to), one space between. */
static st_status words_lower(const sentence_state *s, size_t from, size_t to, st_buf *out)
{
    out->len = 0;
    st_status st = st_buf_reserve(out, 1);
    for (size_t i = from; i < to && st == ST_OK; i++) {
        const token *t = &s->tokens[i];
        if (t->kind != TK_WORD)
            continue;
        if (out->len > 0)
            st = st_buf_push(out, ' ');
        for (size_t k = t->start; k < t->end && st == ST_OK; k++) {
            char c = s->text[k];
            st = st_buf_push(out, (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c);
        }
    }
    if (st == ST_OK)
        st = st_buf_reserve(out, 1);
    if (st == ST_OK)
        out->data[out->len] = '\0';
    return st;
}

/* The owner a role phrase names in tokens [from, to), as lower-case
 * words in the arena, or NULL when it names none: the words before a
 * possessive ("Papua New Guinea's foreign minister", "the African
 * Union's envoy") or an acronym right before the role ("PNG Foreign
 * Minister", "the AU envoy").  *after is set to the token after it. */
static st_status role_owner(reader *r, size_t from, size_t to, const char **owner, size_t *after)
{
    const sentence_state *s = &r->s;
    size_t k = from < to && is_determiner(s, from) ? from + 1 : from, end = k;
    *owner = NULL;
    *after = k;
    for (size_t t = k; t < to && !role_part(s, t); t++)
        if (s->tokens[t].kind == TK_POSS) {
            end = t;
            break;
        }
    if (end == k && k + 1 < to && (s->tokens[k].flags & TF_ALLCAPS))
        end = k + 1;
    if (end == k)
        return ST_OK;
    st_status st = words_lower(s, k, end, &r->scratch);
    if (st != ST_OK)
        return st;
    *owner = st_arena_strndup(&r->a->arena, r->scratch.data, r->scratch.len);
    *after = s->tokens[end].kind == TK_POSS ? end + 1 : end;
    return *owner ? ST_OK : ST_ERR_NOMEM;
}

/* Quote quote_index was said by role phrase p, which names nobody yet:
 * remembered for the person the story names with those words. */
static st_status add_pending(reader *r, size_t quote_index, const np *p)
{
    sentence_state *s = &r->s;
    size_t from = p->first;
    for (size_t t = p->first; t < p->last; t++)
        if (s->tokens[t].kind == TK_POSS)
            from = t + 1; /* "Romania's finance minister": the role is after the owner */
    if (is_determiner(s, from))
        from++;
    if (from > p->last || !(tok_in(s, p->last, ST_WORDS_ROLE) || tok_in(s, p->last, ST_WORDS_TITLE)))
        return ST_OK;
    if (r->npending == r->pending_cap) {
        size_t cap = r->pending_cap ? r->pending_cap * 2 : 4;
        pending_role *grown = realloc(r->pending, cap * sizeof *grown);
        if (!grown)
            return ST_ERR_NOMEM;
        r->pending = grown;
        r->pending_cap = cap;
    }
    pending_role *pr = &r->pending[r->npending];
    size_t after;
    st_status st = role_owner(r, p->first, p->last + 1, &pr->owner, &after);
    if (st != ST_OK || (st = words_lower(s, from, p->last + 1, &r->scratch)) != ST_OK)
        return st;
    pr->quote = quote_index;
    pr->sentence = r->sentence;
    pr->words = st_arena_strndup(&r->a->arena, r->scratch.data, r->scratch.len);
    pr->mention = np_text(r->a, s, p);
    if (!pr->words || !pr->mention)
        return ST_ERR_NOMEM;
    r->npending++;
    return ST_OK;
}

/* Is `acronym` the initials of the words of `name` ("au", "african
 * union")? */
static int initials_of(const char *acronym, const char *name)
{
    for (const char *w = name; *w; acronym++) {
        if (*acronym != *w)
            return 0;
        w += strcspn(w, " ");
        w += *w == ' ';
    }
    return !*acronym;
}

/* May two owners of a role be one: either unknown, the same words, or
 * one the other's acronym ("PNG" and "Papua New Guinea")? */
static int owners_agree(const char *x, const char *y)
{
    return !x || !y || !strcmp(x, y) || initials_of(x, y) || initials_of(y, x);
}

/* Does `have` (lower-case words, NUL-terminated) hold the role word
 * alone that the pending words end on ("the minister" for "information
 * minister", "envoy" for "envoy")?  An office named again by its bare
 * role word after the lede gave its field. */
static int bare_role_word(const char *have, const char *words, size_t wl)
{
    const char *role = strrchr(words, ' ');
    role = role ? role + 1 : words;
    return !strncmp(have, role, (size_t)(words + wl - role)) && !have[words + wl - role];
}

/* Do the title words `have` name the role of the pending words in the
 * other order ("trade minister" in "minister of trade and industrial
 * development", "fisheries minister" in "minister for fisheries")?
 * News names an office both ways, the short form in a lede and the
 * formal one with the name. */
static int role_of_field(const char *have, size_t hl, const char *words, size_t wl)
{
    size_t ml = wl;
    while (ml > 0 && words[ml - 1] != ' ')
        ml--;
    if (ml-- < 2)
        return 0; /* one word: no field to find */
    const char *role = words + ml + 1;
    size_t rl = wl - ml - 1;
    /* (have is NUL-terminated: strncmp stops at its end.) */
    for (size_t at = 0; at + rl + 4 + ml <= hl; at++) {
        const char *h = have + at;
        if ((at && h[-1] != ' ') || strncmp(h, role, rl) != 0 || h[rl] != ' ')
            continue;
        const char *f = h + rl + 1;
        size_t sl = !strncmp(f, "of ", 3) ? 3 : (!strncmp(f, "for ", 4) ? 4 : 0);
        if (sl && f + sl + ml <= have + hl && !strncmp(f + sl, words, ml) &&
            (f + sl + ml == have + hl || f[sl + ml] == ' '))
            return 1;
    }
    return 0;
}

/* Person `person`, just named after the words of tokens [from, to)
 * ("Finance Minister Radu Voinea", or in apposition "the minister,
 * X"), takes the quotes pending for a role those words end with, or
 * for its bare role word, when the owners named with both agree;
 * pending roles out of reach are dropped. */
st_status st_rd_claim_pending(reader *r, int person, size_t from, size_t to)
{
    const char *owner;
    size_t after;
    st_status st = role_owner(r, from, to, &owner, &after);
    if (st != ST_OK || (st = words_lower(&r->s, from, to, &r->scratch)) != ST_OK)
        return st;
    const char *have = r->scratch.data;
    size_t hl = r->scratch.len, kept = 0;
    /* one word after the determiner and owner: a bare role word */
    const char *bare = NULL;
    if (after + 1 == to) {
        bare = strrchr(have, ' ');
        bare = bare ? bare + 1 : have;
    }
    for (size_t i = 0; i < r->npending; i++) {
        pending_role *pr = &r->pending[i];
        size_t wl = strlen(pr->words);
        int near = r->sentence - pr->sentence <= PENDING_REACH;
        int fits = (wl <= hl && memcmp(have + hl - wl, pr->words, wl) == 0 && (wl == hl || have[hl - wl - 1] == ' ')) ||
                   role_of_field(have, hl, pr->words, wl) || (bare && bare_role_word(bare, pr->words, wl));
        st_attributed_quote *aq = &r->a->attributed[pr->quote];
        if (near && fits && owners_agree(owner, pr->owner) && aq->speaker_id < 0) {
            aq->speaker_id = person;
            r->a->mentions[pr->quote] = pr->mention;
            r->a->entities[person].spoke = 1;
            continue;
        }
        if (near)
            r->pending[kept++] = *pr;
    }
    r->npending = kept;
    return ST_OK;
}

static st_status set_speaker(reader *r, size_t quote_index, int np_index)
{
    st_article *a = r->a;
    sentence_state *s = &r->s;
    const np *p = &s->nps[np_index];
    if (p->entity < 0)
        return p->kind == NP_ROLE ? add_pending(r, quote_index, p) : ST_OK;
    st_attributed_quote *aq = &a->attributed[quote_index];
    aq->speaker_id = p->entity;
    const char *m = np_text(a, s, p);
    if (!m)
        return ST_ERR_NOMEM;
    a->mentions[quote_index] = m;
    a->entities[p->entity].spoke = 1;
    return ST_OK;
}

static size_t paragraph_of(const char *text, size_t *cursor, size_t *paragraph, size_t pos)
{
    while (*cursor < pos) {
        const char *nl = memchr(text + *cursor, '\n', pos - *cursor);
        if (!nl) {
            *cursor = pos;
            break;
        }
        (*paragraph)++;
        *cursor = (size_t)(nl - text) + 1;
    }
    return *paragraph;
}

/* Phrases x and y side by side with a comma between: "X, the Y". */
static int apposed(const sentence_state *s, const np *x, const np *y)
{
    return y->first == x->last + 2 && tok_punct(s, x->last + 1, ',');
}

/* Whichever of x and y is of the kind (x first), or NULL. */
static np *of_kind(np *x, np *y, int kind)
{
    return x->kind == kind ? x : (y->kind == kind ? y : NULL);
}

/* "Inter-Services Public Relations, the military's media wing,", "X,
 * the president's son,": a role phrase ending on a possessive is the
 * owner of what the appositive names, not what the name is; its words
 * are no role of the name. */
static int owner_of_appositive(const sentence_state *s, const np *role)
{
    return role->last + 1 < s->count && s->tokens[role->last + 1].kind == TK_POSS;
}

/* Gives entity `id` the role word at token t, lower-cased, so that
 * "the <word>" finds it later. */
st_status st_rd_token_role(reader *r, size_t t, int id)
{
    const token *h = &r->s.tokens[t];
    st_status st = st_rd_lower_copy(&r->scratch, r->s.text + h->start, tok_len(h));
    return st == ST_OK ? st_rd_add_role(r->a, &r->key, id, r->scratch.data) : st;
}

/* "The fishermen's organisation, the Normandy Fishing Committee,": an
 * institution word in apposition to a named body is that body, and
 * becomes one of its roles. */
static st_status join_body_apposition(reader *r)
{
    sentence_state *s = &r->s;
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (!apposed(s, x, y))
            continue;
        np *role = of_kind(x, y, NP_ROLE);
        np *body = of_kind(x, y, NP_ORG);
        if (!role || !body || body->entity < 0 || !tok_in(s, role->last, ST_WORDS_ORG_HEAD))
            continue;
        st_status st = st_rd_token_role(r, role->last, body->entity);
        if (st != ST_OK)
            return st;
        role->entity = body->entity;
    }
    return ST_OK;
}

/* "A spokesman for the authority", "a spokeswoman for the regulator":
 * the body named before is taken up again by its lower-case head noun
 * (resolve_role finds it, as for "the authority said"), so its phrase
 * is a role phrase, not a name.  Only the body's appointed voice: "an
 * official of the ministry" may be anyone working there. */
static int body_noun_voice(const sentence_state *s, const np *x, const np *y)
{
    return y->kind == NP_ROLE && y->last == y->first + 1 && tok_is(s, y->first, "the") &&
           (s->tokens[y->last].flags & TF_LOWER) && st_rd_spokes_word(s, x->last);
}

/* "A spokesman for the Defence Ministry", "an official of the bank": an
 * unnamed source speaks for the body named right after "for" or "of",
 * as "a Kremlin spokesman" does for the one named before its role word
 * (resolve_unnamed_voice); the role becomes the body's, so that "the
 * spokesman" later speaks for it too.  The body is read after the role,
 * so this waits for the sentence's phrases. */
static st_status voice_for_body(reader *r)
{
    sentence_state *s = &r->s;
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (x->kind != NP_ROLE || x->entity >= 0 || !(tok_is(s, x->first, "a") || tok_is(s, x->first, "an")) ||
            y->first != x->last + 2 || !(tok_is(s, x->last + 1, "for") || tok_is(s, x->last + 1, "of")) ||
            !(y->kind == NP_ORG || body_noun_voice(s, x, y)) || y->entity < 0 ||
            r->a->entities[y->entity].kind != ENT_ORG)
            continue;
        st_status st = st_rd_token_role(r, x->last, y->entity);
        if (st != ST_OK)
            return st;
        x->entity = y->entity;
    }
    return ST_OK;
}

/* "The Minister for Treasury, Kepas Wali,": the capitalised field m of
 * an office's phrase q (past "the": "Minister of the Treasury") may be
 * a portfolio whose holder goes by a noun of its own, "the treasurer"
 * (st_rd_portfolio_holder); the person in apposition holds it.  The
 * field's own word stays no role of the person: "the Treasury" is the
 * department. */
static st_status field_holder_role(reader *r, const np *q, size_t m, int person)
{
    const sentence_state *s = &r->s;
    if (m < q->last && tok_is(s, m, "the"))
        m++;
    if (m > q->last || !is_cap_word(s, m) || !tok_in(s, m, ST_WORDS_ORG_HEAD))
        return ST_OK;
    const token *t = &s->tokens[m];
    st_status st = st_rd_lower_copy(&r->scratch, s->text + t->start, tok_len(t));
    if (st != ST_OK)
        return st;
    const char *holder = st_rd_portfolio_holder(r->scratch.data);
    return holder ? st_rd_add_role(r->a, &r->key, person, holder) : ST_OK;
}

/* "The governor of Córdoba, Rafael Ortega,": the phrase is read as the
 * place it names, yet its role words before "of", "to" or "for" are the
 * person's in apposition, so "the governor" and "Gov. Ortega" find him.
 * A country's possessive may come first ("France's Minister for
 * Fisheries, X,"): the roles are after it. */
static st_status complement_roles(reader *r, const np *q, int person)
{
    const sentence_state *s = &r->s;
    size_t f = is_determiner(s, q->first) ? q->first + 1 : q->first;
    if (f + 1 < q->last && s->tokens[f + 1].kind == TK_POSS)
        f += 2;
    size_t k = f;
    while (k < q->last && (tok_in(s, k, ST_WORDS_ROLE) || tok_in(s, k, ST_WORDS_TITLE)))
        k++;
    if (k == f || !(tok_is(s, k, "of") || tok_is(s, k, "to") || tok_is(s, k, "for")))
        return ST_OK;
    for (size_t i = f; i < k; i++) {
        st_status st = st_rd_token_role(r, i, person);
        if (st != ST_OK)
            return st;
    }
    return field_holder_role(r, q, k + 1, person);
}

/* Person phrase y opens on an office's words before the name
 * ("Government Spokesman Karim Bensaid", "Deputy Prime Minister X"): a
 * bare name after "and" is rather a second person ("the Minister of
 * Finance and Ana Ruiz"). */
static int titled_name(const sentence_state *s, const np *y)
{
    return tok_in(s, y->first, ST_WORDS_TITLE) || tok_in(s, y->first, ST_WORDS_ROLE) ||
           (y->first < y->last && (tok_in(s, y->first + 1, ST_WORDS_TITLE) || tok_in(s, y->first + 1, ST_WORDS_ROLE)));
}

/* "Minister of Lakes and Forests and Government Spokesman Karim
 * Bensaid said", "Minister of Water and Deputy Prime Minister X said":
 * one person holds both offices (portfolio_holder makes the name the
 * speaker), so the first office's title words are the holder's as well,
 * and "the minister" later finds the person, not the office read as a
 * body. */
static st_status joined_offices(reader *r)
{
    const sentence_state *s = &r->s;
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        const np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (x->kind == NP_PERSON || y->kind != NP_PERSON || y->entity < 0 || y->first != x->last + 2 ||
            !tok_is(s, x->last + 1, "and") || !is_cap_word(s, x->first) || !titled_name(s, y))
            continue;
        st_status st = complement_roles(r, x, y->entity);
        if (st != ST_OK)
            return st;
    }
    return ST_OK;
}

/* The role word of a subject "the <role> of <place>" ("The military
 * governor of Congo’s Ituri province on Sunday gave ...") that nobody
 * holds yet, as a lower-case copy in the arena, into *out (else NULL):
 * the word right before "of", after a determiner and role or title
 * words only. */
static st_status unnamed_complement_role(reader *r, const np *p, const char **out)
{
    const sentence_state *s = &r->s;
    *out = NULL;
    if (!tok_is(s, p->first, "the"))
        return ST_OK;
    size_t k = p->first + 1;
    while (k < p->last && (tok_in(s, k, ST_WORDS_ROLE) || tok_in(s, k, ST_WORDS_TITLE)))
        k++;
    if (k == p->first + 1 || !tok_is(s, k, "of") || !tok_in(s, k - 1, ST_WORDS_ROLE))
        return ST_OK;
    const char *word;
    st_status st = st_rd_role_word(r, k - 1, &word);
    if (st != ST_OK)
        return st;
    if ((st = st_rd_make_key(&r->key, 'r', word, strlen(word))) != ST_OK)
        return st;
    if (st_rd_index_get(&r->a->index, &r->key) >= 0)
        return ST_OK;
    *out = st_arena_strndup(&r->a->arena, word, strlen(word));
    return *out ? ST_OK : ST_ERR_NOMEM;
}

/* A person's phrase that may name an office's holder: a rank or
 * courtesy title and the name ("Lieutenant General X", "Rear Admiral
 * X", "Dr. X"), or a
 * bare name of two words, with no office in it or right before it and
 * no appositive after it that says who the person is instead ("Senator
 * X", "militia leader X", "Fisherman X Y", "X, a fisherman," are
 * others). */
static int names_no_office(const sentence_state *s, const np *p)
{
    if (p->first > 0 && tok_in(s, p->first - 1, ST_WORDS_ROLE) && !tok_in(s, p->first - 1, ST_WORDS_RANK))
        return 0;
    for (size_t k = p->first; k <= p->last; k++)
        if (tok_in(s, k, ST_WORDS_ROLE) && !tok_in(s, k, ST_WORDS_RANK))
            return 0;
    if (p->last + 2 < s->count && tok_punct(s, p->last + 1, ',') && is_determiner(s, p->last + 2))
        return 0;
    for (size_t k = p->first; k < p->last; k++)
        if (tok_in(s, k, ST_WORDS_TITLE))
            return 1;
    return p->last == p->first + 1;
}

/* "The military governor of Congo’s Ituri province on Sunday gave ...",
 * then "Lieutenant General Jean-Pierre Kalombo said ...", then ""...,"
 * the governor said": a lede names the actor by the office held, and
 * the next sentence names the holder as its subject; the office is the
 * holder's, not the place's.  A role word that the previous sentence's
 * subject left unheld goes to this sentence's subject when that is a
 * person first named here (entity from `first_new` on) with no office
 * of its own; then this sentence's subject may leave one in turn.
 * Asked once per sentence; the role walk only for a subject opening on
 * "the". */
static st_status hand_on_unnamed_role(reader *r, int first_subject, size_t first_new)
{
    const sentence_state *s = &r->s;
    const char *role = r->unnamed_role;
    r->unnamed_role = NULL;
    if (first_subject < 0)
        return ST_OK;
    const np *p = &s->nps[first_subject];
    int e = p->entity;
    if (role && e >= 0 && (size_t)e >= first_new && r->a->entities[e].kind == ENT_PERSON && p->kind == NP_PERSON &&
        names_no_office(s, p))
        return st_rd_add_role(r->a, &r->key, e, role);
    return p->kind != NP_PERSON ? unnamed_complement_role(r, p, &r->unnamed_role) : ST_OK;
}

static st_status read_sentence(reader *r, size_t sentence_index, size_t *next_quote, size_t paragraph)
{
    st_article *a = r->a;
    sentence_state *s = &r->s;
    r->sentence = sentence_index;
    st_span span = a->sentences.items[sentence_index];
    size_t first_new = a->entity_count; /* entities from here on are named first here */
    st_status st = st_rd_tokenize(s, &a->quotes, next_quote, span.start, span.end);
    if (st != ST_OK)
        return st;
    if ((st = grow_maps(s)) != ST_OK)
        return st;
    for (size_t i = 0; i < s->count; i++)
        s->np_ending[i] = s->np_starting[i] = -1;
    s->np_count = 0;

    /* Noun phrases, resolved in text order. */
    size_t body = (span.start == 0 || s->text[span.start - 1] == '\n') ? st_rd_skip_dateline(s) : 0;
    r->body = body;
    for (size_t i = body; i < s->count;) {
        int kind;
        size_t end = st_rd_read_np(s, i, &kind);
        if (end == i) {
            i++;
            continue;
        }
        np p = {i, end - 1, kind, -1, st_rd_verb_after(s, end - 1)};
        /* A lone nationality adjective ("Russian disinformation") or a
         * dateline ("GENEVA (AP)") names nobody.  A word of the list that
         * is also a role names a body ("the Kremlin", "the White House":
         * in the list for "a Kremlin spokesman"), one that speaks after
         * its verb too ("\"...,\" according to the Kremlin."). */
        int subject = p.verb >= 0;
        if (kind == NP_PERSON || kind == NP_ROLE) {
            size_t f = is_determiner(s, p.first) ? p.first + 1 : p.first;
            int all_nat = 1;
            for (size_t k = f; k <= p.last; k++)
                if (!tok_in(s, k, ST_WORDS_NATIONALITY) || tok_in(s, k, ST_WORDS_ROLE))
                    all_nat = 0;
            if (all_nat && !subject) {
                i = end;
                continue;
            }
        }
        if (kind == NP_PRONOUN_PERSON)
            p.entity = resolve_pronoun(r, i);
        else if (kind == NP_PRONOUN_GROUP) {
            /* "Rusgaz said it would ...": the first body of the sentence
             * outside a prepositional phrase, else the last body that spoke
             * or led a sentence. */
            p.entity = r->salient_group;
            for (size_t k = 0; k < s->np_count; k++) {
                int e = s->nps[k].entity;
                if (e >= 0 && r->a->entities[e].kind == ENT_ORG &&
                    !(s->nps[k].first > 0 && tok_in(s, s->nps[k].first - 1, ST_WORDS_PREPOSITION))) {
                    p.entity = e;
                    break;
                }
            }
        }
        else if ((st = st_rd_resolve_any_phrase(r, &p, subject)) != ST_OK) {
            return st;
        }
        if ((st = note_word_before_name(r, &p)) != ST_OK)
            return st;
        if ((st = st_rd_push_np(s, p)) != ST_OK)
            return st;
        s->np_ending[p.last] = (int)s->np_count - 1;
        s->np_starting[p.first] = (int)s->np_count - 1;
        i = p.last + 1 > end ? p.last + 1 : end; /* a described body grows (add_described_body) */
    }

    /* Apposition: "Wahyuni, the opposition leader," and "The French envoy,
     * Anne-Claire Dufour," name one person; the role joins the person so
     * that "the envoy" finds her later. */
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (!apposed(s, x, y))
            continue;
        np *person = of_kind(x, y, NP_PERSON);
        np *role = of_kind(x, y, NP_ROLE);
        if (person && !role && person->entity >= 0 &&
            (st = complement_roles(r, person == x ? y : x, person->entity)) != ST_OK)
            return st;
        if (!person || !role || person->entity < 0 || tok_in(s, role->last, ST_WORDS_ORG_HEAD) ||
            owner_of_appositive(s, role))
            continue;
        for (size_t t = role->first; t <= role->last; t++) {
            if (!tok_in(s, t, ST_WORDS_ROLE) && !tok_in(s, t, ST_WORDS_TITLE) && !tok_in(s, t, ST_WORDS_ORG_HEAD))
                continue;
            if ((st = st_rd_token_role(r, t, person->entity)) != ST_OK)
                return st;
        }
        role->entity = person->entity;
        /* "The AU envoy, Ambassador X,": the holder of a role the lede
         * quoted unnamed may be named in apposition to it. */
        if (r->npending && (st = st_rd_claim_pending(r, person->entity, role->first, role->last + 1)) != ST_OK)
            return st;
    }

    if ((st = join_body_apposition(r)) != ST_OK || (st = voice_for_body(r)) != ST_OK ||
        (st = joined_offices(r)) != ST_OK)
        return st;

    /* "Kim Soo-yeon is the defence ministry's spokeswoman": a person
     * introduced by a role takes it. */
    for (size_t k = 0; k + 1 < s->np_count; k++) {
        np *x = &s->nps[k], *y = &s->nps[k + 1];
        if (x->kind != NP_PERSON || x->entity < 0 || y->first != x->last + 2)
            continue;
        if (!tok_is(s, x->last + 1, "is") && !tok_is(s, x->last + 1, "was") && !tok_is(s, x->last + 1, "becomes"))
            continue;
        for (size_t t = y->first; t <= y->last; t++) {
            if (!tok_in(s, t, ST_WORDS_ROLE) && !tok_in(s, t, ST_WORDS_TITLE))
                continue;
            if ((st = st_rd_token_role(r, t, x->entity)) != ST_OK)
                return st;
        }
    }

    /* Quotes of this sentence. */
    int first_subject = st_rd_main_subject(s, s->count);
    for (size_t i = 0; s->quotes && i < s->count; i++) {
        if (s->tokens[i].kind != TK_QUOTE)
            continue;
        size_t qi = s->tokens[i].quote;
        a->quote_sentence[qi] = sentence_index;
        int k = st_rd_attribution_after(s, i);
        if (k < 0)
            k = st_rd_attribution_before(s, i);
        if (k == -1)
            k = st_rd_attribution_later(s, i);
        if (k == -1)
            k = st_rd_document_issuer(s, i);
        if (k == -1 && !st_rd_quote_only(s) && first_subject >= 0 && s->nps[first_subject].first < i)
            k = first_subject;
        if (k >= 0 && (s->nps[k].entity >= 0 || s->nps[k].kind == NP_ROLE)) {
            if ((st = set_speaker(r, qi, k)) != ST_OK)
                return st;
        } else if (st_rd_quote_only(s) && !r->prev_had_quote && r->prev_subject >= 0 &&
                   paragraph <= r->prev_paragraph + 1) {
            /* A quote standing alone after a sentence about someone
             * ("Melnyk dismissed the offer." "They offer a truce...") is
             * that someone speaking. */
            a->attributed[qi].speaker_id = r->prev_subject;
        } else if (st_rd_quote_only(s) && r->have_last_speaker && paragraph <= r->last_speaker_paragraph + 1) {
            /* Otherwise it goes on with the previous speaker. */
            a->attributed[qi].speaker_id = r->last_speaker;
        }
        if (a->attributed[qi].speaker_id >= 0) {
            r->last_speaker = a->attributed[qi].speaker_id;
            r->last_speaker_paragraph = paragraph;
            r->have_last_speaker = 1;
        }
    }

    /* Whom the sentence reports: its first attributed quote's speaker, or
     * the subject of its first speech verb ("Diallo warned that ..."). */
    int reported = -1, reported_np = -1;
    for (size_t i = 0; s->quotes && i < s->count && reported < 0; i++)
        if (s->tokens[i].kind == TK_QUOTE)
            reported = a->attributed[s->tokens[i].quote].speaker_id;
    for (size_t i = 0; i < s->count && reported < 0; i++) {
        if (s->tokens[i].kind == TK_WORD && (is_speech_verb(s, i) || st_rd_is_according_to(s, i))) {
            int k = st_rd_subject_of_verb(s, i, 0);
            if (k >= 0 && s->nps[k].entity >= 0) {
                reported = s->nps[k].entity;
                reported_np = k;
            }
        }
    }
    a->sentence_speaker[sentence_index] = reported;
    if (reported_np >= 0 && !(a->sentence_mention[sentence_index] = np_text(a, s, &s->nps[reported_np])))
        return ST_ERR_NOMEM;

    /* Salience for pronouns: the sentence's subject, then its speakers.
     * With no quote, the one it reports speaking comes last: "The convoy
     * leaves at dawn, said Gen. Anya Dorvel, who ..." puts her words in
     * the story, and the "she said" that follows goes on with her, not
     * with the convoy's sentence's subject or an earlier speaker. */
    if (first_subject >= 0)
        mark_salient(r, s->nps[first_subject].entity);
    if (!s->quotes && reported >= 0)
        mark_salient(r, reported);
    if ((st = hand_on_unnamed_role(r, first_subject, first_new)) != ST_OK)
        return st;
    r->prev_subject = first_subject >= 0 ? s->nps[first_subject].entity : -1;
    r->prev_voice = first_subject >= 0 ? voice_of_body(r, &s->nps[first_subject]) : -1;
    size_t np_persons = 0;
    for (size_t k = s->np_count; k-- > 0 && np_persons < RECENT;) {
        int e = s->nps[k].entity;
        if (e >= 0 && a->entities[e].kind == ENT_PERSON)
            r->prev_persons[np_persons++] = e;
    }
    while (np_persons < RECENT)
        r->prev_persons[np_persons++] = -1;
    r->prev_paragraph = paragraph;
    r->prev_had_quote = s->quotes > 0;
    for (size_t i = 0; s->quotes && i < s->count; i++) {
        if (s->tokens[i].kind == TK_QUOTE)
            mark_salient(r, a->attributed[s->tokens[i].quote].speaker_id);
    }
    return ST_OK;
}
/* ------------------------------------------------------------------ */
/* Public API                                                          */

st_status st_article_read(const st_doc *doc, st_article **out, st_diag *diag)
{
    (void)diag;
    *out = NULL;
    st_article *a = calloc(1, sizeof *a);
    if (!a)
        return ST_ERR_NOMEM;
    a->doc = doc;
    const char *text = st_doc_text(doc);
    size_t size = st_doc_size(doc);
    st_status st = st_quotes_find(text, size, &a->quotes);
    if (st == ST_OK)
        st = st_sentences_split(text, size, &a->quotes, &a->sentences);
    if (st != ST_OK) {
        st_article_free(a);
        return st;
    }
    /* Per-quote and per-sentence arrays from the arena: no malloc or
     * free of their own. */
    size_t nq = a->quotes.count;
    a->attributed = st_arena_calloc(&a->arena, nq, sizeof *a->attributed);
    a->quote_sentence = st_arena_calloc(&a->arena, nq, sizeof *a->quote_sentence);
    a->mentions = st_arena_calloc(&a->arena, nq, sizeof *a->mentions);
    size_t ns = a->sentences.count;
    a->sentence_speaker = st_arena_calloc(&a->arena, ns, sizeof *a->sentence_speaker);
    a->sentence_mention = st_arena_calloc(&a->arena, ns, sizeof *a->sentence_mention);
    if (!a->attributed || !a->quote_sentence || !a->mentions || !a->sentence_speaker || !a->sentence_mention) {
        st_article_free(a);
        return ST_ERR_NOMEM;
    }
    for (size_t i = 0; i < nq; i++)
        a->attributed[i].speaker_id = -1;
    for (size_t i = 0; i < ns; i++)
        a->sentence_speaker[i] = -1;

    reader r;
    memset(&r, 0, sizeof r);
    r.a = a;
    r.s.text = text;
    r.s.size = size;
    r.s.words8 = st_words8_get();
    r.salient_person = r.salient_group = r.last_speaker = r.prev_subject = r.kind_body = r.prev_voice = -1;
    for (size_t i = 0; i < RECENT; i++)
        r.recent[i] = r.prev_persons[i] = -1;
    size_t next_quote = 0, cursor = 0, paragraph = 0;
    for (size_t k = 0; k < a->sentences.count && st == ST_OK; k++) {
        size_t par = paragraph_of(text, &cursor, &paragraph, a->sentences.items[k].start);
        st = read_sentence(&r, k, &next_quote, par);
    }
    if (st == ST_OK)
        st = st_rd_show_acronyms(a);
    free(r.pending); /* its strings are the arena's */
    free(r.s.tokens);
    free(r.s.nps);
    free(r.s.np_ending);
    free(r.s.np_starting);
    st_buf_free(&r.scratch);
    st_buf_free(&r.key.buf);
    if (st != ST_OK) {
        st_article_free(a);
        return st;
    }
    /* A quoted paragraph left open continues in the next one: the pieces
     * share a speaker (the attribution usually comes with the last). */
    for (size_t i = nq; i-- > 0;) {
        if (a->quotes.items[i].continues && a->attributed[i].speaker_id < 0 && i + 1 < nq)
            a->attributed[i].speaker_id = a->attributed[i + 1].speaker_id;
    }
    for (size_t i = 0; i < nq; i++) {
        st_attributed_quote *aq = &a->attributed[i];
        aq->quote = a->quotes.items[i];
        aq->sentence = a->quote_sentence[i];
        aq->speaker = aq->speaker_id >= 0 ? st_rd_shown_name(&a->entities[aq->speaker_id]) : NULL;
        aq->mention = aq->speaker_id >= 0 ? a->mentions[i] : NULL;
    }
    *out = a;
    return ST_OK;
}

void st_article_free(st_article *a)
{
    if (!a)
        return;
    st_spans_clear(&a->sentences);
    st_quotes_clear(&a->quotes);
    free(a->entities);
    st_rd_index_free(&a->index);
    st_arena_free(&a->arena);
    free(a);
}

size_t st_article_sentence_count(const st_article *a) { return a->sentences.count; }

st_span st_article_sentence(const st_article *a, size_t index) { return a->sentences.items[index]; }

const char *st_article_sentence_speaker(const st_article *a, size_t index, const char **mention)
{
    if (mention)
        *mention = NULL;
    if (index >= a->sentences.count || !a->sentence_speaker || a->sentence_speaker[index] < 0)
        return NULL;
    if (mention)
        *mention = a->sentence_mention[index];
    return st_rd_shown_name(&a->entities[a->sentence_speaker[index]]);
}

size_t st_article_quote_count(const st_article *a) { return a->quotes.count; }

const st_attributed_quote *st_article_quote(const st_article *a, size_t index) { return &a->attributed[index]; }
