import Notebook

/// What one cell produced when its chapter ran.
public struct CellResult: Sendable, Equatable, Codable {
    public var index: Int
    /// Everything the cell printed to stdout and stderr, in order.
    public var text: String
    /// True when `text` was cut at the size limit.
    public var truncated: Bool
    public var outputs: [OutputRecord]
    /// The cell's error, for cells allowed to fail (`error=true`).
    public var error: String?
    /// Wall time of the cell, and the program's peak resident memory when it ended.
    public var seconds: Double?
    public var peakKB: Int?
    /// The cell's `memo` calls: loaded or computed, and how long each took.
    public var memos: [MemoEvent]?
    /// A caption or alt text written with `\(…)`, as the program computed it.
    public var computedCaption: String?
    public var computedAlt: String?
    /// The claims the cell checked.
    public var claims: [ClaimRecord]?

    public init(index: Int, text: String = "", truncated: Bool = false, outputs: [OutputRecord] = [], error: String? = nil) {
        self.index = index
        self.text = text
        self.truncated = truncated
        self.outputs = outputs
        self.error = error
    }
}

/// A chapter's execution: each cell's result, the files it displayed, and timings.
public struct ChapterRun: Sendable, Equatable, Codable {
    public var cells: [CellResult]
    /// Folder holding the images the manifest names (inside the build's temporary area).
    public var outputDirectory: String
    public var compileSeconds: Double
    public var runSeconds: Double
    /// The text of each inline value that ran, by its index.
    public var inlineValues: [Int: String]? = nil

    public init(cells: [CellResult], outputDirectory: String, compileSeconds: Double, runSeconds: Double,
                inlineValues: [Int: String]? = nil) {
        self.cells = cells
        self.outputDirectory = outputDirectory
        self.compileSeconds = compileSeconds
        self.runSeconds = runSeconds
        self.inlineValues = inlineValues
    }

    /// Every claim checked, in cell order.
    public var claims: [ClaimRecord] { cells.flatMap { $0.claims ?? [] } }
}
