/* st_arena.c - the bump allocator of st_arena.h. */
#include "st_arena.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Room for the strings of a typical article in the first chunk. */
enum { ARENA_CHUNK = 4096 };

struct st_arena_chunk {
    st_arena_chunk *older;
    max_align_t align; /* the bytes start here, aligned for any object */
};
#define CHUNK_HEADER offsetof(st_arena_chunk, align)

char *st_arena_alloc(st_arena *arena, size_t n)
{
    if (n > arena->left) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (size > (size_t)-1 - CHUNK_HEADER)
            return NULL;
        st_arena_chunk *c = malloc(CHUNK_HEADER + size);
        if (!c)
            return NULL;
        c->older = arena->chunks;
        arena->chunks = c;
        arena->next = (char *)c + CHUNK_HEADER;
        arena->left = size;
    }
    char *p = arena->next;
    arena->next += n;
    arena->left -= n;
    return p;
}

void *st_arena_calloc(st_arena *arena, size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        return NULL;
    size_t n = count * size;
    if (n == 0)
        n = 1;
    /* Skip to the next aligned byte; a fresh chunk starts aligned. */
    size_t pad = (size_t)(-(uintptr_t)arena->next & (_Alignof(max_align_t) - 1));
    if (arena->chunks && pad <= arena->left && n <= arena->left - pad) {
        arena->next += pad;
        arena->left -= pad;
    } else {
        arena->left = 0; /* st_arena_alloc starts a new chunk */
    }
    void *p = st_arena_alloc(arena, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *st_arena_strndup(st_arena *arena, const char *s, size_t n)
{
    if (n == (size_t)-1)
        return NULL;
    char *p = st_arena_alloc(arena, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void st_arena_free(st_arena *arena)
{
    st_arena_chunk *c = arena->chunks;
    while (c) {
        st_arena_chunk *older = c->older;
        free(c);
        c = older;
    }
    memset(arena, 0, sizeof *arena);
}
