#ifndef POLKU_CRC32_H
#define POLKU_CRC32_H

#include <stddef.h>
#include <stdint.h>

// CRC-32 (the gzip/zlib polynomial, reflected) of the bulk of a buffer with carry-less
// multiplication (PCLMULQDQ): four 128-bit lanes folded 64 bytes per step, then reduced
// (Gopal et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", Intel
// 2009; the same constants as zlib's Chromium and Linux versions).
//
// `crc` is the running CRC as zlib's crc32() takes and returns it. Processes the longest
// prefix of `data` that is a multiple of 16 bytes and at least 64 bytes long, stores the
// CRC of everything so far in `*crc` and returns how many bytes it took; the caller
// finishes the rest (zlib's crc32()). Takes nothing (returns 0) when the CPU lacks
// PCLMULQDQ or SSE4.1, or `length` < 64.
size_t polku_crc32_bulk(uint32_t *crc, const uint8_t *data, size_t length);

// 1 when polku_crc32_bulk uses PCLMULQDQ on this CPU, 0 otherwise.
int polku_crc32_accelerated(void);

#endif
