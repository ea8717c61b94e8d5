/*
 * st_article_resolve.c - the reading state across sentences: each noun
 * phrase resolved, in text order, to an entity of the article (a name to
 * the person it names or a new one, "she" and "the minister" to the
 * latest fitting person, a place to its government), with the rules
 * that keep datelines, places and things from becoming speakers.  Part
 * of the article reader (st_article.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* Reading state across sentences                                      */

/* A dateline opens a story ("GENEVA (AP) —", "JAKARTA, Indonesia —",
 * "LASK:"): capitals, commas and an agency up to a dash or colon.  It
 * names a place, never a speaker.  Returns the first token after it. */
size_t st_rd_skip_dateline(const sentence_state *s)
{
    int shouting = 0;
    for (size_t i = 0; i < s->count && i < 12; i++) {
        const token *t = &s->tokens[i];
        if (t->kind == TK_WORD) {
            if (t->flags & TF_ALLCAPS)
                shouting = 1;
            else if (!(t->flags & (TF_CAP | TF_DIGIT)))
                return 0;
            continue;
        }
        if (t->kind != TK_PUNCT)
            return 0;
        if (t->cp == 0x2014 || t->cp == 0x2013 || t->cp == '-' || t->cp == ':')
            return shouting ? i + 1 : 0;
        if (t->cp != ',' && t->cp != '(' && t->cp != ')' && t->cp != '/' && t->cp != '.')
            return 0;
    }
    return 0;
}

/* Token range text, for building names. */
/* The role key of token i of the sentence, lower-cased in r->scratch
 * ("Gov." gives "governor"): the form an entity's roles and the index's
 * 'r' keys hold.  *word points into r->scratch or at a constant. */
st_status st_rd_role_word(reader *r, size_t i, const char **word)
{
    const token *t = &r->s.tokens[i];
    st_status st = st_rd_lower_copy(&r->scratch, r->s.text + t->start, tok_len(t));
    *word = st == ST_OK ? st_rd_role_key(r->scratch.data) : NULL;
    return st;
}

static st_status append_tokens(reader *r, st_buf *out, size_t first, size_t last)
{
    out->len = 0;
    for (size_t i = first; i <= last; i++) {
        const token *t = &r->s.tokens[i];
        /* Words keep their spacing; a mark joined to a word stays joined. */
        if (out->len && i > first && t->start > r->s.tokens[i - 1].end) {
            st_status st = st_buf_push(out, ' ');
            if (st != ST_OK)
                return st;
        }
        st_status st = st_buf_append(out, r->s.text + t->start, t->end - t->start);
        if (st != ST_OK)
            return st;
    }
    st_status st = st_buf_reserve(out, 1);
    if (st != ST_OK)
        return st;
    out->data[out->len] = '\0';
    return ST_OK;
}

/* "East African Community", "the Andean Community": "Community" after
 * another capitalised word ends a body's name.  It is no institution
 * word in the lists: "the international community" names no body. */
static int capital_community(const sentence_state *s, size_t i)
{
    return tok_is(s, i, "community") && i > 0 && is_cap_word(s, i - 1);
}

/* The token after a run of Malay honorifics opening the name at
 * `start` ("Datuk Seri Azman bin Haji Rosli", "Tan Sri Kamal Idris",
 * "Haji Osman Yeop"), or `start` when none does.  A conferred rank is
 * written before the name on first reference and dropped after ("Azman
 * said"), so it is no part of the name.  A rank word that is also a
 * name ("Tan", "Sri") counts only in a run of two or more, or right
 * after an honorific the name walk stopped at (before "Sri", also a
 * place word for "Sri Lanka", or after the apostrophe that ends
 * "Dato’", a punctuation token); at
 * least one name word is left. */
#define HONORIFIC_LISTS (ST_LIST_BIT(ST_WORDS_HONORIFIC) | ST_LIST_BIT(ST_WORDS_HONORIFIC_RANK))
static size_t honorific_run_end(const sentence_state *s, size_t first, size_t start, size_t end)
{
    size_t k = start;
    size_t before = start > first && (tok_punct(s, start - 1, 0x2019) || tok_punct(s, start - 1, '\'')) ? start - 1 : start;
    int alone = before > first && tok_in(s, before - 1, ST_WORDS_HONORIFIC);
    while (k + 1 < end && (s->tokens[k].flags & TF_CAP) && (s->tokens[k].lists & HONORIFIC_LISTS)) {
        alone |= tok_in(s, k, ST_WORDS_HONORIFIC);
        k++;
    }
    return alone || k - start >= 2 ? k : start;
}

/* "The military governor of Congo’s Ituri province", "the mayor of
 * Peru’s Arequipa": the words after "of" and an owner's possessive name
 * the place or thing served, as they do right after "of" ("the governor
 * of Ituri"); no person is named "of Congo’s X".  Asked only when the
 * word before the name is a possessive. */
static int served_past_owner(const sentence_state *s, size_t first, size_t name_start)
{
    if (name_start < first + 3 || s->tokens[name_start - 1].kind != TK_POSS)
        return 0;
    size_t k = name_start - 2;
    while (k > first && is_cap_word(s, k))
        k--;
    if (k > first && tok_is(s, k, "the"))
        k--;
    return k + 2 < name_start && st_rd_serves_word(s, k);
}

/* "The Fujairah Fishermen’s Cooperative", "the Nizwa Farmers’ Cooperative",
 * "the Rural Women’s Collective": a plural noun for a trade or a group of
 * people, capitalised, and its possessive inside a name make the name a
 * body's; no person is named "<people>'s X", while a country's or a
 * person's possessive before a name ("Kenya's Ruto") stays apart.  The
 * owner is a plural of "-men" or "children" before "'s", or a plural
 * of a trade or a people ("-ers", "-ors", "-ists", "-ans", "-ees") before
 * a bare mark.  Asked only when the word before the name is a mark. */
static int plural_owner_before(const sentence_state *s, size_t first, size_t name_start)
{
    if (name_start < first + 2)
        return 0;
    size_t o = name_start - 2;
    const token *m = &s->tokens[name_start - 1];
    if (!is_cap_word(s, o) || m->start != s->tokens[o].end || tok_in(s, o, ST_WORDS_PLACE) ||
        tok_in(s, o, ST_WORDS_NATIONALITY))
        return 0;
    if (m->kind == TK_POSS)
        return ends_with(s, o, "men") || tok_is(s, o, "children");
    return plural_mark(s, name_start - 1) &&
           (st_rd_plural_agent_noun(s, o) || ends_with(s, o, "ans") || ends_with(s, o, "ees"));
}

/* Is token i a plain name word (not a title, role, institution, place or
 * nationality)?  The trailing run of these is a person's name. */
static int personal_name_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    if (t->kind != TK_WORD || !(t->flags & TF_CAP))
        return 0;
    if (t->flags & TF_INITIAL)
        return 1;
    if (t->flags & (TF_ALLCAPS | TF_DOTTED))
        return 0;
    return !tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE) && !tok_in(s, i, ST_WORDS_ORG_HEAD) &&
           !tok_in(s, i, ST_WORDS_PLACE) && !tok_in(s, i, ST_WORDS_NATIONALITY) &&
           (!tok_in(s, i, ST_WORDS_NOT_NAME) || st_rd_family_name_he(s, i) || st_rd_name_opening_i(s, i)) &&
           !capital_community(s, i);
}

/* Finds the person entity for a name, or -1.  A surname alone matches the
 * latest person with that surname; a full name must agree on the first
 * name when both are known. */
static int find_person(reader *r, const char *first, size_t first_len, const char *last, size_t last_len)
{
    const st_article *a = r->a;
    if (st_rd_make_key(&r->key, 'p', last, last_len) != ST_OK)
        return -1;
    int found = st_rd_index_get(&a->index, &r->key);
    if (found < 0 && !first) {
        st_rd_key_set_kind(&r->key, 'f');
        if ((found = st_rd_index_get(&a->index, &r->key)) >= 0)
            return found;
        st_rd_key_set_kind(&r->key, 'v'); /* "Cordero", "Jubouri": index_short_forms */
        return st_rd_index_get(&a->index, &r->key);
    }
    for (int k = found; k >= 0; k = a->entities[k].prev_same) {
        const entity *e = &a->entities[k];
        if (first && e->name_tokens >= 2) {
            size_t fl = (size_t)(strchr(e->name, ' ') - e->name);
            if (fl != first_len || strncasecmp(e->name, first, first_len) != 0)
                continue;
        }
        return (int)k;
    }
    return -1;
}

/* Does the display name hold the word w as a whole word (any case)? */
static int name_has_word(const char *name, const char *w, size_t wl)
{
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, " ");
        if (n == wl && strncasecmp(p, w, wl) == 0)
            return 1;
        p += n;
        p += *p == ' ';
    }
    return 0;
}

/* The length of the possessive ending of word[0..n) ("’s", "'s"), or 0:
 * "El Salvador’s Ministry of Foreign Affairs" names its state before
 * the body, in the possessive, as others name it after "of". */
