#ifndef POLKU_HASH_H
#define POLKU_HASH_H

#include <stddef.h>
#include <stdint.h>

// SHA-256 (FIPS 180-4) block compression for PolkuCore's SHA256. Padding, lengths and
// digests stay in Swift; these functions only run the compression function.

// Compresses `blocks` consecutive 64-byte blocks at `data` into `state` (the eight working
// words, host order). Uses the x86 SHA extensions when the CPU has them (checked once),
// portable C otherwise.
void polku_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

// The same, always in portable C (for tests, and what CPUs without SHA-NI run).
void polku_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

// 1 when polku_sha256_blocks uses the SHA extensions on this CPU, 0 otherwise.
int polku_sha256_accelerated(void);

#endif
