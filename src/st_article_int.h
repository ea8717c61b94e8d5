/*
 * st_article_int.h - what the article reader's files share: the token,
 * noun phrase, entity, sentence and reading-state types, the small word
 * tests asked of nearly every token (static inline, so that each file
 * keeps them inline), and the functions one file calls in another
 * (prefix st_rd_, "reader").  Internal to libstance: not installed.
 *
 * The reader's files, in the order a sentence goes through them:
 *   st_article_tokens.c    words, marks and quotes of a sentence
 *   st_article_np.c        noun phrases that can name a speaker
 *   st_article_entities.c  the article's people and bodies, by name
 *   st_article_resolve.c   each phrase resolved to an entity
 *   st_article_verbs.c     verbs of speech and their subjects
 *   st_article_attrib.c    the rules that give a quote its speaker
 *   st_article.c           the sentence pass and the public API
 */
#ifndef ST_ARTICLE_INT_H
#define ST_ARTICLE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stance.h"
#include "st_arena.h"
#include "st_util.h"
#include "st_words.h"
#include "st_words_data.h"
#include "st_words8.h"

enum token_kind { TK_WORD, TK_POSS, TK_PUNCT, TK_QUOTE };
enum {
    TF_CAP = 1,      /* first letter upper case */
    TF_ALLCAPS = 2,  /* two or more letters, all upper case (NATO, UAW) */
    TF_LOWER = 4,    /* first letter lower case */
    TF_DOTTED = 8,   /* letter-dot-letter form: U.S., p.m. */
    TF_DIGIT = 16,
    TF_INITIAL = 32  /* a capital and a dot: the "M." of Linda M. Carter */
};

typedef struct token {
    size_t start, end;
    int kind;
    unsigned flags;
    size_t quote;   /* TK_QUOTE: index in the article's quote list */
    int32_t cp;     /* TK_PUNCT: the code point */
    st_list_bits lists; /* TK_WORD: ST_LIST_BIT(list) for each word list holding it */
    uint64_t w8;    /* TK_WORD of ASCII, 1 to 8 bytes: its lower-case bytes,
                     * byte k at bits 8k (see pack8); 0 otherwise */
} token;

/* A noun phrase that can name a speaker. */
enum np_kind { NP_PERSON, NP_ORG, NP_ROLE, NP_PRONOUN_PERSON, NP_PRONOUN_GROUP };

typedef struct np {
    size_t first, last;   /* token indices, inclusive (determiner included) */
    int kind;
    int entity;           /* resolved entity, -1 if none */
    long verb;            /* st_rd_verb_after(last), asked once: -1 if none */
} np;

/* An entity: one person or body of the article. */
enum entity_kind { ENT_PERSON, ENT_ORG };

typedef struct entity {
    int kind;
    const char *name;  /* display name, in the article's arena */
    const char *shown; /* the name with a title it keeps ("Prince X"), in the arena, or NULL */
    const char *roles; /* " minister chief " style list of role words, in the arena */
    const char *acronym; /* the acronym the story also calls it by (arena), or NULL */
    size_t name_tokens;
    int spoke;       /* has been a speaker */
    int prev_same;   /* previous person with the same surname, or -1 */
    int gender;      /* 0 unknown, 1 he, 2 she: from titles and pronouns */
} entity;

/* The name a speaker is shown by: with the title the name keeps
 * ("Prince Kerkula Dolo") when the story named it so, else the name
 * the reader matches by. */
static inline const char *st_rd_shown_name(const entity *e) { return e->shown ? e->shown : e->name; }

/*
 * Finds entities by key in constant time, so that an article with a
 * hundred thousand names is read in linear time.  Keys are lower-cased
 * and prefixed by kind: "p:" surname -> latest person with it (older ones
 * chain through prev_same), "o:" name -> institution, "r:" role word ->
 * latest entity given that role.
 */
/* 16 bytes, so that the first 64 slots (1 KB) come from malloc's
 * per-thread cache. */
typedef struct index_slot {
    const char *key; /* NUL-terminated, in the article's arena; NULL: an empty slot */
    uint32_t hash;   /* low bits of the key's hash, compared before the bytes */
    int value;
} index_slot;

typedef struct name_index {
    index_slot *slots;
    size_t count, capacity; /* capacity is 0 or a power of two */
} name_index;

/* A key being looked up: its bytes (NUL-terminated) and their hash,
 * computed as st_rd_make_key writes them.  The hash covers the name and then
 * the kind, so that one name is looked up under another kind without a
 * second pass over it (st_rd_key_set_kind). */