static size_t possessive_ending(const char *word, size_t n)
{
    if (n > 2 && word[n - 1] == 's' && word[n - 2] == '\'')
        return 2;
    if (n > 4 && word[n - 1] == 's' && memcmp(word + n - 4, "\xe2\x80\x99", 3) == 0)
        return 4;
    return 0;
}

/* Does a word of the name spell the state the nationality belongs to?
 * The nationality itself ("the Kyrgyz Republic", "the Russian
 * Federation"), or a country whose stem opens it: "Peru" / "Peruvian",
 * "Kenya" / "Kenyan", "Chile" / "Chilean", "Germany" / "German" (a
 * last vowel or "y" dropped, four letters left at least).  Irregular
 * pairs ("France" / "French") agree with nothing: no body, as before. */
static int name_holds_state_of(const char *name, const char *nat, size_t nl)
{
    for (const char *p = name; *p;) {
        size_t word = strcspn(p, " ");
        size_t n = word - possessive_ending(p, word);
        size_t stem = n > 4 && strchr("aeoy", p[n - 1]) ? n - 1 : n;
        if (p[0] >= 'A' && p[0] <= 'Z' && stem >= 4 && stem <= nl && strncasecmp(p, nat, stem) == 0)
            return 1;
        /* "Uzbek" / "Uzbekistan", "Kazakh" / "Kazakhstan". */
        if (n > nl && strncasecmp(p, nat, nl) == 0 &&
            ((n == nl + 4 && strncasecmp(p + nl, "stan", 4) == 0) ||
             (n == nl + 5 && strncasecmp(p + nl, "istan", 5) == 0)))
            return 1;
        p += word;
        p += *p == ' ';
    }
    return 0;
}

/* "The Russian ministry" after "the Ministry of Agriculture of the
 * Russian Federation", "the Kyrgyz border service" after "the Border
 * Service of ... of the Kyrgyz Republic": news names a state's body in
 * full once, with the state after "of", and then by the nationality and
 * the institution word.  The body holding the word agrees when its name
 * spells the nationality's state and holds every lower-case word between
 * ("border").  Asked only of a phrase opening on a nationality. */
static int nationality_short_form(const sentence_state *s, size_t first, size_t last, const char *name)
{
    if (!(s->tokens[first].flags & TF_CAP) || !tok_in(s, first, ST_WORDS_NATIONALITY))
        return 0;
    for (size_t k = first + 1; k < last; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || !name_has_word(name, s->text + t->start, tok_len(t)))
            return 0;
    }
    const token *f = &s->tokens[first];
    return name_holds_state_of(name, s->text + f->start, tok_len(f));
}

/* "The Kazakh ministry" when the Uzbek ministry was named after the
 * Kazakh one: the latest body holding the institution word is another
 * state's, so the other bodies are asked, newest first, for the one
 * whose name holds the word and agrees with the nationality; -1 when
 * none.  Asked only when the latest holder did not agree. */
static int body_of_state_by_head(const st_article *a, const sentence_state *s, size_t first, size_t last, int latest)
{
    if (!(s->tokens[first].flags & TF_CAP) || !tok_in(s, first, ST_WORDS_NATIONALITY))
        return -1;
    const token *h = &s->tokens[last];
    for (int k = (int)a->entity_count - 1; k >= 0; k--) {
        const entity *e = &a->entities[k];
        if (k != latest && e->kind == ENT_ORG && name_has_word(e->name, s->text + h->start, tok_len(h)) &&
            nationality_short_form(s, first, last, e->name))
            return k;
    }
    return -1;
}

/* "the Saudi ministry" after "the Saudi Foreign Ministry": a body's
 * first word and lower-case institution word, standing for the latest
 * body holding that word whose name starts and ends the same, or whose
 * name spells the state of the nationality opening the phrase
 * (nationality_short_form; *out -1 when none). */
static st_status shortened_body(reader *r, size_t first, size_t last, int *out)
{
    sentence_state *s = &r->s;
    *out = -1;
    const token *f = &s->tokens[first], *h = &s->tokens[last];
    if (first == last || !(h->flags & TF_LOWER) || !tok_in(s, last, ST_WORDS_ORG_HEAD))
        return ST_OK;
    /* (r->scratch holds the phrase's name: only the key buffer is free.) */
    st_status st = st_rd_make_key(&r->key, 'r', s->text + h->start, tok_len(h));
    if (st != ST_OK)
        return st;
    int id = st_rd_index_get(&r->a->index, &r->key);
    if (id < 0 || r->a->entities[id].kind != ENT_ORG)
        return ST_OK;
    const char *name = r->a->entities[id].name;
    size_t fl = tok_len(f), wl;
    const char *w = st_rd_last_word(name, &wl);
    if ((strncasecmp(name, s->text + f->start, fl) == 0 && name[fl] == ' ' && wl == tok_len(h) &&
         strncasecmp(w, s->text + h->start, wl) == 0) ||
        nationality_short_form(s, first, last, name))
        *out = id;
    else
        *out = body_of_state_by_head(r->a, s, first, last, id);
    return ST_OK;
}

/* The head word of a body's name that goes on past it, the word before
 * its first "of", "in", "to", "for" or "on" ("Embassy" of "Belgian
 * Embassy in Kinshasa", "Delegation" of "Delegation of the European
 * Union to Senegal", "Commission" of "Broadcasting Commission of
 * Lesotho", "Authority" of "Authority for Civil Aviation Safety"), or
 * NULL when the name has none of them. */
static __attribute__((noinline)) const char *linked_head_word(const char *name, size_t *len)
{
    const char *link = NULL;
    static const char *const links[] = {" of ", " in ", " to ", " for ", " on "};
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        const char *p = strstr(name, links[i]);
        if (p && (!link || p < link))
            link = p;
    }
    if (!link)
        return NULL;
    const char *w = link;
    while (w > name && w[-1] != ' ')
        w--;
    *len = (size_t)(link - w);
    return w;
}

/* "the Commission" after "the European Commission", "the Senate" after
 * "the Philippine Senate": after "the", a lone capitalised institution
 * word is the short form news uses for the body just named in full, the
 * latest body holding that word whose name ends on it or on its field,
 * state or seat after "of", "for", "on", "in" or "to" (linked_head_word:
 * "the Commission" after "the Broadcasting Commission of Lesotho", "the
 * Embassy" after "the Belgian Embassy in Kinshasa"; copy drops what
 * follows the head as it drops what precedes it), *out -1 when none.  A
 * body the word alone names is no short form. */
static st_status body_by_head(reader *r, const np *p, size_t head, int *out)
{
    sentence_state *s = &r->s;
    *out = -1;
    const token *h = &s->tokens[head];
    if (head != p->first + 1 || !tok_is(s, p->first, "the") || !(h->flags & TF_CAP) ||
        !tok_in(s, head, ST_WORDS_ORG_HEAD))
        return ST_OK;
    /* (r->scratch holds the phrase's name: only the key buffer is free.) */
    st_status st = st_rd_make_key(&r->key, 'r', s->text + h->start, tok_len(h));
    if (st != ST_OK)
        return st;
    int id = st_rd_index_get(&r->a->index, &r->key);
    if (id < 0 || r->a->entities[id].kind != ENT_ORG || r->a->entities[id].name_tokens < 2)
        return ST_OK;
    size_t wl;
    const char *w = st_rd_last_word(r->a->entities[id].name, &wl);
    if (!(wl == tok_len(h) && strncasecmp(w, s->text + h->start, wl) == 0))
        w = linked_head_word(r->a->entities[id].name, &wl);
    if (w && wl == tok_len(h) && strncasecmp(w, s->text + h->start, wl) == 0)
        *out = id;
    return ST_OK;
}

/* Remembers the acronym a body was also called by (the first one). */
static st_status note_acronym(st_article *a, entity *e, const char *acr, size_t len)
{
    if (!e->acronym && !(e->acronym = st_arena_strndup(&a->arena, acr, len)))
        return ST_ERR_NOMEM;
    return ST_OK;
}

/* "Confederation of African Football", "Agency for Energy Regulation":
 * after a capitalised institution word and "of" or "for", capitalised
 * words with no title, role or possessive among them, up to `name_start`,
 * name what the institution serves, so the words after them do too (not
 * a person "Football").  "Ministry of Defence spokesman John Smith" has
 * a role between: the name is a person's. */
/* A title or role word at k in an institution's field heads a person's
 * title when it stands right before the name ("Ministry of Defence
 * Minister John Smith"); before another word of the field it only
 * qualifies that word ("Ministry of Foreign Affairs and Worship",
 * "Ministry of Trade and Industry").  A capitalised title before a
 * single last word qualifies it too ("General Directorate of General
 * Security"): news names a new holder in full, and a holder named by
 * the surname alone is found by resolve_named first. */
static int heads_title(const sentence_state *s, size_t k, size_t name_start, size_t name_end)
{
    return k + 1 == name_start && (tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ROLE)) &&
           !(name_end == name_start + 1 && is_cap_word(s, k));
}

