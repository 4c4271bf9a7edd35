import Foundation

/// The files a cell program and the builder exchange — the display manifest, per-cell
/// timings, the memo log — are JSON values, one per line, appended as the program runs.
public enum JSONLines {
    /// Appends values to one such file, created on the first append. Each line is written
    /// straight to the file (no buffering), so a program that dies keeps every line so far.
    final class Writer {
        private let url: URL
        private var handle: FileHandle?
        private let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return encoder
        }()

        init(_ url: URL) { self.url = url }

        func append(_ value: some Encodable) {
            if handle == nil {
                FileManager.default.createFile(atPath: url.path, contents: Data())
                handle = try? FileHandle(forWritingTo: url)
            }
            guard var line = try? encoder.encode(value) else { return }
            line.append(0x0A)
            handle?.write(line)
        }

        func close() { try? handle?.close() }
    }

    /// Every line of the file at `path` that decodes as `T` (none when it does not exist).
    public static func read<T: Decodable>(_ type: T.Type, from path: String) -> [T] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(T.self, from: Data($0)) }
    }
}

/// One line of `timings.jsonl`: a finished cell's wall time and the program's peak memory.
public struct CellTiming: Codable, Sendable, Equatable {
    public var cell: Int
    public var seconds: Double
    public var peakKB: Int
}
