/* hash.h - SHA-256 (FIPS 180-4), for content hashes and fetched-body provenance. */
#ifndef IDEABANK_HASH_H
#define IDEABANK_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct ib_sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char block[64];
	size_t fill;
} ib_sha256;

void ib_sha256_init(ib_sha256 *c);
void ib_sha256_update(ib_sha256 *c, const void *data, size_t n);
/* Finish and write the lowercase hex digest (64 chars + NUL) to hex. */
void ib_sha256_hex_final(ib_sha256 *c, char hex[65]);
/* One-shot: hex digest of n bytes at data. */
void ib_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
