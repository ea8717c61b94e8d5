/*
 * st_article_entities.c - the article's entities (people and bodies) and
 * the index that finds them by name, surname, acronym and role word, so
 * that a later mention ("Diallo", "the minister") resolves to the entity
 * an earlier one created.  Part of the article reader (st_article.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_article_int.h"

/* ------------------------------------------------------------------ */
/* Entities                                                            */

/* FNV-1a, one byte at a time as st_rd_make_key writes the key. */
#define KEY_HASH_SEED ((size_t)1469598103934665603u)
#define KEY_HASH_STEP(h, c) (((h) ^ (unsigned char)(c)) * (size_t)1099511628211u)

static index_slot *index_find(const name_index *ix, const index_key *key)
{
    if (!ix->capacity)
        return NULL;
    size_t mask = ix->capacity - 1;
    for (size_t i = key->hash & mask;; i = (i + 1) & mask) {
        index_slot *slot = &ix->slots[i];
        if (!slot->key)
            return NULL;
        /* Keys hold no NUL: equal bytes up to len and a NUL there
         * (strncmp stops at a shorter key's end, memcmp might not). */
        if (slot->hash == (uint32_t)key->hash && strncmp(slot->key, key->buf.data, key->buf.len) == 0 &&
            slot->key[key->buf.len] == '\0')
            return slot;
    }
}

int st_rd_index_get(const name_index *ix, const index_key *key)
{
    const index_slot *slot = index_find(ix, key);
    return slot ? slot->value : -1;
}

/*
 * Maps key to value: replaces an existing value when `replace`, else
 * leaves it.  *old (may be NULL) gets the value the key had, -1 when it
 * was new.  One probe sequence for what st_rd_index_get + index_put did.
 */
static st_status index_set(name_index *ix, st_arena *arena, const index_key *key, int value, int replace, int *old)
{
    index_slot *found = index_find(ix, key);
    if (old)
        *old = found ? found->value : -1;
    if (found) {
        if (replace)
            found->value = value;
        return ST_OK;
    }
    if ((ix->count + 1) * 2 > ix->capacity) {
        size_t cap = ix->capacity ? ix->capacity * 2 : 64;
        index_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return ST_ERR_NOMEM;
        for (size_t i = 0; i < ix->capacity; i++) {
            if (!ix->slots[i].key)
                continue;
            size_t j = ix->slots[i].hash & (cap - 1);
            while (slots[j].key)
                j = (j + 1) & (cap - 1);
            slots[j] = ix->slots[i];
        }
        free(ix->slots);
        ix->slots = slots;
        ix->capacity = cap;
    }
    char *copy = st_arena_strndup(arena, key->buf.data, key->buf.len);
    if (!copy)
        return ST_ERR_NOMEM;
    size_t j = key->hash & (ix->capacity - 1);
    while (ix->slots[j].key)
        j = (j + 1) & (ix->capacity - 1);
    ix->slots[j].key = copy;
    ix->slots[j].hash = (uint32_t)key->hash;
    ix->slots[j].value = value;
    ix->count++;
    return ST_OK;
}

static st_status index_put(name_index *ix, st_arena *arena, const index_key *key, int value)
{
    return index_set(ix, arena, key, value, 1, NULL);
}

void st_rd_index_free(name_index *ix)
{
    free(ix->slots); /* the keys are the arena's */
    memset(ix, 0, sizeof *ix);
}

/* Builds "p:name" style keys, lower-cased, in a scratch buffer. */
st_status st_rd_make_key(index_key *key, char kind, const char *s, size_t n)
{
    st_buf *buf = &key->buf;
    if (buf->cap < n + 3) {
        buf->len = 0;
        st_status st = st_buf_reserve(buf, n + 3);
        if (st != ST_OK)
            return st;
    }
    char *d = buf->data;
    d[0] = kind;
    d[1] = ':';
    size_t h = KEY_HASH_SEED;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = st_rd_ascii_lower[(unsigned char)s[i]];
        d[i + 2] = (char)c;
        h = KEY_HASH_STEP(h, c);
    }
    buf->len = n + 2;
    d[buf->len] = '\0';
    key->name_hash = h;
    key->hash = KEY_HASH_STEP(h, kind);
    return ST_OK;
}

