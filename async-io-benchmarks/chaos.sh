#!/usr/bin/env bash
# Soak and chaos harness (issue 17): attacks the PACKAGED sample app, run as a child JVM at -Xmx256m and a chosen
# ulimit -n, scenario by scenario, and reports each scenario's pass criterion, figures and PASS/FAIL/SKIP.
#
#   async-io-benchmarks/chaos.sh                      build, then run every scenario (about 5 minutes)
#   async-io-benchmarks/chaos.sh slow-tls budget-attack   only these
#   async-io-benchmarks/chaos.sh --list               the scenarios and their pass criteria
#   options: --no-build (use the jars already in target/), --offline (mvn -o), --port-base N (default 25000;
#            each scenario uses ports N+10*i .. N+10*i+5)
#
# Writes async-io-benchmarks/build/CHAOS.md (summary table) and build/chaos/<scenario>.log (each sample's log).
# Exits non-zero when any scenario failed. Run as root for the spoofed-datagram scenario (raw socket); it is
# skipped otherwise. Needs Java 17+, bash, and python3 for the raw socket. Not part of any default build.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
mvn_flags=(-B -q)
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --offline) mvn_flags+=(-o) ;;
    --port-base) args+=(--port-base "$2"); shift ;;
    --list) args+=(--list); build=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  echo "Building the sample app and the benchmark module ..."
  ./mvnw "${mvn_flags[@]}" -pl async-io-sample-app -am package -DskipTests
  ./mvnw "${mvn_flags[@]}" -Pbench -pl async-io-benchmarks -am package -DskipTests
fi

bench_jar=async-io-benchmarks/target/async-io-benchmarks.jar
sample_jar=$(ls async-io-sample-app/target/async-io-sample-app-*.jar 2>/dev/null | grep -v '\.original$' | head -1 || true)
if [ ! -f "$bench_jar" ] || [ -z "$sample_jar" ]; then
  echo "chaos.sh: missing $bench_jar or the sample jar; run without --no-build" >&2
  exit 2
fi

# The harness holds thousands of sockets itself (4,500 clients plus probes): raise its own descriptor limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 10000 ]; then
  echo "chaos.sh: warning: ulimit -n is $(ulimit -n); the 4,500-client scenarios need about 5,000" >&2
fi

exec java -Xmx1g -cp "$bench_jar" dev.asyncio.bench.chaos.ChaosRunner --jar "$sample_jar" \
  --out async-io-benchmarks/build "${args[@]}"
