#!/usr/bin/env python3
"""litopt's version of the peers' synthetic 8-chapter book (../shared/peers/gen_book.py).

Same prose, headings, formulas and tables (the peers' generator is imported and its cells
swapped), with Swift cells doing the work of its four Python cells: gradient descent and
Adam on Rosenbrock for 2000 steps, a 201×201 grid of the function, a contour figure with
both trajectories, and a printed table.

usage: gen_litopt_book.py PEERS_DIR OUT   (writes OUT/Chapters/)
"""
import os, random, sys

peers, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, peers)
import gen_book  # noqa: E402  (the peers' generator)


def swift_cells(ch):
    x0 = (-1.5 + 0.1 * ch, 2.0 - 0.1 * ch)
    c1 = f"""let a = 1.0, b = 100.0
func rosen(_ x: [Double]) -> Double {{
    let u = a - x[0], v = x[1] - x[0] * x[0]
    return u * u + b * v * v
}}
func rosenGrad(_ x: [Double]) -> [Double] {{
    let v = x[1] - x[0] * x[0]
    return [-2 * (a - x[0]) - 4 * b * x[0] * v, 2 * b * v]
}}
func runGD(_ x0: [Double], lr: Double = 1e-3, steps: Int = 2000) -> [[Double]] {{
    var x = x0, trajectory = [x0]
    for _ in 0..<steps {{
        let g = rosenGrad(x)
        x = [x[0] - lr * g[0], x[1] - lr * g[1]]
        trajectory.append(x)
    }}
    return trajectory
}}
func runAdam(_ x0: [Double], lr: Double = 2e-2, steps: Int = 2000) -> [[Double]] {{
    let b1 = 0.9, b2 = 0.999, eps = 1e-8
    var x = x0, m = [0.0, 0.0], v = [0.0, 0.0], trajectory = [x0]
    for t in 1...steps {{
        let g = rosenGrad(x)
        for i in 0..<2 {{
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            let mHat = m[i] / (1 - pow(b1, Double(t))), vHat = v[i] / (1 - pow(b2, Double(t)))
            x[i] -= lr * mHat / (vHat.squareRoot() + eps)
        }}
        trajectory.append(x)
    }}
    return trajectory
}}
let x0 = [{x0[0]!r}, {x0[1]!r}]
let trajGD = runGD(x0), trajAdam = runAdam(x0)
print("GD final", trajGD.last!, rosen(trajGD.last!))
print("Adam final", trajAdam.last!, rosen(trajAdam.last!))"""
    c2 = """let xs = (0...200).map { -2.0 + 4.0 * Double($0) / 200 }
let ys = (0...200).map { -1.0 + 4.0 * Double($0) / 200 }
let Z = ys.map { y in xs.map { x in rosen([x, y]) } }
print(Z.count, Z[0].count, Z.joined().min()!, Z.joined().max()!)"""
    c3 = f"""show(Figure.contour(x: -2...2, y: -1...3, grid: Z.map {{ $0.map {{ log10($0 + 1e-3) }} }}).levels(30)
    .path(trajGD, label: "GD").path(trajAdam, label: "Adam")
    .point(1, 1, label: "minimum")
    .title("Chapter {ch}: Rosenbrock trajectories"))"""
    c4 = """print("method       x         y            loss     dist*")
for (name, trajectory) in [("GD", trajGD), ("Adam", trajAdam)] {
    let x = trajectory.last!
    print(name.padding(toLength: 8, withPad: " ", startingAt: 0),
          String(format: "%9.4f %9.4f %14.6e %9.4f", x[0], x[1], rosen(x), hypot(x[0] - 1, x[1] - 1)))
}"""
    return [c1, c2, c3, c4]


gen_book.cells = swift_cells
chapters = os.path.join(out, "Chapters")
os.makedirs(chapters, exist_ok=True)
for ch in range(1, gen_book.NCH + 1):
    rng = random.Random(ch)
    body = gen_book.chapter_body(ch, rng, ["```swift"], ["```"])
    gen_book.write(os.path.join(chapters, f"{ch:02d}-chapter-{ch}.md"), body)
gen_book.write(os.path.join(chapters, "book.yml"), ["title: Synthetic optimisation book"])
