/* st_words_data.h - sorted word lists (see st_words_data.c). */
#ifndef ST_WORDS_DATA_H
#define ST_WORDS_DATA_H
#include <stddef.h>

#include "st_words.h"

typedef struct st_capital { const char *capital; const char *country; } st_capital;
typedef struct st_word_pairs { const char *const *pairs; size_t count; } st_word_pairs;
extern const char *const st_words_speech_verb[];
extern const size_t st_words_speech_verb_count;
extern const char *const st_words_verbish[];
extern const size_t st_words_verbish_count;
extern const char *const st_words_aux_adverb[];
extern const size_t st_words_aux_adverb_count;
extern const char *const st_words_title[];
extern const size_t st_words_title_count;
extern const char *const st_words_role[];
extern const size_t st_words_role_count;
extern const char *const st_words_org_head[];
extern const size_t st_words_org_head_count;
extern const char *const st_words_place[];
extern const size_t st_words_place_count;
extern const char *const st_words_nationality[];
extern const size_t st_words_nationality_count;
extern const char *const st_words_not_name[];
extern const size_t st_words_not_name_count;
extern const char *const st_words_preposition[];
extern const size_t st_words_preposition_count;
extern const char *const st_words_name_particle[];
extern const size_t st_words_name_particle_count;
extern const char *const st_words_body_kind[];
extern const size_t st_words_body_kind_count;
extern const char *const st_words_company_suffix[];
extern const size_t st_words_company_suffix_count;
extern const char *const st_words_honorific[];
extern const size_t st_words_honorific_count;
extern const char *const st_words_honorific_rank[];
extern const size_t st_words_honorific_rank_count;
extern const char *const st_words_document[];
extern const size_t st_words_document_count;
extern const char *const st_words_name_link[];
extern const size_t st_words_name_link_count;
extern const char *const st_words_record[];
extern const size_t st_words_record_count;
extern const char *const st_words_service[];
extern const size_t st_words_service_count;
extern const char *const st_words_region[];
extern const size_t st_words_region_count;
extern const char *const st_words_descent[];
extern const size_t st_words_descent_count;
extern const char *const st_words_article_place[];
extern const size_t st_words_article_place_count;
extern const char *const st_words_collective[];
extern const size_t st_words_collective_count;
extern const char *const st_words_issued_document[];
extern const size_t st_words_issued_document_count;
extern const char *const st_words_singular_opener[];
extern const size_t st_words_singular_opener_count;
extern const char *const st_words_quantifier[];
extern const size_t st_words_quantifier_count;
extern const char *const st_words_day_opener[];
extern const size_t st_words_day_opener_count;
extern const char *const st_words_naming_verb[];
extern const size_t st_words_naming_verb_count;
extern const char *const st_words_call_form[];
extern const size_t st_words_call_form_count;
extern const char *const st_words_passive_be[];
extern const size_t st_words_passive_be_count;
extern const char *const st_words_retold_aux[];
extern const size_t st_words_retold_aux_count;
extern const char *const st_words_irregular_speech_past[];
extern const size_t st_words_irregular_speech_past_count;
extern const char *const st_words_rank[];
extern const size_t st_words_rank_count;
extern const char *const st_words_time_opener[];
extern const size_t st_words_time_opener_count;
extern const char *const st_words_compass[];
extern const size_t st_words_compass_count;
extern const char *const st_words_field_modifier[];
extern const size_t st_words_field_modifier_count;
extern const char *const st_words_seat_head[];
extern const size_t st_words_seat_head_count;
extern const char *const st_words_hearer_verb[];
extern const size_t st_words_hearer_verb_count;
extern const char *const st_words_name_title[];
extern const size_t st_words_name_title_count;
extern const char *const st_words_cap_org_head[];
extern const size_t st_words_cap_org_head_count;
extern const char *const st_words_division[];
extern const size_t st_words_division_count;
extern const st_word_pairs st_words_pairs[];
extern const size_t st_words_pairs_count;
extern const st_capital st_words_capitals[];
extern const size_t st_words_capitals_count;

typedef struct st_word_entry { const char *word; st_list_bits lists; } st_word_entry;
extern const st_word_entry st_words_table[];
extern const size_t st_words_table_size;

#endif
