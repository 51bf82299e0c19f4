#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

// Atomically swaps two paths (Linux renameat2 RENAME_EXCHANGE), so a published output
// folder is replaced in one step. glibc declares renameat2 only with _GNU_SOURCE, which
// Swift's Glibc module is not built with, so call the system call directly.
static inline int polku_rename_exchange(const char *from, const char *to) {
#ifdef SYS_renameat2
  return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */);
#else
  errno = ENOSYS;
  return -1;
#endif
}

#ifdef __GLIBC__
#include <malloc.h>
#endif

// Returns memory freed inside glibc's heaps to the system (malloc_trim); a no-op elsewhere.
static inline void polku_release_free_memory(void) {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}