static int serves_institution(const sentence_state *s, size_t first, size_t name_start, size_t name_end)
{
    for (size_t o = first + 1; o < name_start; o++) {
        if (!st_rd_serves_word(s, o) || !is_cap_word(s, o - 1) || !tok_in(s, o - 1, ST_WORDS_ORG_HEAD))
            continue;
        for (size_t k = o + 1; k < name_start; k++)
            if (!(is_cap_word(s, k) || tok_is(s, k, "the") || tok_is(s, k, "and") || tok_punct(s, k, ',')) ||
                heads_title(s, k, name_start, name_end))
                return 0;
        return 1;
    }
    return 0;
}

/* The seat after a lower-case institution word and "in" when no
 * word of the place list names it ("the Community secretariat in
 * Arusha", "the union office in Port Kembla"): one or two capitalised
 * name words from token i, none a title, role or institution word, and
 * no possessive or "of" after them (a name going on).  Returns the last
 * token, or 0. */
static size_t town_seat(const sentence_state *s, size_t i)
{
    size_t k = st_rd_untitled_run_end(s, i);
    if (k == i || k > i + 2 || tok_in(s, k - 1, ST_WORDS_ORG_HEAD) ||
        (k < s->count && (s->tokens[k].kind == TK_POSS || tok_is(s, k, "of"))))
        return 0;
    return k - 1;
}

/* "The EU delegation in Chisinau", "the Russian embassy in Berlin": a
 * lower-case institution word names a kind of body, and the place after
 * "in" tells which one (a capitalised name is one already).  Returns the
 * last token of the place (words of the place list, as capitals are, or
 * a town no list holds: town_seat), or 0 when the phrase from `first`
 * to `last` has none.  A capitalised body ending on its institution
 * word or named by what it serves takes a country too ("the United
 * Nations Support Mission in Libya", "the Council of Christian Churches
 * in Madagascar"): such bodies are named for the country they work in;
 * a capital after it is only where it sits ("the Ministry of Health in
 * Nairobi"). */
/* The head of a capitalised body's name from first to last: the word
 * before its first "of" ("Embassy" of "Embassy of the People's Republic
 * of China"), else its last word; a word of the seat_head list there, or
 * a pair of it ending there ("High Commission"), names a body with the
 * place it sits in (seat_place). */
static __attribute__((noinline)) int seat_body(const sentence_state *s, size_t first, size_t last)
{
    size_t head = last;
    for (size_t k = first + 1; k <= last; k++)
        if (tok_is(s, k, "of")) {
            head = k - 1;
            break;
        }
    if (!is_cap_word(s, head))
        return 0;
    return tok_in(s, head, ST_WORDS_SEAT_HEAD) ||
           (head > first && is_cap_word(s, head - 1) && tok_pair_in(s, head - 1, ST_WORDS_SEAT_HEAD));
}

/* The place after the "in" or "to" at i that names a seat body ("the
 * U.S. Embassy in Quito", "the Delegation of the European Union to
 * Senegal", "the OAS Office in the Adjacency Zone", "the Mission in the
 * Central African Republic"): "the" maybe, then one run of up to
 * SEAT_WORDS capitalised name words, none a title or role, and one "of"
 * with its run when the first ends on a word of the place list
 * ("Democratic Republic of the Congo").  No possessive may follow (a
 * name going on: "in Russia's ..."); a place after the verb is never
 * read, as the phrase ends before it.  Returns the last token, or 0. */
enum { SEAT_WORDS = 4 };
static __attribute__((noinline)) size_t seat_place(const sentence_state *s, size_t i)
{
    size_t k = i + 1, e = k;
    for (int runs = 0; runs < 2; runs++) {
        if (k < s->count && tok_is(s, k, "the"))
            k++;
        e = k < s->count ? st_rd_untitled_run_end(s, k) : k;
        if (e == k || e > k + SEAT_WORDS)
            return 0;
        if (e + 1 < s->count && tok_is(s, e, "of") && tok_in(s, e - 1, ST_WORDS_PLACE) && runs == 0)
            k = e + 1;
        else
            break;
    }
    if (e < s->count && (s->tokens[e].kind == TK_POSS || tok_is(s, e, "of")))
        return 0;
    return e - 1;
}

/* "International Center for Agricultural Research in the Dry Areas",
 * "Commission for Human Rights in the Great Lakes Region": a body named
 * by what it serves goes on with "in the" and the capitalised words of
 * the region it serves, which belong to its name (wire copy gives such
 * names whole).  A lone word of the place list is only where the body
 * sits ("the Ministry of Health in the Hague").  Returns the region's
 * last token, or 0. */
static size_t served_region(const sentence_state *s, size_t first, size_t last)
{
    if (!serves_institution(s, first, last + 1, last + 1))
        return 0;
    size_t end = seat_place(s, last + 1);
    if (end == last + 3 && tok_in(s, end, ST_WORDS_PLACE))
        return 0;
    return end;
}

static size_t seat_after(const sentence_state *s, size_t first, size_t last)
{
    if (last + 2 >= s->count)
        return 0;
    int in = tok_is(s, last + 1, "in");
    if (!in && !tok_is(s, last + 1, "to"))
        return 0;
    if (seat_body(s, first, last))
        return seat_place(s, last + 1);
    if (!in)
        return 0;
    int lower = (s->tokens[last].flags & TF_LOWER) && tok_in(s, last, ST_WORDS_ORG_HEAD);
    if (!lower && !(is_cap_word(s, last) && (tok_in(s, last, ST_WORDS_ORG_HEAD) ||
                                             serves_institution(s, first, last + 1, last + 1))))
        return 0;
    if (!lower && tok_is(s, last + 2, "the"))
        return served_region(s, first, last);
    size_t end = 0;
    for (size_t k = last + 2; k < s->count && is_cap_word(s, k) && tok_in(s, k, ST_WORDS_PLACE); k++)
        end = k;
    if (lower && !end)
        end = town_seat(s, last + 2);
    if (!lower && end) {
        const token *t = &s->tokens[end];
        if (end != last + 2 || st_words_capital_country(s->text + t->start, t->end - t->start))
            return 0;
    }
    return end;
}

/* Appends " in <place>" (the words from the "in" at `in` to `end`, one
 * space apart) to the name in r->scratch, which stays NUL-terminated. */
static st_status append_seat(reader *r, size_t in, size_t end)
{
    const sentence_state *s = &r->s;
    st_status st = ST_OK;
    for (size_t k = in; k <= end && st == ST_OK; k++) {
        const token *t = &s->tokens[k];
        if ((st = st_buf_push(&r->scratch, ' ')) == ST_OK)
            st = st_buf_append(&r->scratch, s->text + t->start, tok_len(t));
    }
    if (st == ST_OK && (st = st_buf_push(&r->scratch, '\0')) == ST_OK)
        r->scratch.len--;
    return st;
}

/* "the RSF" after "the Rapid Support Forces", "a WTO spokesman" after
 * "the World Trade Organization": a lone all-capital word (not dotted,
 * "U.S.") is the body whose initials it spells, which is then also shown
 * by it.  *out is that body or -1.  Uses r->key. */
static st_status acronym_body(reader *r, size_t i, int *out)
{
    const sentence_state *s = &r->s;
    const token *t = &s->tokens[i];
    *out = -1;
    if (!(t->flags & TF_ALLCAPS) || (t->flags & TF_DOTTED))
        return ST_OK;
    st_status st = st_rd_make_key(&r->key, 'a', s->text + t->start, tok_len(t));
    if (st != ST_OK)
        return st;
    *out = st_rd_index_get(&r->a->index, &r->key);
    return *out >= 0 ? note_acronym(r->a, &r->a->entities[*out], s->text + t->start, tok_len(t)) : ST_OK;
}

/*
 * A body the story also calls by its acronym is shown by both, "United
 * Auto Workers (UAW)": a reader who knows it by either recognises it, and
 * a search for either finds it.  Done once reading is over, since the
 * name is an index key and is compared while reading.
 */
st_status st_rd_show_acronyms(st_article *a)
{
    for (size_t i = 0; i < a->entity_count; i++) {
        entity *e = &a->entities[i];
        if (!e->acronym || strstr(e->name, e->acronym))
            continue;
        size_t n = strlen(e->name), m = strlen(e->acronym);
        char *shown = st_arena_alloc(&a->arena, n + m + 4);
        if (!shown)
            return ST_ERR_NOMEM;
        memcpy(shown, e->name, n);
        memcpy(shown + n, " (", 2);
        memcpy(shown + n + 2, e->acronym, m);
        memcpy(shown + n + 2 + m, ")", 2);
        e->name = shown; /* the old name stays in the arena, unused */
    }
    return ST_OK;
}

/* Whether tokens [from, last] hold an institution word: "Port of
 * Rotterdam Authority" is one body, where "Ingrid Solberg of Norway" is
 * a person and her country. */
static int org_head_after(const sentence_state *s, size_t from, size_t last)
{
    for (size_t i = from; i <= last; i++)
        if (tok_in(s, i, ST_WORDS_ORG_HEAD))
            return 1;
    return 0;
}

/* "Ould Cheikh" after "Sidi Ould Cheikh", "García Lorca" after "Ana
 * García Lorca": a name of two words or more that ends a known person's
 * fuller name is that person (a particle or a double surname, not a
 * first name that disagrees).  Case aside: a particle takes a capital
 * where it opens the sentence ("Van Dijk said" after "Pieter van
 * Dijk").  r->key must still hold the surname key
 * find_person built, which st_rd_add_entity then uses. */
