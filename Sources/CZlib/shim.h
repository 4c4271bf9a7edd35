#include <zlib.h>

/* inflateInit2 and deflateInit2 are macros (they pass zlib's version and the stream's size),
   which Swift does not import: these wrappers call them for gzip streams. */

/* Decompression of a gzip (or zlib) stream: window 15 bits, +32 detects the header. */
static inline int litopt_inflate_init(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}

/* Compression to a gzip stream: window 15 bits, +16 writes the gzip header and trailer. */
static inline int litopt_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
