#include "polku_hash.h"

#include <stdatomic.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

// MARK: - Portable C

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

#define SHA_CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define SHA_MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
#define SHA_BIG0(a) (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22))
#define SHA_BIG1(e) (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25))
#define SHA_SMALL0(x) (rotr(x, 7) ^ rotr(x, 18) ^ ((x) >> 3))
#define SHA_SMALL1(x) (rotr(x, 17) ^ rotr(x, 19) ^ ((x) >> 10))
// One round with the eight working variables named in their current roles: instead of
// shifting all eight each round, the next round names them one place further on.
#define SHA_ROUND(a, b, c, d, e, f, g, h, i)                                \
  do {                                                                      \
    uint32_t t1 = h + SHA_BIG1(e) + SHA_CH(e, f, g) + k[i] + w[i];          \
    d += t1;                                                                \
    h = t1 + SHA_BIG0(a) + SHA_MAJ(a, b, c);                                \
  } while (0)

// Plain C for CPUs without the SHA extensions (and for other architectures): the whole
// message schedule first, then the rounds eight at a time, so no round shifts the working
// variables or tests whether it needs a schedule word.
void polku_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
  for (; blocks > 0; blocks--, data += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) w[i] = load_be32(data + 4 * i);
    for (int i = 16; i < 64; i++) {
      w[i] = SHA_SMALL1(w[i - 2]) + w[i - 7] + SHA_SMALL0(w[i - 15]) + w[i - 16];
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i += 8) {
      SHA_ROUND(a, b, c, d, e, f, g, h, i);
      SHA_ROUND(h, a, b, c, d, e, f, g, i + 1);
      SHA_ROUND(g, h, a, b, c, d, e, f, i + 2);
      SHA_ROUND(f, g, h, a, b, c, d, e, i + 3);
      SHA_ROUND(e, f, g, h, a, b, c, d, i + 4);
      SHA_ROUND(d, e, f, g, h, a, b, c, i + 5);
      SHA_ROUND(c, d, e, f, g, h, a, b, i + 6);
      SHA_ROUND(b, c, d, e, f, g, h, a, i + 7);
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

// MARK: - x86 SHA extensions

#if defined(__x86_64__)

// Only these functions may use SHA/SSE4.1 instructions; the rest of the file is baseline
// x86-64, and they run only after cpuid said the CPU has them.
#define SHA_NI __attribute__((target("sha,sse4.1")))

// Four rounds: the state is split over two registers as ABEF and CDGH, which is what
// sha256rnds2 works on (two rounds per instruction, message + constant words in the low
// half of `wk`).
SHA_NI static inline void four_rounds(__m128i *abef, __m128i *cdgh, __m128i w, int group) {
  __m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&k[4 * group]));
  *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
  *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

// W[i..i+3] from W[i-16..i-1], given as four vectors of four words, oldest first.
SHA_NI static inline __m128i schedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
  __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
  return _mm_sha256msg2_epu32(partial, w3);
}

SHA_NI static void blocks_sha_ni(uint32_t state[8], const uint8_t *data, size_t blocks) {
  // Big-endian words: reverse the bytes of each 32-bit lane.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
  __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
  __m128i abef = _mm_alignr_epi8(dcba, hgfe, 8);
  __m128i cdgh = _mm_blend_epi16(hgfe, dcba, 0xF0);

  for (; blocks > 0; blocks--, data += 64) {
    __m128i abef_before = abef, cdgh_before = cdgh;
    __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), byte_swap);
    __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), byte_swap);
    __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), byte_swap);
    __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), byte_swap);
    four_rounds(&abef, &cdgh, w0, 0);
    four_rounds(&abef, &cdgh, w1, 1);
    four_rounds(&abef, &cdgh, w2, 2);
    four_rounds(&abef, &cdgh, w3, 3);
    for (int group = 4; group < 16; group += 4) {
      w0 = schedule(w0, w1, w2, w3);
      four_rounds(&abef, &cdgh, w0, group);
      w1 = schedule(w1, w2, w3, w0);
      four_rounds(&abef, &cdgh, w1, group + 1);
      w2 = schedule(w2, w3, w0, w1);
      four_rounds(&abef, &cdgh, w2, group + 2);
      w3 = schedule(w3, w0, w1, w2);
      four_rounds(&abef, &cdgh, w3, group + 3);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }

  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

static int cpu_has_sha_ni(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  int sse41 = (ecx >> 19) & 1, ssse3 = (ecx >> 9) & 1;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
  int sha = (ebx >> 29) & 1;
  return sha && sse41 && ssse3;
}

#endif

// -1 until the first call, then 0 or 1. Racing first calls store the same value.
static _Atomic int accelerated = -1;

int polku_sha256_accelerated(void) {
  int known = atomic_load_explicit(&accelerated, memory_order_relaxed);
  if (known < 0) {
#if defined(__x86_64__)
    known = cpu_has_sha_ni();
#else
    known = 0;
#endif
    atomic_store_explicit(&accelerated, known, memory_order_relaxed);
  }
  return known;
}

void polku_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
#if defined(__x86_64__)
  if (polku_sha256_accelerated()) {
    blocks_sha_ni(state, data, blocks);
    return;
  }
#endif
  polku_sha256_blocks_portable(state, data, blocks);
}