/* The same name under another kind ("p:lam" -> "f:lam"). */
void st_rd_key_set_kind(index_key *key, char kind)
{
    key->buf.data[0] = kind;
    key->hash = KEY_HASH_STEP(key->name_hash, kind);
}

/* Is the name word w[0..n) one that news style drops on a second
 * reference's behalf: a lower-case particle ("de", "la"), a capitalised
 * one ("Ould", "Abu") or an initial ("W.")? */
static int no_short_form(const char *w, size_t n)
{
    if (n < 2 || w[n - 1] == '.' || (*w >= 'a' && *w <= 'z'))
        return 1;
    return st_words_has(ST_WORDS_NAME_PARTICLE, w, n);
}

/* The word before the run of particles that ends at `w` in `name`
 * ("Menjívar" in "Claudia Menjívar de Ayala"), its length in *wl; or
 * `name` itself when no word stands before the run or that word opens
 * the name (the first name in "Lotte van der Kamp"), so no short form. */
static const char *before_particles(const char *name, const char *w, size_t *wl)
{
    for (int runs = 0; runs < 3 && w > name; runs++) {
        const char *end = w - 1, *b = end;
        while (b > name && b[-1] != ' ')
            b--;
        *wl = (size_t)(end - b);
        if (!st_words_has(ST_WORDS_NAME_PARTICLE, b, *wl))
            return b > name ? b : name;
        w = b;
    }
    return name;
}

/* "Mohd Hafizuddin bin Abdul Rahim" ... "Hafizuddin said": Malay and
 * Arabic names are shortened to the given name, the word right before
 * the particle of descent, not to the father's name after it; where a
 * prefix ("Mohd", "Sheikh Hamad") stands before the given name, that
 * word is no first word and needs its own key ('v', as the short forms
 * below).  Asked only for a name of four words or more; the first
 * particle of descent after the second word is the one.  Where the
 * given name is of two words or more ("Hairul Nizam bin Abdul Rahman",
 * then "Hairul Nizam told"), news shortens the name to all of them:
 * the words before the particle are a key of their own ('g', asked by
 * resolve_named only for a name of two words that finds no one). */
static st_status index_given_before_descent(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name;
    const char *prev = NULL, *w = strchr(name, ' ');
    for (size_t words = 1; w; words++) {
        const char *q = w + 1;
        w = strchr(q, ' ');
        if (!w)
            break; /* a particle must have the father's name after it */
        if (words >= 2 && st_words_has(ST_WORDS_DESCENT, q, (size_t)(w - q))) {
            size_t pl = (size_t)(q - 1 - prev);
            if (no_short_form(prev, pl))
                return ST_OK;
            st_status st = st_rd_make_key(key, 'v', prev, pl);
            if (st == ST_OK)
                st = index_put(&a->index, &a->arena, key, id);
            if (st == ST_OK && prev > name && (st = st_rd_make_key(key, 'g', name, (size_t)(q - 1 - name))) == ST_OK) {
                a->given_name_runs++;
                st = index_put(&a->index, &a->arena, key, id);
            }
            return st;
        }
        prev = q;
    }
    return ST_OK;
}

/*
 * Indexes (key 'v') the short forms news style uses on second reference
 * for a person whose surname (`sur`, the last word) alone does not
 * cover them:
 *  - the first of two surnames, the word before the last of a name of
 *    three words or more ("Cordero" for "Rafael Cordero Peña", "Mwamba"
 *    for "Jean-Claude Mwamba Kasongo");
 *  - a surname without the particle joined to it ("Jubouri" for "Abbas
 *    al-Jubouri");
 *  - the surname before a particle and a husband's or second surname
 *    ("Menjívar" for "Claudia Menjívar de Ayala").
 * find_person asks these only for a lone word that is no known surname
 * or family name, so a full name never meets them and two people who
 * share a word are never merged through them.  The latest person wins,
 * as for surnames.
 */