static int name_tail_of(reader *r, const char *name, size_t len)
{
    const st_article *a = r->a;
    for (int k = st_rd_index_get(&a->index, &r->key); k >= 0; k = a->entities[k].prev_same) {
        const entity *e = &a->entities[k];
        size_t el = strlen(e->name);
        if (e->kind == ENT_PERSON && el > len && e->name[el - len - 1] == ' ' &&
            strncasecmp(e->name + el - len, name, len) == 0)
            return k;
    }
    return -1;
}

/* "Hairul Nizam told" after "Datuk Hairul Nizam bin Abdul Rahman": the
 * given names before the particle of descent, written whole, are the
 * person (the 'g' key of index_given_before_descent), or -1.  Asked only
 * for a name of two words that no surname or tail found. */
static int given_names_of(reader *r, const char *name, size_t len)
{
    if (!r->a->given_name_runs || st_rd_make_key(&r->key, 'g', name, len) != ST_OK)
        return -1;
    return st_rd_index_get(&r->a->index, &r->key);
}

/* "bin", "ibn", "bint": a particle of descent, "son (daughter) of", that
 * opens the father's name inside a person's ("Suleiman bin Hamad
 * Khamis"); news names such a person later by it ("Bin Hamad said"). */
static int descent_particle(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_DESCENT);
}

/* Does the person's name hold the words of tokens [from, to], spaced as
 * names are, after its first word? */
static int name_holds_words(const sentence_state *s, const char *name, size_t from, size_t to)
{
    for (const char *sp = strchr(name, ' '); sp; sp = strchr(sp + 1, ' ')) {
        const char *q = sp + 1;
        size_t t = from;
        for (; t <= to; t++) {
            const token *w = &s->tokens[t];
            if (strncasecmp(q, s->text + w->start, tok_len(w)) != 0)
                break;
            q += tok_len(w);
            if (t < to && *q++ != ' ')
                break;
        }
        if (t > to && (*q == ' ' || *q == '\0'))
            return 1;
    }
    return 0;
}

/* "Bin Hamad said", ""...," bin Hamad said": a particle of descent and
 * the father's name, found in no person's surname, name the latest
 * person whose full name holds them ("Suleiman bin Hamad Khamis"), or
 * -1.  The name tokens are [name_start, name_end); a lower-case
 * particle stands before them.  Asked only for a name of one or two
 * words that found nobody. */
static int person_by_descent(reader *r, size_t first, size_t name_start, size_t name_end)
{
    const sentence_state *s = &r->s;
    size_t d = name_end;
    if (name_end - name_start == 2 && descent_particle(s, name_start))
        d = name_start;
    else if (name_end - name_start == 1 && name_start > first && descent_particle(s, name_start - 1))
        d = name_start - 1;
    if (d == name_end)
        return -1;
    const st_article *a = r->a;
    for (size_t k = a->entity_count; k-- > 0;) {
        const entity *e = &a->entities[k];
        if (e->kind == ENT_PERSON && e->name_tokens > 2 && name_holds_words(s, e->name, d, name_end - 1))
            return (int)k;
    }
    return -1;
}

/* "Gov. Ortega" when the story has a Governor Rafael Ortega and a
 * Senator Marta Ortega: of the people with the surname, the latest who
 * holds a title of tokens [from, to) is meant, not merely the latest
 * named.  *id (the latest) stays when none holds one. */
static st_status titled_namesake(reader *r, size_t from, size_t to, int *id)
{
    const sentence_state *s = &r->s;
    const st_article *a = r->a;
    for (size_t i = from; i < to; i++) {
        if (!tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE))
            continue;
        const char *role;
        st_status st = st_rd_role_word(r, i, &role);
        if (st != ST_OK)
            return st;
        for (int k = *id; k >= 0; k = a->entities[k].prev_same) {
            if (st_rd_has_role(&a->entities[k], role)) {
                *id = k;
                return ST_OK;
            }
        }
    }
    return ST_OK;
}

/* "Talks resumed in Oslo", "Residents of Lorn reported": a lone word
 * that opens the sentence is capitalised by its place, so the capital
 * says nothing of a name.  Unless the sentence has it speak (the way news
 * brings in a speaker by one name: "Karimi said"; or a quote its own),
 * it stands for a person or body only when the story already named one
 * by it; otherwise it is nobody, so that a later "she", or a quote
 * standing alone after the sentence, does not go to it. */
static int capital_by_position(const reader *r, const np *p, size_t name_start)
{
    const sentence_state *s = &r->s;
    if (name_start != r->body || p->first != name_start || is_speech_verb(s, (size_t)p->verb))
        return 0;
    /* "Naypyitaw rejected the report as '...'": a quote with no verb of
     * speech in its sentence is the subject's (the partial-quote rule),
     * so the sentence does make the word a speaker. */
    if (!s->quotes)
        return 1;
    for (size_t i = 0; i < s->count; i++)
        if (is_speech_verb(s, i))
            return 1;
    return 0;
}

/* "San Salvador", "Kuala Lumpur", "New Delhi", "Dar es Salaam": tokens
 * [first, last], two or three words one space apart, capitalised but
 * for a lower-case name particle inside, spell a capital of more than
 * one word.  Returns its country, or NULL.  Callers ask only of a span
 * opening and ending on a capitalised word, so the table search is the
 * rare case. */
const char *st_rd_capital_words(const sentence_state *s, size_t first, size_t last)
{
    if (last <= first || last > first + 2 || last >= s->count || !is_cap_word(s, first) || !is_cap_word(s, last))
        return NULL;
    for (size_t k = first + 1; k <= last; k++) {
        const token *a = &s->tokens[k - 1], *b = &s->tokens[k];
        if (b->start != a->end + 1 || s->text[a->end] != ' ')
            return NULL;
        if (k < last && !is_cap_word(s, k) &&
            !(s->tokens[k].kind == TK_WORD && tok_in(s, k, ST_WORDS_NAME_PARTICLE)))
            return NULL;
    }
    const token *a = &s->tokens[first], *b = &s->tokens[last];
    return st_words_capital_country(s->text + a->start, b->end - a->start);
}

/* The country the capital at tokens [first, last] stands for ("Lima",
 * "San Salvador"), or NULL.  Every capital of one word is in the place
 * list (tests/test_words_table.c): the token's list bits spare most
 * words the search.  Kept out of resolve_named, whose every phrase would
 * otherwise pay for the code. */
static __attribute__((noinline)) const char *capital_named(const sentence_state *s, size_t first, size_t last)
{
    if (last > first)
        return st_rd_capital_words(s, first, last);
    if (first != last || !tok_in(s, first, ST_WORDS_PLACE))
        return NULL;
    const token *t = &s->tokens[first];
    return st_words_capital_country(s->text + t->start, t->end - t->start);
}

/* Resolves a name-bearing or institution phrase to an entity, creating it. */
/* "Ministry of Health Minister Okafor" after Okafor was named: one
 * word after a capitalised title is the person the story knows. */
static int known_titled_surname(reader *r, size_t name_start, size_t name_end)
{
    const sentence_state *s = &r->s;
    if (name_end != name_start + 1 || !is_cap_word(s, name_start - 1) ||
        !(tok_in(s, name_start - 1, ST_WORDS_TITLE) || tok_in(s, name_start - 1, ST_WORDS_ROLE)))
        return 0;
    const token *t = &s->tokens[name_start];
    return find_person(r, NULL, 0, s->text + t->start, t->end - t->start) >= 0;
}

/* "Arvo Mining said" after "Arvo Mining Ltd": a name with no title
 * before it that a company was indexed by without its legal form
 * (index_without_legal_form) is that company, not a person: *known. */
static st_status company_without_legal_form(reader *r, size_t first, size_t end, int *known)
{
    st_status st = append_tokens(r, &r->scratch, first, end - 1);
    if (st == ST_OK)
        st = st_rd_make_key(&r->key, 'o', r->scratch.data, r->scratch.len);
    if (st != ST_OK)
        return st;
    int id = st_rd_index_get(&r->a->index, &r->key);
    *known = id >= 0 && r->a->entities[id].kind == ENT_ORG;
    return ST_OK;
}

/* "Prince Kerkula Dolo", "Emir Hadzic", "Sheikh Omar Hersi": a title
 * that is also a given name or an honorific (name_title) stays in the
 * name the person is shown by, as the story's full name for the person
 * holds it; the reader still matches the name without it (surname and
 * first name keys), and the title still gives the role.  Only when the
 * entity's name is the one just read, so the title sits right before
 * it. */
