import Testing
@testable import Models
import Autodiff

@Suite struct DatasetsTests {
    @Test("Same seed, same points; another seed, other points")
    func seeded() {
        #expect(Datasets.twoMoons(seed: 3).inputs == Datasets.twoMoons(seed: 3).inputs)
        #expect(Datasets.twoMoons(seed: 3).inputs != Datasets.twoMoons(seed: 4).inputs)
        #expect(Datasets.spirals(seed: 1).labels == Datasets.spirals(seed: 1).labels)
        #expect(Datasets.blobs(seed: 2).inputs == Datasets.blobs(seed: 2).inputs)
    }

    @Test("Two moons without noise lie on their two half-circles, half and half")
    func moonsGeometry() {
        let d = Datasets.twoMoons(count: 101, noise: 0, seed: 0)
        #expect(d.count == 101 && d.labels.filter { $0 == 0 }.count == 51)
        for (p, y) in zip(d.points, d.labels) {
            // outer: |p| = 1, y ≥ 0; inner: |p − (1, ½)| = 1, y ≤ ½
            let (cx, cy) = y == 0 ? (0.0, 0.0) : (1.0, 0.5)
            let r = ((p[0] - cx) * (p[0] - cx) + (p[1] - cy) * (p[1] - cy)).squareRoot()
            #expect(abs(r - 1) < 1e-12)
            #expect(y == 0 ? p[1] >= -1e-12 : p[1] <= 0.5 + 1e-12)
        }
    }

    @Test("Spirals: radii spread over [0, 1], classes balanced")
    func spiralsShape() {
        let d = Datasets.spirals(count: 300, classes: 3, seed: 0)
        #expect(d.count == 300 && d.classCount == 3)
        #expect((0..<3).allSatisfy { k in d.labels.filter { $0 == k }.count == 100 })
        let radii = d.points.map { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() }
        #expect(radii.max()! <= 1 + 1e-12 && radii.min()! == 0)
    }

    @Test("Blobs: class means near their centers")
    func blobMeans() {
        let centers: [[Double]] = [[-2, 0], [2, 0], [0, 3]]
        let d = Datasets.blobs(count: 3000, centers: centers, spread: 0.5, seed: 0)
        for k in 0..<3 {
            let pts = zip(d.points, d.labels).filter { $0.1 == k }.map(\.0)
            let mx = pts.map { $0[0] }.reduce(0, +) / Double(pts.count)
            let my = pts.map { $0[1] }.reduce(0, +) / Double(pts.count)
            // standard error 0.5/√1000 ≈ 0.016; allow 5 of them
            #expect(abs(mx - centers[k][0]) < 0.08 && abs(my - centers[k][1]) < 0.08)
        }
    }

    @Test("Linearly separable with a margin; label noise breaks it")
    func linearData() {
        let d = Datasets.linear(count: 200, margin: 0.1, seed: 0)
        #expect(d.count == 200 && Set(d.labels) == [0, 1])
        let noisy = Datasets.linear(count: 200, labelNoise: 0.2, seed: 0)
        #expect(noisy.labels != Datasets.linear(count: 200, seed: 0).labels)
    }

    @Test("Split and batches partition the examples, reproducibly")
    func splitAndBatches() {
        let d = Datasets.blobs(count: 100, seed: 0)
        let (train, test) = d.split(testFraction: 0.2, seed: 1)
        #expect(train.count == 80 && test.count == 20)
        let all = (train.points + test.points).map { "\($0)" }.sorted()
        #expect(all == d.points.map { "\($0)" }.sorted())
        var rng = RNG(seed: 9)
        let batches = d.batches(size: 32, using: &rng)
        #expect(batches.map(\.count) == [32, 32, 32, 4])
        var rng2 = RNG(seed: 9)
        #expect(d.batches(size: 32, using: &rng2).map(\.labels) == batches.map(\.labels))
    }

    @Test("Teacher–student targets come from a tanh network of the inputs")
    func teacherStudent() {
        let d = Datasets.teacherStudent(count: 64, inputDimension: 3, teacherWidth: 4, seed: 0)
        #expect(d.inputs.shape == [64, 3] && d.targets?.shape == [64, 1])
        #expect(d.targets!.scalars.allSatisfy { abs($0) < 2 + 1e-12 })  // |Σ 4 terms of tanh·w| with w ~ N(0, ¼) is small
    }
}