static st_status index_short_forms(st_article *a, index_key *key, int id, const char *sur, size_t sl)
{
    const char *name = a->entities[id].name;
    st_status st = ST_OK;
    const char *prev = sur - 1; /* the space before the surname */
    const char *w = prev;
    while (w > name && w[-1] != ' ')
        w--;
    size_t wl = (size_t)(prev - w);
    if (w > name && st_words_has(ST_WORDS_NAME_PARTICLE, w, wl))
        w = before_particles(name, w, &wl);
    if (w > name && !no_short_form(w, wl) && (st = st_rd_make_key(key, 'v', w, wl)) == ST_OK)
        st = index_put(&a->index, &a->arena, key, id);
    const char *hy = memchr(sur, '-', sl);
    if (st == ST_OK && hy && hy + 1 < sur + sl && st_words_has(ST_WORDS_NAME_PARTICLE, sur, (size_t)(hy - sur)) &&
        (st = st_rd_make_key(key, 'v', hy + 1, (size_t)(sur + sl - hy - 1))) == ST_OK)
        st = index_put(&a->index, &a->arena, key, id);
    return st;
}

/* The name after an owner's possessive ("South Korea's Joint Chiefs of
 * Staff" -> "Joint Chiefs of Staff"), or the whole name. */
static const char *past_owner(const char *name)
{
    const char *poss = strstr(name, "\xe2\x80\x99s ");
    const char *plain = strstr(name, "'s ");
    if (!poss || (plain && plain < poss))
        poss = plain;
    return poss ? strchr(poss, ' ') + 1 : name;
}

/* The first " of ", " for ", " in " or " on " in name, or NULL: where
 * a body's short name ends ("International Court" of "International
 * Court of Justice"; "EU delegation" of "EU delegation in Chisinau",
 * seat_after; "Intergovernmental Authority" of "... on Development",
 * serves_on).  One pass over the name's spaces. */
static const char *first_link_word(const char *name)
{
    for (const char *p = strchr(name, ' '); p; p = strchr(p + 1, ' ')) {
        if ((p[1] == 'o' && (p[2] == 'f' || p[2] == 'n') && p[3] == ' ') ||
            (p[1] == 'i' && p[2] == 'n' && p[3] == ' ') ||
            (p[1] == 'f' && p[2] == 'o' && p[3] == 'r' && p[4] == ' '))
            return p;
    }
    return NULL;
}

/* The name after a nationality opening it ("High Commission" of "French
 * High Commission"), when two words or more follow; else the name. */
static const char *past_nationality(const char *name)
{
    const char *sp = strchr(name, ' ');
    if (!sp || !strchr(sp + 1, ' ') || !st_words_has(ST_WORDS_NATIONALITY, name, (size_t)(sp - name)))
        return name;
    return sp + 1;
}

/* Indexes the initials of the capitalised words of name[0..len) under
 * body id ("Rapid Support Forces" -> "a:rsf"), when two or more; the
 * first body with those initials keeps them. */
static st_status index_initials_of(st_article *a, index_key *key, int id, const char *name, size_t len)
{
    st_buf initials = {0};
    st_status st = ST_OK;
    for (size_t k = 0; st == ST_OK && k < len; k++)
        if ((k == 0 || name[k - 1] == ' ') && name[k] >= 'A' && name[k] <= 'Z')
            st = st_buf_push(&initials, name[k]);
    if (st == ST_OK && initials.len >= 2 && (st = st_rd_make_key(key, 'a', initials.data, initials.len)) == ST_OK)
        st = index_set(&a->index, &a->arena, key, id, 0, NULL);
    st_buf_free(&initials);
    return st;
}

/* Indexes a body's initials, so that the acronym the story goes on
 * with finds the full name as first given.  A name that opens on its
 * owner and lower-case words ("Malawi's opposition Democratic
 * Progressive Party", then "the DPP said") is indexed by the initials
 * of its own words too: the acronym spells the body, not its country
 * or what it is to it. */
static st_status index_initials(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name, *own = past_owner(name);
    st_status st = index_initials_of(a, key, id, name, strlen(name));
    while (own != name && *own >= 'a' && *own <= 'z' && strchr(own, ' '))
        own = strchr(own, ' ') + 1;
    if (st == ST_OK && own != name)
        st = index_initials_of(a, key, id, own, strlen(own));
    return st;
}

/* A body is also called without its owner or its nationality and by
 * the words before its "of", "for" or "on" ("the Joint Chiefs" for
 * "South Korea's Joint Chiefs of Staff", "the High Commission" for "the
 * French High Commission", "the International Court" for "International
 * Court of Justice"): both index it, when the short name has two words
 * or more and no body holds it yet.  The first "of" or "for" is meant,
 * not the last ("Treatment of Prisoners of War"). */
