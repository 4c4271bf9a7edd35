#!/usr/bin/env bash
# Book-build benchmark: cold build, no-change rebuild, prose-edit rebuild and one-cell-edit
# rebuild — of litopt's version of the peers' synthetic 8-chapter book and of the shipped
# course — side by side with Jupyter Book 1 on the same book when it can be installed.
#
# usage: Benchmarks/book/run.sh [memo]   (from the repository root, after `make build`;
#        `memo` runs only the memo comparison)
# Results: a table on stdout and Benchmarks/results/book.json. Times are medians of 3
# (cold: 1 run). Nothing here asserts a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
peers=${PEERS:-$root/../shared/peers}
litopt=$root/.build/release/litopt
work=$root/Benchmarks/results/book
mkdir -p "$work"
[ -x "$litopt" ] || { echo "build litopt first: make build" >&2; exit 1; }

now() { date +%s.%N; }
# seconds to run "$@" (stdout/stderr discarded; failure aborts)
timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); python3 -c "print($t1 - $t0)"; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# bench NAME CHAPTERS_DIR PROSE_FILE CELL_FILE  — prints "cold nochange prose cell"
bench_litopt() {
  local chapters=$1 prose=$2 cell=$3 out=$work/site-$4 cache=$work/cache-$4
  rm -rf "$out" "$cache"
  local cold; cold=$(timed "$litopt" build --chapters "$chapters" --out "$out" --cache "$cache")
  local a b c
  a=$(timed "$litopt" build --chapters "$chapters" --out "$out" --cache "$cache")
  b=$(timed "$litopt" build --chapters "$chapters" --out "$out" --cache "$cache")
  c=$(timed "$litopt" build --chapters "$chapters" --out "$out" --cache "$cache")
  local nochange; nochange=$(median3 "$a" "$b" "$c")
  local prose_times=() cell_times=()
  for i in 1 2 3; do
    echo "" >> "$prose"; echo "An added sentence of prose, number $i." >> "$prose"
    prose_times+=("$(timed "$litopt" build --chapters "$chapters" --out "$out" --cache "$cache")")
    python3 - "$cell" "$i" <<'PY'
import re, sys
path, i = sys.argv[1], sys.argv[2]
text = open(path).read()
# Change one cell: append a print to the first cell (the chapter re-runs, nothing else).
text = text.replace("```swift\n", f"```swift\nprint(\"edit {i}\")\n", 1)
open(path, "w").write(text)
PY
    cell_times+=("$(timed "$litopt" build --chapters "$chapters" --out "$out" --cache "$cache")")
  done
  echo "$cold $nochange $(median3 "${prose_times[@]}") $(median3 "${cell_times[@]}")"
}

