import Foundation

/// Values of a function of two variables on a regular grid: the thing heatmaps, contours and
/// surfaces draw. `values[row * columns + column]` is the value at
/// `(x.lowerBound + column·Δx, y.lowerBound + row·Δy)`; rows go up in y.
public struct Field: Sendable, Hashable {
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    public var columns: Int
    public var rows: Int
    public var values: [Double]

    /// Samples `f` on a `resolution × resolution` grid (corners included).
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, resolution: Int = 121,
                _ f: (Double, Double) -> Double) {
        self.init(x: x, y: y, columns: resolution, rows: resolution, f)
    }

    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int,
                _ f: (Double, Double) -> Double) {
        self.x = x
        self.y = y
        self.columns = max(2, columns)
        self.rows = max(2, rows)
        var values: [Double] = []
        values.reserveCapacity(self.columns * self.rows)
        for r in 0..<self.rows {
            let yv = y.lowerBound + (y.upperBound - y.lowerBound) * Double(r) / Double(self.rows - 1)
            for c in 0..<self.columns {
                let xv = x.lowerBound + (x.upperBound - x.lowerBound) * Double(c) / Double(self.columns - 1)
                values.append(f(xv, yv))
            }
        }
        self.values = values
    }

    /// From a table of values, `grid[row][column]`, rows going up in y.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, grid: [[Double]]) {
        self.x = x
        self.y = y
        rows = max(2, grid.count)
        columns = max(2, grid.map(\.count).min() ?? 2)
        var v: [Double] = []
        for r in 0..<rows {
            let row = r < grid.count ? grid[r] : []
            for c in 0..<columns { v.append(c < row.count ? row[c] : .nan) }
        }
        values = v
    }

    public subscript(column: Int, row: Int) -> Double { values[row * columns + column] }

    func xAt(_ column: Double) -> Double { x.lowerBound + (x.upperBound - x.lowerBound) * column / Double(columns - 1) }
    func yAt(_ row: Double) -> Double { y.lowerBound + (y.upperBound - y.lowerBound) * row / Double(rows - 1) }

    /// The smallest and largest finite values (positive only, for a log scale).
    func finiteRange(positiveOnly: Bool = false) -> ClosedRange<Double>? {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite && (!positiveOnly || v > 0) { lo = min(lo, v); hi = max(hi, v) }
        return lo <= hi ? lo...hi : nil
    }

    /// The same grid with every value passed through `transform` (e.g. log10 for log color).
    func mapped(_ transform: (Double) -> Double) -> Field {
        var copy = self
        copy.values = values.map(transform)
        return copy
    }

    /// Bilinear interpolation at a data point; NaN outside the grid.
    func interpolate(_ px: Double, _ py: Double) -> Double {
        let u = (px - x.lowerBound) / (x.upperBound - x.lowerBound) * Double(columns - 1)
        let v = (py - y.lowerBound) / (y.upperBound - y.lowerBound) * Double(rows - 1)
        guard u >= -1e-9, v >= -1e-9, u <= Double(columns - 1) + 1e-9, v <= Double(rows - 1) + 1e-9 else { return .nan }
        let c = min(columns - 2, max(0, Int(u))), r = min(rows - 2, max(0, Int(v)))
        let fu = u - Double(c), fv = v - Double(r)
        let i = r * columns + c
        let a = values[i], b = values[i + 1], d = values[i + columns], e = values[i + columns + 1]
        return (a * (1 - fu) + b * fu) * (1 - fv) + (d * (1 - fu) + e * fu) * fv
    }
}

/// Marching squares: the level set `{f = level}` of a field, as polylines in data coordinates.
public enum MarchingSquares {
    /// Line segments, one or two per grid cell that the level crosses.
    public static func segments(_ field: Field, level: Double) -> [(Point, Point)] {
        raw(field, level: level).map { ($0.a, $0.b) }
    }

