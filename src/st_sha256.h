/*
 * st_sha256.h - SHA-256 (FIPS 180-4), for the checksums of a model
 * bundle.  Internal to libstance; never installed.
 *
 *     st_sha256 ctx;
 *     st_sha256_init(&ctx);
 *     st_sha256_update(&ctx, bytes, n);   as often as needed
 *     st_sha256_final(&ctx, digest);       32 bytes
 *
 * st_sha256_hex writes the 64 lowercase hex digits and a NUL.
 */
#ifndef ST_SHA256_H
#define ST_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define ST_SHA256_DIGEST_SIZE 32
#define ST_SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

typedef struct st_sha256 {
    uint32_t state[8];
    uint64_t length;        /* bytes hashed so far */
    unsigned char block[64];
    size_t used;            /* bytes waiting in block */
} st_sha256;

void st_sha256_init(st_sha256 *ctx);
void st_sha256_update(st_sha256 *ctx, const void *data, size_t size);
void st_sha256_final(st_sha256 *ctx, unsigned char digest[ST_SHA256_DIGEST_SIZE]);

/* The digest of data[0..size) as 64 lowercase hex digits in hex[0..65). */
void st_sha256_hex(const void *data, size_t size, char hex[ST_SHA256_HEX_SIZE]);
/* Formats a digest as hex. */
void st_sha256_to_hex(const unsigned char digest[ST_SHA256_DIGEST_SIZE], char hex[ST_SHA256_HEX_SIZE]);

#endif /* ST_SHA256_H */
