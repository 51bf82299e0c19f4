#include <zlib.h>

// inflateInit2 is a macro in zlib.h; Swift cannot call macros, so wrap it.
static inline int polku_inflateInit2(z_streamp strm, int windowBits) {
  return inflateInit2(strm, windowBits);
}
