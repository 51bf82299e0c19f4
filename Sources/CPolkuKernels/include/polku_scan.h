#ifndef POLKU_SCAN_H
#define POLKU_SCAN_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// The index of the first byte of bytes[from ..< end] that ends or interrupts a JSON string
// body: a quote, a backslash or a control byte (< 0x20); `end` when there is none.
//
// SSE2 (every x86-64 CPU) looks at 16 bytes per step; elsewhere a byte loop. Header-only
// and static inline, so Swift inlines it into the JSON scanner's loop.
static inline size_t polku_json_string_stop(const uint8_t *bytes, size_t from, size_t end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // x < 0x20 as unsigned bytes is (x ^ 0x80) < (0x20 ^ 0x80) as signed bytes.
  const __m128i flip = _mm_set1_epi8((char)0x80);
  const __m128i limit = _mm_set1_epi8((char)(0x20 ^ 0x80));
  while (from + 16 <= end) {
    __m128i block = _mm_loadu_si128((const __m128i *)(bytes + from));
    __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)),
        _mm_cmplt_epi8(_mm_xor_si128(block, flip), limit));
    int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return from + (size_t)__builtin_ctz((unsigned)mask);
    from += 16;
  }
#endif
  while (from < end) {
    uint8_t byte = bytes[from];
    if (byte == '"' || byte == '\\' || byte < 0x20) return from;
    from++;
  }
  return end;
}

#endif
