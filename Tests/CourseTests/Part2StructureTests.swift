import Foundation
import Testing

/// The shape of Part II (chapters 06–10), read from the Markdown: every one of the eleven
/// concepts of the source has a section of its own, and each section has the nine parts the
/// source's scaffold asks for, under the bold markers chapter 6 announces, in that order —
/// with a display formula in the definition, a cell in each of the three example parts and
/// under the diagnostic questions, and a bibliography citation in the connection to practice.
@Suite struct Part2StructureTests {
    /// The concepts and the anchors of their sections.
    static let concepts: [(name: String, anchor: String)] = [
        ("plateau", "sec-plateau"), ("Hessian spectrum", "sec-hessian-spectrum"),
        ("negative curvature", "sec-negative-curvature"), ("degeneracy", "sec-degeneracy"),
        ("symmetry", "sec-symmetry"), ("critical point", "sec-critical-point"),
        ("local minimum", "sec-local-minimum"), ("saddle point", "sec-saddle"),
        ("basin of attraction", "sec-basin"), ("barrier", "sec-barrier"),
        ("overparameterization", "sec-overparameterization"),
    ]

    /// The nine markers, in the order they must appear.
    static let markers = [
        "> [!DEFINITION]", "**Local-model reasoning.**", "**Exact example.**", "**Logistic or softmax regression.**",
        "**Tiny transformer.**", "**Non-example.**", "**What to log.**", "**Diagnostic questions.**", "**In practice.**",
    ]

