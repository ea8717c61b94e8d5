/*
 * st_article_np.c - the noun phrases of a sentence that can name a
 * speaker: names with titles ("Foreign Minister Amara Diallo"),
 * institutions ("the State Department"), places used for governments,
 * pronouns and role nouns ("the minister").  read_np reads one from a
 * token.  Part of the article reader (st_article.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* Noun phrases                                                        */

/* "spokeswoman He Lan", "said He Lan", "Ms. He", "Asked about it, He
 * said": the Chinese family name He, written with a capital where the
 * pronoun would have none: not first in the sentence nor after a mark
 * that may open one (a dateline's dash, a quote), but after a comma, a
 * title or role word, or another word and before a second name word. */
int st_rd_family_name_he(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    if (i == 0 || !(t->flags & TF_CAP) || (t->flags & TF_ALLCAPS) || !tok_is(s, i, "he"))
        return 0;
    const token *p = &s->tokens[i - 1];
    if (p->kind == TK_PUNCT && p->cp == ',')
        return 1;
    if (p->kind != TK_WORD && p->kind != TK_POSS)
        return 0;
    if (tok_in(s, i - 1, ST_WORDS_TITLE) || tok_in(s, i - 1, ST_WORDS_ROLE))
        return 1;
    return i + 1 < s->count && is_cap_word(s, i + 1) && !tok_in(s, i + 1, ST_WORDS_NOT_NAME);
}

/* "Governor I Gusti Ngurah Wirawan", "I Made Sudarsana said": Balinese
 * names open on "I" (a man's; "Ni", a woman's, is no word of a list),
 * written before the given names, where the pronoun cannot stand: a
 * capital "I" right before two capitalised name words (no word of the
 * not_name list, no acronym: "I Think", "I AM" are no names).  Quotes
 * are tokens of their own, so the first person of a quote is never
 * asked. */
int st_rd_name_opening_i(const sentence_state *s, size_t i)
{
    if (tok_len(&s->tokens[i]) != 1 || i + 2 >= s->count || !tok_is(s, i, "i")) /* one compare for "The", "But" */
        return 0;
    for (size_t k = i + 1; k <= i + 2; k++)
        if (!is_cap_word(s, k) || (s->tokens[k].flags & TF_ALLCAPS) || tok_in(s, k, ST_WORDS_NOT_NAME))
            return 0;
    return 1;
}

/* Token i, a word of the time_opener list, opens a time phrase rather
 * than a name: "Late on Tuesday Beijing said", "Early this week the
 * ministry", "Hours later she said" put a time before the subject, and
 * the capital is the sentence's, not a name's.  A word of time must
 * follow (on, this, last, later, after, a day: the not_name list), and
 * no capitalised word may stand before it ("Judge Early on Tuesday
 * said"); "Early said" keeps a surname. */
static int time_opening(const sentence_state *s, size_t i)
{
    if (i + 1 >= s->count || s->tokens[i + 1].kind != TK_WORD || !tok_in(s, i + 1, ST_WORDS_NOT_NAME))
        return 0;
    return i == 0 || !is_cap_word(s, i - 1);
}

/* Token i, a capitalised word of the not_name list, and the word after
 * it spell a capital ("New Delhi"): the capital is a name, and reading
 * it from its second word would leave another city ("Delhi").  "New"
 * before a word of the place list opens a state's name as well ("New
 * Zealand", "Papua New Guinea"): read from "Zealand", the name is cut,
 * and "said New Zealand's envoy" has no phrase after the verb. */
static int opens_capital(const sentence_state *s, size_t i)
{
    return i + 1 < s->count && is_cap_word(s, i + 1) &&
           ((tok_is(s, i, "new") && tok_in(s, i + 1, ST_WORDS_PLACE)) || st_rd_capital_words(s, i, i + 1));
}

/* Token i, a capitalised word of the not_name list that is an
 * institution word only so ("Watch", the cap_org_head list), ends a
 * body's name after a name word: "Human Rights Watch said", "Mekong
 * Election Watch".  The word before is asked without name_part, so a
 * run of such words is never walked back. */
static int body_name_tail(const sentence_state *s, size_t i)
{
    if (i == 0 || !tok_in(s, i, ST_WORDS_ORG_HEAD) || !is_cap_word(s, i - 1))
        return 0;
    return !(s->tokens[i - 1].lists & (ST_LIST_BIT(ST_WORDS_NOT_NAME) | ST_LIST_BIT(ST_WORDS_TIME_OPENER)));
}

/* name_part for a capitalised word of the not_name or time_opener
 * lists, kept out of name_part so that the common word costs one test. */
static __attribute__((noinline)) int listed_name_part(const sentence_state *s, size_t i)
{
    if (tok_in(s, i, ST_WORDS_TIME_OPENER) && time_opening(s, i))
        return 0;
    /* Days, months, "But", "The": never part of a name; but "New" opens
     * a capital ("New Delhi said"), which must be read whole. */
    return !tok_in(s, i, ST_WORDS_NOT_NAME) || st_rd_family_name_he(s, i) || opens_capital(s, i) ||
           st_rd_name_opening_i(s, i) || body_name_tail(s, i);
}

/* Can token i be part of a proper name phrase? */
static inline __attribute__((always_inline)) int name_part(const sentence_state *s, size_t i)
{
    if (!is_cap_word(s, i))
        return 0;
    return !(s->tokens[i].lists & (ST_LIST_BIT(ST_WORDS_NOT_NAME) | ST_LIST_BIT(ST_WORDS_TIME_OPENER))) ||
           listed_name_part(s, i);
}

static int is_pronoun(const sentence_state *s, size_t i, int *group)
{
    if (tok_is(s, i, "he") || tok_is(s, i, "she")) {
        *group = 0;
        return 1;
    }
    if (tok_is(s, i, "they") || tok_is(s, i, "it")) {
        *group = 1;
        return 1;
    }
    return 0;
}

/* "a Kremlin spokesman", "an EU official": one to three capitalised
 * words naming a body, then a role word. */
static int body_then_role(const sentence_state *s, size_t k)
{
    size_t m = k;
    while (m < s->count && m < k + 3 && name_part(s, m))
        m++;
    return m > k && m < s->count && role_part(s, m);
}

/* A capitalised title or institution word: "Minister", "Commission". */
static int capital_office_word(const sentence_state *s, size_t i)
{
    return is_cap_word(s, i) &&
           (tok_in(s, i, ST_WORDS_TITLE) || tok_in(s, i, ST_WORDS_ROLE) || tok_in(s, i, ST_WORDS_ORG_HEAD));
}

/* "on" after a capitalised institution word, before the field it works
 * on ("Intergovernmental Authority on Development", "Committee on
 * Foreign Relations", "Commission on Human Rights"): a capitalised word
 * must follow, no day ("the Commission on Monday") and no place or
 * nationality ("the Council on Syria's ...": what it spoke about). */
static int serves_on(const sentence_state *s, size_t j)
{
    return tok_is(s, j, "on") && j > 0 && j + 1 < s->count && is_cap_word(s, j - 1) &&
           tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && name_part(s, j + 1) && !tok_in(s, j + 1, ST_WORDS_PLACE) &&
           !tok_in(s, j + 1, ST_WORDS_NATIONALITY);
}

