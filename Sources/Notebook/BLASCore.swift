import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernels a chapter program (or a benchmark) starts on.
///
/// Debian's OpenBLAS carries kernels for many CPUs and picks one when it loads, from the CPU's
/// family and model numbers. On a virtual machine whose CPU reports a generic model ("Intel
/// Xeon Processor") it recognizes none and falls back to its oldest x86-64 kernels, Prescott
/// (SSE3), even when the CPU has AVX-512: dgemm then runs about four times slower than the
/// machine allows. OpenBLAS reads `OPENBLAS_CORETYPE` only when it loads, so the choice is made
/// for the processes litopt starts: when the variable is unset (a value that is set is always
/// kept) and OpenBLAS, asked in this process, settles on Prescott while the CPU has AVX2 and
/// FMA, they start with the kernels those instructions run — SkylakeX with AVX-512 (F, DQ, BW,
/// VL), Haswell otherwise. A product's result changes only in rounding, and every run on one
/// machine makes the same choice, so builds stay deterministic; the choice is part of the
/// engine's identity in the result cache.
public enum BLASCore {
    public static let variable = "OPENBLAS_CORETYPE"

    /// The value processes started from this one should get for `OPENBLAS_CORETYPE`, or nil to
    /// let OpenBLAS choose (computed once).
    public static let suggestion: String? = suggestion(environment: ProcessInfo.processInfo.environment)

    /// The kernels processes started from this one run on, as OpenBLAS names them: the value of
    /// `OPENBLAS_CORETYPE` when set, else the suggestion, else OpenBLAS's own choice ("" when
    /// OpenBLAS cannot be loaded).
    public static let effective: String = ProcessInfo.processInfo.environment[variable]
        ?? suggestion ?? ownChoice ?? ""

    /// What OpenBLAS chooses in this process, asked once.
    static let ownChoice: String? = openBLASCoreName()

    static func suggestion(environment: [String: String]) -> String? {
        guard environment[variable] == nil, let core = ownChoice else { return nil }
        return replacement(forCore: core, cpuFlags: cpuFlags())
    }

    /// The kernels to start on instead of OpenBLAS's `core`, or nil to keep it: only a fallback
    /// to Prescott on a CPU with AVX2 and FMA is replaced.
    static func replacement(forCore core: String, cpuFlags: Set<String>) -> String? {
        guard core.lowercased() == "prescott", cpuFlags.isSuperset(of: ["avx2", "fma"]) else { return nil }
        return cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) ? "SkylakeX" : "Haswell"
    }

    /// The name of the kernels OpenBLAS runs in this process (`openblas_get_corename`), loading
    /// the library for the question when the process does not link it; nil without OpenBLAS.
    public static func openBLASCoreName() -> String? {
        #if os(Linux)
        guard let handle = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL) else { return nil }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, "openblas_get_corename") else { return nil }
        typealias CoreName = @convention(c) () -> UnsafeMutablePointer<CChar>?
        guard let name = unsafeBitCast(symbol, to: CoreName.self)() else { return nil }
        return String(cString: name).trimmingCharacters(in: .whitespaces)
        #else
        return nil
        #endif
    }

    /// The CPU's feature flags from /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }
}
