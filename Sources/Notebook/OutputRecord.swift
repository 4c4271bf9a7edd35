/// One line of the manifest a cell program writes: which cell displayed what.
///
/// Images are stored as files beside the manifest (`file`, `darkFile` are names relative
/// to the output folder); tables and values travel inline.
public struct OutputRecord: Codable, Sendable, Equatable {
    public var cell: Int
    public var item: Item
    /// How many bytes the cell had printed when it displayed this, so the page can put
    /// printed text and displays in the order they happened (nil: unknown, text first).
    public var textOffset: Int?

    public enum Item: Codable, Sendable, Equatable {
        case image(file: String, darkFile: String?, width: Int, height: Int, alt: String,
                   textPixels: Double? = nil, narrow: NarrowRecord? = nil)
        case table(Display.Table)
        case value(String)
        /// A `claim(…, severity: .warning)` that does not hold: a notice in the page here.
        case failedClaim(statement: String, values: String)
        /// An explorable figure: its frames' files in order.
        case explorable(ExplorableRecord)
    }

    /// An image's layout for narrow screens (`Display.Image.narrow`): its files and size.
    public struct NarrowRecord: Codable, Sendable, Equatable {
        public var file: String
        public var darkFile: String?
        public var width: Int
        public var height: Int
        public var textPixels: Double?
        public init(file: String, darkFile: String?, width: Int, height: Int, textPixels: Double?) {
            self.file = file
            self.darkFile = darkFile
            self.width = width
            self.height = height
            self.textPixels = textPixels
        }
    }

    /// The files and labels of an explorable figure.
    public struct ExplorableRecord: Codable, Sendable, Equatable {
        public var parameter: String
        public var labels: [String]
        public var files: [String]
        public var darkFiles: [String?]
        public var width: Int
        public var height: Int
        public var alt: String
        public var readouts: [String]?
        public var initial: Int
        public var animated: Bool
        /// Two knobs over a grid (`Display.Explorable.axes`); nil for one.
        public var axes: [Display.Explorable.Axis]?
        /// The smallest text of the frames (`Display.Image.textPixels`) and each frame's layout
        /// for narrow screens (nil when the frames have none).
        public var textPixels: Double?
        public var narrow: [NarrowRecord]?

        public init(parameter: String, labels: [String], files: [String], darkFiles: [String?], width: Int, height: Int,
                    alt: String, readouts: [String]?, initial: Int, animated: Bool, axes: [Display.Explorable.Axis]? = nil,
                    textPixels: Double? = nil, narrow: [NarrowRecord]? = nil) {
            self.axes = axes
            self.textPixels = textPixels
            self.narrow = narrow
            self.parameter = parameter
            self.labels = labels
            self.files = files
            self.darkFiles = darkFiles
            self.width = width
            self.height = height
            self.alt = alt
            self.readouts = readouts
            self.initial = initial
            self.animated = animated
        }
    }

    /// Every file the record names (images, their dark variants, explorable frames).
    public var files: [String] {
        switch item {
        case .image(let file, let dark, _, _, _, _, let narrow):
            return [file] + (dark.map { [$0] } ?? []) + (narrow.map { [$0.file] + ($0.darkFile.map { [$0] } ?? []) } ?? [])
        case .explorable(let e):
            return e.files + e.darkFiles.compactMap { $0 } + (e.narrow ?? []).flatMap { [$0.file] + ($0.darkFile.map { [$0] } ?? []) }
        default: return []
        }
    }

    public init(cell: Int, item: Item, textOffset: Int? = nil) {
        self.cell = cell
        self.item = item
        self.textOffset = textOffset
    }
}

/// File names shared by the cell program and the builder.
public enum NotebookFiles {
    /// Environment variable naming the folder a cell program writes into.
    public static let outputDirectoryVariable = "LITOPT_OUTPUT_DIR"
    /// JSON-lines manifest of `OutputRecord`s, in display order.
    public static let manifest = "manifest.jsonl"
    /// Captured stdout+stderr of cell `index` (0-based).
    public static func stdout(cell index: Int) -> String { "cell-\(index).txt" }
    /// Written once the last cell finished, so a missing file means the program died.
    public static let finished = "finished"
    /// One JSON object per finished cell: `{"cell": i, "seconds": s, "peakKB": k}`.
    public static let timings = "timings.jsonl"
    /// Written by the watchdog when a cell ran past its limit; holds the cell index.
    public static let timeout = "timeout"
    /// JSON-lines log of `MemoEvent`s: which memoized values were loaded or computed.
    public static let memoLog = "memo.jsonl"
    /// Environment variables configuring `memo`: its folder, the engine identity salting every
    /// key, and "1" to recompute every value (`--no-cache`).
    public static let memoDirectoryVariable = "LITOPT_MEMO_DIR"
    public static let memoSaltVariable = "LITOPT_MEMO_SALT"
    public static let memoRecomputeVariable = "LITOPT_MEMO_RECOMPUTE"
    /// The most bytes of a displayed value (a cell's last expression) kept for the page.
    public static let displayLimit = 256 << 10
    /// JSON-lines of `InlineRecord`s: the text of each inline value, and computed captions.
    public static let inline = "inline.jsonl"
    /// JSON-lines of `ClaimRecord`s, in the order the claims were checked.
    public static let claims = "claims.jsonl"
}

/// The text of an inline value (`` `{swift} expr` ``) or of a computed cell option
/// (`caption="… \(x) …"`), as the program produced it.
public struct InlineRecord: Codable, Sendable, Equatable {
    /// The inline value's index, or the cell's index for a computed option.
    public var index: Int
    /// nil for an inline value; "caption" or "alt" for a computed option.
    public var option: String?
    public var text: String

    public init(index: Int, option: String? = nil, text: String) {
        self.index = index
        self.option = option
        self.text = text
    }
}

/// A `claim` a cell made, and whether it held.
public struct ClaimRecord: Codable, Sendable, Equatable {
    public enum Severity: String, Codable, Sendable { case error, warning }
    public var cell: Int
    public var statement: String
    public var holds: Bool
    /// The numbers behind it, as the cell wrote them ("" when none).
    public var values: String
    public var severity: Severity
    /// Where `claim` was called: the chapter file, line and column.
    public var file: String
    public var line: Int
    public var column: Int

    public init(cell: Int, statement: String, holds: Bool, values: String, severity: Severity,
                file: String, line: Int, column: Int) {
        self.cell = cell
        self.statement = statement
        self.holds = holds
        self.values = values
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
    }
}