typedef struct index_key {
    st_buf buf;
    size_t name_hash; /* of the lower-cased name alone */
    size_t hash;      /* name_hash, then the kind byte */
} index_key;

struct st_article {
    const st_doc *doc;
    st_span_list sentences;
    st_quote_list quotes;
    st_attributed_quote *attributed; /* parallel to quotes.items */
    size_t *quote_sentence;
    entity *entities;
    size_t entity_count, entity_capacity;
    const char **mentions;           /* mention strings (in the arena), one per quote */
    name_index index;
    size_t legal_form_bodies;        /* bodies also indexed without their legal form */
    size_t given_name_runs;          /* persons also indexed by given names before "bin" */
    int *sentence_speaker;           /* per sentence: entity reported, or -1 */
    const char **sentence_mention;   /* per sentence: mention (in the arena), or NULL */
    st_arena arena;                  /* owns every string above, the index keys and the
                                      * per-quote and per-sentence arrays */
};

typedef struct sentence_state {
    const char *text;
    size_t size;             /* text's length: a scan may read ahead up to it */
    const st_words8 *words8; /* the short words' table (st_words8_get) */
    token *tokens;
    size_t count, capacity;
    size_t quotes;     /* TK_QUOTE tokens among them: 0 spares the quote passes */
    np *nps;
    size_t np_count, np_capacity;
    int *np_ending;    /* np index ending at token i, or -1 */
    int *np_starting;  /* np index starting at token i, or -1 */
    size_t map_capacity;
} sentence_state;
/* A literal of 1 to 8 bytes packed as pack8 packs a token's bytes; the
 * compiler folds it to a constant. */
#define LIT8_BYTE(w, k) \
    ((k) < sizeof(w) - 1 ? (uint64_t)(unsigned char)(w)[(k) < sizeof(w) - 1 ? (k) : 0] << (8 * (k)) : 0)
#define LIT8(w) \
    (LIT8_BYTE(w, 0) | LIT8_BYTE(w, 1) | LIT8_BYTE(w, 2) | LIT8_BYTE(w, 3) | LIT8_BYTE(w, 4) | \
     LIT8_BYTE(w, 5) | LIT8_BYTE(w, 6) | LIT8_BYTE(w, 7))
/* Short words (nearly every literal asked about) by one compare of the
 * packed bytes: w8 is 0 for any token that is not an ASCII word of at
 * most 8 bytes, and a literal's pack is never 0.  Longer ones byte by
 * byte. */
#define tok_is(s, i, word)                                                                          \
    (sizeof(word) - 1 <= 8 ? (s)->tokens[i].w8 == LIT8("" word)                                    \
                           : tok_is_n((s), (i), "" word, sizeof(word) - 1))

enum { RECENT = 8 };

typedef struct reader {
    st_article *a;
    sentence_state s;
    st_buf scratch;
    index_key key;       /* index keys */
    int salient_person;  /* latest person who was a subject or speaker */
    int salient_group;   /* latest institution or place that was */
    int last_speaker;    /* entity of the latest attributed quote */
    size_t last_speaker_paragraph;
    int have_last_speaker;
    int recent[RECENT];       /* recent subject persons, most recent first */
    int prev_persons[RECENT]; /* persons named in the previous sentence */
    int prev_subject;         /* main subject of the previous sentence */
    int prev_voice;           /* body an unnamed voice ("the spokesman")
                               * spoke for as that sentence's subject */
    int kind_body;            /* latest name right after a kind noun: "state carrier X" */
    const char *unnamed_role; /* role word (arena) of the previous sentence's
                               * subject "the <role> of <place>", held by
                               * nobody yet (hand_on_unnamed_role), or NULL */
    int prev_had_quote;       /* did the previous sentence hold a quote? */
    size_t prev_paragraph;
    size_t sentence;          /* index of the sentence being read */
    size_t body;              /* its first token after a dateline */
    struct pending_role *pending; /* quotes said by a role not yet named */
    size_t npending, pending_cap;
} reader;

/*
 * A quote whose speaker is a role the story has not named yet:
 * "Romania's finance minister on Tuesday accused the bank of
 * 'strangling' growth", with "Finance Minister Radu Voinea" in the next
 * paragraph, as wire ledes do.  The person named with those role words
 * (or the bare role word, "the minister, X") within PENDING_REACH
 * sentences takes the quote, when the owners named with both agree: wire
 * copy may name the holder five or more sentences on, after quoting
 * others, and another state's holder of the office in between takes
 * nothing ("Fiji's Minister for Fisheries, X" for "Tonga's fisheries
 * minister").
 */
