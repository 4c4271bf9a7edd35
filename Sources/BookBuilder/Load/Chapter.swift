import Foundation

/// One `Chapters/NN-slug.md` file as loaded from disk, before parsing.
public struct Chapter: Sendable, Equatable {
    /// Path as shown in diagnostics, e.g. `Chapters/01-loss-landscapes.md`.
    public var displayPath: String
    /// Absolute path of the file.
    public var path: String
    /// `loss-landscapes` for `01-loss-landscapes.md`.
    public var slug: String
    /// 1-based position in the book (an internal key; readers see `displayNumber`).
    public var number: Int
    /// The Markdown after the front matter.
    public var body: String
    /// Number of lines the front matter (with its `---` fences) occupied, so body line `n`
    /// is file line `n + bodyLineOffset`.
    public var bodyLineOffset: Int
    public var frontMatter: FrontMatter

    /// What readers see as the chapter's number — "3" for the third numbered chapter, "A" for
    /// the first appendix, "" for an unnumbered chapter such as a preface. Set by the loader;
    /// `nil` means the position.
    public var label: String? = nil

    /// "3", "A" or "".
    public var displayNumber: String { label ?? "\(number)" }
    /// False for an unnumbered chapter (`numbered: false`): its sections carry no numbers.
    public var isNumbered: Bool { !displayNumber.isEmpty }
    /// "Chapter 3", "Appendix A", or "" — the kicker above the chapter's title.
    public var kicker: String {
        guard isNumbered else { return "" }
        return (frontMatter.appendix ? "Appendix " : "Chapter ") + displayNumber
    }

    /// Output file name of the chapter's page.
    public var pageName: String { "\(fileStem).html" }
    /// `02-sam.md`: how shard plans and measured times name the chapter, whatever folder path
    /// a build was given.
    public var fileName: String { (path as NSString).lastPathComponent }
    /// `01-loss-landscapes`.
    public var fileStem: String { (path as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "") }
}

/// The YAML block at the top of a chapter, between `---` lines.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    /// Defaults for the chapter's cells (same keys as cell options).
    public var cellDefaults: [String: String]
    /// Files the cells read (relative to the project folder); their contents join the cache key.
    public var inputs: [String]
    /// Where each of `inputs` is written in the chapter file.
    public var inputPlaces: [SourcePosition] = []
    /// `cache: false` re-runs the chapter on every build.
    public var cache: Bool
    /// `numbered: false` — a preface or foreword: no chapter number, unnumbered sections.
    public var numbered: Bool = true
    /// `appendix: true` — lettered A, B, … instead of numbered.
    public var appendix: Bool = false
    /// `part: "Part I — …"` — this chapter opens a part; the contents show the part's title above it.
    public var part: String? = nil
    /// `exercises: end` or `inline` — this chapter's choice, over book.yml's `exercises`.
    public var exercises: ExercisePlacement? = nil

    public init(title: String? = nil, cellDefaults: [String: String] = [:], inputs: [String] = [], cache: Bool = true) {
        self.title = title
        self.cellDefaults = cellDefaults
        self.inputs = inputs
        self.cache = cache
    }
}

/// `Chapters/book.yml`.
public struct BookConfig: Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    public var author: String?
    /// Chapter files in reading order; file-name order when absent.
    public var chapters: [String]?
    /// Where each of `chapters` is written in book.yml.
    public var chapterPlaces: [SourcePosition] = []
    /// Book-wide defaults for cell options.
    public var cellDefaults: [String: String]
    /// EPUB metadata: BCP 47 language tag (`en` when absent), a unique identifier (a UUID
    /// derived from the title and author when absent), the publication date (`YYYY-MM-DD`),
    /// and a cover image (path relative to the chapters folder, resolved by the loader).
    public var language: String?
    public var identifier: String?
    public var date: String?
    public var cover: String?
    /// `bibliography: refs.bib` — the BibTeX file citations draw on, relative to the chapters
    /// folder; `references.bib` there when absent (and no bibliography when that is missing).
    public var bibliography: String? = nil
    /// `trust-html: true` — raw HTML in chapters is kept exactly as written, script included;
    /// by default event handlers and `javascript:` URLs are removed (`HTMLPolicy`).
    public var trustHTML = false
    /// `explorable-limit: 4M` — the frames of one explorable figure above which the build
    /// warns (8 MiB when absent).
    public var explorableLimit: Int?
    /// `shared-cache: /shared/litopt-cache` — a cache folder every shard and the render job
    /// see (relative paths are relative to the project, the chapters folder's parent).
    public var sharedCache: String?
    /// `remote-cache: http://cache.example:8080` — an HTTP cache in bazel-remote's layout.
    public var remoteCache: String?
    /// `numbering: chapter` (Definition 7.2, the default) or `book` (Definition 14): how
    /// definitions, theorems, exercises and their kin are numbered. Figures, equations and
    /// sections stay chapter-relative either way.
    public var numbering: BlockNumbering = .chapter
    /// `exercises: end` — every chapter's exercises gathered in an "Exercises" section at its
    /// end; `inline` (the default) leaves them where they are written. A chapter's front
    /// matter can choose otherwise.
    public var exercises: ExercisePlacement = .inline

    public init(title: String = "Untitled", subtitle: String? = nil, author: String? = nil,
                chapters: [String]? = nil, cellDefaults: [String: String] = [:]) {
        self.title = title
        self.subtitle = subtitle
        self.author = author
        self.chapters = chapters
        self.cellDefaults = cellDefaults
    }
}

/// Everything `load` produced: the configuration and the chapters in order.
public struct Book: Sendable, Equatable {
    public var config: BookConfig
    public var chapters: [Chapter]
}

/// How numbered blocks count: afresh in each chapter ("Definition 7.2") or through the
/// whole book ("Definition 14").
public enum BlockNumbering: String, Sendable, Equatable, CaseIterable {
    case chapter, book
}

/// Where a chapter's `> [!EXERCISE]` blocks appear: where they are written, or together in
/// an "Exercises" section at the chapter's end (before its references).
public enum ExercisePlacement: String, Sendable, Equatable, CaseIterable {
    case inline, end
}
