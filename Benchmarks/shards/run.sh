#!/usr/bin/env bash
# The course's cold wall time built four ways on this machine, each with fresh caches: one
# local build (`--jobs` = cores), then `litopt slurm submit --shards N` for N = 1, 2, 3 on a
# one-node Slurm started for the run (Tests/BookBuilderTests/Fixtures/servers/slurm-localhost;
# needs root, munge, slurmctld, slurmd). Each shard task runs one chapter at a time; the
# shards start from the local build's measured times, as a second run of a real array would.
# Every site is diffed against the local one; only the `measured=true` timing cells may differ.
#
# usage: Benchmarks/shards/run.sh   (from anywhere, after `make build`). Nothing here asserts a time.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
litopt=$root/.build/release/litopt
cluster=$root/Tests/BookBuilderTests/Fixtures/servers/slurm-localhost
work=$(mktemp -d)
trap '"$cluster" stop "$work/slurm"; rm -rf "$work"' EXIT
cd "$root"
now() { date +%s.%N; }
minus() { python3 -c "print(f'{$1 - $2:.1f}')"; }

SLURM_CONF=$("$cluster" start "$work/slurm" 18817 18818) || exit 1
export SLURM_CONF
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
t0=$(now)
"$litopt" build --chapters Chapters --out "$work/local/site" --cache "$work/local/cache" --quiet || exit 1
echo "local build (--jobs $(nproc)): $(minus "$(now)" "$t0") s"
for n in 1 2 3; do
  mkdir -p "$work/$n/shared"
  cp "$work/local/cache/times.json" "$work/$n/shared/"
  t0=$(now)
  "$litopt" slurm submit --shards "$n" --chapters Chapters --cache "$work/$n/cache" \
    --shared-cache "$work/$n/shared" --out "$work/$n/site" >/dev/null || exit 1
  "$litopt" slurm status --cache "$work/$n/cache" --wait --interval 1 >/dev/null || { echo "shards $n: failed"; exit 1; }
  echo "$n shard(s): $(minus "$(now)" "$t0") s  (tasks: $(grep -ho 'in the cache in [0-9.]* s' "$work/$n/cache/slurm/"shard-*.log | grep -o '[0-9.]* s' | tr '\n' ' '))"
  echo "  differs from the local site: $(diff -rq "$work/local/site" "$work/$n/site" | sed "s|$work/||g; s| and [^ ]* differ||; s|^Files ||" | tr '\n' ' ')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