typedef struct pending_role {
    size_t quote;
    size_t sentence;
    const char *words;   /* the role words, lower case: "finance minister" (arena) */
    const char *mention; /* the phrase as written (arena) */
    const char *owner;   /* whose role, lower case: "papua new guinea" (arena), or NULL */
} pending_role;
enum { PENDING_REACH = 8 };

/* ------------------------------------------------------------------ */
/* Across the reader's files (each documented where it is defined)    */

/* st_article_tokens.c */
st_status st_rd_lower_copy(st_buf *buf, const char *s, size_t n);
extern const unsigned char st_rd_ascii_lower[256];
st_status st_rd_tokenize(sentence_state *s, const st_quote_list *quotes, size_t *next_quote, size_t start, size_t end);

/* st_article_np.c */
int st_rd_family_name_he(const sentence_state *s, size_t i);
int st_rd_name_opening_i(const sentence_state *s, size_t i);
int st_rd_serves_word(const sentence_state *s, size_t j);
const char *st_rd_capital_words(const sentence_state *s, size_t first, size_t last);
size_t st_rd_untitled_run_end(const sentence_state *s, size_t i);
int st_rd_titled_field_before(const sentence_state *s, size_t first, size_t end);
int st_rd_abstract_noun(const sentence_state *s, size_t i);
int st_rd_plural_agent_noun(const sentence_state *s, size_t i);
int st_rd_second_field_word(const sentence_state *s, size_t i);
int st_rd_title_in_body(const sentence_state *s, size_t first, size_t end);
int st_rd_institution_of_state(const sentence_state *s, size_t first, size_t last);
size_t st_rd_document_after(const sentence_state *s, size_t k, size_t n);
size_t st_rd_read_np(const sentence_state *s, size_t i, int *kind);

/* st_article_entities.c */
int st_rd_index_get(const name_index *ix, const index_key *key);
void st_rd_index_free(name_index *ix);
st_status st_rd_make_key(index_key *key, char kind, const char *s, size_t n);
void st_rd_key_set_kind(index_key *key, char kind);
st_status st_rd_add_entity(st_article *a, index_key *key, int kind, const char *name, size_t len, size_t name_tokens,
                           int *out);
int st_rd_has_role(const entity *e, const char *role);
const char *st_rd_role_key(const char *word);
st_status st_rd_role_word(reader *r, size_t i, const char **word);
const char *st_rd_portfolio_holder(const char *field);
st_status st_rd_add_role(st_article *a, index_key *key, int id, const char *role);
const char *st_rd_last_word(const char *name, size_t *len);

/* st_article_resolve.c */
size_t st_rd_skip_dateline(const sentence_state *s);
st_status st_rd_show_acronyms(st_article *a);
int st_rd_known_person(const entity *e);
st_status st_rd_resolve_any_phrase(reader *r, np *p, int subject);
st_status st_rd_push_np(sentence_state *s, np p);

/* st_article_verbs.c */
int st_rd_indefinite_head(const sentence_state *s, size_t i);
int st_rd_speech_verb_use(const sentence_state *s, size_t i);
int st_rd_is_according_to(const sentence_state *s, size_t i);
long st_rd_verb_after(const sentence_state *s, size_t i);
int st_rd_subject_before(const sentence_state *s, size_t v);
int st_rd_np_past_role_lead(const sentence_state *s, size_t j);
int st_rd_np_after(const sentence_state *s, size_t v);
int st_rd_main_subject(const sentence_state *s, size_t before);

/* st_article_attrib.c */
int st_rd_attribution_after(const sentence_state *s, size_t q);
int st_rd_subject_of_verb(const sentence_state *s, size_t v, int depth);
int st_rd_attribution_before(const sentence_state *s, size_t q);
int st_rd_attribution_later(const sentence_state *s, size_t q);
int st_rd_document_issuer(const sentence_state *s, size_t q);
int st_rd_quote_only(const sentence_state *s);

/* st_article.c */
st_status st_rd_claim_pending(reader *r, int person, size_t from, size_t to);
st_status st_rd_token_role(reader *r, size_t t, int id);

/* ------------------------------------------------------------------ */
/* Word tests asked of nearly every token: inline in every file       */
static inline size_t tok_len(const token *t) { return t->end - t->start; }

/* Whether token i is `word` (lower-case ASCII), ignoring ASCII case.
 * Always called with a literal: its length is known at compile time and
 * most tokens fail on the length alone. */