/* "to" and a capitalised verb after an institution word, naming what
 * the body was set up to do ("Committee to Protect Journalists",
 * "Coalition to Save Lake Nakuru", "Alliance to End Plastic Waste"): a
 * capitalised word that names no place, nationality, title, role or
 * body must follow, and another capitalised word after it ("the
 * Commission to Brussels", "urged the Council to Act" stay apart). */
static int serves_to(const sentence_state *s, size_t j)
{
    return tok_is(s, j, "to") && j > 0 && j + 2 < s->count && is_cap_word(s, j - 1) &&
           tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && name_part(s, j + 1) && name_part(s, j + 2) &&
           !(s->tokens[j + 1].lists & (ST_LIST_BIT(ST_WORDS_PLACE) | ST_LIST_BIT(ST_WORDS_NATIONALITY) | ST_LIST_BIT(ST_WORDS_TITLE) |
                                       ST_LIST_BIT(ST_WORDS_ROLE) | ST_LIST_BIT(ST_WORDS_ORG_HEAD)));
}

/* "of" or "for" after an institution word, or "on" (serves_on): what
 * the body serves ("Ministry of the Interior", "Office for the
 * Coordination of ..."). */
int st_rd_serves_word(const sentence_state *s, size_t j)
{
    return tok_is(s, j, "of") || (tok_is(s, j, "for") && j > 0 && capital_office_word(s, j - 1)) ||
           serves_on(s, j) || serves_to(s, j);
}

/* The token after a state's formal name from k ("Republic of
 * Kazakhstan", "Democratic People’s Republic of Korea", "Russian
 * Federation"): capitalised words, joined by "of" or a possessive (or
 * "of the" after a place word: "Democratic Republic of the Congo"), at
 * least one of them a place or a nationality; 0 when the words from k
 * are no such name.  At most STATE_NAME_WORDS tokens are read. */
enum { STATE_NAME_WORDS = 8 };
static size_t state_name_end(const sentence_state *s, size_t k, size_t n)
{
    size_t end = 0, stop = k + STATE_NAME_WORDS < n ? k + STATE_NAME_WORDS : n;
    int place = 0;
    while (k < stop && name_part(s, k)) {
        place |= tok_in(s, k, ST_WORDS_PLACE) || tok_in(s, k, ST_WORDS_NATIONALITY);
        end = ++k;
        if (k + 1 < stop && (tok_is(s, k, "of") || s->tokens[k].kind == TK_POSS) && name_part(s, k + 1))
            k++;
        else if (k + 2 < stop && tok_is(s, k, "of") && tok_is(s, k + 1, "the") && name_part(s, k + 2) &&
                 tok_in(s, k - 1, ST_WORDS_PLACE))
            k += 2; /* "Democratic Republic of the Congo" */
    }
    return place ? end : 0;
}

/* After a capitalised place word, "of the" at j and the rest of a
 * state's formal name ("Democratic Republic of the Congo"): the token
 * after that name, else 0.  Out of line: read_np asks it only after a
 * word of the place list. */
static __attribute__((noinline)) size_t state_name_of_the(const sentence_state *s, size_t j, size_t n)
{
    if (j + 2 >= n || !tok_is(s, j, "of") || !tok_is(s, j + 1, "the") || !is_cap_word(s, j - 1))
        return 0;
    return state_name_end(s, j + 2, n);
}

/* The token after a run of name particles from i ("van der", "de la"),
 * three at most: no name has more. */
static size_t particle_run_end(const sentence_state *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && k < i + 3 && tok_in(s, k, ST_WORDS_NAME_PARTICLE))
        k++;
    return k;
}

/* The end of a run of at most three linking words of a foreign body's
 * name from token i ("für den", "pour le", "do"): a name_link word, then
 * name particles or links. */
static size_t link_run_end(const sentence_state *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && k < i + 3 && (tok_in(s, k, ST_WORDS_NAME_LINK) || tok_in(s, k, ST_WORDS_NAME_PARTICLE)))
        k++;
    return k;
}

/* "\"...,\" de la Barra said", "ole Sankale told": a surname whose
 * particle has no capital stands alone on a later reference, so a run
 * of lower-case particles ending on a name word opens a name (the
 * phrase reads on from the particles as inside "Inès de la Peña"). */
static int particle_opens_name(const sentence_state *s, size_t i)
{
    if (!tok_in(s, i, ST_WORDS_NAME_PARTICLE))
        return 0;
    size_t k = particle_run_end(s, i, s->count);
    return k < s->count && name_part(s, k);
}

/* The end of the run of capitalised name words from token i, or i when
 * one of them is a title or role word: such a run names no field or
 * holder. */
size_t st_rd_untitled_run_end(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && name_part(s, k)) {
        if (tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ROLE))
            return i;
        k++;
    }
    return k;
}

/* The end of a holder's name from token i: capitalised words that are
 * no title or role (st_rd_untitled_run_end) with runs of lower-case
 * particles inside ("Joseph ole Kisemei", "Anna van der Berg"), or i. */
static size_t holder_name_end(const sentence_state *s, size_t i)
{
    size_t e = st_rd_untitled_run_end(s, i);
    for (size_t p; e > i && (p = particle_run_end(s, e, s->count)) > e && p < s->count && name_part(s, p);)
        e = st_rd_untitled_run_end(s, p);
    return e;
}

/* One capitalised title word at token i that is no role and ends the
 * run of name words ("Industry and Trade", "Foreign Affairs and Trade",
 * "Justice and Interior"): a title with no name after it has no holder,
 * so it is rather the last field of the body's name than an office. */
static int lone_title_field(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE) &&
           !(i + 1 < s->count && name_part(s, i + 1));
}

/* Token i ends on a suffix of an abstract noun ("Unity", "Social
 * Protection", "Local Government", "Public Works Management"): a field,
 * rarely a person's surname. */
int st_rd_abstract_noun(const sentence_state *s, size_t i)
{
    return ends_with(s, i, "tion") || ends_with(s, i, "sion") || ends_with(s, i, "ity") ||
           ends_with(s, i, "ment") || ends_with(s, i, "ness") || ends_with(s, i, "ism");
}

/* Token i, the second capitalised word of a field after a title's
 * "and", ends the field: an abstract noun ("Rural Development") or an
 * institution word that is no title ("National Administration"),
 * rarely a given name, so the words after it are the holder's. */
int st_rd_second_field_word(const sentence_state *s, size_t i)
{
    return i < s->count && is_cap_word(s, i) &&
           (st_rd_abstract_noun(s, i) || (tok_in(s, i, ST_WORDS_ORG_HEAD) && !tok_in(s, i, ST_WORDS_TITLE)));
}

/* The capitalised words before and after the "and" at token j are both
 * points of the compass ("Eastern and Southern Africa", "East and
 * Central African Office"): news joins two regions so inside a body's
 * name, as one field, never a person ("Eastern" is also a nationality
 * word, so that "Western officials" names no one). */
