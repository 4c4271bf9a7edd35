import Foundation

extension PanelPainter {
    /// Back panes with their grid, the surface far to near, the paths over it, then the labels,
    /// the legend, the title and the color bar.
    func paint(_ layout: SurfaceLayout) {
        for pane in layout.panes { canvas.fill(polygon: pane, color: theme.pane) }
        for line in layout.paneGrid { stroke(line, width: 0.7, color: theme.paneGrid) }
        for pane in layout.panes { canvas.strokeClosed(pane, width: 0.8, color: theme.axis.opacity(0.6)) }
        paint(layout.mesh)
        // Paths ride on the surface, drawn over it (a path behind a hill shows through).
        for placed in layout.paths {
            placed.mark.drawOnSurface(canvas: canvas, color: placed.color, project: layout.box.onSurface)
        }
        for label in layout.tickLabels + layout.labels { paint(label) }
        if let legend = layout.legend { paint(legend) }
        if let title = layout.title { paint(title) }
        if let bar = layout.colorBar { paint(bar) }
    }

    /// Each quad Gouraud-shaded (as two triangles), grown by a device pixel so neighbours leave
    /// no seams; the front walls last, nearest to the eye.
    func paint(_ mesh: SurfaceMesh) {
        let dilation = 1.0 / canvas.scale
        for quad in mesh.quads {
            let ids = mesh.corners(ofQuad: quad)
            canvas.fill(quad: ids.map { mesh.points[$0] }, colors: ids.map { mesh.colors[$0] }, dilation: dilation)
        }
        for wall in mesh.walls {
            canvas.fill(polygon: wall.outline, color: wall.color.mixed(with: theme.pane, 0.55))
        }
    }
}
