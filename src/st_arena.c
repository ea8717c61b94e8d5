/* st_arena.c - the bump allocator of st_arena.h. */
#include "st_arena.h"

#include <stdlib.h>
#include <string.h>

/* Room for the strings of a typical article in the first chunk. */
enum { ARENA_CHUNK = 4096 };

struct st_arena_chunk {
    st_arena_chunk *older;
    /* the bytes follow */
};

char *st_arena_alloc(st_arena *arena, size_t n)
{
    if (n > arena->left) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (size > (size_t)-1 - sizeof(st_arena_chunk))
            return NULL;
        st_arena_chunk *c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->older = arena->chunks;
        arena->chunks = c;
        arena->next = (char *)(c + 1);
        arena->left = size;
    }
    char *p = arena->next;
    arena->next += n;
    arena->left -= n;
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
