/// Stage 5's product: a chapter's HTML body and the files it refers to.
public struct Page: Sendable, Equatable {
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var id: String
    }

    public var chapter: Chapter
    public var title: String
    /// The `<article>` contents.
    public var body: String
    /// Level 2–3 headings, for the on-page outline.
    public var outline: [Heading]
    /// Files to copy into the site: (absolute source, path relative to the site root).
    public var assets: [Asset]
    /// Labelled definitions, theorems, exercises, … (for search).
    public var blocks: [Labelled] = []

    public struct Labelled: Sendable, Equatable {
        public var id: String
        /// "Definition 7.2 Strict saddle".
        public var title: String
        public var html: String
    }

    public struct Asset: Sendable, Equatable {
        public var source: String
        public var destination: String
    }
}