    /// `Chapters/`, found from this file: Tests/CourseTests/ → the package root.
    static var chaptersFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Chapters")
    }

    /// Part II's chapter files, in name order.
    static func partTwoFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: chaptersFolder, includingPropertiesForKeys: nil)
            .filter { ["06", "07", "08", "09", "10"].contains(String($0.lastPathComponent.prefix(2))) && $0.pathExtension == "md" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A section: its heading level and the lines up to the next heading of the same or a
    /// higher level, fenced code blocks skipped when looking for headings.
    struct Section {
        let file: String
        let level: Int
        let lines: [String]
        var text: String { lines.joined(separator: "\n") }
    }

    static func section(anchored anchor: String) throws -> Section? {
        for file in try partTwoFiles() {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            var inFence = false
            var headings: [(index: Int, level: Int)] = []
            for (i, line) in lines.enumerated() {
                if line.hasPrefix("```") { inFence.toggle(); continue }
                if !inFence, line.hasPrefix("#") {
                    let level = line.prefix { $0 == "#" }.count
                    if line.dropFirst(level).hasPrefix(" ") { headings.append((i, level)) }
                }
            }
            guard let start = headings.first(where: { lines[$0.index].contains("{#\(anchor)}") }) else { continue }
            let end = headings.first { $0.index > start.index && $0.level <= start.level }?.index ?? lines.count
            return Section(file: file.lastPathComponent, level: start.level, lines: Array(lines[start.index..<end]))
        }
        return nil
    }

    /// The text of each part: from its marker to the next marker (or the section's end).
    static func parts(of section: Section) -> [String: String] {
        let text = section.text
        var positions: [(marker: String, offset: String.Index)] = []
        for marker in markers {
            if let range = text.range(of: "\n" + marker) { positions.append((marker, range.lowerBound)) }
        }
        positions.sort { $0.offset < $1.offset }
        var result: [String: String] = [:]
        for (k, p) in positions.enumerated() {
            let end = k + 1 < positions.count ? positions[k + 1].offset : text.endIndex
            result[p.marker] = String(text[p.offset..<end])
        }
        return result
    }

    @Test func partTwoHasFiveChaptersInOrder() throws {
        let names = try Self.partTwoFiles().map(\.lastPathComponent)
        #expect(names.count == 5, "Part II files: \(names)")
        #expect(names.first?.hasPrefix("06-") == true && names.last?.hasPrefix("10-") == true)
    }

    @Test(arguments: concepts.map(\.anchor))
    func conceptHasItsNineParts(anchor: String) throws {
        let name = Self.concepts.first { $0.anchor == anchor }!.name
        let section = try #require(try Self.section(anchored: anchor), "no section {#\(anchor)} for \(name)")
        #expect(section.level == 2, "\(name): a concept is a chapter section of its own (##), found level \(section.level)")
        let parts = Self.parts(of: section)
        for marker in Self.markers {
            #expect(parts[marker] != nil, "\(name) (\(section.file)): missing \(marker)")
        }
        // The markers come in the announced order.
        let order = Self.markers.compactMap { m in section.text.range(of: "\n" + m).map { (m, $0.lowerBound) } }
        #expect(order.map(\.0) == order.sorted { $0.1 < $1.1 }.map(\.0), "\(name): parts out of order")

        if let definition = parts["> [!DEFINITION]"] {
            #expect(definition.contains("$$"), "\(name): the definition has no display formula")
        }
        if let reasoning = parts["**Local-model reasoning.**"] {
            #expect(reasoning.lowercased().contains("assum"), "\(name): the reasoning does not state its assumptions")
        }
        for marker in ["**Exact example.**", "**Logistic or softmax regression.**", "**Tiny transformer.**", "**Diagnostic questions.**"] {
            if let part = parts[marker] {
                #expect(part.contains("```swift"), "\(name): \(marker) has no cell")
            }
        }
        if let questions = parts["**Diagnostic questions.**"] {
            #expect(questions.contains("most fragile"), "\(name): the first diagnostic question is not asked")
            #expect(questions.contains("warn"), "\(name): the second diagnostic question is not asked")
        }
        if let practice = parts["**In practice.**"] {
            #expect(practice.contains("@"), "\(name): the connection to practice cites nothing")
        }
    }

    /// The transformer parts log what the source asks for: the chapters' shared run records
    /// gradient norm, update norm, top curvature by Lanczos and the held-out loss on a
    /// contiguous split, in every Part II chapter that defines concepts (06–09; chapter 10
    /// applies the stability threshold and has no concept sections of its own).
    @Test func everyChapterTrainsTheDiagnosedTransformer() throws {
        for file in try Self.partTwoFiles() where !file.lastPathComponent.hasPrefix("10-") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for needle in ["gradientNorms.append", "updateNorms.append", "topEigenvalues(1, maxSteps: 30", "heldOut.append",
                           "let cut = corpus.tokens.count * 4 / 5", "stride(from: cut"] {
                #expect(text.contains(needle), "\(file.lastPathComponent): the transformer run lacks \(needle)")
            }
            #expect(text.contains("diagnose("), "\(file.lastPathComponent): no transformer run")
        }
    }

    /// Every seed heading 1.1–1.5 and 2.1–2.5 is mapped to a section that exists.
    @Test func seedMapPointsAtExistingSections() throws {
        let intro = try String(contentsOf: try Self.partTwoFiles()[0], encoding: .utf8)
        let mapStart = try #require(intro.range(of: "{#sec-seed-map}"))
        let mapText = intro[mapStart.upperBound...].prefix(4000)
        for seed in ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5"] {
            #expect(mapText.contains("| \(seed) |"), "the map has no row for source section \(seed)")
        }
        var anchors = Set<String>()
        for file in try Self.partTwoFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = text[...]
            while let r = rest.range(of: "{#sec-") {
                let tail = rest[r.upperBound...]
                let name = tail.prefix { $0 != "}" }
                anchors.insert("sec-" + name)
                rest = tail
            }
        }
        var refs = mapText[...]
        while let r = refs.range(of: "@sec-") {
            let tail = refs[r.upperBound...]
            let name = "sec-" + tail.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            #expect(anchors.contains(String(name)), "the map points at \(name), which no Part II section has")
            refs = tail
        }
    }

    /// The special sections the issue asks for exist.
    @Test(arguments: ["sec-historical-arc", "sec-mental-model", "sec-spike", "sec-scope", "sec-boundary-cases", "sec-notation-assumptions"])
    func requiredSectionExists(anchor: String) throws {
        let section = try #require(try Self.section(anchored: anchor), "no section {#\(anchor)}")
        #expect(section.lines.count > 8, "\(anchor) is only \(section.lines.count) lines")
    }
}
