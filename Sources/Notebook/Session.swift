import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The running cell program's side of the notebook contract.
///
/// The generated `main.swift` calls `Session.shared.begin(cell:)` before each cell; from
/// then on the process's stdout and stderr both go to that cell's capture file (one file,
/// so their relative order is kept), and `show` writes into the same folder.
public final class Session: @unchecked Sendable {
    public static let shared = Session()

    private let directory: URL?
    private var currentCell = 0
    private var imageCount = 0
    /// `manifest.jsonl`, `timings.jsonl` and `memo.jsonl` in the output folder.
    private let manifest: JSONLines.Writer?
    private let timings: JSONLines.Writer?
    private let memoLog: JSONLines.Writer?
    private let inlineLog: JSONLines.Writer?
    private let claimLog: JSONLines.Writer?
    private let watchdog = Watchdog()
    private var cellStart: DispatchTime?
    private let memoStore = MemoStore(environment: ProcessInfo.processInfo.environment)
    /// Digest of the running cell's source and every cell's before it (see `memoize`).
    private var memoScope = ""
    /// The running cell is `measured=true`.
    private var keepsMeasurements = false

    private init() {
        let directory = ProcessInfo.processInfo.environment[NotebookFiles.outputDirectoryVariable]
            .map { URL(fileURLWithPath: $0, isDirectory: true) }
        self.directory = directory
        manifest = directory.map { JSONLines.Writer($0.appendingPathComponent(NotebookFiles.manifest)) }
        timings = directory.map { JSONLines.Writer($0.appendingPathComponent(NotebookFiles.timings)) }
        memoLog = directory.map { JSONLines.Writer($0.appendingPathComponent(NotebookFiles.memoLog)) }
        inlineLog = directory.map { JSONLines.Writer($0.appendingPathComponent(NotebookFiles.inline)) }
        claimLog = directory.map { JSONLines.Writer($0.appendingPathComponent(NotebookFiles.claims)) }
    }

    /// Records the text of inline value `index` (or, with `option`, a computed caption or
    /// alt text of cell `index`). Outside the builder it prints it.
    public func inlineValue(_ index: Int, option: String? = nil, _ text: String) {
        guard let inlineLog else {
            print(text)
            return
        }
        inlineLog.append(InlineRecord(index: index, option: option, text: Self.capped(text)))
    }

    /// Records a claim; one that fails with severity warning also leaves a notice in the page
    /// at this point of the cell's output. Outside the builder a failed claim is printed.
    public func claim(_ statement: String, holds: Bool, values: String, severity: ClaimRecord.Severity,
                      file: String, line: Int, column: Int) {
        guard let claimLog else {
            if !holds { print("claim failed: \(statement)\(values.isEmpty ? "" : " (\(values))")") }
            return
        }
        claimLog.append(ClaimRecord(cell: currentCell, statement: statement, holds: holds, values: values,
                                    severity: severity, file: file, line: line, column: column))
        if !holds, severity == .warning {
            fflush(nil)
            let offset = lseek(STDOUT_FILENO, 0, SEEK_CUR)
            manifest?.append(OutputRecord(cell: currentCell, item: .failedClaim(statement: statement, values: values),
                                          textOffset: offset >= 0 ? Int(offset) : nil))
        }
    }

