import Foundation

/// Where the 3-D camera looks from: azimuth around the vertical axis and elevation above the
/// floor, in degrees (matplotlib's defaults).
public struct Camera: Sendable, Hashable {
    public var azimuth: Double = -60
    public var elevation: Double = 30
    public init(azimuth: Double = -60, elevation: Double = 30) {
        self.azimuth = azimuth
        self.elevation = elevation
    }
}

/// A field drawn as a shaded surface `z = f(x, y)` in perspective.
public struct SurfaceMark: Mark {
    public var field: Field
    public var bounds: DataBounds? { DataBounds(x: field.x, y: field.y, exact: true) }
    public var colorValues: ClosedRange<Double>? { field.finiteRange() }
    public var positiveColorValues: ClosedRange<Double>? { field.finiteRange(positiveOnly: true) }
    public var takesCycleColor: Bool { false }
    public func draw(in plot: PlotContext, color: Color) {}
}

extension Panel {
    func renderSurface(on canvas: Canvas, in frame: Rect, theme: Theme) {}
}
