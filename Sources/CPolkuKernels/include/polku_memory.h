#ifndef POLKU_MEMORY_H
#define POLKU_MEMORY_H

// Asks the CPU to start loading the cache line of `address` for a read soon (no fault if
// the address is bad). For loops that visit far-apart memory in an order known ahead,
// such as PrefixSpan's projected suffixes: the loads of later entries then overlap the
// work on the current one. Header-only, so Swift inlines it.
static inline void polku_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