static inline int tok_is_n(const sentence_state *s, size_t i, const char *word, size_t n)
{
    const token *t = &s->tokens[i];
    if (t->kind != TK_WORD || tok_len(t) != n)
        return 0;
    const char *w = s->text + t->start;
    for (size_t k = 0; k < n; k++) {
        char c = w[k];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != word[k])
            return 0;
    }
    return 1;
}

static inline int tok_in(const sentence_state *s, size_t i, st_word_list list)
{
    return (s->tokens[i].lists >> list) & 1u;
}

/* Whether tokens i and i + 1 are one of the list's two-word entries
 * ("Coast Guard"): the lists' pairs are no token's bits, so they are
 * asked by text, and only where a rule reads a two-word name. */
static inline int tok_pair_in(const sentence_state *s, size_t i, st_word_list list)
{
    if (i + 1 >= s->count || s->tokens[i].kind != TK_WORD || s->tokens[i + 1].kind != TK_WORD)
        return 0;
    const token *a = &s->tokens[i], *b = &s->tokens[i + 1];
    return st_words_has_pair(list, s->text + a->start, a->end - a->start, s->text + b->start, b->end - b->start);
}

static inline int tok_punct(const sentence_state *s, size_t i, int32_t cp)
{
    return s->tokens[i].kind == TK_PUNCT && s->tokens[i].cp == cp;
}

/* Token i is a plural possessive's bare mark, ’ or ' joined to the word
 * before it ("the Rail Drivers’ Union", "a spokesman for the dockers’
 * union"); a singular "’s" is a TK_POSS token of its own. */
static inline int plural_mark(const sentence_state *s, size_t i)
{
    return i > 0 && s->tokens[i].kind == TK_PUNCT && (s->tokens[i].cp == 0x2019 || s->tokens[i].cp == '\'') &&
           s->tokens[i].start == s->tokens[i - 1].end;
}

static inline int ends_with(const sentence_state *s, size_t i, const char *suffix)
{
    const token *t = &s->tokens[i];
    size_t n = strlen(suffix);
    return t->end - t->start > n && memcmp(s->text + t->end - n, suffix, n) == 0;
}

static inline int is_cap_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && (t->flags & TF_CAP);
}

/* A lower-case word that belongs in a name phrase as a title or role
 * ("alliance chief Jens Larsen", "the foreign minister"). */
static inline int role_part(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && !(t->flags & TF_CAP) &&
           (tok_in(s, i, ST_WORDS_ROLE) || tok_in(s, i, ST_WORDS_TITLE));
}

/* "spokesman", "spokeswoman", "spokesperson": a word for the voice of
 * a body, never a source of its own. */
static inline int st_rd_spokes_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return tok_len(t) > 6 && memcmp(s->text + t->start, "spokes", 6) == 0;
}

static inline __attribute__((always_inline)) int is_determiner(const sentence_state *s, size_t i)
{
    /* Asked of nearly every token: compares of the packed bytes, picked
     * by the first byte (most tokens start with none of a, h, i, t, and
     * a word that does meets two compares at most). */
    uint64_t w = s->tokens[i].w8;
    switch ((unsigned char)w) {
    case 'a':
        return w == LIT8("a") || w == LIT8("an");
    case 'h':
        return w == LIT8("his") || w == LIT8("her");
    case 'i':
        return w == LIT8("its");
    case 't':
        return w == LIT8("the") || w == LIT8("their");
    default:
        return 0;
    }
}

/* A lower-case institution word ("the coast guard", "the rebel group")
 * or noun for a kind of body ("the utility", "the regional bloc"): it
 * can only stand for a body the article has named. */
static inline int org_head_word(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    return t->kind == TK_WORD && (t->flags & TF_LOWER) &&
           (tok_in(s, i, ST_WORDS_ORG_HEAD) || tok_in(s, i, ST_WORDS_BODY_KIND)) && !role_part(s, i);
}

/* A speech verb used as a verb, not as a noun ("that warning", "a call").
 * Asked of nearly every token: the list bit (0 for anything but a word)
 * turns most away inline. */
static inline int is_speech_verb(const sentence_state *s, size_t i)
{
    const token *t = &s->tokens[i];
    if (!(t->lists & (ST_LIST_BIT(ST_WORDS_SPEECH_VERB))) || t->kind != TK_WORD || !(t->flags & TF_LOWER))
        return 0;
    return st_rd_speech_verb_use(s, i);
}

/* "who", "which": a relative clause opens here. */
static inline int relative_pronoun(const sentence_state *s, size_t i)
{
    return tok_is(s, i, "who") || tok_is(s, i, "which");
}

#endif
