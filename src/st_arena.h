/*
 * st_arena.h - a bump allocator for the many small strings one article
 * makes (entity names, role lists, index keys, mentions): one malloc per
 * few kilobytes instead of one per string, and one free of the chunks when
 * the article goes.  Internal to libstance.
 *
 * The arena owns every block it hands out; blocks are never freed one by
 * one and stay put (chunks never move), so pointers into them live as long
 * as the arena.  Zero-initialise; release with st_arena_free.  The
 * article's per-quote and per-sentence arrays come from it too
 * (st_arena_calloc).
 */
#ifndef ST_ARENA_H
#define ST_ARENA_H

#include <stddef.h>

typedef struct st_arena_chunk st_arena_chunk;

typedef struct st_arena {
    st_arena_chunk *chunks; /* newest first */
    char *next;             /* free bytes of the newest chunk */
    size_t left;
} st_arena;

/* n bytes (n > 0), unaligned (strings only); NULL when out of memory. */
char *st_arena_alloc(st_arena *arena, size_t n);
/* count * size zeroed bytes aligned for any object (arrays); NULL when
 * out of memory or when the size overflows. */
void *st_arena_calloc(st_arena *arena, size_t count, size_t size);
/* A NUL-terminated copy of s[0..n); NULL when out of memory. */
char *st_arena_strndup(st_arena *arena, const char *s, size_t n);
void st_arena_free(st_arena *arena);

#endif