static int compass_pair(const sentence_state *s, size_t j)
{
    return j > 0 && j + 1 < s->count && is_cap_word(s, j - 1) && is_cap_word(s, j + 1) &&
           tok_in(s, j - 1, ST_WORDS_COMPASS) && tok_in(s, j + 1, ST_WORDS_COMPASS);
}

/* Token i ends on the suffix of a plural noun for the people of a trade
 * ("Operators", "Farmers", "Pharmacists"), whom an association, a union
 * or a chamber unites: the last word of its field. */
int st_rd_plural_agent_noun(const sentence_state *s, size_t i)
{
    return ends_with(s, i, "ers") || ends_with(s, i, "ors") || ends_with(s, i, "ists");
}

/* The capitalised words from token i on, up to the phrase's end, name
 * part of an institution's field: at least one, none a title or role
 * (unless a lone title word, lone_title_field), and no possessive after
 * them ("Ethiopia's minister").  Two words or more that end the phrase
 * are rather a person joined to the body ("The Ministry of Health and
 * John Mwangi said"), unless the last is an abstract noun ("Ministry of
 * Labour and Social Protection", "Government of Reconciliation and
 * National Unity") or two open on a field's adjective ("Ministry of
 * Finance and Public Enterprises"); a field of several words goes on
 * with "of" ("Hajj and Umrah Operators of Nigeria") or ends, three words
 * or more, on a trade's plural ("Association of Blockchain and Data
 * Centre Operators"), where a person's name of three words rarely ends
 * so. */
static int field_after_and(const sentence_state *s, size_t i)
{
    size_t k = st_rd_untitled_run_end(s, i);
    if (k == i && name_part(s, i) && lone_title_field(s, i))
        k = i + 1;
    if (k == i || (k < s->count && s->tokens[k].kind == TK_POSS))
        return 0;
    return k == i + 1 || (k < s->count && st_rd_serves_word(s, k)) || st_rd_abstract_noun(s, k - 1) ||
           (i >= 2 && compass_pair(s, i - 1)) || (k == i + 2 && tok_in(s, i, ST_WORDS_FIELD_MODIFIER)) ||
           (k >= i + 3 && st_rd_plural_agent_noun(s, k - 1));
}

/* "Ministry of Sustainability and the Environment", "Department of
 * Culture and the Arts": after "and the", one capitalised word ending
 * the name run, of no list that names a body, a place or an office, is
 * the body's last field; "the Ministry of Health and the Army", "and
 * the Kenya Red Cross" join a second body. */
static int field_after_and_the(const sentence_state *s, size_t i)
{
    if (i >= s->count || !is_cap_word(s, i) || st_rd_untitled_run_end(s, i) != i + 1 ||
        (i + 1 < s->count && s->tokens[i + 1].kind == TK_POSS))
        return 0;
    return !tok_in(s, i, ST_WORDS_ORG_HEAD) && !tok_in(s, i, ST_WORDS_SERVICE) && !tok_in(s, i, ST_WORDS_PLACE) &&
           !tok_in(s, i, ST_WORDS_NATIONALITY) && !tok_in(s, i, ST_WORDS_NOT_NAME);
}

/* Tokens [first, end) hold a capitalised title, not an institution, and
 * "of" or "for" after it: an office's field follows ("Minister of
 * Water Resources"). */
int st_rd_titled_field_before(const sentence_state *s, size_t first, size_t end)
{
    for (size_t o = first + 1; o < end; o++)
        if (st_rd_serves_word(s, o) && is_cap_word(s, o - 1) && tok_in(s, o - 1, ST_WORDS_TITLE) &&
            !tok_in(s, o - 1, ST_WORDS_ORG_HEAD))
            return 1;
    return 0;
}

/* From token i, one word more of an office's field and a holder's name
 * of two words or more ("Irrigation Yerzhan Tolegenov"): three
 * capitalised words or more, none a title or role, no possessive after
 * them.  Two words are rather a second person ("the Minister of Finance
 * and Ana Ruiz said"). */
static int holder_after_field(const sentence_state *s, size_t i)
{
    size_t k = holder_name_end(s, i);
    /* "Interior and National Administration Joseph Sankale": the
     * field's second word may be an institution word, two name words
     * after it */
    if (k == i && name_part(s, i) && !tok_in(s, i, ST_WORDS_TITLE) && !tok_in(s, i, ST_WORDS_ROLE) &&
        st_rd_second_field_word(s, i + 1) && holder_name_end(s, i + 2) >= i + 4)
        k = holder_name_end(s, i + 2);
    return k >= i + 3 && !(k < s->count && s->tokens[k].kind == TK_POSS);
}

/* From token i after "and" in a title's field, the field's last one or
 * two words, then "and" and a second office before the holder's name
 * ("Minister of Lakes and Forests and Government Spokesman Karim
 * Bensaid", "Minister of Trade and Industry and Deputy Prime Minister
 * X"): one person may hold two offices, and the run of capitalised
 * words after the second "and" holds a title or role word, so it opens
 * that office (a phrase of its own, as after a single "and"), never one
 * more field. */
static int second_office_after_field(const sentence_state *s, size_t i)
{
    size_t k = st_rd_untitled_run_end(s, i);
    return k > i && k <= i + 2 && k + 1 < s->count && tok_is(s, k, "and") && name_part(s, k + 1) &&
           st_rd_untitled_run_end(s, k + 1) == k + 1;
}

/* From token i after "and" in a title's field, the field's last one or
 * two words and a comma, then the holder's name in apposition, two
 * capitalised words or more closed by a comma ("Minister of Mines and
 * Geology, Ibrahima Sory Camara, said"): the title is whole, and its
 * role goes to the holder (complement_roles).  A name not closed by a
 * comma may be rather a list ("the Minister of Trade and Finance,
 * Brazil and Chile"). */
static int appositive_after_field(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && k < i + 2 && name_part(s, k) && !tok_in(s, k, ST_WORDS_ROLE))
        k++; /* a field may be a title's word: "Mines and Energy" */
    if (k == i || k + 1 >= s->count || !tok_punct(s, k, ','))
        return 0;
    size_t e = holder_name_end(s, k + 1);
    return e >= k + 3 && e < s->count && tok_punct(s, e, ',');
}

/* The field between a title's "of" or "for" and the first comma of its
 * list is one or two capitalised words ("Works", "Maritime Affairs"). */
#define LIST_FIELD_WORDS 2

/* "Minister of Works, Transport and Maritime Affairs Ndapewa Shikongo",
 * "Minister of Agriculture, Water and Forestry Jane Doe": a title's
 * field may list its portfolio with commas before "and", the last
 * field and the holder's name.  From the comma at token c, after a
 * field of at most two words since the title's "of" or "for" (so a
 * holder already named, "Minister of Finance Ana Ruiz, ...", ends the
 * phrase), the list's further fields joined by commas up to "and"
 * (list_and_after_comma, as for a body's list of fields), then the
 * last field with the holder's name (holder_after_field).  Returns the token after "and", or 0.
 * "Smith, Jones and Brown" holds no title; "the Minister of Trade,
 * Industry and Ana Ruiz" has no field before the name after "and". */