static __attribute__((noinline)) st_status show_with_title(reader *r, int id, size_t title)
{
    entity *e = &r->a->entities[id];
    const token *t = &r->s.tokens[title];
    size_t tl = t->end - t->start, nl = strlen(e->name);
    if (e->shown || r->scratch.len != nl || memcmp(r->scratch.data, e->name, nl) != 0)
        return ST_OK;
    r->scratch.len = 0;
    st_status st = st_buf_append(&r->scratch, r->s.text + t->start, tl);
    if (st == ST_OK && (st = st_buf_push(&r->scratch, ' ')) == ST_OK)
        st = st_buf_append(&r->scratch, e->name, nl);
    if (st != ST_OK)
        return st;
    e->shown = st_arena_strndup(&r->a->arena, r->scratch.data, r->scratch.len);
    return e->shown ? ST_OK : ST_ERR_NOMEM;
}

/* Does a linking word of a foreign body's name (name_link: "für", "do",
 * "pour"), with at most two particles after it ("für den", "pour le"),
 * stand right before token `start`, after `first`? */
static int linked_name(const sentence_state *s, size_t first, size_t start)
{
    size_t k = start;
    while (k > first + 1 && k + 2 > start && tok_in(s, k - 1, ST_WORDS_NAME_PARTICLE))
        k--;
    return k > first + 1 && tok_in(s, k - 1, ST_WORDS_NAME_LINK);
}

/* The name words start at token k, right after "of" or "for" (or "of
 * the") that follows a title, not an institution: "Secretary of
 * Commerce ...", "Secretary of the Interior ...". */
static int titled_serves(const sentence_state *s, size_t first, size_t k)
{
    if (k > first + 2 && tok_is(s, k - 1, "the") && tok_is(s, k - 2, "of"))
        k--;
    return k > first + 1 && st_rd_serves_word(s, k - 1) &&
           (tok_in(s, k - 2, ST_WORDS_TITLE) || tok_in(s, k - 2, ST_WORDS_ROLE)) &&
           !tok_in(s, k - 2, ST_WORDS_ORG_HEAD);
}

