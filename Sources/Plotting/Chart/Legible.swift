import Foundation

/// Figures sized for the column they land in.
///
/// A figure is drawn at its CSS size and then shown scaled to the page's column, so its text
/// shrinks by `column / width`: an 11 px tick label of a 1000 px wide figure in a 540 px column
/// reads at 6 px. The book therefore draws every figure twice:
///
/// - `legible`, for desktop columns: text, lines and margins magnified by `width / legibleColumn`
///   (at least 1), so that in a column `legibleColumn` wide the smallest text is still
///   `TypeSize.tick` CSS pixels; panels of a grid that would then be narrower than
///   `minimumPanelWidth` wrap onto more rows (the figure grows taller);
/// - `stacked`, for phones and narrow windows: `stackedWidth` wide, every panel in one column,
///   magnified by `stackedWidth / stackedColumn`, so that in a `stackedColumn` wide column the
///   smallest text is `TypeSize.tick` pixels.
extension Figure {
    /// The narrowest desktop column the `legible` layout is sized for (CSS px).
    public static let legibleColumn = 540.0
    /// The width of the `stacked` layout (CSS px) and the narrowest column it is sized for.
    public static let stackedWidth = 400.0
    public static let stackedColumn = 320.0
    /// A grid's panels are at least this wide in layout units (before magnification).
    static let minimumPanelWidth = 240.0

    /// The smallest text the figure draws, in its own CSS pixels (tick and legend labels).
    public var smallestTextPixels: Double { min(TypeSize.tick, TypeSize.legend) * typeScale }

    /// The height of the band above a grid that holds its title, in layout units.
    private var titleBand: Double { suptitle != nil && panels.count > 1 ? TypeSize.title + 12 : 0 }

    private func rows(columns: Int) -> Int { max(1, (panels.count + columns - 1) / columns) }
    private var effectiveColumns: Int { min(max(1, columns), max(1, panels.count)) }

    /// The figure laid out for a desktop column (see the type's documentation).
    public var legible: Figure {
        var f = self
        f.typeScale = max(1, width / Self.legibleColumn)
        let oldColumns = effectiveColumns
        var newColumns = oldColumns
        while newColumns > 1, width / f.typeScale / Double(newColumns) < Self.minimumPanelWidth { newColumns -= 1 }
        if newColumns != oldColumns {
            // Each panel keeps its height, or takes a landscape shape if that is taller.
            let cellHeight = (height - titleBand * typeScale) / Double(rows(columns: oldColumns))
            let cellWidth = width / Double(newColumns)
            f.columns = newColumns
            f.height = (f.titleBand * f.typeScale + Double(rows(columns: newColumns)) * max(cellHeight, 0.62 * cellWidth)).rounded()
        }
        return f
    }

    /// The figure stacked for a phone's column (see the type's documentation), or nil when the
    /// figure is already no wider than `stackedColumn` and reads as it is.
    public var stacked: Figure? {
        guard width > Self.stackedColumn, !panels.isEmpty else { return nil }
        let wide = legible
        let wideColumns = wide.effectiveColumns
        let cellWidth = wide.width / wide.typeScale / Double(wideColumns)
        let cellHeight = (wide.height / wide.typeScale - wide.titleBand) / Double(wide.rows(columns: wideColumns))
        var f = self
        f.typeScale = Self.stackedWidth / Self.stackedColumn
        f.columns = 1
        f.width = Self.stackedWidth
        // Each panel keeps the shape it has on the desktop, between a landscape 0.66 and a square.
        let square = panels.contains { $0.axes.equalAspect || $0.surface != nil }
        let shape = square ? 0.9 : min(1, max(0.66, cellHeight / max(1, cellWidth)))
        let panelHeight = Self.stackedColumn * shape
        f.height = ((f.titleBand + Double(panels.count) * panelHeight) * f.typeScale).rounded()
        return f
    }
}
