/// What a cell can put in the page besides its printed text.
///
/// Engine types (figures, tables, tensors) describe themselves as a `Display`; the cell
/// program's `Session` turns it into files plus one manifest record, and the book builder
/// places the record under the cell that produced it.
public enum Display: Sendable, Equatable {
    case image(Image)
    case table(Table)
    /// A value shown as text, like a notebook's `Out[n]`.
    case value(String)

    /// A raster image in PNG form, optionally with a variant drawn for dark pages.
    public struct Image: Sendable, Equatable {
        public var png: [UInt8]
        public var darkPNG: [UInt8]?
        /// Size in CSS pixels (the PNG itself may be drawn at 2× for sharp screens).
        public var width: Int
        public var height: Int
        public var alt: String

        public init(png: [UInt8], darkPNG: [UInt8]? = nil, width: Int, height: Int, alt: String = "") {
            self.png = png
            self.darkPNG = darkPNG
            self.width = width
            self.height = height
            self.alt = alt
        }
    }

    /// A small table of already-formatted cells.
    public struct Table: Sendable, Equatable, Codable {
        public var header: [String]
        public var rows: [[String]]

        public init(header: [String], rows: [[String]]) {
            self.header = header
            self.rows = rows
        }
    }
}

/// Anything a cell can `show(…)`.
public protocol Displayable {
    var display: Display { get }
}

extension Display: Displayable {
    public var display: Display { self }
}