static st_status resolve_named(reader *r, np *p, int subject)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    size_t first = p->first;
    if (is_determiner(s, first))
        first++;
    /* The personal name: the trailing run of plain capitalised words,
     * before an "of" that gives a person's country ("Ingrid Solberg of
     * Norway"). */
    size_t name_end = p->last + 1, name_start;
    for (size_t o = first + 1; o <= p->last; o++) {
        if (tok_is(s, o, "of") && personal_name_word(s, o - 1) && !org_head_after(s, o + 1, p->last)) {
            name_end = o;
            break;
        }
    }
    name_start = name_end;
    for (;;) {
        if (name_start > first && personal_name_word(s, name_start - 1)) {
            name_start--;
            continue;
        }
        /* "Hassan Sheikh Mohamud", "Abdirahman Sheikh Nur Warsame":
         * "Sheikh" after a given name is a word of the name (Somali and
         * South Asian names), not the title it is before a name
         * ("Foreign Minister Sheikh Abdullah"). */
        if (name_start > first + 1 && tok_in(s, name_start - 1, ST_WORDS_TITLE) && tok_is(s, name_start - 1, "sheikh") &&
            is_cap_word(s, name_start - 1) && personal_name_word(s, name_start - 2)) {
            name_start -= 2;
            continue;
        }
        /* "de la Cruz", "van der Kamp": a run of particles belongs to
         * the name when a name word stands before it. */
        size_t k = name_start;
        while (k > first && k + 3 > name_start && tok_in(s, k - 1, ST_WORDS_NAME_PARTICLE))
            k--;
        if (k == name_start || k == first || !personal_name_word(s, k - 1))
            break;
        name_start = k - 1;
    }
    /* "Director General Sofia Brandt": a place name right before a
     * personal name is a first name. */
    if (name_start > first && name_start < name_end && personal_name_word(s, name_end - 1) &&
        tok_in(s, name_start - 1, ST_WORDS_PLACE) && !tok_in(s, name_start - 1, ST_WORDS_TITLE) &&
        !tok_in(s, name_start - 1, ST_WORDS_NATIONALITY) && !(s->tokens[name_start - 1].flags & TF_ALLCAPS) &&
        (name_start - 1 == first || !tok_in(s, name_start - 2, ST_WORDS_PLACE)))
        name_start--;
    /* A Malay honorific opening the name marks a person, as a title
     * does, and is no part of the name. */
    int honorific = 0;
    if (name_start < name_end && (s->tokens[name_start].lists & HONORIFIC_LISTS)) {
        size_t past = honorific_run_end(s, first, name_start, name_end);
        honorific = past > name_start;
        name_start = past;
    }
    /* "Secretary of Commerce Mark Delaney", "Minister for Fisheries Anton
     * Belsky": after a title (not an institution) and "of" or "for", the
     * first word names the office's field and the words after it the
     * holder, when two or more of them are left. */
    if (name_start > first + 1 && name_end - name_start >= 3 && titled_serves(s, first, name_start))
        name_start++;
    /* "Vice Minister of Water Resources and Irrigation Yerzhan Tolegenov":
     * after "and" in a title's field, the first word ends the field;
     * "Cabinet Secretary for Interior and National Administration
     * Joseph Sankale": the second does when it is an abstract noun or
     * an institution word (st_rd_second_field_word) and two name words
     * are left. */
    else if (name_start > first + 1 && tok_is(s, name_start - 1, "and") &&
             st_rd_titled_field_before(s, first, name_start - 1))
        name_start = name_end - name_start < 3   ? name_end
                     : name_end - name_start >= 4 && st_rd_second_field_word(s, name_start + 1) ? name_start + 2
                                                                                               : name_start + 1;
    /* "Principal Secretary in the Ministry of Health Jane Otieno": after
     * a title's "in the" and the body it sits in, the words after the
     * body's "of", "for" or "and" are its field's first word, then the
     * holder.  Asked only where it matters: after such a link word or
     * after an institution word the name would be the body's. */
    int in_body = name_start >= first + 4 &&
                  (st_rd_serves_word(s, name_start - 1) || tok_is(s, name_start - 1, "and") ||
                   tok_in(s, name_start - 1, ST_WORDS_ORG_HEAD)) &&
                  st_rd_title_in_body(s, first, name_start);
    if (in_body && name_end - name_start >= 3 &&
        (st_rd_serves_word(s, name_start - 1) || tok_is(s, name_start - 1, "and")))
        name_start++;
    /* "Bureau of African Affairs", "Office of the Water Regulator",
     * "Minister for Fisheries": words after "of" (or "for" after a title)
     * name a thing, not a person; so do words ending on one for a kind
     * of place, a branch's "for the Pskov Region" (read_np's regional_branch). */
    if (name_start > first && name_start < name_end &&
        (st_rd_serves_word(s, name_start - 1) ||
         (name_start - 1 > first && tok_is(s, name_start - 1, "the") && st_rd_serves_word(s, name_start - 2)) ||
         tok_in(s, name_end - 1, ST_WORDS_REGION) ||
         served_past_owner(s, first, name_start) || plural_owner_before(s, first, name_start)))
        name_start = name_end;
    /* "Procter & Gamble", "Korea Hydro & Nuclear Power": the words after
     * an ampersand end a company's name, never a person's. */
    if (name_start > first && tok_punct(s, name_start - 1, '&'))
        name_start = name_end;
    /* "Fundação do Sol", "Wasser für den Sahel": the words after a
     * foreign body's linking word (past its articles) end the body's
     * name, never a person's. */
    else if (name_start > first && linked_name(s, first, name_start))
        name_start = name_end;
    /* "Amnesty International said", "Rotary International": a capital
     * "International" ending a run of name words ends a body's name (no
     * person's name ends so), so "it said" later finds the body.  Not an
     * institution word anywhere: opening a name ("the International
     * Boundary and Water Commission") it only qualifies the head after. */
    else if (name_end - name_start >= 2 && name_end == p->last + 1 && is_cap_word(s, name_end - 1) &&
             tok_is(s, name_end - 1, "international"))
        name_start = name_end;
    if (name_start < name_end && !in_body && serves_institution(s, first, name_start, name_end) &&
        !known_titled_surname(r, name_start, name_end))
        name_start = name_end;
    size_t name_tokens = name_end - name_start;
    st_status st;
    int prefix_role = honorific;
    for (size_t i = first; i < name_start; i++)
        if (tok_in(s, i, ST_WORDS_TITLE) || tok_in(s, i, ST_WORDS_ROLE))
            prefix_role = 1;
    /* "the gas company Rusgaz", "the ruling party Georgian Unity": a name
     * right after an institution word is the institution's, unless that
     * word is a title's field ("Secretary of the Treasury Ana Ruiz") or
     * ends one ("Minister of Foreign Affairs Ana Ruiz", "Minister of
     * Justice and Constitutional Affairs Ana Ruiz"). */
    int org_marked = name_start > first && !in_body && tok_in(s, name_start - 1, ST_WORDS_ORG_HEAD) &&
                     !tok_in(s, name_start - 1, ST_WORDS_TITLE) && !titled_serves(s, first, name_start - 1) &&
                     !st_rd_titled_field_before(s, first, name_start - 1);
    /* "Georgian Unity": a nationality and one name is a body, not a person. */
    int only_nationality = name_start > first && name_tokens == 1;
    for (size_t i = first; i < name_start && only_nationality; i++)
        if (!tok_in(s, i, ST_WORDS_NATIONALITY))
            only_nationality = 0;
    int by_position = name_tokens == 1 && subject && !prefix_role && capital_by_position(r, p, name_start);
    int is_person = 0;
    if (!org_marked && !only_nationality &&
        (name_tokens >= 2 || (name_tokens == 1 && (prefix_role || (subject && !by_position)))))
        is_person = 1;
    /* "San Salvador said", "Dar es Salaam said": a capital of more than
     * one word names no person (it stands for its government, as "Lima"
     * does). */
    if (is_person && name_tokens >= 2 && name_tokens <= 3 && name_start == first &&
        st_rd_capital_words(s, name_start, name_end - 1))
        is_person = 0;
    if (is_person && a->legal_form_bodies && name_start == first) {
        int known = 0;
        if ((st = company_without_legal_form(r, first, name_end, &known)) != ST_OK)
            return st;
        is_person = !known;
    }
    /* The institution word before the name ("the space corporation
     * Orbita"), a role of the body: "the corporation" later is it. */
    size_t marker = 0;
    if (org_marked && name_tokens > 0) {
        marker = name_start - 1;
        first = name_start; /* display the institution's own name */
    }
    if (name_tokens == 1 && !is_person && !org_marked && !only_nationality) {
        const token *t = &s->tokens[name_start];
        size_t dummy_len = t->end - t->start;
        if (find_person(r, NULL, 0, s->text + t->start, dummy_len) >= 0)
            is_person = 1;
    }
    if (is_person) {
        const token *lt = &s->tokens[name_end - 1];
        const token *ft = &s->tokens[name_start];
        const char *fname = name_tokens >= 2 ? s->text + ft->start : NULL;
        size_t flen = name_tokens >= 2 ? ft->end - ft->start : 0;
        int id = find_person(r, fname, flen, s->text + lt->start, lt->end - lt->start);
        if (id >= 0 && name_tokens == 1 && prefix_role && a->entities[id].prev_same >= 0 &&
            (st = titled_namesake(r, first, name_start, &id)) != ST_OK)
            return st;
        if ((st = append_tokens(r, &r->scratch, name_start, name_end - 1)) != ST_OK)
            return st;
        if (id < 0 && name_tokens >= 2)
            id = name_tail_of(r, r->scratch.data, r->scratch.len);
        if (id < 0 && name_tokens == 2)
            id = given_names_of(r, r->scratch.data, r->scratch.len);
        if (id < 0 && name_tokens <= 2)
            id = person_by_descent(r, first, name_start, name_end);
        if (id < 0) {
            if ((st = st_rd_add_entity(a, &r->key, ENT_PERSON, r->scratch.data, r->scratch.len, name_tokens, &id)) != ST_OK)
                return st;
        } else if (name_tokens > a->entities[id].name_tokens) {
            /* A fuller form of the name: keep it for display. */
            const char *longer = st_arena_strndup(&a->arena, r->scratch.data, r->scratch.len);
            if (!longer)
                return ST_ERR_NOMEM;
            a->entities[id].name = longer;
            a->entities[id].name_tokens = name_tokens;
            a->entities[id].shown = NULL; /* it was shown with the shorter form */
        }
        if (name_start > first && tok_in(s, name_start - 1, ST_WORDS_NAME_TITLE) && is_cap_word(s, name_start - 1) &&
            (st = show_with_title(r, id, name_start - 1)) != ST_OK)
            return st;
        for (size_t i = first; i < name_start; i++) {
            if (tok_in(s, i, ST_WORDS_TITLE) || tok_in(s, i, ST_WORDS_ROLE) || tok_in(s, i, ST_WORDS_ORG_HEAD)) {
                const token *t = &s->tokens[i];
                if ((st = st_rd_lower_copy(&r->scratch, s->text + t->start, t->end - t->start)) != ST_OK)
                    return st;
                if ((st = st_rd_add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
                    return st;
            }
        }
        p->kind = NP_PERSON;
        p->entity = id;
        return r->npending && name_start > first ? st_rd_claim_pending(r, id, first, name_start) : ST_OK;
    }
    /* An institution or place: the phrase itself, without "the" and a
     * trailing possessive. */
    size_t last = p->last;
    while (last > first && s->tokens[last].kind == TK_POSS)
        last--;
    /* "The Hague", "The Gambia": names that carry their article. */
    if (first > p->first && tok_is(s, p->first, "the") && first == last && tok_in(s, first, ST_WORDS_ARTICLE_PLACE))
        first = p->first;
    /* "the paramilitary Northern Brigades": the name starts at its
     * first capital; but "the government of the Comoros" is the state's
     * government, a body named with its institution word, not the state. */
    if (first < last && (s->tokens[first].flags & TF_LOWER) && !st_rd_institution_of_state(s, first, last))
        while (first < last && s->tokens[first].kind == TK_WORD && (s->tokens[first].flags & TF_LOWER))
            first++;
    if ((st = append_tokens(r, &r->scratch, first, last)) != ST_OK)
        return st;
    size_t seat = first < last ? seat_after(s, first, last) : 0;
    if (seat && (st = append_seat(r, last + 1, seat)) != ST_OK)
        return st;
    /* A capital standing for its government ("Lima said"): keep the
     * article's word and name the country, so readers and the report
     * see whose voice it is. */
    const char *country = seat ? NULL : capital_named(s, first, last);
    if (country) {
        if ((st = st_buf_append(&r->scratch, " (", 2)) != ST_OK ||
            (st = st_buf_append(&r->scratch, country, strlen(country))) != ST_OK ||
            (st = st_buf_append(&r->scratch, ")", 2)) != ST_OK)
            return st;
        r->scratch.len--; /* the NUL appended with ")" */
    }
    if ((st = st_rd_make_key(&r->key, 'o', r->scratch.data, r->scratch.len)) != ST_OK)
        return st;
    int id = st_rd_index_get(&a->index, &r->key);
    if (id < 0 && first == last && (st = acronym_body(r, first, &id)) != ST_OK)
        return st;
    if (id < 0 && (st = shortened_body(r, first, last, &id)) != ST_OK)
        return st;
    if (id < 0 && first == last && (st = body_by_head(r, p, first, &id)) != ST_OK)
        return st;
    if (id < 0 && by_position) {
        p->kind = NP_ORG; /* nobody the story knows: no new body either */
        p->entity = -1;
        return ST_OK;
    }
    if (id < 0 && (st = st_rd_add_entity(a, &r->key, ENT_ORG, r->scratch.data, r->scratch.len, last - first + 1, &id)) != ST_OK)
        return st;
    for (size_t i = first; i <= last; i++) {
        if (tok_in(s, i, ST_WORDS_ORG_HEAD) || tok_in(s, i, ST_WORDS_ROLE)) {
            const token *t = &s->tokens[i];
            if ((st = st_rd_lower_copy(&r->scratch, s->text + t->start, t->end - t->start)) != ST_OK)
                return st;
            if ((st = st_rd_add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
                return st;
        }
    }
    if (marker && (st = st_rd_token_role(r, marker, id)) != ST_OK)
        return st;
    p->kind = NP_ORG;
    p->entity = id;
    return ST_OK;
}

static st_status resolve_named(reader *r, np *p, int subject);

/* The unnamed voice p (its last word "spokesman", "official") speaks for
 * body id: the word becomes the body's role, so that "the spokesman"
 * later speaks for it too. */
static st_status voice_speaks_for(reader *r, np *p, int id)
{
    const token *h = &r->s.tokens[p->last];
    st_status st = st_rd_lower_copy(&r->scratch, r->s.text + h->start, tok_len(h));
    if (st == ST_OK)
        st = st_rd_add_role(r->a, &r->key, id, r->scratch.data);
    if (st == ST_OK)
        p->entity = id;
    return st;
}

/* The latest entity holding token i's word as a role ("embassy" after
 * "the U.S. Embassy"), in *id, or -1. */
static st_status holder_of_role_word(reader *r, size_t i, int *id)
{
    const char *word;
    st_status st = st_rd_role_word(r, i, &word);
    if (st == ST_OK)
        st = st_rd_make_key(&r->key, 'r', word, strlen(word));
    *id = st == ST_OK ? st_rd_index_get(&r->a->index, &r->key) : -1;
    return st;
}

/* "The Dutch Foreign Ministry said it was "...," and a spokesman said
 * ...": an unnamed spokesman speaking in a clause joined by "and" to one
 * where a body spoke speaks for that body (news adds its voice's words
 * to the body's), and holds the word as a role, as in "a Kremlin
 * spokesman" (resolve_unnamed_voice).  The body is the sentence's first
 * one outside a prepositional phrase that a speech verb follows. */
static st_status voice_after_body_spoke(reader *r, np *p)
{
    const sentence_state *s = &r->s;
    if (p->first == 0 || !tok_is(s, p->first - 1, "and") || !st_rd_spokes_word(s, p->last) || p->verb < 0 ||
        !is_speech_verb(s, (size_t)p->verb))
        return ST_OK;
    for (size_t k = 0; k < s->np_count; k++) {
        const np *x = &s->nps[k];
        if (x->entity < 0 || r->a->entities[x->entity].kind != ENT_ORG || x->verb < 0 ||
            !is_speech_verb(s, (size_t)x->verb) || (x->first > 0 && tok_in(s, x->first - 1, ST_WORDS_PREPOSITION)))
            continue;
        return voice_speaks_for(r, p, x->entity);
    }
    return ST_OK;
}

/* "An embassy spokesperson said", "a ministry spokesman said": an
 * unnamed voice named by the kind of body it speaks for, in lower case,
 * speaks for the latest body holding that institution word ("the U.S.
 * Embassy in Santiago" ... "an embassy spokesperson"), as "a Kremlin
 * spokesman" speaks for the Kremlin; the voice word becomes the body's
 * role.  Only a spokes- word right after the institution word: a
 * spokesperson is the body's appointed voice, while "a ministry official
 * who asked not to be named" speaks for no one the story names, and "a
 * party member" or "a company worker" is no voice of the body at all.
 * *found is set when a body was taken. */
static st_status voice_of_kind(reader *r, np *p, int *found)
{
    const sentence_state *s = &r->s;
    *found = 0;
    size_t head = p->last - 1;
    if (p->last < p->first + 2 || !(s->tokens[head].flags & TF_LOWER) || !tok_in(s, head, ST_WORDS_ORG_HEAD) ||
        !st_rd_spokes_word(s, p->last))
        return ST_OK;
    int id;
    st_status st = holder_of_role_word(r, head, &id);
    if (st != ST_OK || id < 0 || r->a->entities[id].kind != ENT_ORG)
        return st;
    *found = 1;
    return voice_speaks_for(r, p, id);
}

/* The body an unnamed source speaks for ("a Kremlin spokesman", "a
 * Commission official"): a body the article named before - by its name
 * or by its institution word ("the European Commission" ... "a
 * Commission spokesman") - or one named by an institution word itself
 * ("a Pentagon official").  A nationality or a word nobody was named by
 * ("a Western diplomat") names no body.  The role then belongs to the
 * body, so that "the spokesman" later speaks for it too. */
static st_status resolve_unnamed_voice(reader *r, np *p)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    size_t f = p->first + 1, l = p->last;
    while (l > f && !is_cap_word(s, l - 1))
        l--;
    if (l == f) {
        int found;
        st_status st = voice_of_kind(r, p, &found);
        return st != ST_OK || found ? st : voice_after_body_spoke(r, p);
    }
    np body = {f, l - 1, NP_ORG, -1, -1};
    st_status st = append_tokens(r, &r->scratch, body.first, body.last);
    if (st == ST_OK)
        st = st_rd_make_key(&r->key, 'o', r->scratch.data, r->scratch.len);
    if (st != ST_OK)
        return st;
    int id = st_rd_index_get(&a->index, &r->key);
    if (id < 0 && body.first == body.last && (st = acronym_body(r, body.first, &id)) != ST_OK)
        return st;
    int institution = tok_in(s, body.last, ST_WORDS_ORG_HEAD) || tok_in(s, body.last, ST_WORDS_ROLE);
    if (id < 0 && institution && body.first == body.last && (st = holder_of_role_word(r, body.first, &id)) != ST_OK)
        return st;
    /* "a Pentagon official", "a Finance Ministry official": the body. */
    if (id < 0 && institution && (st = resolve_named(r, &body, 0)) == ST_OK)
        id = body.entity;
    if (st != ST_OK || id < 0 || a->entities[id].kind != ENT_ORG)
        return st;
    return voice_speaks_for(r, p, id);
}

/* "the group", "the movement", "the coalition": words a story uses to
 * refer back to the armed group, party or alliance it has just named
 * ("The M23 said ... the rebel group said"), as it does with "the
 * company" and "the party" (role words already).  Not "the police" or
 * "the court": those are too often another body than the story's. */
static int collective_word(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_COLLECTIVE);
}

/* The latest institution whose name ends in the word ("the union" ->
 * Mineworkers' Solidarity Union), or -1.  `key` is scratch space. */
static st_status body_named_by(st_article *a, index_key *key, const char *word, size_t len, int *out)
{
    st_status st = st_rd_make_key(key, 'l', word, len);
    *out = st == ST_OK ? st_rd_index_get(&a->index, key) : -1;
    return st;
}

/* "the ad hoc committee of bondholders", "the association of
 * importers": a definite institution word with "of" and one or two
 * lower-case words ending in a plural describes a body of its own, not
 * one named before.  Returns the token after the description, or
 * p->last when the phrase has none. */
static size_t described_body_end(const sentence_state *s, const np *p)
{
    if (!tok_is(s, p->first, "the") || p->last + 2 >= s->count || !tok_is(s, p->last + 1, "of"))
        return p->last;
    for (size_t k = p->last + 2; k < s->count && k < p->last + 4; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER) || is_determiner(s, k) || tok_in(s, k, ST_WORDS_PREPOSITION) ||
            tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_SPEECH_VERB) || tok_in(s, k, ST_WORDS_AUX_ADVERB))
            return p->last;
        if (s->text[t->end - 1] == 's' && tok_len(t) > 3 && !ends_with(s, k, "ss"))
            return k;
    }
    return p->last;
}