    /// The segments chained into polylines (closed ones repeat their first point at the end).
    public static func polylines(_ field: Field, level: Double) -> [[Point]] {
        let segs = raw(field, level: level)
        guard !segs.isEmpty else { return [] }
        var byEdge: [Int: [Int]] = [:]
        for (k, s) in segs.enumerated() {
            byEdge[s.ea, default: []].append(k)
            byEdge[s.eb, default: []].append(k)
        }
        var used = [Bool](repeating: false, count: segs.count)
        var lines: [[Point]] = []
        func walk(from start: Int, startEdge: Int) {
            // `startEdge` is the end of segment `start` we begin at.
            var line: [Point] = []
            var k = start
            var entry = startEdge
            line.append(segs[k].ea == entry ? segs[k].a : segs[k].b)
            while true {
                used[k] = true
                let s = segs[k]
                let exit = s.ea == entry ? s.eb : s.ea
                line.append(s.ea == entry ? s.b : s.a)
                guard let next = byEdge[exit]?.first(where: { !used[$0] }) else { break }
                k = next
                entry = exit
            }
            lines.append(line)
        }
        for (k, s) in segs.enumerated() where !used[k] {
            if byEdge[s.ea]?.count == 1 { walk(from: k, startEdge: s.ea) }
            else if byEdge[s.eb]?.count == 1 { walk(from: k, startEdge: s.eb) }
        }
        for (k, s) in segs.enumerated() where !used[k] { walk(from: k, startEdge: s.ea) }
        return lines
    }

    struct Segment { var a: Point; var b: Point; var ea: Int; var eb: Int }

    static func raw(_ f: Field, level: Double) -> [Segment] {
        var out: [Segment] = []
        let cols = f.columns
        func hEdge(_ c: Int, _ r: Int) -> Int { 2 * (r * cols + c) }
        func vEdge(_ c: Int, _ r: Int) -> Int { 2 * (r * cols + c) + 1 }
        for r in 0..<(f.rows - 1) {
            for c in 0..<(cols - 1) {
                let v00 = f[c, r], v10 = f[c + 1, r], v11 = f[c + 1, r + 1], v01 = f[c, r + 1]
                guard v00.isFinite, v10.isFinite, v11.isFinite, v01.isFinite else { continue }
                let b00 = v00 >= level, b10 = v10 >= level, b11 = v11 >= level, b01 = v01 >= level
                func cross(_ va: Double, _ vb: Double) -> Double {
                    let t = (level - va) / (vb - va)
                    return t.isFinite ? min(1, max(0, t)) : 0.5
                }
                // Crossing points on the four edges: bottom, right, top, left.
                var pts: [(Point, Int)?] = [nil, nil, nil, nil]
                if b00 != b10 { pts[0] = (Point(f.xAt(Double(c) + cross(v00, v10)), f.yAt(Double(r))), hEdge(c, r)) }
                if b10 != b11 { pts[1] = (Point(f.xAt(Double(c + 1)), f.yAt(Double(r) + cross(v10, v11))), vEdge(c + 1, r)) }
                if b01 != b11 { pts[2] = (Point(f.xAt(Double(c) + cross(v01, v11)), f.yAt(Double(r + 1))), hEdge(c, r + 1)) }
                if b00 != b01 { pts[3] = (Point(f.xAt(Double(c)), f.yAt(Double(r) + cross(v00, v01))), vEdge(c, r)) }
                let present = pts.compactMap { $0 }
                func add(_ i: Int, _ j: Int) {
                    if let p = pts[i], let q = pts[j] { out.append(Segment(a: p.0, b: q.0, ea: p.1, eb: q.1)) }
                }
                if present.count == 2 {
                    out.append(Segment(a: present[0].0, b: present[1].0, ea: present[0].1, eb: present[1].1))
                } else if present.count == 4 {
                    let centerAbove = (v00 + v10 + v11 + v01) / 4 >= level
                    if b00 == centerAbove {
                        // Corners 00 and 11 join through the center: cut off 10 and 01.
                        add(0, 1); add(2, 3)
                    } else {
                        add(3, 0); add(1, 2)
                    }
                }
            }
        }
        return out
    }
}