static st_status index_short_names(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name, *rest = past_owner(name);
    st_status st = ST_OK;
    if (rest == name)
        rest = past_nationality(name);
    if (rest != name && (st = st_rd_make_key(key, 'o', rest, strlen(rest))) == ST_OK)
        st = index_set(&a->index, &a->arena, key, id, 0, NULL);
    const char *of = first_link_word(rest);
    if (st == ST_OK && of && memchr(rest, ' ', (size_t)(of - rest)) &&
        (st = st_rd_make_key(key, 'o', rest, (size_t)(of - rest))) == ST_OK)
        st = index_set(&a->index, &a->arena, key, id, 0, NULL);
    return st;
}

/* A company is called without its legal form on later references
 * ("Arvo Mining" for "Arvo Mining Ltd", "Tien Shan Gold" for "Tien Shan
 * Gold Corp"): the name before a capitalised last word of that list
 * indexes it too, when no body holds it yet. */
static st_status index_without_legal_form(st_article *a, index_key *key, int id)
{
    const char *name = a->entities[id].name;
    const char *sp = strrchr(name, ' ');
    if (!sp || !(sp[1] >= 'A' && sp[1] <= 'Z') || !st_words_has(ST_WORDS_COMPANY_SUFFIX, sp + 1, strlen(sp + 1)))
        return ST_OK;
    a->legal_form_bodies++;
    st_status st = st_rd_make_key(key, 'o', name, (size_t)(sp - name));
    return st == ST_OK ? index_set(&a->index, &a->arena, key, id, 0, NULL) : st;
}

/* `key` is scratch space for index keys (the reader's, reused). */
st_status st_rd_add_entity(st_article *a, index_key *key, int kind, const char *name, size_t len,
                            size_t name_tokens, int *out)
{
    if (a->entity_count == a->entity_capacity) {
        void *items = a->entities;
        st_status st = st_grow(&items, &a->entity_capacity, a->entity_count, sizeof(entity));
        if (st != ST_OK)
            return st;
        a->entities = items;
    }
    entity *e = &a->entities[a->entity_count];
    memset(e, 0, sizeof *e);
    e->name = st_arena_strndup(&a->arena, name, len);
    if (!e->name)
        return ST_ERR_NOMEM;
    e->roles = " ";
    e->kind = kind;
    e->name_tokens = name_tokens;
    e->prev_same = -1;
    int id = (int)a->entity_count++;
    *out = id;
    /* Index the new entity: persons by surname, institutions by name. */
    st_status st;
    if (kind == ENT_PERSON) {
        size_t sl;
        const char *sur = st_rd_last_word(e->name, &sl);
        st = st_rd_make_key(key, 'p', sur, sl);
        if (st == ST_OK)
            st = index_set(&a->index, &a->arena, key, id, 1, &e->prev_same);
        /* Names written family name first ("Lam Wai-keung" ... "Lam"):
         * the first word finds the person too. */
        const char *sp = memchr(e->name, ' ', len);
        if (st == ST_OK && sp && (st = st_rd_make_key(key, 'f', e->name, (size_t)(sp - e->name))) == ST_OK)
            st = index_set(&a->index, &a->arena, key, id, 0, NULL);
        if (st == ST_OK && sp)
            st = index_short_forms(a, key, id, sur, sl);
        if (st == ST_OK && name_tokens >= 4)
            st = index_given_before_descent(a, key, id);
    } else {
        st = st_rd_make_key(key, 'o', e->name, len);
        if (st == ST_OK)
            st = index_put(&a->index, &a->arena, key, id);
        if (st == ST_OK)
            st = index_initials(a, key, id);
        if (st == ST_OK)
            st = index_short_names(a, key, id);
        if (st == ST_OK)
            st = index_without_legal_form(a, key, id);
        /* By its last word, for "the union" when its president holds
         * that word as a role (resolve_role). */
        size_t wl;
        const char *w = st_rd_last_word(e->name, &wl);
        if (st == ST_OK && (st = st_rd_make_key(key, 'l', w, wl)) == ST_OK)
            st = index_put(&a->index, &a->arena, key, id);
    }
    return st;
}