/* The body of a described phrase (described_body_end): found by its
 * words, or a new one named by them ("ad hoc committee of
 * bondholders"); its institution word becomes its role, so that "the
 * committee" later finds it. */
static st_status add_described_body(reader *r, np *p, size_t end)
{
    st_article *a = r->a;
    st_status st = append_tokens(r, &r->scratch, p->first + 1, end);
    if (st == ST_OK)
        st = st_rd_make_key(&r->key, 'o', r->scratch.data, r->scratch.len);
    if (st != ST_OK)
        return st;
    int id = st_rd_index_get(&a->index, &r->key);
    if (id < 0 && (st = st_rd_add_entity(a, &r->key, ENT_ORG, r->scratch.data, r->scratch.len, end - p->first, &id)) != ST_OK)
        return st;
    const token *h = &r->s.tokens[p->last];
    if ((st = st_rd_lower_copy(&r->scratch, r->s.text + h->start, tok_len(h))) != ST_OK ||
        (st = st_rd_add_role(a, &r->key, id, r->scratch.data)) != ST_OK)
        return st;
    /* The phrase takes in its description, so that a verb after it
     * (past an apposition) has it as subject. */
    p->last = end;
    p->verb = st_rd_verb_after(&r->s, end);
    p->entity = id;
    return ST_OK;
}

/* "the foreign minister" after "Foreign Minister Amara Diallo" and then
 * "Mauritania's oil minister, Sidi Ould Cheikh": the latest minister is
 * the wrong one.  When *holder, the latest holder of the phrase's head
 * role `head` (which may live in r->scratch), lacks another title word
 * of the phrase, the latest holder of that word who also holds the head
 * role is meant. */
static st_status holder_of_all(reader *r, const np *p, const char *head, int *holder)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    const char *head_copy = NULL; /* head may live in r->scratch, reused below */
    for (size_t k = p->first; k < p->last; k++) {
        if (!tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ORG_HEAD))
            continue;
        if (!head_copy && !(head_copy = head = st_arena_strndup(&a->arena, head, strlen(head))))
            return ST_ERR_NOMEM;
        const char *word;
        st_status st = st_rd_role_word(r, k, &word);
        if (st != ST_OK)
            return st;
        if (st_rd_has_role(&a->entities[*holder], word))
            continue;
        if ((st = st_rd_make_key(&r->key, 'r', word, strlen(word))) != ST_OK)
            return st;
        int other = st_rd_index_get(&a->index, &r->key);
        if (other >= 0 && a->entities[other].kind == ENT_PERSON && st_rd_has_role(&a->entities[other], head)) {
            *holder = other;
            return ST_OK;
        }
    }
    return ST_OK;
}

/* Someone known to be a person, by a title, a role or a pronoun.  (Names
 * of bodies with no institution word, "Bafokeng Platinum", "Polar Harbour
 * Holdings", are read as persons of no gender and no role.) */
int st_rd_known_person(const entity *e)
{
    return e->kind == ENT_PERSON && (e->gender || strcmp(e->roles, " ") != 0);
}

/* "a Hong Kong company" gives a body named only by its description:
 * its name ends in a word with no capital. */
static int described_only(const entity *e)
{
    size_t len;
    const char *w = e->kind == ENT_ORG ? st_rd_last_word(e->name, &len) : NULL;
    return w && len && *w >= 'a' && *w <= 'z';
}

/* "... a Hong Kong company's purchase ... The buyer, Polar Harbour
 * Holdings, said ... The company said": a body the story described
 * before it named it.  When the holder of a body's role word is such a
 * description and the previous subject is a body named in full, the
 * role word is that body's from now on. */
static st_status named_after_description(reader *r, const char *role, int *holder)
{
    st_article *a = r->a;
    int prev = r->prev_subject;
    if (prev < 0 || prev == *holder || st_rd_known_person(&a->entities[prev]) || described_only(&a->entities[prev]) ||
        !described_only(&a->entities[*holder]))
        return ST_OK;
    *holder = prev;
    return st_rd_add_role(a, &r->key, prev, role);
}