static size_t list_and_after_comma(const sentence_state *s, size_t j);

static size_t field_list_end(const sentence_state *s, size_t body, size_t c)
{
    size_t o = c;
    while (o > body && !st_rd_serves_word(s, o - 1))
        o--;
    if (o == body || c - o > LIST_FIELD_WORDS || !st_rd_titled_field_before(s, body, o))
        return 0;
    size_t a = list_and_after_comma(s, c);
    return a && (holder_after_field(s, a + 1) || appositive_after_field(s, a + 1)) ? a + 1 : 0;
}

/* "Principal Secretary in the Ministry of Finance Jane Otieno": a title,
 * "in the" and the body the office sits in come before the holder's
 * name in Commonwealth news, as a field after "of" does; "Speaker of
 * the House of Representatives Dil Bahadur Ghimire", "Chairman of the
 * Council of Ministers X": so does "of the" and a body whose name has a
 * field of its own (a single field word after "of the" is read by
 * holder_after_the_field).  Does a capitalised title (no institution
 * word) stand right before an "in the" or "of the" at token o? */
static inline __attribute__((always_inline)) int title_before_in_the(const sentence_state *s, size_t o)
{
    /* the list bits first: one test for most tokens */
    return o > 0 && o + 1 < s->count && tok_in(s, o - 1, ST_WORDS_TITLE) && !tok_in(s, o - 1, ST_WORDS_ORG_HEAD) &&
           is_cap_word(s, o - 1) && (tok_is(s, o, "in") || tok_is(s, o, "at") || tok_is(s, o, "of")) &&
           tok_is(s, o + 1, "the");
}

/* Tokens [first, end) hold a title and "in the" before a body's name
 * (title_before_in_the): the name words after the body are the
 * holder's, not the body's. */
int st_rd_title_in_body(const sentence_state *s, size_t first, size_t end)
{
    for (size_t o = first + 1; o + 1 < end; o++)
        if (title_before_in_the(s, o))
            return 1;
    return 0;
}

/* A body's name and its holder's rarely take more tokens than this
 * ("State Department for Foreign Affairs Daniel ole Sankale"). */
#define BODY_HOLDER_TOKENS 12

/* From token i after a title's "in the", a body's name holding an
 * institution word ("Ministry of Finance", "State Department for
 * Foreign Affairs", "Treasury"), its fields joined by "of", "for" or
 * "and", then the holder's name: two name words or more (particles
 * between them) after the body's last title or institution word, or
 * after a field's first word ("Ministry of Health Jane Otieno").
 * Returns the token after the name, or 0: no holder ("Deputy Minister
 * in the Ministry of Finance said") leaves the title a phrase of its
 * own. */
static size_t holder_after_body(const sentence_state *s, size_t i)
{
    size_t n = s->count, k = i, mark = i, words = 0;
    int office = 0;
    while (k < n && k < i + BODY_HOLDER_TOKENS) {
        if (name_part(s, k)) {
            if (s->tokens[k].lists & (ST_LIST_BIT(ST_WORDS_TITLE) | ST_LIST_BIT(ST_WORDS_ROLE) | ST_LIST_BIT(ST_WORDS_ORG_HEAD))) {
                office |= tok_in(s, k, ST_WORDS_ORG_HEAD);
                mark = k + 1;
            }
            k++;
            continue;
        }
        if (k > i && k + 1 < n && name_part(s, k + 1) && (st_rd_serves_word(s, k) || tok_is(s, k, "and"))) {
            mark = k + 2; /* the field's first word */
            k++;
            continue;
        }
        if (k > i && k + 2 < n && st_rd_serves_word(s, k) && tok_is(s, k + 1, "the") && name_part(s, k + 2)) {
            mark = k + 3; /* "Ministry of the Interior" */
            k += 2;
            continue;
        }
        /* "Ministry of Sea, Transport and Infrastructure": the field a
         * body serves may list its parts with commas before "and", as a
         * title's does (field_list_end); the word after "and" is the
         * last field's first. */
        if (office && mark > i && tok_punct(s, k, ',') && st_rd_serves_word(s, mark - 2)) {
            size_t a = list_and_after_comma(s, k);
            if (a && a + 1 < n && name_part(s, a + 1)) {
                mark = a + 2;
                k = a + 1;
                continue;
            }
        }
        size_t e = particle_run_end(s, k, n);
        if (k > mark && e > k && e < n && name_part(s, e)) {
            k = e;
            continue;
        }
        break;
    }
    if (!office || mark >= k || (k < n && s->tokens[k].kind == TK_POSS))
        return 0;
    for (size_t m = mark; m < k; m++)
        words += name_part(s, m);
    return words >= 2 ? k : 0;
}

/* From token i after "of the" in a title, one word naming the office's
 * field and a holder's name of two words or more: the field may be a
 * title word ("the Interior") or an institution's ("the Treasury", "the
 * Navy"), but no person's role ("Secretary of the President"). */
static int holder_after_the_field(const sentence_state *s, size_t i)
{
    if (!name_part(s, i) || (tok_in(s, i, ST_WORDS_ROLE) && !tok_in(s, i, ST_WORDS_ORG_HEAD)))
        return 0;
    size_t k = st_rd_untitled_run_end(s, i + 1);
    return k >= i + 3 && !(k < s->count && s->tokens[k].kind == TK_POSS);
}

/* From a comma at j, the items of a list of fields joined by commas up
 * to "and" ("Agriculture, Livestock and Fisheries", "Foreign,
 * Commonwealth and Development Office"): returns the token of the
 * "and", or 0.  An item is one to three capitalised words, not ending on
 * the head of a title ("Deputy Minister": a person follows; "International
 * Trade" is a field), and a lone place word is rather another actor ("the
 * Ministry of Defence, Britain and France"). */
static size_t list_and_after_comma(const sentence_state *s, size_t j)
{
    size_t k = j, n = s->count;
    while (k < n && tok_punct(s, k, ',')) {
        size_t m = k + 1;
        while (m < n && m < k + 4 && name_part(s, m)) {
            int last = !(m + 1 < n && name_part(s, m + 1));
            if (last && tok_in(s, m, ST_WORDS_ROLE))
                return 0;
            m++;
        }
        if (m == k + 1 || (m == k + 2 && tok_in(s, k + 1, ST_WORDS_PLACE)) || m == n)
            return 0;
        if (tok_is(s, m, "and"))
            return m;
        k = m;
    }
    return 0;
}

/* Do the capitalised words before the comma at j open right after a
 * possessive inside the phrase that opens at i ("Britain's Foreign,
 * Commonwealth and Development Office")?  A country's possessive names
 * whose body follows, as "the" does: the list is the body's name. */
static int list_after_possessive(const sentence_state *s, size_t i, size_t j)
{
    size_t k = j;
    while (k > i && name_part(s, k - 1))
        k--;
    return k < j && k > i && s->tokens[k - 1].kind == TK_POSS;
}

