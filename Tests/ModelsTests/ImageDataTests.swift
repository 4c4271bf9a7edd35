import Testing
@testable import Models
import Autodiff
import Foundation

/// A temporary folder with Fashion-MNIST-shaped IDX files the test writes itself.
struct IDXFixture {
    let directory: String

    /// `n` images of 3×2 pixels whose bytes are (7·i + j) mod 256, labels i mod classes.
    init(images n: Int = 12, classes: Int = 3, name: String = #function) throws {
        directory = NSTemporaryDirectory() + "litopt-idx-\(getpid())-\(name.filter(\.isLetter))"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/fashion-mnist", withIntermediateDirectories: true)
        let pixels = (0..<(n * 6)).map { UInt8(($0 * 7) % 256) }
        let labels = (0..<n).map { UInt8($0 % classes) }
        for split in [FashionMNIST.Split.train, .test] {
            let f = FashionMNIST.files(split, in: directory + "/fashion-mnist")
            try write(IDX.encode(IDX.Contents(dimensions: [n, 3, 2], bytes: pixels)), gzip: true, to: f.images)
            try write(IDX.encode(IDX.Contents(dimensions: [n], bytes: labels)), gzip: true, to: f.labels)
        }
    }

    func write(_ bytes: [UInt8], gzip: Bool, to path: String) throws {
        try Data(gzip ? Gzip.compress(bytes) : bytes).write(to: URL(fileURLWithPath: path))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite struct ImageDataTests {
    @Test("gzip round trip through zlib; truncated and corrupted streams throw")
    func gzipRoundTrip() throws {
        let data = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 31 / 7) }
        let packed = Gzip.compress(data)
        #expect(packed[0] == 0x1f && packed[1] == 0x8b)  // the gzip magic
        #expect(try Gzip.decompress(packed) == data)
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(packed.dropLast(9))) }
        var flipped = packed
        flipped[packed.count - 6] ^= 0xff  // the CRC-32 in the trailer
        #expect(throws: GzipError.self) { try Gzip.decompress(flipped) }
        #expect(throws: GzipError.self) { try Gzip.decompress([1, 2, 3, 4, 5]) }
        #expect(throws: GzipError.self) { try Gzip.decompress([]) }
    }

    @Test("IDX: encode/parse round trip; bad magic, type, rank, truncation and trailing bytes name the file")
    func idxValidation() throws {
        let good = IDX.Contents(dimensions: [2, 3], bytes: [1, 2, 3, 4, 5, 6])
        let bytes = IDX.encode(good)
        #expect(bytes.prefix(12) == [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(try IDX.parse(bytes, file: "x.idx") == good)
        func message(_ b: [UInt8]) -> String {
            do { _ = try IDX.parse(b, file: "dir/x.idx"); return "parsed" } catch { return error.description }
        }
        #expect(message([0, 0, 8]) .hasPrefix("dir/x.idx: error: not an IDX file"))
        #expect(message([1] + bytes.dropFirst()).contains("magic number starts with 01 00"))
        #expect(message([0, 0, 0x0d] + bytes.dropFirst(3)).contains("element type 0d is not supported"))
        #expect(message([0, 0, 8, 0]).contains("declares 0 dimensions"))
        #expect(message(Array(bytes.prefix(10))).contains("truncated: the header needs 12 bytes"))
        #expect(message(Array(bytes.dropLast())) == "dir/x.idx: error: truncated: dimensions [2, 3] need 6 bytes of data, the file has 5")
        #expect(message(bytes + [9]).contains("1 bytes after the 6 bytes"))
    }

    @Test("Loading a written Fashion-MNIST folder through LITOPT_DATA's layout; broken files name themselves")
    func loadFixture() throws {
        let fixture = try IDXFixture()
        defer { fixture.remove() }
        #expect(FashionMNIST.directory(dataRoot: fixture.directory) == fixture.directory + "/fashion-mnist")
        #expect(FashionMNIST.directory(dataRoot: nil) == "/usr/share/datasets/fashion-mnist")
        let dir = FashionMNIST.directory(dataRoot: fixture.directory)
        #expect(FashionMNIST.isAvailable(in: dir))
        let d = try FashionMNIST.load(.train, from: dir)
        #expect(d.count == 12 && d.height == 3 && d.width == 2 && d.channels == 1 && d.classCount == 10)
        #expect(d.labels == (0..<12).map { $0 % 3 })
        let x = d.images(at: [1])
        #expect(x.shape == [1, 1, 3, 2])
        let expected: [Double] = (6..<12).map { (i: Int) -> Double in Double((i * 7) % 256) / 255 }
        #expect(x.scalars == expected)

        // A truncated gzip file, a corrupt one, and labels that disagree with the images.
        let f = FashionMNIST.files(.test, in: dir)
        let packed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: f.images)))
        try fixture.write(Array(packed.prefix(packed.count / 2)), gzip: false, to: f.images)
        #expect(loadError(dir) == "\(f.images): error: the compressed data ends early (truncated file)")
        var corrupt = packed
        corrupt[packed.count - 3] ^= 0x55
        try fixture.write(corrupt, gzip: false, to: f.images)
        #expect(loadError(dir).hasPrefix("\(f.images): error: corrupt gzip data"))
        try fixture.write(IDX.encode(IDX.Contents(dimensions: [12, 3, 2], bytes: [UInt8](repeating: 0, count: 72))), gzip: true, to: f.images)
        try fixture.write(IDX.encode(IDX.Contents(dimensions: [11], bytes: [UInt8](repeating: 0, count: 11))), gzip: true, to: f.labels)
        #expect(loadError(dir) == "\(f.labels): error: 11 labels for the 12 images of \(f.images)")
        try fixture.write(IDX.encode(IDX.Contents(dimensions: [12], bytes: [UInt8](repeating: 10, count: 12))), gzip: true, to: f.labels)
        #expect(loadError(dir) == "\(f.labels): error: label 10 of example 0 is not below 10")
        try FileManager.default.removeItem(atPath: f.labels)
        #expect(loadError(dir).hasPrefix("\(f.labels): error: Fashion-MNIST file not found"))
    }

    func loadError(_ dir: String) -> String {
        do { _ = try FashionMNIST.load(.test, from: dir); return "loaded" } catch { return error.description }
    }

    /// 30 images of 2×2, 3 classes of 10; pixel bytes i and label i mod 3.
    func small() -> ImageDataset {
        ImageDataset(pixels: (0..<120).map { UInt8($0 / 4) }, labels: (0..<30).map { $0 % 3 }, height: 2, width: 2)
    }

    @Test("Seeded subsets and stratified splits: deterministic, disjoint, class shares kept")
    func subsetsAndSplits() {
        let d = small()
        #expect(d.classCounts == [10, 10, 10])
        let a = d.randomSubset(count: 7, seed: 5), b = d.randomSubset(count: 7, seed: 5)
        #expect(a.indices == b.indices && a.count == 7 && a.indices == a.indices.sorted())
        #expect(a.indices != d.randomSubset(count: 7, seed: 6).indices)
        let s = d.stratifiedSubset(perClass: 4, seed: 1)
        #expect(s.classCounts == [4, 4, 4])
        #expect(s.indices == d.stratifiedSubset(perClass: 4, seed: 1).indices)
        let (train, test) = d.stratifiedSplit(testFraction: 0.3, seed: 2)
        #expect(train.classCounts == [7, 7, 7] && test.classCounts == [3, 3, 3])
        #expect(Set(train.indices).isDisjoint(with: test.indices) && train.count + test.count == 30)
        #expect(test.indices == d.stratifiedSplit(testFraction: 0.3, seed: 2).test.indices)
        // a view of a view points into the same store
        let nested = test.subset([0, 2])
        #expect(nested.indices == [test.indices[0], test.indices[2]])
        #expect(nested.images == test.images(at: [0, 2]))
    }

    @Test("Standardization: mean 0 and variance 1 over the view; a test set takes its training set's statistics")
    func normalization() {
        let d = small().standardized()
        let x = d.images
        let m = x.mean().scalar, v = (x - m).squared().mean().scalar
        #expect(abs(m) < 1e-12 && abs(v - 1) < 1e-12)
        // byte values 0..29 /255, each 4 times: mean 14.5/255
        #expect(abs(d.mean - 14.5 / 255) < 1e-15)
        let other = small().prefix(3).normalized(like: d)
        #expect(other.mean == d.mean && other.standardDeviation == d.standardDeviation)
        #expect(abs(other.images.scalars[0] - (0 - d.mean) / d.standardDeviation) < 1e-15)
    }

    @Test("Minibatches: each example once per epoch, seeded order, tensors match the view")
    func minibatches() {
        let d = small().stratifiedSubset(perClass: 5, seed: 0)
        var r1 = RNG(seed: 9), r2 = RNG(seed: 9)
        let epoch = Array(d.batches(size: 4, using: &r1))
        #expect(epoch.count == 4 && d.batches(size: 4, using: &r2).count == 4)
        #expect(epoch.map(\.images.shape) == [[4, 1, 2, 2], [4, 1, 2, 2], [4, 1, 2, 2], [3, 1, 2, 2]])
        #expect(epoch.flatMap(\.positions).sorted() == Array(0..<15))
        for b in epoch {
            #expect(b.images == d.images(at: b.positions))
            #expect(b.labels == b.positions.map { d.labels[$0] })
        }
        var r3 = RNG(seed: 9)
        #expect(Array(d.batches(size: 4, using: &r3)).flatMap(\.positions) == epoch.flatMap(\.positions))
        let next = Array(d.batches(size: 4, using: &r1)).flatMap(\.positions)
        #expect(next != epoch.flatMap(\.positions))  // a new order the next epoch
        let flat = d.flattened()
        #expect(flat.inputs.shape == [15, 4] && flat.labels == d.labels)
    }

    @Test("The real Fashion-MNIST package, when installed: 60 000 + 10 000 images of 28×28, balanced classes",
          .enabled(if: FashionMNIST.isAvailable(in: FashionMNIST.packageDirectory)))
    func realPackage() throws {
        let test = try FashionMNIST.load(.test, from: FashionMNIST.packageDirectory)
        #expect(test.count == 10_000 && test.height == 28 && test.width == 28)
        #expect(test.classCounts == [Int](repeating: 1000, count: 10))
        let train = try FashionMNIST.load(.train, from: FashionMNIST.packageDirectory)
        #expect(train.count == 60_000 && train.classCounts == [Int](repeating: 6000, count: 10))
        let s = train.standardized()
        // Fashion-MNIST's pixel mean is about 0.286 and its deviation about 0.353 (Xiao et al.'s data).
        #expect(abs(s.mean - 0.286) < 0.001 && abs(s.standardDeviation - 0.353) < 0.001)
    }
}

@Suite struct StrokesTests {
    @Test("Strokes: seeded, balanced, one stroke of full intensity per image in its class's direction")
    func strokes() {
        let d = Datasets.strokes(count: 30, size: 8, noise: 0, seed: 5)
        #expect(d.classCounts == [10, 10, 10] && d.height == 8 && d.width == 8)
        #expect(d.images == Datasets.strokes(count: 30, size: 8, noise: 0, seed: 5).images)
        for i in 0..<30 {
            let on = d.images(at: [i]).scalars.enumerated().filter { $0.element == 1 }.map { ($0.offset / 8, $0.offset % 8) }
            #expect(on.count == 4)
            let (dy, dx) = (on[1].0 - on[0].0, on[1].1 - on[0].1)
            #expect([(0, 1), (1, 0), (1, 1)][d.labels[i]] == (dy, dx))
        }
    }
}
