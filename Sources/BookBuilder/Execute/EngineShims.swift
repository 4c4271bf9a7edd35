import Crypto
import Foundation
import Notebook

/// The module maps and headers of the C shims the engine imports (`Sources/C*/`), carried
/// inside litopt so a copied or installed binary compiles cells without its source tree. A
/// build writes them once into the cache folder (`shims/<digest>/NAME/`) and points the
/// compiler there. `EngineShimsTests` checks these texts against `Sources/C*/` byte for byte,
/// so they cannot drift from what the engine itself was compiled with.
enum EngineShims {
    /// Shim name → file name → contents.
    static let files: [String: [String: String]] = [
        "COpenBLAS": [
            "module.modulemap": #"""
module COpenBLAS [system] {
    header "shim.h"
    link "openblas"
    export *
}

"""#,
            "shim.h": #"""
#include <cblas.h>

/* LAPACK (bundled in OpenBLAS), Fortran calling convention. */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a,
             const int *lda, double *w, double *work, const int *lwork,
             int *iwork, const int *liwork, int *info);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a,
             const int *lda, double *b, const int *ldb, int *info);
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv,
            double *b, const int *ldb, int *info);

"""#,
        ],
        "CPNG": [
            "module.modulemap": #"""
module CPNG [system] {
    header "shim.h"
    link "png16"
    export *
}

"""#,
            "shim.h": #"""
#include <png.h>

/* Function-like macros Swift cannot import, as constants. */
static const unsigned int litopt_png_image_version = PNG_IMAGE_VERSION;
static const unsigned int litopt_png_format_rgba = PNG_FORMAT_RGBA;

"""#,
        ],
        "CFreeType": [
            "module.modulemap": #"""
module CFreeType [system] {
    header "shim.h"
    link "freetype"
    export *
}

"""#,
            "shim.h": #"""
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

/* FT_LOAD_TARGET_LIGHT is a function-like macro Swift cannot import; as a constant. */
static const int litopt_ft_load_target_light = FT_LOAD_TARGET_LIGHT;

"""#,
        ],
        "CZlib": [
            "module.modulemap": #"""
module CZlib [system] {
    header "shim.h"
    link "z"
    export *
}

"""#,
            "shim.h": #"""
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

"""#,
        ],
    ]

    /// The folder the shims are written to under `cache`, named by their contents.
    static func folder(cache: String) -> String {
        var hasher = SHA256()
        for name in files.keys.sorted() {
            for (file, text) in files[name]!.sorted(by: { $0.key < $1.key }) {
                hasher.update(data: Data("\(name)/\(file):\(text.utf8.count):".utf8))
                hasher.update(data: Data(text.utf8))
            }
        }
        let digest = hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
        return cache + "/shims/" + digest
    }

    /// Writes the shims under `cache` unless they are there already, and returns each
    /// shim's module map path (in `CellProgram.shims` order). The folder is filled under a
    /// temporary name and renamed into place, so concurrent builds never see half of it.
    static func materialize(cache: String) throws(BuildFailure) -> [String] {
        let target = folder(cache: cache)
        let maps = CellProgram.shims.map { "\(target)/\($0)/module.modulemap" }
        let fm = FileManager.default
        if maps.allSatisfy({ fm.fileExists(atPath: $0) }) { return maps }
        let staging = target + ".\(getpid())-\(UUID().uuidString)"
        do {
            for (name, contents) in files {
                try fm.createDirectory(atPath: staging + "/" + name, withIntermediateDirectories: true)
                for (file, text) in contents { try Data(text.utf8).write(to: URL(fileURLWithPath: staging + "/" + name + "/" + file)) }
            }
            if rename(staging, target) != 0 {
                try? fm.removeItem(atPath: staging)  // another build put the same folder there first
                guard maps.allSatisfy({ fm.fileExists(atPath: $0) }) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            }
        } catch {
            try? fm.removeItem(atPath: staging)
            throw BuildFailure([Diagnostic(file: cache, message: "cannot write the C shims' module maps into \(target): \(error.localizedDescription)")])
        }
        return maps
    }
}
