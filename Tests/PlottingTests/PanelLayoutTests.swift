import Foundation
import Testing
@testable import Plotting
import PlottingGallery

/// Panels laid out as values, without painting: where the plot, ticks, labels, color bar and
/// legend go, and a surface's box and mesh.
@Suite struct PanelLayoutTests {
    let frame = Rect(x: 0, y: 0, width: 640, height: 400)
    let metrics = LayoutMetrics(scale: 2)

    func chart(_ figure: Figure, sharing: AxisSharing = AxisSharing()) throws -> ChartLayout {
        let layout = try #require(figure.panels[0].layout(in: frame, sharing: sharing, metrics: metrics))
        guard case .chart(let chart) = layout else { Issue.record("not a chart"); throw CancellationError() }
        return chart
    }

    func surface(_ figure: Figure) throws -> SurfaceLayout {
        let layout = try #require(figure.panels[0].layout(in: frame, metrics: metrics))
        guard case .surface(let surface) = layout else { Issue.record("not a surface"); throw CancellationError() }
        return surface
    }

    func inside(_ r: Rect, _ outer: Rect) -> Bool {
        r.minX >= outer.minX && r.maxX <= outer.maxX && r.minY >= outer.minY && r.maxY <= outer.maxY
    }

    @Test func thePlotLiesInsideTheFrameWithTickLabelsOutsideIt() throws {
        let layout = try chart(Gallery.lines)
        let plot = layout.plot
        #expect(inside(plot, frame))
        #expect(plot.width > 400 && plot.height > 250)
        let labelled = layout.ticks.compactMap(\.label)
        #expect(labelled.count >= 4)
        for label in labelled {
            // Below the plot (x ticks) or left of it (y ticks), never over the data.
            #expect(label.at.y > plot.maxY || label.at.x < plot.minX, "\(label.text) at \(label.at)")
        }
        // Titles and axis labels are outside the plot too.
        #expect(layout.labels.map(\.role) == [.label, .label, .title])
        for label in layout.labels { #expect(!plot.contains(label.at), "\(label.text)") }
        // A log y axis has minor ticks, on the plot's left edge.
        #expect(!layout.minorTicks.isEmpty)
        #expect(layout.minorTicks.allSatisfy { $0.to.x == plot.minX })
    }

    @Test func theLegendIsInsideThePlotInTheCornerWithTheLeastData() throws {
        // Points crowd the upper right: the legend takes the next corner, the upper left.
        let xs = (0..<20).map { 0.8 + 0.01 * Double($0) }
        let figure = Figure.lines().scatter(xs, xs, label: "crowd").line([0, 1], [0.5, 0.5], label: "flat")
            .xRange(0...1).yRange(0...1)
        let layout = try chart(figure)
        let legend = try #require(layout.legend)
        #expect(inside(legend.box, layout.plot))
        #expect(legend.box.minX == layout.plot.minX + LegendLayout.margin)
        #expect(legend.box.minY == layout.plot.minY + LegendLayout.margin)
        #expect(legend.rows.map(\.entry.label) == ["crowd", "flat"])
        #expect(legend.rows.allSatisfy { legend.box.contains($0.swatch) && legend.box.contains($0.label.at) })
        // Placed by hand, or hidden.
        let lowerRight = try #require(try chart(figure.legend(.lowerRight)).legend)
        #expect(lowerRight.box.maxX == layout.plot.maxX - LegendLayout.margin)
        #expect(lowerRight.box.maxY == layout.plot.maxY - LegendLayout.margin)
        #expect(try chart(figure.legend(.hidden)).legend == nil)
    }

    @Test func anEqualAspectPlotHasEqualDataUnitsOnBothAxes() throws {
        let figure = Figure.lines().line([0, 4], [0, 1]).xRange(0...4).yRange(0...1)
        let free = try chart(figure).plot
        let equal = try chart(figure.equalAspect()).plot
        func unit(_ r: Rect) -> (x: Double, y: Double) { (r.width / 4, r.height / 1) }
        #expect(abs(unit(free).x - unit(free).y) > 10, "the test needs a plot that is not already equal")
        #expect(abs(unit(equal).x - unit(equal).y) < 1e-9)
        // It shrinks inside the room the free plot had, centred.
        #expect(inside(equal, free))
        #expect(abs(equal.midX - free.midX) < 1e-9 && abs(equal.midY - free.midY) < 1e-9)
    }

    @Test func theColorBarStandsRightOfThePlotInsideTheFrame() throws {
        let layout = try chart(Gallery.heatmap)
        let bar = try #require(layout.colorBar)
        #expect(bar.rect.minX > layout.plot.maxX)
        #expect(bar.rect.minY == layout.plot.minY && bar.rect.height == layout.plot.height)
        #expect(bar.ticks.allSatisfy { $0.line.from.y >= bar.rect.minY - 0.5 && $0.line.from.y <= bar.rect.maxY + 0.5 })
        let label = try #require(bar.label)
        #expect(label.rotated && label.at.x > bar.rect.maxX && label.at.x <= frame.maxX)
        // A smooth ramp for a heatmap, bands at the levels for filled contours, no bar when hidden.
        #expect(bar.levels == nil)
        let filled = try #require(try chart(Gallery.contour).colorBar)
        #expect(filled.levels?.isEmpty == false)
        #expect(try chart(Gallery.heatmap.colorBar(false)).colorBar == nil)
        // No grid lines beneath a field.
        #expect(layout.gridLines.isEmpty)
        #expect(try !chart(Gallery.lines).gridLines.isEmpty)
    }

    @Test func sharedAxesDropTheirTickLabels() throws {
        let figure = Gallery.lines
        var sharing = AxisSharing()
        sharing.hideXTickLabels = true
        sharing.hideYTickLabels = true
        let own = try chart(figure), shared = try chart(figure, sharing: sharing)
        #expect(shared.ticks.allSatisfy { $0.label == nil })
        #expect(!shared.ticks.isEmpty)
        // The room the labels took goes to the plot.
        #expect(shared.plot.width > own.plot.width && shared.plot.height > own.plot.height)
    }

    @Test func crowdedCategoriesStandUprightAndGroupedBarsTakeSlots() throws {
        let crowded = Gallery.crowded.panels[0]
        let layout = try #require(crowded.layout(in: Rect(x: 0, y: 0, width: 320, height: 300), metrics: metrics))
        guard case .chart(let bars) = layout else { Issue.record("not a chart"); return }
        let labels = bars.ticks.compactMap(\.label).filter { $0.at.y > bars.plot.maxY }
        #expect(labels.count == 13)
        #expect(labels.allSatisfy { $0.rotated })
        let grouped = try chart(Gallery.bars)
        #expect(grouped.marks.map { $0.barSlot.index } == [0, 1])
        #expect(grouped.marks.allSatisfy { $0.barSlot.count == 2 })
        #expect(grouped.marks[0].color != grouped.marks[1].color)
    }

    @Test func aSurfaceIsItsOwnKindOfPanel() throws {
        let figure = Gallery.surface
        let panel = figure.panels[0]
        #expect(panel.surface != nil)
        #expect(panel.marks.allSatisfy { $0.ridesOnSurface }, "only its path is a mark")
        #expect(Gallery.lines.panels[0].surface == nil)
        let layout = try surface(figure)
        let field = try #require(panel.surface?.field)
        // Every quad of a finite field is drawn, far to near.
        #expect(layout.mesh.quads.count == (field.columns - 1) * (field.rows - 1))
        let depths = layout.mesh.quads.map { i -> Double in
            let c = layout.mesh.corners(ofQuad: i)
            let x = (field.xAt(Double(c[0] % field.columns)) + field.xAt(Double(c[1] % field.columns))) / 2
            let y = (field.yAt(Double(c[0] / field.columns)) + field.yAt(Double(c[3] / field.columns))) / 2
            return layout.box.camera.raw(Vector3(layout.box.X(x), layout.box.Y(y), 0)).1
        }
        #expect(zip(depths, depths.dropFirst()).allSatisfy { $0 >= $1 - 1e-12 })
        #expect(layout.paths.count == 1)
        #expect(layout.legend != nil)
        // The box and its color bar lie in the frame, the bar right of the box.
        let screen = SurfaceBox.corners.map { layout.box.screen($0) }
        #expect(screen.allSatisfy { frame.contains($0) })
        let bar = try #require(layout.colorBar)
        #expect(inside(bar.rect, frame))
        #expect(bar.rect.minX > screen.map(\.x).max()!)
    }

    @Test func aSurfacesTickLabelsNeverOverlap() throws {
        let layout = try surface(Gallery.surface.zLabel("loss"))
        let boxes = layout.tickLabels.map { label -> Rect in
            let size = metrics.measure(label.text, size: TypeSize.tick)
            let x = label.horizontal == .center ? label.at.x - size.width / 2 : label.at.x - size.width
            return Rect(x: x, y: label.at.y - size.height / 2, width: size.width, height: size.height)
        }
        #expect(boxes.count >= 6, "labels on all three axes")
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] {
                #expect(!(a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY))
            }
        }
        #expect(layout.labels.map(\.text) == ["x", "y", "loss"])
        #expect(layout.labels.last?.rotated == true)
    }

    @Test func aSurfaceWithNoFiniteHeightIsNotLaidOut() {
        let figure = Figure.surface(x: 0...1, y: 0...1, resolution: 5) { _, _ in .nan }
        #expect(figure.panels[0].layout(in: frame, metrics: metrics) == nil)
    }

    @Test func marksSayHowTheyAreNamedInAltText() {
        #expect(Gallery.surface.alt.hasPrefix("3-D surface “Double well”"))
        #expect(Gallery.contour.alt.hasPrefix("Filled contour plot"))
        #expect(Gallery.rosenbrockPaths.alt.hasPrefix("Contour plot"))
        #expect(Gallery.bars.alt.hasPrefix("Bar chart"))
        #expect(Gallery.scatter.alt.hasPrefix("Scatter plot"))
        #expect(Gallery.basins.alt.hasPrefix("Map of regions"))
        #expect(Gallery.spectrum.alt.hasPrefix("Histogram"))
        #expect(Gallery.lines.alt.hasPrefix("Plot"))
    }
}
