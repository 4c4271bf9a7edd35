import Foundation
import Notebook

/// Where the compiler, the engine library and the C shims are, for compiling cell programs.
///
/// The engine is the `LitOptEngine` static library SwiftPM built next to the running
/// `litopt` binary; its `.swiftmodule`s sit in `<bin>/Modules`. `<bin>` is found from the
/// real path of the running executable (the `.build/release` symlink breaks the module cache).
public struct Toolchain: Sendable, Equatable {
    public var swiftc: String
    public var binDirectory: String
    /// `module.modulemap` of every C shim the engine imports.
    public var moduleMaps: [String]
    /// Header search paths the shims need (from pkg-config).
    public var includeDirectories: [String]

    public var engineLibrary: String { binDirectory + "/" + CellProgram.engineLibrary }
    public var modulesDirectory: String { binDirectory + "/" + CellProgram.modulesFolder }

    static let pkgConfigPackages = ["libpng", "freetype2"]

    /// Locates everything, or explains what is missing. The shims' module maps are written into
    /// `cache` (the build's cache folder; a temporary folder when nil), never read from a
    /// source checkout, so a copied or installed litopt needs only its own folder.
    public static func discover(cache: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws(BuildFailure) -> Toolchain {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let bin = environment["LITOPT_ENGINE_DIR"] ?? (URL(fileURLWithPath: exe).resolvingSymlinksInPath()
            .deletingLastPathComponent().path)
        let library = bin + "/" + CellProgram.engineLibrary
        guard FileManager.default.fileExists(atPath: library) else {
            throw BuildFailure([Diagnostic(file: "litopt", message:
                "the engine library is missing at \(library); build it with `swift build -c release` (or `make site`)")])
        }
        guard let swiftc = findExecutable("swiftc", environment: environment) else {
            throw BuildFailure([Diagnostic(file: "litopt", message: "swiftc not found on PATH")])
        }
        let maps = try EngineShims.materialize(cache: cache ?? FileManager.default.temporaryDirectory.path + "/litopt-\(getuid())")
        return Toolchain(swiftc: swiftc, binDirectory: bin, moduleMaps: maps,
                         includeDirectories: pkgConfigIncludes(environment: environment))
    }

    static func findExecutable(_ name: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func pkgConfigIncludes(environment: [String: String]) -> [String] {
        guard let pkgConfig = findExecutable("pkg-config", environment: environment),
              let result = try? ProcessRunner.run(pkgConfig, ["--cflags-only-I"] + pkgConfigPackages, timeout: 10),
              result.status == 0 else {
            return ["/usr/include/freetype2", "/usr/include/libpng16"]
        }
        return result.output.split(whereSeparator: \.isWhitespace)
            .filter { $0.hasPrefix("-I") }.map { String($0.dropFirst(2)) }
    }

    /// `swiftc` arguments that compile `main` into `executable` against the engine.
    /// What every compiler call needs to see the engine: its modules and the C shims' maps and headers.
    func engineArguments(moduleCache: String) -> [String] {
        var arguments = ["-swift-version", "5", "-diagnostic-style", "llvm", "-module-cache-path", moduleCache, "-I", modulesDirectory]
        for map in moduleMaps { arguments += ["-Xcc", "-fmodule-map-file=\(map)"] }
        for include in includeDirectories { arguments += ["-Xcc", "-I\(include)"] }
        return arguments
    }

    /// Type-checks `main` against the engine without generating code or linking.
    func typecheckArguments(main: String, moduleCache: String) -> [String] {
        engineArguments(moduleCache: moduleCache) + ["-typecheck", main]
    }

    func compileArguments(main: String, executable: String, moduleCache: String) -> [String] {
        var arguments = engineArguments(moduleCache: moduleCache) + ["-Onone", "-gline-tables-only"]
        // The whole archive: conformances such as `Tensor: CustomStringConvertible` live in
        // object files nothing references by name, and `print` finds them only at run time.
        // (All three through -Xlinker, so the driver keeps them together and in this order.)
        arguments += [main, "-Xlinker", "--whole-archive", "-Xlinker", engineLibrary, "-Xlinker", "--no-whole-archive",
                      "-o", executable]
        return arguments
    }
}