/* From token i, capitalised words ending on a capitalised institution
 * word ("Development Office"): the last field of a list and the body's
 * head. */
static int ends_on_office(const sentence_state *s, size_t i)
{
    size_t k = i;
    while (k < s->count && name_part(s, k))
        k++;
    return k > i && tok_in(s, k - 1, ST_WORDS_ORG_HEAD);
}

/* Do the capitalised words before the "and" at j, opening right after
 * the determiner or a possessive of the phrase that opens at i, and
 * those after it, ending on a capitalised institution word, name one
 * body ("the International Boundary and Water Commission", "the U.S.
 * Fish and Wildlife Service", "Mexico's National Water and Sanitation
 * Commission")?  News names a body by the fields it oversees before its
 * institution word, as it names one by a field after "of".  The words
 * before "and" are no body already ("the Kremlin and Foreign Ministry",
 * "the White House and State Department": two bodies), no title or role
 * ("the Prime Minister and Foreign Office") and do not end on a place or
 * nationality ("the United States and European Union"). */
static int fields_and_office(const sentence_state *s, size_t i, size_t j)
{
    size_t k = j;
    while (k > i && name_part(s, k - 1)) {
        k--;
        if (tok_in(s, k, ST_WORDS_ORG_HEAD) || tok_in(s, k, ST_WORDS_TITLE) || tok_in(s, k, ST_WORDS_ROLE))
            return 0;
    }
    if (k == j || k == i || !(s->tokens[k - 1].kind == TK_POSS || is_determiner(s, k - 1)) ||
        tok_in(s, j - 1, ST_WORDS_PLACE) || (tok_in(s, j - 1, ST_WORDS_NATIONALITY) && !compass_pair(s, j)))
        return 0;
    return ends_on_office(s, j + 1);
}

/* Token k is no word a field can hold: a place, a nationality, a title,
 * a role or an institution word. */
static int not_field_word(const sentence_state *s, size_t k)
{
    return (s->tokens[k].lists & (ST_LIST_BIT(ST_WORDS_PLACE) | ST_LIST_BIT(ST_WORDS_NATIONALITY) |
                                  ST_LIST_BIT(ST_WORDS_TITLE) | ST_LIST_BIT(ST_WORDS_ROLE) |
                                  ST_LIST_BIT(ST_WORDS_ORG_HEAD))) != 0;
}

/* Token i ends like a domain a department oversees that is no abstract
 * noun: a plural of a noun in -y ("Fisheries", "Industries",
 * "Communities") or a noun in -ure ("Agriculture", "Infrastructure",
 * "Culture").  Few surnames end so ("Davies"), and such a word is read
 * as a field only where it opens a department's name
 * (abstract_field_opening). */
static int field_noun(const sentence_state *s, size_t i)
{
    return ends_with(s, i, "ies") || ends_with(s, i, "ure");
}

/* The capitalised words before token j open the phrase at i (past its
 * determiner) and name a field: one to three words, none a place,
 * nationality or office word, the last an abstract noun
 * ("Environment", "Immigration", "Innovation") or a field noun
 * ("Fisheries", "Agriculture": field_noun), rarely a surname: the
 * first field of a department named by its fields and its state
 * (fields_and_state). */
static int abstract_field_opening(const sentence_state *s, size_t i, size_t j)
{
    size_t open = is_determiner(s, i) ? i + 1 : i;
    if (j <= open || j > open + 3 || !(st_rd_abstract_noun(s, j - 1) || field_noun(s, j - 1)))
        return 0;
    for (size_t k = open; k < j; k++)
        if (!name_part(s, k) || not_field_word(s, k))
            return 0;
    return 1;
}

/* From token i, capitalised field words (at least one, no place,
 * nationality or office word among them) and then one place word that
 * ends the run of name words, with no possessive after it: the last
 * field of a department and its state ("Climate Change Canada",
 * "Citizenship Canada"). */
static int field_then_state(const sentence_state *s, size_t i)
{
    size_t k = i, n = s->count;
    while (k < n && name_part(s, k) && !not_field_word(s, k))
        k++;
    if (k == i || k >= n || !name_part(s, k) || !tok_in(s, k, ST_WORDS_PLACE))
        return 0;
    return !(k + 1 < n && (name_part(s, k + 1) || s->tokens[k + 1].kind == TK_POSS));
}

/* "Environment and Climate Change Canada said", "Immigration, Refugees
 * and Citizenship Canada said" (the list's "and" at j): Canadian copy
 * names a federal department by the fields it oversees and the state,
 * with no institution word, as fields_and_office names one by its
 * fields and its institution word; read at "and", the phrase would be
 * "Climate Change Canada".  The first field must be an abstract noun
 * opening the phrase (abstract_field_opening) and the state's word the
 * last of the name, so that "Mexico, Peru and Canada", "Ruiz and
 * Canada" and "Jones and Air Canada" stay apart. */
static int fields_and_state(const sentence_state *s, size_t i, size_t first_end, size_t j)
{
    return abstract_field_opening(s, i, first_end) && field_then_state(s, j + 1);
}

/* How many capitalised words from token k name an armed or uniformed
 * service ("Navy", "Army", "Coast Guard", "Air Force": the service
 * list); 0 when none. */
static size_t service_name_len(const sentence_state *s, size_t k)
{
    if (k >= s->count || !is_cap_word(s, k))
        return 0;
    if (tok_in(s, k, ST_WORDS_SERVICE))
        return 1;
    if (k + 1 < s->count && is_cap_word(s, k + 1) && tok_pair_in(s, k, ST_WORDS_SERVICE))
        return 2;
    return 0;
}

/* "The Somali Navy and Coast Guard, which ..., said", "the Ghanaian
 * Army and Air Force": two services after one nationality, joined by
 * "and" at j, are one body, the nation's combined force, as news names
 * it (the nationality qualifies both).  Only a service name after "and"
 * that ends the name, with no nationality or "Royal" of its own ("the
 * Royal Navy and Royal Marines" stay two), and only one service name
 * before it, right after the nationality that opens the phrase at i (or
 * follows its determiner): "the Kremlin and Foreign Ministry", "the
 * White House and State Department" name no service and stay two. */
static int services_joined(const sentence_state *s, size_t i, size_t j)
{
    size_t k = j >= 2 && service_name_len(s, j - 2) == 2 ? j - 2 : j - 1;
    if (k <= i || service_name_len(s, k) != j - k || !tok_in(s, k - 1, ST_WORDS_NATIONALITY) ||
        !(k - 1 == i || (k - 2 == i && is_determiner(s, i))))
        return 0;
    size_t after = service_name_len(s, j + 1);
    return after && !name_part(s, j + 1 + after);
}

/* A lower-case word for a kind of place ("the Sakhalin region"). */
static int region_noun(const sentence_state *s, size_t i)
{
    return tok_in(s, i, ST_WORDS_REGION);
}

/* "for the Pskov Region", "for the Sakhalin region" from the "for" at
 * j: up to three capitalised name words ending on a word for a kind of
 * place, or followed by one in lower case: the region a body's branch
 * serves. */
