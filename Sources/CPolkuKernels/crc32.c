#include "polku_crc32.h"

#include <stdatomic.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// Only this function uses PCLMULQDQ/SSE4.1; it runs only after cpuid said the CPU has them.
__attribute__((target("pclmul,sse4.1"))) static uint32_t fold(const uint8_t *buf, size_t len,
                                                                uint32_t crc) {
  // x^(4*128+32) mod P, x^(4*128-32) mod P; the same for one lane (128 bits); x^64 mod P;
  // P and its Barrett constant, all bit-reflected.
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);

  __m128i x1 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
  __m128i x2 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
  __m128i x3 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
  __m128i x4 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
  buf += 64;
  len -= 64;

  // Four lanes, 64 bytes per step.
  while (len >= 64) {
    __m128i x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
    __m128i x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
    __m128i x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
    __m128i x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
    x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
    x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
    x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128((const __m128i *)(buf + 0x00)));
    x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128((const __m128i *)(buf + 0x10)));
    x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128((const __m128i *)(buf + 0x20)));
    x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128((const __m128i *)(buf + 0x30)));
    buf += 64;
    len -= 64;
  }

  // Four lanes into one.
  __m128i x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
  x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
  x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
  x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
  x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
  x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
  x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);

  // One lane, 16 bytes per step.
  while (len >= 16) {
    x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, _mm_loadu_si128((const __m128i *)buf)), x5);
    buf += 16;
    len -= 16;
  }

  // 128 bits to 64.
  x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_and_si128(x1, mask32);
  x1 = _mm_clmulepi64_si128(x1, k5k0, 0x00);
  x1 = _mm_xor_si128(x1, x2);

  // Barrett reduction to 32 bits.
  x2 = _mm_and_si128(x1, mask32);
  x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
  x2 = _mm_and_si128(x2, mask32);
  x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return (uint32_t)_mm_extract_epi32(x1, 1);
}

static int cpu_has_pclmul(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  return ((ecx >> 1) & 1) && ((ecx >> 19) & 1);  // PCLMULQDQ, SSE4.1
}
#endif

// -1 until the first call, then 0 or 1. Racing first calls store the same value.
static _Atomic int accelerated = -1;

int polku_crc32_accelerated(void) {
  int known = atomic_load_explicit(&accelerated, memory_order_relaxed);
  if (known < 0) {
#if defined(__x86_64__)
    known = cpu_has_pclmul();
#else
    known = 0;
#endif
    atomic_store_explicit(&accelerated, known, memory_order_relaxed);
  }
  return known;
}

size_t polku_crc32_bulk(uint32_t *crc, const uint8_t *data, size_t length) {
#if defined(__x86_64__)
  if (length < 64 || !polku_crc32_accelerated()) return 0;
  size_t bulk = length & ~(size_t)15;
  // zlib's running value is the complement of the register the folding works on.
  *crc = ~fold(data, bulk, ~*crc);
  return bulk;
#else
  (void)crc;
  (void)data;
  (void)length;
  return 0;
#endif
}
