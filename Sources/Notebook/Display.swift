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
    /// One figure per value of a parameter, scrubbed with a slider in the page.
    case explorable(Explorable)

    /// A family of figures over one parameter: every frame drawn at build time, the page
    /// showing `initial` (a complete figure without JavaScript) and a slider through the rest.
    public struct Explorable: Sendable, Equatable {
        /// The knob's name as the reader sees it ("ρ", "step").
        public var parameter: String
        /// Each frame's value as the readout shows it ("ρ = 0.05").
        public var labels: [String]
        public var frames: [Image]
        /// A sentence or number per frame, shown under the figure and changing with it.
        public var readouts: [String]?
        public var initial: Int
        /// A time axis: the slider gets a play button.
        public var animated: Bool
        /// Two knobs over a grid: each axis's name and value labels, frames in row-major order
        /// (frame i·m + j for the first axis's value i and the second's j). Nil for one knob.
        public var axes: [Axis]?

        /// One knob of a two-knob grid.
        public struct Axis: Sendable, Equatable, Codable {
            public var parameter: String
            public var labels: [String]
            public init(parameter: String, labels: [String]) {
                self.parameter = parameter
                self.labels = labels
            }
        }

        public init(parameter: String, labels: [String], frames: [Image], readouts: [String]? = nil,
                    initial: Int = 0, animated: Bool = false, axes: [Axis]? = nil) {
            self.parameter = parameter
            self.labels = labels
            self.frames = frames
            self.readouts = readouts
            self.initial = initial
            self.animated = animated
            self.axes = axes
        }
    }

    /// A raster image in PNG form, optionally with a variant drawn for dark pages.
    public struct Image: Sendable, Equatable {
        public var png: [UInt8]
        public var darkPNG: [UInt8]?
        /// Size in CSS pixels (the PNG itself may be drawn at 2× for sharp screens).
        public var width: Int
        public var height: Int
        public var alt: String
        /// The smallest text in the image, in its own CSS pixels (nil: unknown). The page
        /// shows it scaled by the displayed width over `width`.
        public var textPixels: Double?
        /// The same figure laid out for narrow screens (panels stacked), which the page shows
        /// instead below `Variant.narrowMedia`.
        public var narrow: Variant?

        /// Another layout of the same image.
        public struct Variant: Sendable, Equatable {
            public var png: [UInt8]
            public var darkPNG: [UInt8]?
            public var width: Int
            public var height: Int
            public var textPixels: Double?
            public init(png: [UInt8], darkPNG: [UInt8]? = nil, width: Int, height: Int, textPixels: Double? = nil) {
                self.png = png
                self.darkPNG = darkPNG
                self.width = width
                self.height = height
                self.textPixels = textPixels
            }
        }

        public init(png: [UInt8], darkPNG: [UInt8]? = nil, width: Int, height: Int, alt: String = "",
                    textPixels: Double? = nil, narrow: Variant? = nil) {
            self.png = png
            self.darkPNG = darkPNG
            self.width = width
            self.height = height
            self.alt = alt
            self.textPixels = textPixels
            self.narrow = narrow
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
