import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import TeXMath

/// The converter's output read back with an XML parser: proof that it is well-formed, and a tree
/// for the structural checks.
struct MathMLElement: Equatable {
    var name: String
    var attributes: [String: String]
    var children: [MathMLElement]
    var text: String

    /// This element and all below it, in document order.
    var all: [MathMLElement] { [self] + children.flatMap(\.all) }

    func elements(named name: String) -> [MathMLElement] { all.filter { $0.name == name } }

    /// The element's text content, all descendants included.
    var content: String { text + children.map(\.content).joined() }

    /// `<mrow>` children seen through: what a layout slot really holds.
    var unwrapped: MathMLElement {
        name == "mrow" && children.count == 1 ? children[0].unwrapped : self
    }
}

enum MathMLTree {
    /// Parses `xml`; `nil` when it is not well-formed.
    static func parse(_ xml: String) -> MathMLElement? {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [MathMLElement] = []
        var root: MathMLElement?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(MathMLElement(name: elementName, attributes: attributes, children: [], text: ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            let element = stack.removeLast()
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }
    }
}

/// The elements MathML Core defines; the converter writes no others.
let mathMLCoreElements: Set<String> = [
    "math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "semantics", "annotation", "merror", "mmultiscripts", "mprescripts", "ms",
]

/// Renders `tex` and reads the result back; fails the test (by returning `nil`) on malformed XML.
func tree(_ tex: String, display: Bool = false) throws -> MathMLElement {
    let rendered = try MathRenderer().render(tex, display: display)
    guard let root = MathMLTree.parse(rendered.mathML) else {
        throw MalformedOutput(mathML: rendered.mathML)
    }
    return root
}

struct MalformedOutput: Error, CustomStringConvertible {
    var mathML: String
    var description: String { "not well-formed XML: \(mathML)" }
}

/// The formula itself: the first child of `<semantics>`, with a lone `<mrow>` seen through.
func formula(_ tex: String, display: Bool = false) throws -> MathMLElement {
    try tree(tex, display: display).children[0].children[0].unwrapped
}