# memo: a chapter with ~20 s of training, then a cell that only formats. Edit the last cell and
# rebuild: with the training wrapped in `memo` it is loaded; without, the chapter retrains.
memo_bench() {  # memo_bench WITH_MEMO(0/1) → median one-cell-edit rebuild seconds
  local dir=$work/memo-$1 open close
  rm -rf "$dir" && mkdir -p "$dir/Chapters"
  if [ "$1" = 1 ]; then open='let (weights, history) = memo("long-training") {'; close='}'
  else open='let (weights, history) = {'; close='}()'; fi
  cat > "$dir/Chapters/01-training.md" <<MD
# Twenty seconds of training

\`\`\`swift
let data = Datasets.twoMoons(count: 400, noise: 0.2, seed: 1)
let net = MLP(sizes: [2, 64, 64, 2], activation: .tanh)
$open
    Adam(lr: 0.003).fit(net, to: data, steps: ${MEMO_STEPS:-50000}, seed: 2)
$close
\`\`\`

\`\`\`swift
print("edit 0")
print("final loss", history.finalLoss, "after", history.losses.count, "steps")
\`\`\`
MD
  "$litopt" build --chapters "$dir/Chapters" --out "$dir/site" --cache "$dir/cache" --report "$dir/cold.json" >/dev/null 2>&1
  local times=()
  for i in 1 2 3; do
    sed -i "s/^print(\"edit $((i - 1))\")/print(\"edit $i\")/" "$dir/Chapters/01-training.md"
    times+=("$(timed "$litopt" build --chapters "$dir/Chapters" --out "$dir/site" --cache "$dir/cache")")
  done
  median3 "${times[@]}"
}
memo_on=$(memo_bench 1)
memo_off=$(memo_bench 0)
memo_cold=$(python3 -c "import json; r=json.load(open('$work/memo-1/cold.json')); print(r['chapters'][0]['runSeconds'])")
if [ "${1:-all}" = memo ]; then
  python3 -c "print(f'one-cell edit below {$memo_cold:.1f} s of training: {$memo_on:.2f} s with memo, {$memo_off:.2f} s without ({$memo_off / $memo_on:.1f}x faster with memo)')"
  exit 0
fi

rm -rf "$work/synthetic"
python3 Benchmarks/book/gen_litopt_book.py "$peers" "$work/synthetic"
synthetic=$(bench_litopt "$work/synthetic/Chapters" "$work/synthetic/Chapters/03-chapter-3.md" \
                         "$work/synthetic/Chapters/03-chapter-3.md" synthetic)
rm -rf "$work/course" && cp -r Chapters "$work/course"
first=$(ls "$work/course"/*.md | head -1)
course=$(bench_litopt "$work/course" "$first" "$first" course)

# Jupyter Book 1 on the same synthetic book, if it can be installed (PyPI).
jb="unavailable"
venv=$root/.build-bench-venv
if [ ! -x "$venv/bin/jupyter-book" ]; then
  (python3 -m venv "$venv" && "$venv/bin/pip" install -q "jupyter-book<2" matplotlib numpy ipykernel) >/dev/null 2>&1 || true
fi
if [ -x "$venv/bin/jupyter-book" ]; then
  rm -rf "$work/jb" && python3 "$peers/gen_book.py" "$work/jb" >/dev/null
  book=$work/jb/jb1
  jbb() { "$venv/bin/jupyter-book" build "$book" >/dev/null 2>&1; }
  export PATH="$venv/bin:$PATH"
  cold=$(timed jbb); a=$(timed jbb); b=$(timed jbb); c=$(timed jbb)
  nochange=$(median3 "$a" "$b" "$c")
  p=(); e=()
  for i in 1 2 3; do
    echo "" >> "$book/ch03.md"; echo "An added sentence of prose, number $i." >> "$book/ch03.md"
    p+=("$(timed jbb)")
    sed -i "0,/^\`\`\`{code-cell} python\$/s//\`\`\`{code-cell} python\nprint('edit $i')/" "$book/ch03.md"
    e+=("$(timed jbb)")
  done
  jb="$cold $nochange $(median3 "${p[@]}") $(median3 "${e[@]}")"
fi

python3 - "$synthetic" "$course" "$jb" "$work/../book.json" "$memo_on" "$memo_off" "$memo_cold" <<'PY'
import json, sys
names = ["cold", "no change", "prose edit", "one-cell edit"]
def parse(s): return None if s == "unavailable" else [float(x) for x in s.split()]
syn, course, jb = parse(sys.argv[1]), parse(sys.argv[2]), parse(sys.argv[3])
print(f"{'rebuild':<15}{'litopt synthetic':>18}{'Jupyter Book 1':>16}{'ratio':>8}{'litopt course':>16}")
for i, n in enumerate(names):
    j = f"{jb[i]:.2f} s" if jb else "—"
    r = f"{jb[i] / syn[i]:.1f}×" if jb else "—"
    print(f"{n:<15}{syn[i]:>16.3f} s{j:>16}{r:>8}{course[i]:>14.3f} s")
if not jb:
    print("(Jupyter Book 1 could not be installed here; its figures on these machines, from\n"
          " ../shared/peers/README.md: cold 12.2 s, no change 1.07 s, prose 1.48 s, cell 2.75 s)")
memo_on, memo_off, memo_cold = (float(x) for x in sys.argv[5:8])
print(f"\none-cell edit below {memo_cold:.1f} s of training: {memo_on:.2f} s with memo, "
      f"{memo_off:.2f} s without ({memo_off / memo_on:.1f}× faster with memo)")
json.dump({"litopt_synthetic": dict(zip(names, syn)), "litopt_course": dict(zip(names, course)),
           "jupyter_book_1": dict(zip(names, jb)) if jb else None,
           "memo": {"training_seconds": memo_cold, "cell_edit_with_memo": memo_on, "cell_edit_without_memo": memo_off}},
          open(sys.argv[4], "w"), indent=2)
PY
