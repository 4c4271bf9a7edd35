/// Stage 5's product: a chapter's document tree, what it serializes to, the sections a reader
/// and the search index see in it, and the files it refers to.
public struct Page: Sendable, Equatable {
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var id: String
        /// `1.2`, when the heading is numbered.
        public var number: String? = nil
    }

    /// A stretch of the page from one outline heading to the next: what the on-page outline
    /// lists and what search results link to (`page.html#id`).
    public struct Section: Sendable, Equatable {
        public var level: Int
        public var id: String
        public var number: String?
        public var title: String
        /// The visible text of the section, its heading excluded.
        public var text: String
    }

    public var chapter: Chapter
    public var title: String
    /// The `<article>` contents, as a tree.
    public private(set) var content: [HTMLNode]
    /// `content` serialized.
    public private(set) var body: String
    /// Level 1–3 headings after the title, for the on-page outline.
    public private(set) var outline: [Heading]
    /// The visible text before the first outline heading, the title excluded.
    public private(set) var introduction: String
    public private(set) var sections: [Section]
    /// Files to copy into the site: (absolute source, path relative to the site root).
    public var assets: [Asset]
    /// Labelled definitions, theorems, exercises, … (for search).
    public var blocks: [Labelled] = []

    public struct Labelled: Sendable, Equatable {
        public var id: String
        /// "Definition 7.2 Strict saddle".
        public var title: String
        /// The block's visible text.
        public var text: String
    }

    public struct Asset: Sendable, Equatable {
        public var source: String
        public var destination: String
    }

    public init(chapter: Chapter, title: String, content: [HTMLNode], outline: [Heading], assets: [Asset],
                blocks: [Labelled] = []) {
        self.chapter = chapter
        self.title = title
        self.content = content
        self.outline = outline
        self.assets = assets
        self.blocks = blocks
        body = content.html
        (introduction, sections) = PlainText.sections(of: content, outline: outline)
    }

    /// Puts `nodes` before the page's content (the `--keep-going` banner of a failed chapter).
    public mutating func prepend(_ nodes: [HTMLNode]) {
        self = Page(chapter: chapter, title: title, content: nodes + content, outline: outline, assets: assets, blocks: blocks)
    }
}
