import Foundation
import Testing
@testable import Notebook

/// The spellings the builder writes into chapter programs are the calls the engine compiles.
@Suite struct CellProgramTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// `CellProgramSpellings.swift`, in the module chapter programs import, makes each call once, with the arguments used here;
    /// the compiler checks those calls, this test that they are the texts `CellProgram` writes.
    @Test func everySpelledCallIsOneTheEngineCompiles() throws {
        let checked = try String(contentsOf: Self.sources.appendingPathComponent("\(CellProgram.module)/CellProgramSpellings.swift"), encoding: .utf8)
        let spelled = [
            CellProgram.begin(cell: 0, timeout: 1.0, scope: "", measured: true),
            CellProgram.inlineValuePrefix(0) + "expression" + CellProgram.inlineValueSuffix,
            CellProgram.computedOption(cell: 0, option: "caption", literal: "\"text\""),
            "expression\n" + CellProgram.displayContinuation,
            CellProgram.finish,
        ]
        for text in spelled {
            #expect(checked.contains(text), "not made in CellProgramSpellings.swift: \(text)")
        }
        #expect(CellProgram.begin(cell: 3, timeout: 300, scope: "ab", measured: false)
                == "Session.shared.begin(cell: 3, timeout: 300.0, scope: \"ab\")")
    }

    /// Every C module the engine imports is a shim whose module map the builder provides, and
    /// nothing else is.
    @Test func theShimsAreTheCModulesTheEngineImports() throws {
        var imported: Set<String> = []
        for target in ["Autodiff", "AutodiffKernels", "Models", "Optimizers", "Landscape", "Plotting", "Notebook", "LitOpt"] {
            let folder = Self.sources.appendingPathComponent(target)
            let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                          words[..<i].allSatisfy({ $0.hasPrefix("@") || ["internal", "public", "private"].contains($0) }) else { continue }
                    let module = String(words[i + 1])
                    if module.first == "C", module.dropFirst().first?.isUppercase == true { imported.insert(module) }
                }
            }
        }
        #expect(imported == Set(CellProgram.shims))
    }
}