int st_rd_has_role(const entity *e, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = e->roles; (p = strstr(p, role)) != NULL; p++) {
        if (p[-1] == ' ' && p[n] == ' ')
            return 1;
    }
    return 0;
}

/* Abbreviated titles stand for the same role as the full word, so that
 * "Gov. Ortega" and "the governor" meet. */
const char *st_rd_role_key(const char *word)
{
    static const char *const pairs[][2] = {
        {"adm.", "admiral"}, {"amb.", "ambassador"}, {"brig.", "brigadier"}, {"capt.", "captain"},
        {"cmdr.", "commander"}, {"insp.", "inspector"}, {"supt.", "superintendent"},
        {"col.", "colonel"}, {"gen.", "general"}, {"gov.", "governor"}, {"lt.", "lieutenant"},
        {"maj.", "major"}, {"pres.", "president"}, {"prof.", "professor"}, {"rep.", "representative"},
        {"sen.", "senator"}, {"sgt.", "sergeant"}, {"spokesman", "spokesperson"},
        {"spokeswoman", "spokesperson"}, {"chairman", "chair"}, {"chairwoman", "chair"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (word[0] == pairs[i][0][0] && strcmp(word, pairs[i][0]) == 0) /* first bytes first: no call */
            return pairs[i][1];
    return word;
}

/* What a title says of a person's gender, for he/she: 1 male, 2 female. */
static int title_gender(const char *word)
{
    static const char *const male[] = {"mr.", "mr", "spokesman", "chairman", "congressman", "king", "prince",
                                       "sir", "lord", "father", "brother", "emir", "sheikh"};
    static const char *const female[] = {"mrs.", "mrs", "ms.", "ms", "miss", "spokeswoman", "chairwoman",
                                         "congresswoman", "queen", "princess", "lady", "dame", "sister"};
    for (size_t i = 0; i < sizeof male / sizeof male[0]; i++)
        if (word[0] == male[i][0] && strcmp(word, male[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof female / sizeof female[0]; i++)
        if (word[0] == female[i][0] && strcmp(word, female[i]) == 0)
            return 2;
    return 0;
}

/* The noun a portfolio's holder goes by, for a portfolio word (lower
 * case), or NULL: Commonwealth copy names the "Minister for Treasury" or
 * "Treasury Minister" once and calls the holder "the treasurer" after,
 * as it calls the holder of a ministry "the minister". */
const char *st_rd_portfolio_holder(const char *field)
{
    return strcmp(field, "treasury") == 0 ? "treasurer" : NULL;
}

/* Gives entity `id` a role word and makes it the latest holder of it.
 * A person given a portfolio's word ("Treasury Minister X") is also the
 * holder the portfolio's noun names (st_rd_portfolio_holder); a body
 * named "Treasury" is no treasurer. */
st_status st_rd_add_role(st_article *a, index_key *key, int id, const char *role)
{
    entity *e = &a->entities[id];
    if (!e->gender)
        e->gender = title_gender(role);
    role = st_rd_role_key(role);
    size_t n = strlen(role);
    st_status st = st_rd_make_key(key, 'r', role, n);
    if (st == ST_OK)
        st = index_put(&a->index, &a->arena, key, id);
    if (st != ST_OK)
        return st;
    const char *holder = e->kind == ENT_PERSON ? st_rd_portfolio_holder(role) : NULL;
    if (holder && (st = st_rd_add_role(a, key, id, holder)) != ST_OK)
        return st;
    if (st_rd_has_role(e, role))
        return ST_OK;
    /* A longer copy in the arena; the old one stays there unused. */
    size_t have = strlen(e->roles);
    char *grown = st_arena_alloc(&a->arena, have + n + 2);
    if (!grown)
        return ST_ERR_NOMEM;
    memcpy(grown, e->roles, have);
    memcpy(grown + have, role, n);
    grown[have + n] = ' ';
    grown[have + n + 1] = '\0';
    e->roles = grown;
    return ST_OK;
}

/* The last word of a display name (its surname). */
const char *st_rd_last_word(const char *name, size_t *len)
{
    const char *sp = strrchr(name, ' ');
    const char *w = sp ? sp + 1 : name;
    *len = strlen(w);
    return w;
}
