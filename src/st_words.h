/*
 * st_words.h - closed word lists the reader needs to find speakers:
 * speech verbs, titles and roles, heads of institution names, places,
 * and words that are never names.  Internal to libstance.
 *
 * Every lookup takes a word as bytes (not NUL-terminated) and compares
 * ASCII case-insensitively, so "Minister" and "minister" are one entry.
 */
#ifndef ST_WORDS_H
#define ST_WORDS_H

#include <stddef.h>
#include <stdint.h>

typedef enum st_word_list {
    ST_WORDS_SPEECH_VERB,   /* said, told, warned, ... (every inflection) */
    ST_WORDS_VERBISH,       /* other common finite verbs and auxiliaries */
    ST_WORDS_AUX_ADVERB,    /* words that may sit between a subject and its verb */
    ST_WORDS_TITLE,         /* words that form a title before a name: President, Minister, Gen. */
    ST_WORDS_ROLE,          /* role nouns that can stand for a person: minister, spokeswoman */
    ST_WORDS_ORG_HEAD,      /* heads of institution names: Ministry, Department, Kremlin */
    ST_WORDS_PLACE,         /* countries, capitals and regions (used for governments) */
    ST_WORDS_NATIONALITY,   /* Russian, U.S., Ukrainian: adjectives before titles */
    ST_WORDS_NOT_NAME,      /* capitalised words that never name anyone: days, months, But */
    ST_WORDS_PREPOSITION,   /* with, to, against: what follows is not a subject */
    ST_WORDS_NAME_PARTICLE, /* de, van, al, bin: lowercase parts of names */
    ST_WORDS_BODY_KIND,     /* utility, airline, bloc: common nouns for a kind of body */
    ST_WORDS_COMPANY_SUFFIX, /* Corp, Ltd, AG: a company's legal form after its name */
    ST_WORDS_HONORIFIC,     /* Datuk, Tun, Haji: a conferred rank before a Malay name */
    ST_WORDS_HONORIFIC_RANK, /* Tan, Sri, Seri: a rank word that is also a name */
    ST_WORDS_DOCUMENT,      /* complaint, letter, ruling: a document speaking for its owner */
    ST_WORDS_NAME_LINK,     /* für, pour, do: a foreign word joining a body's name */
    ST_WORDS_RECORD,        /* maps, figures, estimates: records a capitalised word qualifies */
    ST_WORDS_SERVICE,       /* Navy, Army (and two-word Coast Guard, Air Force): armed services */
    ST_WORDS_REGION,        /* region, province, oblast: a kind of place in a state */
    ST_WORDS_DESCENT,       /* bin, ibn, bint: a particle of descent in a name */
    ST_WORDS_ARTICLE_PLACE, /* Hague, Gambia: places named with "the" */
    ST_WORDS_COLLECTIVE,    /* group, movement: a word referring back to a named group */
    ST_WORDS_ISSUED_DOCUMENT, /* statement, communique: a document speaking with no owner named */
    ST_WORDS_SINGULAR_OPENER,/* a, an, any, every: opens a phrase naming one thing */
    ST_WORDS_QUANTIFIER,    /* each, no, this, our: opens a noun phrase, not one thing */
    ST_WORDS_DAY_OPENER,    /* on, last, this: before a day name, a time */
    ST_WORDS_NAMING_VERB,   /* calls, dubbed, termed: a verb of naming */
    ST_WORDS_CALL_FORM,     /* call, called: "call off" says nothing */
    ST_WORDS_PASSIVE_BE,    /* been, was, is: "was told" is passive */
    ST_WORDS_RETOLD_AUX,    /* would, could, had: an act to come or gone by */
    ST_WORDS_IRREGULAR_SPEECH_PAST,/* said, told, wrote, read: pasts with no -ed */
    ST_WORDS_RANK,          /* general, colonel, lieutenant: military ranks, no office */
    ST_WORDS_TIME_OPENER,   /* Late, Early, Hours: open a time phrase ("Late on Tuesday") */
    ST_WORDS_COMPASS,       /* Eastern, Southern, Central: a region inside a body's name */
    ST_WORDS_FIELD_MODIFIER,/* Public, National, Rural: opens a field of a portfolio */
    ST_WORDS_SEAT_HEAD,     /* Embassy, Delegation, Mission: a body named with its place ("Embassy in Quito") */
    ST_WORDS_HEARER_VERB,   /* told, asked, warned: a passive's subject heard the words */
    ST_WORDS_NAME_TITLE,    /* Prince, Emir, Sheikh: a title the person's name keeps */
    ST_WORDS_CAP_ORG_HEAD,  /* Order: an institution word only when capitalised */
    ST_WORDS_DIVISION,      /* Article, Section, Rule: a text's division a number names */
    ST_WORDS_COUNT
} st_word_list;

/* A set of lists, a bit each (ST_LIST_BIT): 64 bits, as the lists have
 * outgrown 32 (scripts/gen-words.py checks the bound). */
typedef uint64_t st_list_bits;
#define ST_LIST_BIT(list) ((st_list_bits)1 << (list))

/* Every list holding word[0..len), as bits (ST_LIST_BIT). */
st_list_bits st_words_lists(const char *word, size_t len);

/* Non-zero when word[0..len) is in the list. */
int st_words_has(st_word_list list, const char *word, size_t len);

/* Non-zero when the two words w1[0..n1) w2[0..n2) are one of the list's
 * two-word entries ("Coast Guard" in ST_WORDS_SERVICE).  A list holds
 * such entries apart from its single words: st_words_has and
 * st_words_lists never see them, and a word of a pair is in no list for
 * being there. */
int st_words_has_pair(st_word_list list, const char *w1, size_t n1, const char *w2, size_t n2);

/* The country a capital or other seat of government stands for, e.g.
 * "Tehran" -> "Iran"; NULL when the word is not such a seat. */
const char *st_words_capital_country(const char *word, size_t len);

#endif
