/// What a derivative rule sees when the backward pass reaches its node.
///
/// `inputs` and `output` are the forward values. When the backward pass is itself being
/// recorded (for second derivatives), they are handed over still linked to the graph, so a
/// rule written with ordinary tensor operations is differentiated again automatically.
@usableFromInline
struct Pullback {
    /// ∂loss/∂output, same shape as the output.
    let cotangent: Tensor
    let inputs: [Tensor]
    let output: Tensor
    /// Which inputs need a gradient; a rule may return nil for the others and skip the work.
    let needs: [Bool]

    @inline(__always) func needs(_ i: Int) -> Bool { needs[i] }
}

/// A derivative rule: given ∂loss/∂output, return ∂loss/∂input for each input (nil = zero or
/// not needed). Rules are written with differentiable tensor operations.
@usableFromInline
typealias PullbackRule = @Sendable (Pullback) -> [Tensor?]

/// A vertex of the differentiation graph: the operation that produced a tracked tensor, its
/// inputs, and its derivative rule. Nodes are immutable once built, so graphs may be shared.
@usableFromInline
final class Node: @unchecked Sendable {
    let name: StaticString
    let inputs: [Tensor]
    let outputShape: [Int]
    /// The forward result, kept only when the rule needs it (tanh, exp, …).
    let output: [Double]?
    /// nil for a variable (a leaf that gradients are taken with respect to).
    let rule: PullbackRule?

    init(name: StaticString, inputs: [Tensor], outputShape: [Int], output: [Double]?, rule: PullbackRule?) {
        self.name = name
        self.inputs = inputs
        self.outputShape = outputShape
        self.output = output
        self.rule = rule
    }
}

extension Tensor {
    /// Wraps a forward result computed from `inputs` with its derivative rule. When no input is
    /// tracked nothing is allocated and the plain value is returned: code outside
    /// differentiation pays nothing for the graph.
    @inline(__always)
    static func record(_ name: StaticString, _ value: Tensor, _ inputs: [Tensor], keepOutput: Bool = false,
                       _ rule: @escaping PullbackRule) -> Tensor {
        var tracked = false
        for t in inputs where t.node != nil { tracked = true; break }
        if !tracked { return value }
        let node = Node(name: name, inputs: inputs, outputShape: value.shape,
                        output: keepOutput ? value.scalars : nil, rule: rule)
        return Tensor(shape: value.shape, storage: value.scalars, node: node)
    }

    @inline(__always)
    static func record(_ name: StaticString, _ value: Tensor, _ input: Tensor, keepOutput: Bool = false,
                       _ rule: @escaping PullbackRule) -> Tensor {
        if input.node == nil { return value }
        let node = Node(name: name, inputs: [input], outputShape: value.shape,
                        output: keepOutput ? value.scalars : nil, rule: rule)
        return Tensor(shape: value.shape, storage: value.scalars, node: node)
    }

    /// A fresh variable with this value: gradients can be taken with respect to it. If this
    /// tensor is itself tracked (differentiation inside differentiation), the variable stays
    /// linked to it through an identity, so the outer derivative sees through.
    func makeVariable() -> Tensor {
        if node == nil {
            return Tensor(shape: shape, storage: scalars,
                          node: Node(name: "variable", inputs: [], outputShape: shape, output: nil, rule: nil))
        }
        let n = Node(name: "variable", inputs: [self], outputShape: shape, output: nil) { p in [p.cotangent] }
        return Tensor(shape: shape, storage: scalars, node: n)
    }
}
