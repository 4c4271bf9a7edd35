import Notebook

/// The calls `CellProgram` spells for generated chapter programs, made here with the same
/// names and labels, so the compiler checks them: a rename on this side fails this file, in
/// the engine's own build. Never called; `CellProgramTests` compares the generated texts with
/// these calls.
@inline(never)
func cellProgramSpellings(_ expression: Double) {
    Session.shared.begin(cell: 0, timeout: 1.0, scope: "", measured: true)
    Session.shared.inlineValue(0, inlineText(expression))
    Session.shared.inlineValue(0, option: "caption", "text")
    expression
  |~> cellValue  // at the column the builder writes it
    Session.shared.finish()
}
