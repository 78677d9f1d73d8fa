#!/usr/bin/env bash
# Isolation of handles (issue 10): one quiet echo handle's 64-byte round-trip latency (1 connection, loadgen.c),
# idle and while a second handle in the same process takes a pipelined storm (64 connections x 16 in flight).
# Two layouts: "shared" (both handles on one collection, the old default) and "groups" (each handle on a loop
# group of its own sized to the cores, the starter's default). Prints a Markdown table; run on an idle machine.
#
#   async-io-benchmarks/isolation.sh          (needs the jar: async-io-benchmarks/run.sh --no-build ... or a build)
# Environment: ROUNDS (default 3), SECONDS_PER_CELL (default 5), JAVA.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=$HERE/target/async-io-benchmarks.jar
JAVA=${JAVA:-java}
ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER_CELL:-5}
BUILD=$HERE/build
mkdir -p "$BUILD"
[ -f "$JAR" ] || (cd "$HERE/.." && ./mvnw -B -q -Pbench -pl async-io-benchmarks -am package -DskipTests)
[ -x "$BUILD/loadgen" ] || gcc -O2 -o "$BUILD/loadgen" "$HERE/c/loadgen.c"
LG=$BUILD/loadgen
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "| layout | quiet p99 idle (µs) | quiet p99 during storm (µs) | ratio | quiet p999 idle / storm (µs) | storm msgs/s |"
echo "|---|---:|---:|---:|---:|---:|"
for mode in shared groups; do
  idle99=(); busy99=(); idle999=(); busy999=(); storm=()
  for ((r = 0; r < ROUNDS; r++)); do
    out=$(mktemp)
    "$JAVA" -Xms256m -Xmx512m -cp "$JAR" dev.asyncio.bench.isolation.TwoHandleServer "$mode" > "$out" 2>&1 &
    pid=$!
    for i in $(seq 100); do grep -q '^ports' "$out" && break; sleep 0.1; done
    read -r _ quiet loud < <(grep '^ports' "$out")
    "$LG" 127.0.0.1 "$quiet" 1 64 2 pingpong > /dev/null
    idle=$("$LG" 127.0.0.1 "$quiet" 1 64 "$SECS" pingpong)
    "$LG" 127.0.0.1 "$loud" 64 64 $((SECS + 4)) pingpong 16 > "$out.storm" &
    sp=$!
    sleep 2
    busy=$("$LG" 127.0.0.1 "$quiet" 1 64 "$SECS" pingpong)
    wait "$sp"
    kill "$pid"; wait "$pid" 2> /dev/null || true
    idle99+=("$(field p99_us <<< "$idle")"); busy99+=("$(field p99_us <<< "$busy")")
    idle999+=("$(field p999_us <<< "$idle")"); busy999+=("$(field p999_us <<< "$busy")")
    storm+=("$(field msgs/s < "$out.storm")")
    rm -f "$out" "$out.storm"
  done
  i99=$(printf '%s\n' "${idle99[@]}" | median); b99=$(printf '%s\n' "${busy99[@]}" | median)
  i999=$(printf '%s\n' "${idle999[@]}" | median); b999=$(printf '%s\n' "${busy999[@]}" | median)
  st=$(printf '%s\n' "${storm[@]}" | median)
  ratio=$(awk -v a="$b99" -v b="$i99" 'BEGIN { printf "%.1f×", a / b }')
  echo "| $mode | $i99 | $b99 | $ratio | $i999 / $b999 | $st |"
done