static int regional_branch(const sentence_state *s, size_t j)
{
    if (j + 2 >= s->count || !tok_is(s, j, "for") || !tok_is(s, j + 1, "the"))
        return 0;
    size_t i = j + 2, k = st_rd_untitled_run_end(s, i);
    if (k == i || k > i + 3)
        return 0;
    return (k > i + 1 && region_noun(s, k - 1)) || (k < s->count && region_noun(s, k));
}

/* "government", "cabinet", "ministry", "parliament": a lower-case word
 * for an institution, which "of" and a place make that place's body
 * ("the government of the Comoros", "the cabinet of Kenya").  Not
 * "people" or "citizens": they are no institution that speaks. */
static int lower_institution(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && (t->flags & TF_LOWER) && tok_in(s, i, ST_WORDS_ORG_HEAD);
}

/* "the government of Assam", "the cabinet of Puntland": one
 * capitalised word after a lower-case institution word and "of", no
 * title or role, that no list names as a place: a state, province or
 * region all the same, whose body speaks (news writes "the government
 * of" a place, but "the Modi government" of a leader).  The phrase
 * must end on it (k == last), so that no possessive goes on ("the
 * office of Kerbala's governor"). */
static int lone_state_word(const sentence_state *s, size_t h, size_t k, size_t last)
{
    return k == last && k == h + 2 && name_part(s, k) && !tok_in(s, k, ST_WORDS_TITLE) && !tok_in(s, k, ST_WORDS_ROLE) &&
           !tok_in(s, k, ST_WORDS_ORG_HEAD);
}

/* The phrase from first to last is "<institution> of [the] <state>"
 * ("government of the Comoros", "parliament of Kenya", "foreign
 * ministry of Kenya"): the body of
 * that state, named with its institution word (resolve_named keeps the
 * word, as in "Comoros's government"). */
__attribute__((noinline)) int st_rd_institution_of_state(const sentence_state *s, size_t first, size_t last)
{
    /* "foreign ministry of Kenya": up to two lower-case modifiers
     * before the institution word belong to the body's name. */
    for (size_t h = first; h < first + 3 && h + 2 <= last && (s->tokens[h].flags & TF_LOWER); h++) {
        if (!lower_institution(s, h) || !tok_is(s, h + 1, "of"))
            continue;
        size_t k = h + 2 + (tok_is(s, h + 2, "the") ? 1 : 0);
        return k <= last && (state_name_end(s, k, last + 1) == last + 1 || lone_state_word(s, h, k, last));
    }
    return 0;
}

/* "the Fujian coast guard said", "China's central bank, which ...",
 * "the Kenyan regulator": a lower-case institution word or kind of
 * body at h heads a phrase after capitalised words or a possessive, as
 * a role word does ("the Chinese ministry"), when the word after it
 * (k = h + 1) goes on with no noun it could modify ("the Chinese navy
 * ship", "coast guard officers": the head is further on).  "who" is
 * the pronoun in lower case, never the WHO.  A phrase opened by "a"
 * before its capitals (from `first`: "a private Swiss bank") is no
 * body the story names, only one of a kind. */
static int institution_head(const sentence_state *s, size_t first, size_t h, size_t k)
{
    if (!org_head_word(s, h) || tok_is(s, h, "who") || st_rd_indefinite_head(s, first))
        return 0;
    if (k >= s->count)
        return 1;
    const token *t = &s->tokens[k];
    return t->kind != TK_WORD || !(t->flags & TF_LOWER) || tok_in(s, k, ST_WORDS_SPEECH_VERB) ||
           tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_AUX_ADVERB) ||
           tok_in(s, k, ST_WORDS_PREPOSITION) || tok_in(s, k, ST_WORDS_NOT_NAME) || relative_pronoun(s, k) ||
           tok_is(s, k, "and") || ends_with(s, k, "ed");
}

/* "complaint", "formal complaint", "open letter": from token k, at most
 * two lower-case modifiers and a document (the document list) in lower
 * case.  Returns the document's index, or 0.  Asked only after an
 * owner's possessive: a document there speaks for its owner. */
size_t st_rd_document_after(const sentence_state *s, size_t k, size_t n)
{
    for (size_t end = k + 3; k < n && k < end; k++) {
        const token *t = &s->tokens[k];
        if (t->kind != TK_WORD || !(t->flags & TF_LOWER))
            return 0;
        if (tok_in(s, k, ST_WORDS_DOCUMENT))
            return k;
        if (tok_in(s, k, ST_WORDS_VERBISH) || tok_in(s, k, ST_WORDS_PREPOSITION) ||
            tok_in(s, k, ST_WORDS_NOT_NAME) || tok_in(s, k, ST_WORDS_SPEECH_VERB) || role_part(s, k))
            return 0;
    }
    return 0;
}

/*
 * Reads a noun phrase starting at token i; returns the index one past its
 * last token, or i when none starts here.  Sets *kind.
 */
/* Token j, a number of one or two digits after a name and right before
 * a speech verb: a channel's number, part of its name ("Rossiya 1",
 * "France 24", "Channel 4").  A count or an age never stands there
 * ("Smith, 45, said" has its commas); a text's division does ("Article
 * 5 says": the division list), and names no speaker. */
static int channel_number(const sentence_state *s, size_t j)
{
    const token *t = &s->tokens[j];
    if (t->kind != TK_WORD || !(t->flags & TF_DIGIT) || tok_len(t) > 2 || j + 1 >= s->count ||
        tok_in(s, j - 1, ST_WORDS_DIVISION))
        return 0;
    for (size_t k = t->start; k < t->end; k++)
        if (s->text[k] < '0' || s->text[k] > '9')
            return 0;
    return is_speech_verb(s, j + 1);
}

