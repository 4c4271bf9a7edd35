/// The contract between the book builder and the chapter program it generates: every spelling
/// the generated `main.swift` uses to reach the engine, in one place.
///
/// The builder (`ProgramPlanner`, `Toolchain`) writes programs and finds the engine only
/// through these; the engine side keeps them honest: `LitOpt`'s `CellProgramSpellings.swift`
/// makes each call spelled here with the same labels, so renaming one on the engine side
/// breaks the engine's own build beside this file instead of every book at run time.
public enum CellProgram {
    /// The module a chapter program imports (the engine's umbrella: tensors, models,
    /// optimizers, landscapes, plots, and `Session`).
    public static let module = "LitOpt"
    /// The static library SwiftPM builds from the `LitOptEngine` product, next to `litopt`.
    public static let engineLibrary = "libLitOptEngine.a"
    /// The folder beside the library holding the engine's `.swiftmodule`s.
    public static let modulesFolder = "Modules"
    /// The C shims the engine's modules import: each needs its module map at compile time.
    public static let shims = ["COpenBLAS", "CPNG", "CFreeType", "CZlib"]

    /// The program's first line.
    public static var importLine: String { "import \(module)\n" }

    /// Starts cell `index` (`Session.begin(cell:timeout:scope:measured:)`).
    public static func begin(cell index: Int, timeout: Double, scope: String, measured: Bool) -> String {
        "Session.shared.begin(cell: \(index), timeout: \(timeout), scope: \"\(scope)\""
            + (measured ? ", measured: true" : "") + ")"
    }

    /// What an inline value's line holds before its expression; the expression follows, then
    /// `inlineValueSuffix` (`Session.inlineValue(_:_:)` of `inlineText(expression)`).
    public static func inlineValuePrefix(_ index: Int) -> String { "Session.shared.inlineValue(\(index), inlineText(" }
    public static let inlineValueSuffix = "))"

    /// Records a computed caption or alt text of cell `index`: `literal` is a Swift string
    /// literal (`Session.inlineValue(_:option:_:)`).
    public static func computedOption(cell index: Int, option: String, literal: String) -> String {
        "Session.shared.inlineValue(\(index), option: \"\(option)\", \(literal))"
    }

    /// The line after a cell ending in an expression, continuing it so its value is shown
    /// (`|~>` into `cellValue`).
    public static let displayContinuation = "  |~> cellValue"

    /// The program's last line: marks every cell as run (`Session.finish()`).
    public static let finish = "Session.shared.finish()"
}