    /// Redirects stdout/stderr to cell `index`'s capture file and arms its time limit.
    /// `scope` identifies the source of this cell and of every cell before it, for `memoize`.
    /// `measured`: the cell's `memo` values are measurements of the machine, kept even when
    /// the build recomputes every other value (`--no-cache`).
    public func begin(cell index: Int, timeout: Double = .infinity, scope: String = "", measured: Bool = false) {
        recordTiming()
        currentCell = index
        memoScope = scope
        keepsMeasurements = measured
        cellStart = DispatchTime.now()
        guard let directory else { return }
        watchdog.arm(cell: index, seconds: timeout, directory: directory)
        fflush(nil)  // every C stream, stdout and stderr included
        let path = directory.appendingPathComponent(NotebookFiles.stdout(cell: index)).path
        var fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        // A cell may have closed stdout or stderr: then `open` hands back descriptor 1 or 2
        // itself, and closing it after the `dup2`s would close the capture for every later
        // cell. Move it above the standard descriptors first.
        if fd <= STDERR_FILENO {
            let high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)
            close(fd)
            guard high >= 0 else { return }
            fd = high
        }
        dup2(fd, STDOUT_FILENO)
        dup2(fd, STDERR_FILENO)
        close(fd)
    }

    /// Marks the program as having run every cell.
    public func finish() {
        watchdog.disarm()
        recordTiming()
        fflush(nil)  // every C stream, stdout and stderr included
        for log in [manifest, timings, memoLog, inlineLog, claimLog] { log?.close() }
        guard let directory else { return }
        FileManager.default.createFile(
            atPath: directory.appendingPathComponent(NotebookFiles.finished).path, contents: Data())
    }

    /// Writes an image's layout for narrow screens beside it (`NAME-narrow.png`, and
    /// `NAME-narrow-dark.png`).
    private func writeNarrow(_ variant: Display.Image.Variant, name: String, in directory: URL) -> OutputRecord.NarrowRecord {
        write(variant.png, to: directory.appendingPathComponent(name + "-narrow.png"))
        var dark: String?
        if let png = variant.darkPNG {
            dark = name + "-narrow-dark.png"
            write(png, to: directory.appendingPathComponent(dark!))
        }
        return .init(file: name + "-narrow.png", darkFile: dark, width: variant.width, height: variant.height,
                     textPixels: variant.textPixels)
    }

    /// Puts `item` in the page under the current cell (or prints a description when the
    /// program runs outside the builder).
    public func show(_ item: Display) {
        guard let directory else {
            print(Self.fallbackDescription(item))
            return
        }
        let record: OutputRecord.Item
        switch item {
        case .image(let image):
            imageCount += 1
            let name = "cell\(currentCell)-\(imageCount)"
            let file = name + ".png"
            write(image.png, to: directory.appendingPathComponent(file))
            var darkFile: String?
            if let dark = image.darkPNG {
                darkFile = name + "-dark.png"
                write(dark, to: directory.appendingPathComponent(darkFile!))
            }
            let narrow = image.narrow.map { writeNarrow($0, name: name, in: directory) }
            record = .image(file: file, darkFile: darkFile, width: image.width,
                            height: image.height, alt: image.alt, textPixels: image.textPixels, narrow: narrow)
        case .table(let table):
            record = .table(table)
        case .value(let text):
            record = .value(Self.capped(text))
        case .explorable(let family):
            imageCount += 1
            let name = "cell\(currentCell)-\(imageCount)"
            var files: [String] = [], darkFiles: [String?] = []
            var narrow: [OutputRecord.NarrowRecord] = []
            for (k, frame) in family.frames.enumerated() {
                let file = "\(name)-f\(k).png"
                write(frame.png, to: directory.appendingPathComponent(file))
                files.append(file)
                if let dark = frame.darkPNG {
                    write(dark, to: directory.appendingPathComponent("\(name)-f\(k)-dark.png"))
                    darkFiles.append("\(name)-f\(k)-dark.png")
                } else {
                    darkFiles.append(nil)
                }
                if let variant = frame.narrow { narrow.append(writeNarrow(variant, name: "\(name)-f\(k)", in: directory)) }
            }
            let first = family.frames.indices.contains(family.initial) ? family.frames[family.initial] : family.frames.first
            record = .explorable(.init(parameter: family.parameter, labels: family.labels, files: files, darkFiles: darkFiles,
                                       width: first?.width ?? 0, height: first?.height ?? 0, alt: first?.alt ?? "",
                                       readouts: family.readouts, initial: min(max(0, family.initial), max(0, files.count - 1)),
                                       animated: family.animated, axes: family.axes, textPixels: first?.textPixels,
                                       narrow: narrow.count == files.count && !files.isEmpty ? narrow : nil))
        }
        fflush(nil)
        let offset = lseek(STDOUT_FILENO, 0, SEEK_CUR)
        manifest?.append(OutputRecord(cell: currentCell, item: record, textOffset: offset >= 0 ? Int(offset) : nil))
    }

    /// The value of `compute`, loaded from the memo folder when an entry for this key, this
    /// cell's scope and this engine exists, otherwise computed and stored.
    ///
    /// What `compute` prints is stored with the value and printed again on a load, so the page
    /// reads the same either way. A damaged entry, or one that no longer decodes as `T`, is
    /// computed again and the event says why. Outside the builder this simply computes.
    public func memoize<T: Codable>(_ key: String, recompute: Bool, _ compute: () throws -> T) rethrows -> T {
        let identity = memoStore.identity(scope: memoScope, key: key)
        let start = DispatchTime.now()
        var warning: String?
        if memoStore.directory != nil, !recompute, !memoStore.recomputeAll || keepsMeasurements {
            switch memoStore.lookup(identity: identity) {
            case .found(let entry):
                do {
                    let value = try PropertyListDecoder().decode(MemoBox<T>.self, from: entry.payload).value
                    fflush(nil)
                    if !entry.output.isEmpty { FileHandle.standardOutput.write(entry.output) }
                    logMemo(MemoEvent(cell: currentCell, key: key, loaded: true, seconds: Self.seconds(since: start),
                                      computeSeconds: entry.computeSeconds))
                    return value
                } catch {
                    warning = "its stored value no longer decodes as \(T.self); recomputed"
                }
            case .damaged(let problem):
                warning = "its stored value was damaged (\(problem)); recomputed"
            case .missing:
                break
            }
        }
        fflush(nil)
        let before = lseek(STDOUT_FILENO, 0, SEEK_CUR)
        let computeStart = DispatchTime.now()
        let value = try compute()
        let seconds = Self.seconds(since: computeStart)
        fflush(nil)
        let after = lseek(STDOUT_FILENO, 0, SEEK_CUR)
        if memoStore.directory != nil {
            let encoder = PropertyListEncoder()
            encoder.outputFormat = .binary
            if let payload = try? encoder.encode(MemoBox(value: value)) {
                memoStore.store(MemoEntry(identity: identity, computeSeconds: seconds,
                                          output: capturedOutput(from: before, to: after), payload: payload))
            } else {
                warning = (warning.map { $0 + "; " } ?? "") + "its value could not be encoded, so it was not stored"
            }
        }
        logMemo(MemoEvent(cell: currentCell, key: key, loaded: false, seconds: seconds, computeSeconds: seconds,
                          warning: warning))
        return value
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// The bytes the running cell wrote to its capture file between two offsets.
    private func capturedOutput(from before: off_t, to after: off_t) -> Data {
        guard let directory, before >= 0, after > before,
              let handle = FileHandle(forReadingAtPath: directory.appendingPathComponent(NotebookFiles.stdout(cell: currentCell)).path)
        else { return Data() }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(before))
        return (try? handle.read(upToCount: Int(after - before))) ?? Data()
    }

    private func logMemo(_ event: MemoEvent) { memoLog?.append(event) }

    /// Appends the running cell's wall time and the process's peak memory so far to `timings.jsonl`.
    private func recordTiming() {
        guard let start = cellStart else { return }
        cellStart = nil
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        timings?.append(CellTiming(cell: currentCell, seconds: Self.seconds(since: start), peakKB: usage.ru_maxrss))
    }

    private func write(_ bytes: [UInt8], to url: URL) {
        FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
    }

    /// A displayed value longer than `NotebookFiles.displayLimit` bytes keeps its start and
    /// says how much was cut (a 25 MB description would otherwise land whole in the page).
    static func capped(_ text: String) -> String {
        let limit = NotebookFiles.displayLimit
        guard text.utf8.count > limit else { return text }
        let kept = String(decoding: text.utf8.prefix(limit), as: UTF8.self)
        return kept + "\n… (\(text.utf8.count - kept.utf8.count) more bytes not shown)"
    }

    static func fallbackDescription(_ item: Display) -> String {
        switch item {
        case .image(let image): return "[image \(image.width)×\(image.height): \(image.alt)]"
        case .table(let table):
            return ([table.header] + table.rows).map { $0.joined(separator: "\t") }.joined(separator: "\n")
        case .value(let text): return text
        case .explorable(let family): return "[\(family.frames.count) figures over \(family.parameter)]"
        }
    }
}

/// A keyed wrapper: property lists want a container at the top.
struct MemoBox<T: Codable>: Codable {
    var value: T
}

/// Ends the program when a cell runs past its time limit, leaving a note naming the cell.
///
/// The builder reads `timeout` (its content is the cell index) to report which cell hung;
/// exiting from here is more precise than the builder's own wall-clock limit.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = 0

    func arm(cell: Int, seconds: Double, directory: URL) {
        let current: Int = lock.withLock {
            generation += 1
            return generation
        }
        guard seconds.isFinite, seconds > 0 else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            let stillRunning = lock.withLock { generation == current }
            guard stillRunning else { return }
            let note = directory.appendingPathComponent(NotebookFiles.timeout)
            FileManager.default.createFile(atPath: note.path, contents: Data("\(cell)".utf8))
            fflush(nil)
            _exit(124)
        }
    }

    func disarm() {
        lock.withLock { generation += 1 }
    }
}