size_t st_rd_read_np(const sentence_state *s, size_t i, int *kind)
{
    /* Asked at every token: a phrase opens on a word that is a pronoun,
     * a determiner or a capitalised word; anything else fails every rule
     * below at once. */
    const token *t = &s->tokens[i];
    if (t->kind != TK_WORD || (!(t->flags & TF_CAP) && !t->w8))
        return i;
    size_t n = s->count;
    int group;
    if (is_pronoun(s, i, &group) && !st_rd_family_name_he(s, i)) {
        *kind = group ? NP_PRONOUN_GROUP : NP_PRONOUN_PERSON;
        return i + 1;
    }
    /* A word without a capital opens a phrase only as a determiner or
     * a name particle: every rule below wants a capital, a determiner
     * before a role, or a token of the phrase before the one it looks
     * at. */
    int det = is_determiner(s, i);
    if (!det && !(t->flags & TF_CAP) && !particle_opens_name(s, i))
        return i;
    size_t j = i;
    int has_det = 0;
    if (det) {
        has_det = 1;
        j++;
        /* "the paramilitary Northern Brigades", "a senior official":
         * up to three lower-case modifiers before a name or role. */
        size_t k = j, mods = 0, poss = 0;
        while (k < n && mods < 3 &&
               ((s->tokens[k].kind == TK_WORD && (s->tokens[k].flags & TF_LOWER) && !role_part(s, k) &&
                 !tok_in(s, k, ST_WORDS_SPEECH_VERB) && !tok_in(s, k, ST_WORDS_VERBISH) &&
                 !tok_in(s, k, ST_WORDS_PREPOSITION) && !tok_in(s, k, ST_WORDS_NOT_NAME)) ||
                (s->tokens[k].kind == TK_POSS && mods > 0))) {
            if (s->tokens[k].kind == TK_POSS && !poss)
                poss = k;
            k++;
            mods++;
        }
        /* "the central bank's complaint", "the coast guard's report": a
         * body named by lower-case words and its institution word, then
         * a document after the possessive (st_rd_resolve_any_phrase). */
        if (poss && org_head_word(s, poss - 1)) {
            size_t d = st_rd_document_after(s, poss + 1, n);
            if (d) {
                *kind = NP_ROLE;
                return d + 1;
            }
        }
        /* "Its complaint says", "their open letter said", "his letter
         * reads": a document after a possessive pronoun speaks for its
         * owner, so the phrase is that pronoun's (resolved as "it",
         * "they", "he", "she"). */
        if (!tok_is(s, i, "the") && !tok_is(s, i, "a") && !tok_is(s, i, "an")) {
            size_t d = st_rd_document_after(s, j, n);
            if (d) {
                *kind = tok_is(s, i, "its") || tok_is(s, i, "their") ? NP_PRONOUN_GROUP : NP_PRONOUN_PERSON;
                return d + 1;
            }
        }
        /* "a" and "an" introduce a role ("a senior official"), never a
         * name ("a day after Nowak ..."). */
        int indefinite = tok_is(s, i, "a") || tok_is(s, i, "an");
        if (k < n && (role_part(s, k) || (!indefinite && name_part(s, k)) ||
                      (indefinite && k == j && body_then_role(s, k))))
            j = k;
        else if (!indefinite && k > j && org_head_word(s, k - 1)) {
            *kind = NP_ROLE; /* "the coast guard": resolve_role finds the body */
            return k;
        }
        else if (indefinite)
            return i;
    }
    else if (!(t->flags & TF_CAP))
        j = particle_run_end(s, i, n); /* "de la Barra": the name after the particles */
    size_t body = j, last_good = j;
    int caps = 0, roles = 0, served = 0;
    while (j < n) {
        if (name_part(s, j)) {
            caps++;
            j++;
            last_good = j;
            continue;
        }
        /* "Rossiya 1 said", "France 24 reported": a broadcaster's
         * channel number ends its name, right before the speech verb. */
        if (caps && j == last_good && channel_number(s, j)) {
            j = last_good = j + 1;
            continue;
        }
        if (role_part(s, j) && (caps || has_det || roles)) {
            roles++;
            j++;
            last_good = j;
            continue;
        }
        /* "the Peruvian and Chilean joint statement", "Chilean joint statement":
         * modifiers joined by "and", or lower-case adjectives, before a
         * role head two words on at most. */
        if (caps && j + 1 < n && (tok_is(s, j, "and") || (s->tokens[j].flags & TF_LOWER))) {
            size_t k = j + (tok_is(s, j, "and") ? 1 : 0), seen = 0;
            while (k < n && seen < 2 && (name_part(s, k) || (s->tokens[k].kind == TK_WORD &&
                                                              (s->tokens[k].flags & TF_LOWER) &&
                                                              !role_part(s, k) && !tok_is(s, k, "and") &&
                                                              !tok_in(s, k, ST_WORDS_SPEECH_VERB) &&
                                                              !tok_in(s, k, ST_WORDS_VERBISH) &&
                                                              !tok_in(s, k, ST_WORDS_NOT_NAME) &&
                                                              !tok_in(s, k, ST_WORDS_PREPOSITION) &&
                                                              !ends_with(s, k, "ed") && !ends_with(s, k, "ing")))) {
                k++;
                seen++;
            }
            if (k < n && k > j && role_part(s, k) && !tok_in(s, k, ST_WORDS_TITLE)) {
                j = k + 1;
                roles++;
                last_good = j;
                continue;
            }
            /* "The Fujian coast guard said", "the Chinese navy, which" */
            if (k > j && !tok_is(s, j, "and") && institution_head(s, i, k - 1, k)) {
                j = last_good = k;
                roles++;
                continue;
            }
        }
        /* "the Office of the Trade Representative", "Ministry of the
         * Interior", "Office for the Coordination of ...": an institution
         * named by what it serves. */
        if (j > body && j + 2 < n && st_rd_serves_word(s, j) && tok_is(s, j + 1, "the") &&
            tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && is_cap_word(s, j - 1) && name_part(s, j + 2)) {
            j += 2;
            served = 1;
            continue;
        }
        /* "Deputy Secretary of the Interior Carla Brandvold", "Secretary
         * of the Navy Ana Ruiz": a title's field may open on "the" too,
         * when the holder's name follows it (never "the Secretary of the
         * Interior said", which names an office, not a person). */
        if (j > body && j == last_good && j + 2 < n && tok_is(s, j, "of") && tok_is(s, j + 1, "the") &&
            st_rd_titled_field_before(s, body, j + 1) && holder_after_the_field(s, j + 2)) {
            j += 2;
            continue;
        }
        /* "Ministry of Water Resources and Irrigation of the Republic of
         * Kazakhstan", "Ministry of National Defence of the Democratic
         * People’s Republic of Korea": after the field a body serves,
         * "of the" and a state's formal name say whose body it is, and
         * belong to its name as "of Nigeria" does after a field.
         * "The government of the Comoros", "the cabinet of the
         * Philippines": so do they after a lower-case institution word,
         * as "of Kenya" does (the rule for "of" and a capital below). */
        if ((served || (roles && !caps)) && j == last_good && j + 2 < n && tok_is(s, j, "of") &&
            tok_is(s, j + 1, "the") && (served || lower_institution(s, j - 1))) {
            size_t e = state_name_end(s, j + 2, n);
            if (e) {
                j = last_good = e;
                caps += !served; /* the state's name: a phrase with capitals */
                continue;
            }
        }
        /* "Border Guard Directorate of the Federal Security Service of
         * Russia for the Pskov Region": after the body's full name, "for
         * the" and a region name its regional branch (regional_branch). */
        if (served && j == last_good && regional_branch(s, j)) {
            j += 2;
            continue;
        }
        /* "the Democratic Republic of the Congo", "the Republic of the
         * Gambia": a state's formal name whose head is a place word
         * ("Republic") may go on with "of the" and the rest of the
         * state's name (a place word among them), as "Republic of
         * Congo" goes on with "of"; read apart, "the Democratic
         * Republic" would be the phrase "of the Congo" hangs on and
         * speak for "Officials in ..." or "The Embassy in ...". */
        if (caps && !served && j == last_good && (s->tokens[j - 1].lists & ST_LIST_BIT(ST_WORDS_PLACE))) {
            size_t e = state_name_of_the(s, j, n);
            if (e) {
                j = last_good = e;
                continue;
            }
        }
        /* "the Border Service for the Sakhalin region": the place the
         * institution serves may end on a word for a kind of place. */
        if (served && j == last_good && region_noun(s, j)) {
            last_good = ++j;
            continue;
        }
        /* "Secretary of State", "Bureau of African Affairs", "de la Cruz";
         * "Minister for Fisheries", "Commission for Human Rights": "for"
         * only after a capitalised title or institution word, so that
         * "thanked Dutheil for Paris's help" stays two phrases. */
        if (j > body && j + 1 < n && name_part(s, j + 1) &&
            (st_rd_serves_word(s, j) || tok_in(s, j, ST_WORDS_NAME_PARTICLE))) {
            if (st_rd_serves_word(s, j) && tok_in(s, j - 1, ST_WORDS_ORG_HEAD) && is_cap_word(s, j - 1))
                served = 1;
            j++;
            continue;
        }
        /* "Commission for Controlling the Desert Locust", "Centre for
         * Monitoring the Lake Basin": a field an institution serves that
         * opens on a capitalised verb in -ing goes on with "the" and
         * that verb's object, as "Office for the Coordination of ..."
         * does with its noun. */
        if (served && j == last_good && j + 1 < n && tok_is(s, j, "the") && is_cap_word(s, j - 1) &&
            ends_with(s, j - 1, "ing") && name_part(s, j + 1)) {
            j++;
            continue;
        }
        /* "The Ministry of Trade and Industry", "the Association of Hajj
         * and Umrah Operators of Nigeria": the field an institution serves
         * may join two names with "and" (never a title or role after it:
         * "the Ministry of Defence and Foreign Minister X"). */
        if (served && j == last_good && tok_is(s, j, "and") && field_after_and(s, j + 1)) {
            j++;
            continue;
        }
        if (served && j == last_good && j + 2 < n && tok_is(s, j, "and") && tok_is(s, j + 1, "the") &&
            field_after_and_the(s, j + 2)) {
            j += 2;
            continue;
        }
        /* "Vice Minister of Water Resources and Irrigation Yerzhan
         * Tolegenov": a title's field may join two names with "and"
         * before the holder's name. */
        if (!served && j == last_good && tok_is(s, j, "and") && st_rd_titled_field_before(s, body, j) &&
            (holder_after_field(s, j + 1) || appositive_after_field(s, j + 1) ||
             second_office_after_field(s, j + 1))) {
            j++;
            continue;
        }
        /* "Principal Secretary in the Ministry of Finance Jane Otieno":
         * the body a title sits in, then the holder's name. */
        if (!served && j == last_good && caps && title_before_in_the(s, j)) {
            size_t k = holder_after_body(s, j + 2);
            if (k) {
                last_good = k;
                break;
            }
        }
        /* "Minister of Works, Transport and Maritime Affairs Ndapewa
         * Shikongo": a title's field may list fields with commas before
         * "and" and the holder's name. */
        if (!served && j == last_good && tok_punct(s, j, ',')) {
            size_t k = field_list_end(s, body, j);
            if (k) {
                j = k;
                continue;
            }
        }
        /* "Lotte van der Kamp", "Inès de la Peña": particles come in
         * runs of two or three, and only the last meets the surname. */
        if (j > body && tok_in(s, j, ST_WORDS_NAME_PARTICLE)) {
            size_t k = particle_run_end(s, j, n);
            if (k > j + 1 && k < n && name_part(s, k)) {
                j = k;
                continue;
            }
        }
        /* "Wasser für den Sahel", "Action pour le Développement",
         * "Fundação do Sol": a body named in another language joins its
         * capitalised words with that language's prepositions and
         * articles, as a person's name joins them with particles. */
        if (j > body && j == last_good && caps && tok_in(s, j, ST_WORDS_NAME_LINK)) {
            size_t k = link_run_end(s, j, n);
            if (k < n && name_part(s, k)) {
                j = k;
                continue;
            }
        }
        /* "Korea Hydro & Nuclear Power", "Procter & Gamble": an
         * ampersand joins capitalised words into one company's name. */
        if (tok_punct(s, j, '&') && j > body && j == last_good && caps && j + 1 < n && name_part(s, j + 1)) {
            j++;
            continue;
        }
        /* "the Rail Drivers’ Union": a plural possessive mark joined to
         * the word before it. */
        if (plural_mark(s, j) && j > body && j + 1 < n && name_part(s, j + 1)) {
            j++;
            continue;
        }
        /* "The central bank's complaint", "Sudan's amended complaint":
         * a document after its owner's possessive ends the phrase;
         * st_rd_resolve_any_phrase gives the owner. */
        if (s->tokens[j].kind == TK_POSS && j > body && j == last_good) {
            size_t d = st_rd_document_after(s, j + 1, n);
            if (d) {
                last_good = d + 1;
                break;
            }
        }
        /* Peru's Foreign Ministry, Ortiz's envoy Nora Quist */
        if (s->tokens[j].kind == TK_POSS && j > body && j + 1 < n &&
            (name_part(s, j + 1) || role_part(s, j + 1))) {
            j++;
            continue;
        }
        /* "South Korea's unification minister": a possessive, one or two
         * modifiers and a role. */
        if (s->tokens[j].kind == TK_POSS && j > body) {
            size_t k = j + 1;
            while (k < n && k < j + 3 && s->tokens[k].kind == TK_WORD && (s->tokens[k].flags & TF_LOWER) &&
                   !role_part(s, k) && !tok_in(s, k, ST_WORDS_NOT_NAME) && !tok_in(s, k, ST_WORDS_VERBISH) &&
                   !tok_in(s, k, ST_WORDS_SPEECH_VERB))
                k++;
            if (k < n && k > j + 1 && role_part(s, k)) {
                j = k;
                continue;
            }
            /* "China's coast guard said", "Kenya's central bank" */
            if (k > j + 1 && institution_head(s, i, k - 1, k)) {
                j = last_good = k;
                roles++;
                continue;
            }
        }
        /* "The Securities and Exchange Commission", "Mexico's National
         * Water and Sanitation Commission": two fields joined by "and"
         * before the institution word. */
        if (tok_is(s, j, "and") && j == last_good && caps && !roles && !served &&
            (fields_and_office(s, i, j) || services_joined(s, i, j) || fields_and_state(s, i, j, j))) {
            j++;
            continue;
        }
        /* "the Ministry of Agriculture, Livestock and Fisheries", "the
         * Foreign, Commonwealth and Development Office": a body's fields
         * listed with commas, then "and" and the last field (what the
         * body serves, or words ending on its institution word). */
        if (tok_punct(s, j, ',') && j == last_good && caps && !roles) {
            size_t a = list_and_after_comma(s, j);
            if (a && ((served && field_after_and(s, a + 1)) ||
                      ((served || has_det || list_after_possessive(s, i, j)) && ends_on_office(s, a + 1)) ||
                      (!served && fields_and_state(s, i, j, a)))) {
                j = a + 1;
                continue;
            }
        }
        break;
    }
    if (last_good == body)
        return i;
    /* A role phrase must end on its role word: "the minister", not "the
     * minister's". */
    *kind = caps ? NP_PERSON : NP_ROLE; /* refined by classify_np */
    return last_good;
}