/* "statement", "communique": the documents (of the document list) that
 * speak for a body with no owner named before them ("the statement
 * said", "an ADB statement"); after a possessive any document of the
 * list does (owner_possessive). */
static int issued_document(const sentence_state *s, size_t k)
{
    return tok_in(s, k, ST_WORDS_ISSUED_DOCUMENT);
}

/* "Inter-Services Public Relations, the military's media wing, said
 * ...", then ""...," the statement said": the latest quote's speaker
 * when it is a name of no known kind, read as a person with no title,
 * gender or role (a body with no institution word in its name reads
 * so), else -1.  Such a name issued the statement the story goes on
 * quoting; a body named before it (the salient group) did not. */
static int untyped_last_speaker(const reader *r)
{
    if (!r->have_last_speaker || r->last_speaker < 0)
        return -1;
    const entity *e = &r->a->entities[r->last_speaker];
    return e->kind == ENT_PERSON && !st_rd_known_person(e) && e->name_tokens >= 2 ? r->last_speaker : -1;
}

/* "the minister", "the statement": the latest entity with that role. */
static st_status resolve_role(reader *r, np *p)
{
    sentence_state *s = &r->s;
    st_article *a = r->a;
    const token *head = &s->tokens[p->last];
    st_status st = st_rd_lower_copy(&r->scratch, s->text + head->start, head->end - head->start);
    if (st != ST_OK)
        return st;
    p->entity = -1;
    /* A statement or a communique speaks for the body that issued it:
     * the latest institution that spoke. */
    if (issued_document(s, p->last)) {
        p->entity = untyped_last_speaker(r) >= 0 ? r->last_speaker : r->salient_group;
        return ST_OK;
    }
    /* "a spokesman said": an unnamed source is nobody the reader can name
     * (unless an apposition names them, see read_sentence); "a Kremlin
     * spokesman" speaks for the Kremlin. */
    if (tok_is(s, p->first, "a") || tok_is(s, p->first, "an"))
        return resolve_unnamed_voice(r, p);
    /* "the army" alone is the body even when a person took the word as
     * a role ("the army's spokesman, General X"): "the union leader"
     * finds that person, "the army said" does not. */
    size_t lead = is_determiner(s, p->first) ? p->first + 1 : p->first;
    int bare_body = lead == p->last && tok_in(s, p->last, ST_WORDS_ORG_HEAD);
    /* The head first ("the union leader" -> leader), then the other role
     * words of the phrase (-> union). */
    for (size_t k = p->last + 1; k-- > p->first;) {
        if (!tok_in(s, k, ST_WORDS_ROLE) && !tok_in(s, k, ST_WORDS_TITLE) && !tok_in(s, k, ST_WORDS_ORG_HEAD))
            continue;
        const char *role;
        st = st_rd_role_word(r, k, &role);
        if (st != ST_OK)
            return st;
        if ((st = st_rd_make_key(&r->key, 'r', role, strlen(role))) != ST_OK)
            return st;
        int holder = st_rd_index_get(&a->index, &r->key);
        if (holder >= 0 && bare_body && a->entities[holder].kind == ENT_PERSON &&
            (st = body_named_by(a, &r->key, s->text + s->tokens[p->last].start, tok_len(&s->tokens[p->last]),
                                &holder)) != ST_OK)
            return st;
        if (holder >= 0 && k == p->last && a->entities[holder].kind == ENT_PERSON &&
            (st = holder_of_all(r, p, role, &holder)) != ST_OK)
            return st;
        if (holder >= 0 && k == p->last && bare_body && a->entities[holder].kind == ENT_ORG &&
            (st = named_after_description(r, role, &holder)) != ST_OK)
            return st;
        if (holder >= 0) {
            p->entity = holder;
            return ST_OK;
        }
    }
    /* "The ad hoc committee of bondholders said": a body the phrase
     * describes, named by it. */
    size_t end = tok_in(s, p->last, ST_WORDS_ORG_HEAD) ? described_body_end(s, p) : p->last;
    if (end > p->last)
        return add_described_body(r, p, end);
    /* "Bafokeng Platinum rejected the demand. ... the company said": an
     * institution word with no holder is the body the story just named.
     * ("the police", "the court" with no holder name nobody: they are
     * too often another body than the story's.) */
    int kind_noun = tok_in(s, p->last, ST_WORDS_BODY_KIND);
    if (kind_noun || (tok_in(s, p->last, ST_WORDS_ORG_HEAD) &&
                      (tok_in(s, p->last, ST_WORDS_ROLE) || collective_word(s, p->last)))) {
        /* A body, never someone known to be a person (by a title, a
         * role or a pronoun): "Interior Minister Ferraresi said ... a
         * spokesman for the government" is not Ferraresi.  (Two-word
         * company names read as persons, "Bafokeng Platinum", and they
         * do stay candidates.) */
        int prev = r->prev_subject;
        /* "the airline" after "state carrier Aerolíneas Argentinas": the
         * body a kind noun named, before any name read as a person. */
        if (kind_noun && r->kind_body >= 0 && (prev < 0 || a->entities[prev].kind == ENT_PERSON))
            p->entity = r->kind_body;
        else
            p->entity = prev >= 0 && !st_rd_known_person(&a->entities[prev]) ? prev : r->salient_group;
    }
    return ST_OK;
}

/* A phrase that is not a pronoun: a role standing for someone named
 * before ("the minister", "the NATO chief"), or a name or institution. */
static st_status resolve_phrase(reader *r, np *p, int subject)
{
    sentence_state *s = &r->s;
    size_t f = is_determiner(s, p->first) ? p->first + 1 : p->first;
    int names = 0;
    for (size_t k = f; k <= p->last; k++)
        if (is_cap_word(s, k) && !tok_in(s, k, ST_WORDS_TITLE) && !tok_in(s, k, ST_WORDS_ROLE))
            names = 1;
    const token *head = &s->tokens[p->last];
    int head_role = head->kind == TK_WORD && (tok_in(s, p->last, ST_WORDS_ROLE) ||
                                              (!names && tok_in(s, p->last, ST_WORDS_TITLE)) ||
                                              (!names && org_head_word(s, p->last)));
    if (head_role && !(head->flags & TF_CAP)) {
        /* "the Peruvian and Chilean joint statement" is a source of its own. */
        int document = issued_document(s, p->last);
        /* "the Chilean embassy", "the Peruvian and Chilean joint statement": a
         * body or a document named by its own words. */
        /* "an ADB statement", "a Kremlin statement": a document no one
         * named, from one body, speaks for that body as "a Kremlin
         * spokesman" does (resolve_unnamed_voice). */
        if (names && document && (tok_is(s, p->first, "a") || tok_is(s, p->first, "an"))) {
            st_status st = resolve_unnamed_voice(r, p);
            if (st != ST_OK || p->entity >= 0)
                return st;
        }
        if (names && (document || tok_in(s, p->last, ST_WORDS_ORG_HEAD)))
            return resolve_named(r, p, 0);
        p->kind = NP_ROLE;
        return resolve_role(r, p);
    }
    /* "a U.S. delegate": an unnamed source, never a body named "U.S.
     * delegate". */
    if ((tok_is(s, p->first, "a") || tok_is(s, p->first, "an")) && role_part(s, p->last)) {
        p->kind = NP_ROLE;
        return resolve_role(r, p);
    }
    if (head_role && !names && !tok_in(s, p->last, ST_WORDS_ORG_HEAD)) {
        p->kind = NP_ROLE; /* "the President" */
        return resolve_role(r, p);
    }
    return resolve_named(r, p, subject);
}

/* "The central bank's complaint accuses", "the ministry's statement
 * said": a document after its owner's possessive (st_rd_read_np) speaks for
 * the owner, the words before the possessive, resolved as a phrase of
 * their own (st_rd_resolve_any_phrase).  Returns the possessive's index, or 0
 * when the phrase is no such document. */
static size_t owner_possessive(const sentence_state *s, const np *p)
{
    for (size_t k = p->last; k-- > p->first + 1 && k + 3 >= p->last;)
        if (s->tokens[k].kind == TK_POSS)
            return st_rd_document_after(s, k + 1, p->last + 1) == p->last ? k : 0;
    return 0;
}

/* A phrase that is not a pronoun.  One ending on a document after an
 * owner's possessive is resolved as the owner's words alone, then given
 * back its document (one call of resolve_phrase, which stays inlined
 * where every phrase passes). */
st_status st_rd_resolve_any_phrase(reader *r, np *p, int subject)
{
    size_t last = p->last;
    size_t poss = tok_in(&r->s, last, ST_WORDS_DOCUMENT) ? owner_possessive(&r->s, p) : 0;
    if (poss)
        p->last = poss - 1;
    st_status st = resolve_phrase(r, p, subject);
    if (poss)
        p->last = last;
    return st;
}

st_status st_rd_push_np(sentence_state *s, np p)
{
    if (s->np_count == s->np_capacity) {
        void *items = s->nps;
        st_status st = st_grow(&items, &s->np_capacity, s->np_count, sizeof(np));
        if (st != ST_OK)
            return st;
        s->nps = items;
    }
    s->nps[s->np_count++] = p;
    return ST_OK;
}
