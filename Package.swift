// swift-tools-version: 6.0
import PackageDescription

/// litopt: Markdown chapters with executable Swift cells → an offline HTML book.
///
/// Layers (each arrow is "imports", nothing points back up):
///   litopt (CLI) → BookBuilder → CCmark, SwiftSyntax, Notebook
///   LitOpt (what cells import) → Plotting → CPNG, CFreeType
///                              → Models → Autodiff → COpenBLAS
///                                       → CZlib (gzip-compressed data sets)
let package = Package(
    name: "litopt",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "litopt", targets: ["litopt"]),
        // The engine every cell program links against: compiled once by SwiftPM,
        // then `swiftc main.swift libLitOptEngine.a` per chapter.
        .library(name: "LitOptEngine", type: .static, targets: ["LitOpt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
    ],
    targets: [
        // C libraries from Debian, each behind a module map and imported by one Swift file.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Process control the Swift overlay lacks: spawning into a process group with resource
        // limits and a parent-death signal, an atomic directory exchange (the site swap).
        .target(name: "CProcess"),

        // The engine.
        .target(name: "Autodiff", dependencies: ["COpenBLAS", "AutodiffKernels"], swiftSettings: engineSettings),
        // Hot elementwise kernels compiled for AVX2 + FMA; Autodiff calls them only after
        // checking the CPU at run time (and falls back to its portable SSE2 loops).
        .target(name: "AutodiffKernels", swiftSettings: kernelSettings),
        .target(name: "Models", dependencies: ["Autodiff", "CZlib"], swiftSettings: engineSettings),
        .target(name: "Optimizers", dependencies: ["Models", "Autodiff"], swiftSettings: engineSettings),
        .target(name: "Landscape", dependencies: ["Optimizers", "Models", "Autodiff"], swiftSettings: engineSettings),
        .target(name: "Plotting", dependencies: ["CPNG", "CFreeType"], swiftSettings: engineSettings),
        // One figure of each kind: drawn by the golden-image tests, written out by plot-gallery.
        .target(name: "PlottingGallery", dependencies: ["Plotting"]),
        .executableTarget(name: "plot-gallery", dependencies: ["Plotting", "PlottingGallery"]),
        .target(name: "Notebook", swiftSettings: engineSettings),
        .target(name: "LitOpt", dependencies: ["Autodiff", "Models", "Optimizers", "Landscape", "Plotting", "Notebook"],
                swiftSettings: engineSettings),

        // TeX → MathML at build time, so pages read with JavaScript off.
        .target(name: "TeXMath"),

        // The book builder and its command line.
        .target(name: "BookBuilder", dependencies: [
            "CCmark", "CProcess", "Notebook", "TeXMath",
            .product(name: "SwiftParser", package: "swift-syntax"),
            .product(name: "SwiftParserDiagnostics", package: "swift-syntax"),
            .product(name: "SwiftIDEUtils", package: "swift-syntax"),
            .product(name: "SwiftSyntax", package: "swift-syntax"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .executableTarget(name: "litopt", dependencies: [
            "BookBuilder",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "TeXMathTests", dependencies: ["TeXMath"]),
        .executableTarget(name: "engine-bench", dependencies: ["Autodiff", "Models", "Optimizers", "Landscape", "Notebook"],
                          path: "Benchmarks/EngineBench"),

        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers"], exclude: ["References"]),
        .testTarget(name: "LandscapeTests", dependencies: ["Landscape"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "PlottingGallery"], exclude: ["Golden"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
        .testTarget(name: "BookBuilderTests", dependencies: ["BookBuilder"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CourseTests", dependencies: ["LitOpt"]),
    ],
    swiftLanguageModes: [.v6]
)

/// Engine code is numeric and hot: keep bounds checks, drop nothing else.
var engineSettings: [SwiftSetting] { [] }

/// AutodiffKernels is built for Haswell-class x86-64 (AVX2, FMA); elsewhere it compiles to nothing.
var kernelSettings: [SwiftSetting] {
    #if arch(x86_64)
    [.unsafeFlags(["-target-cpu", "haswell"])]
    #else
    []
    #endif
}

// Developing one layer alone: `LITOPT_ONLY=Autodiff,AutodiffTests,COpenBLAS swift test
// --manifest-cache none --scratch-path .build-autodiff` keeps just those targets, so work on
// one layer neither waits for nor breaks on the others. Unset, the package is whole.
if let only = Context.environment["LITOPT_ONLY"] {
    var keep = Set(only.split(separator: ",").map(String.init))
    if keep.contains("Autodiff") { keep.insert("AutodiffKernels") }  // a part of Autodiff
    if keep.contains("Models") { keep.insert("CZlib") }  // Models reads gzip-compressed data
    package.targets.removeAll { !keep.contains($0.name) }
    package.products.removeAll { product in
        let targets = (product as? Product.Library)?.targets ?? (product as? Product.Executable)?.targets ?? []
        return !targets.allSatisfy(keep.contains)
    }
}
