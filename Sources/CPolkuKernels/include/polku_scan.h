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

// Whether bytes[0 ..< count] holds a comma, a quote, CR or LF: the bytes that make a CSV
// cell need quotes. SSE2 looks at 16 bytes per step (the last step overlaps the one before
// it rather than reading past the end); values under 16 bytes take two overlapping 8-byte
// words, or a byte loop under 8.
static inline int polku_csv_needs_quotes(const uint8_t *bytes, size_t count) {
#if defined(__SSE2__)
  if (count >= 16) {
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    size_t from = 0;
    for (;;) {
      __m128i block = _mm_loadu_si128((const __m128i *)(bytes + from));
      __m128i hit = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(block, comma), _mm_cmpeq_epi8(block, quote)),
          _mm_or_si128(_mm_cmpeq_epi8(block, cr), _mm_cmpeq_epi8(block, lf)));
      if (_mm_movemask_epi8(hit) != 0) return 1;
      if (from + 16 == count) return 0;
      from = from + 32 <= count ? from + 16 : count - 16;
    }
  }
#endif
  if (count >= 8) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t words[2];
    __builtin_memcpy(&words[0], bytes, 8);
    __builtin_memcpy(&words[1], bytes + count - 8, 8);
    for (int i = 0; i < 2; i++) {
      // A byte of w equals c where w ^ (c * ones) has a zero byte.
      uint64_t w = words[i];
      uint64_t x1 = w ^ (',' * ones), x2 = w ^ ('"' * ones);
      uint64_t x3 = w ^ ('\r' * ones), x4 = w ^ ('\n' * ones);
      uint64_t zero = ((x1 - ones) & ~x1) | ((x2 - ones) & ~x2) | ((x3 - ones) & ~x3) |
                      ((x4 - ones) & ~x4);
      if (zero & highs) return 1;
    }
    return 0;
  }
  for (size_t i = 0; i < count; i++) {
    uint8_t byte = bytes[i];
    if (byte == ',' || byte == '"' || byte == '\r' || byte == '\n') return 1;
  }
  return 0;
}

#endif
