/* sha256.c - SHA-256 as specified in FIPS 180-4, section 6.2. */
#include <string.h>

#include "ideabank/hash.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define S0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define S1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
/* One round with the working variables named in place, so eight rounds in a row rotate
 * the names instead of moving eight values each round (every content hash of an
 * import goes through here: a fifth of its instructions before). */
#define ROUND(a, b, c, d, e, f, g, h, i)                                                   \
	do {                                                                               \
		uint32_t t1 = (h) + S1(e) + CH(e, f, g) + K[i] + w[i];                      \
		(d) += t1;                                                                 \
		(h) = t1 + S0(a) + MAJ(a, b, c);                                           \
	} while (0)

static void compress(uint32_t hs[8], const unsigned char *blk)
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)blk[4 * t] << 24 | (uint32_t)blk[4 * t + 1] << 16 |
		       (uint32_t)blk[4 * t + 2] << 8 | (uint32_t)blk[4 * t + 3];
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	uint32_t a = hs[0], b = hs[1], c = hs[2], d = hs[3], e = hs[4], f = hs[5], g = hs[6],
		 h = hs[7];
	for (int t = 0; t < 64; t += 8) {
		ROUND(a, b, c, d, e, f, g, h, t);
		ROUND(h, a, b, c, d, e, f, g, t + 1);
		ROUND(g, h, a, b, c, d, e, f, t + 2);
		ROUND(f, g, h, a, b, c, d, e, t + 3);
		ROUND(e, f, g, h, a, b, c, d, t + 4);
		ROUND(d, e, f, g, h, a, b, c, t + 5);
		ROUND(c, d, e, f, g, h, a, b, t + 6);
		ROUND(b, c, d, e, f, g, h, a, t + 7);
	}
	hs[0] += a;
	hs[1] += b;
	hs[2] += c;
	hs[3] += d;
	hs[4] += e;
	hs[5] += f;
	hs[6] += g;
	hs[7] += h;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#include <pthread.h>

/* compress() for n blocks with the CPU's SHA extensions (Intel SHA-NI), about ten
 * times faster; the same digest. */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_ni(uint32_t hs[8],
								    const unsigned char *blk,
								    size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&hs[0]), 0xB1);
	__m128i st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&hs[4]), 0x1B);
	__m128i st0 = _mm_alignr_epi8(tmp, st1, 8); /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);	     /* CDGH */
	for (; n > 0; n--, blk += 64) {
		__m128i save0 = st0, save1 = st1, w[16];
		for (int j = 0; j < 4; j++)
			w[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blk + 16 * j)),
						bswap);
		for (int j = 4; j < 16; j++) {
			__m128i t = _mm_sha256msg1_epu32(w[j - 4], w[j - 3]);
			t = _mm_add_epi32(t, _mm_alignr_epi8(w[j - 1], w[j - 2], 4));
			w[j] = _mm_sha256msg2_epu32(t, w[j - 1]);
		}
		for (int j = 0; j < 16; j++) {
			__m128i m =
			    _mm_add_epi32(w[j], _mm_loadu_si128((const __m128i *)&K[4 * j]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, m);
			st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0E));
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);
	st1 = _mm_shuffle_epi32(st1, 0xB1);
	_mm_storeu_si128((__m128i *)&hs[0], _mm_blend_epi16(tmp, st1, 0xF0));
	_mm_storeu_si128((__m128i *)&hs[4], _mm_alignr_epi8(st1, tmp, 8));
}

static pthread_once_t ni_once = PTHREAD_ONCE_INIT;
static int ni_known;

static void ni_ask(void)
{
	unsigned a, b, c, d;
	int ok = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_1) && (c & bit_SSSE3);
	ok = ok && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
	ni_known = ok;
}

/* 1 when the CPU has SHA-NI, SSE4.1 and SSSE3; asked once per process. */
static int have_ni(void)
{
	pthread_once(&ni_once, ni_ask);
	return ni_known;
}
#else
static int have_ni(void)
{
	return 0;
}
#define compress_ni(hs, blk, n) ((void)0)
#endif

/* compress() over n whole blocks at blk. */
static void compress_blocks(uint32_t hs[8], const unsigned char *blk, size_t n)
{
	if (have_ni()) {
		compress_ni(hs, blk, n);
		return;
	}
	for (; n > 0; n--, blk += 64)
		compress(hs, blk);
}

void ib_sha256_init(ib_sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, iv, sizeof iv);
	c->len = 0;
	c->fill = 0;
}

void ib_sha256_update(ib_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->len += n;
	if (c->fill) {
		size_t take = 64 - c->fill;
		if (take > n)
			take = n;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill < 64)
			return;
		compress_blocks(c->h, c->block, 1);
		c->fill = 0;
	}
	/* whole blocks straight from the input */
	compress_blocks(c->h, p, n / 64);
	p += n / 64 * 64;
	n %= 64;
	memcpy(c->block, p, n);
	c->fill = n;
}

void ib_sha256_hex_final(ib_sha256 *c, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t bits = c->len * 8;
	/* 0x80, zeros up to 56 bytes into a block, the length in bits big-endian */
	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, 64 - c->fill);
		compress_blocks(c->h, c->block, 1);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress_blocks(c->h, c->block, 1);
	for (int i = 0; i < 8; i++)
		for (int k = 0; k < 8; k++)
			hex[8 * i + k] = digits[(c->h[i] >> (28 - 4 * k)) & 0xF];
	hex[64] = '\0';
}

void ib_sha256_hex(const void *data, size_t n, char hex[65])
{
	ib_sha256 c;
	ib_sha256_init(&c);
	ib_sha256_update(&c, data, n);
	ib_sha256_hex_final(&c, hex);
}
