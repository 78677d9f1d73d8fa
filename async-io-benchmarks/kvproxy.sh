#!/usr/bin/env bash
# kv-proxy (the sample app's Redis-protocol proxy, the packaged jar) vs twemproxy (nutcracker) in front of the same
# redis-server: redis-benchmark -t set,get, plain and pipelined (-P 16), requests/s and p99 from --csv.
# Rounds are interleaved A/B (kv-proxy, twemproxy, kv-proxy, ...) so that load from elsewhere hits both alike; the
# report shows each round and the median. Standalone: needs redis-server, redis-benchmark, nutcracker, java.
#
# Usage: async-io-benchmarks/kvproxy.sh [--no-build] [--rounds R] [--requests N] [--clients C] [--smoke]
# Report: async-io-benchmarks/build/RESULTS-kvproxy.md; raw CSV lines: build/results/<stamp>-kvproxy/raw.csv
# Twemproxy runs with server_connections: 1 (its default); kv-proxy with the sample's pool.max-connections (2).
# Extra sample arguments: KVPROXY_ARGS='--async-io.clients.kv-upstream.pool.max-connections=1' (like for like).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=1
ROUNDS=3
REQUESTS=100000
CLIENTS=50
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --rounds) ROUNDS=$2; shift ;;
    --requests) REQUESTS=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    --smoke) ROUNDS=1; REQUESTS=5000 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

need() { command -v "$1" >/dev/null 2>&1 || [ -x "$2" ] || { echo "kvproxy.sh: $1 not found ($3)" >&2; exit 3; }; }
REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
NUTCRACKER=$(command -v nutcracker || echo /usr/sbin/nutcracker)
need redis-server "$REDIS_SERVER" "apt-get install redis-server"
need redis-benchmark /usr/bin/redis-benchmark "apt-get install redis-tools"
need nutcracker "$NUTCRACKER" "apt-get install nutcracker"
need java /usr/bin/java "a JDK 17+"

JAR="$ROOT/async-io-sample-app/target/async-io-sample-app-0.1.0-SNAPSHOT.jar"
if [ "$BUILD" = 1 ]; then
  # MVN_FLAGS=-o for an offline build.
  (cd "$ROOT" && ./mvnw -B -q ${MVN_FLAGS:-} -pl async-io-sample-app -am package -DskipTests -Dmaven.javadoc.skip)
fi
[ -f "$JAR" ] || { echo "kvproxy.sh: $JAR missing (run without --no-build)" >&2; exit 3; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$HERE/build/results/$STAMP-kvproxy"
REPORT="$HERE/build/RESULTS-kvproxy.md"
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ping() { # port name
  for _ in $(seq 1800); do   # up to ~3 minutes: the JVM starts slowly on a busy machine
    [ "$(redis-cli -p "$1" PING 2>/dev/null || true)" = PONG ] && return 0
    sleep 0.1
  done
  echo "kvproxy.sh: $2 does not answer PING on port $1" >&2; exit 4
}

REDIS_PORT=$(free_port)
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" \
  >"$OUT/redis.log" 2>&1 &
PIDS+=($!)
wait_ping "$REDIS_PORT" redis-server

TWEM_PORT=$(free_port)
TWEM_STATS=$(free_port)
cat >"$OUT/nutcracker.yml" <<EOF
kvproxy:
  listen: 127.0.0.1:$TWEM_PORT
  hash: fnv1a_64
  distribution: ketama
  redis: true
  timeout: 10000
  server_connections: 1
  servers:
   - 127.0.0.1:$REDIS_PORT:1
EOF
"$NUTCRACKER" -c "$OUT/nutcracker.yml" -s "$TWEM_STATS" -a 127.0.0.1 -o "$OUT/nutcracker.log" \
  -p "$OUT/nutcracker.pid" &
PIDS+=($!)
wait_ping "$TWEM_PORT" twemproxy

PROXY_PORT=$(free_port)
java -jar "$JAR" --server.port=0 --async-io.handles.echo.port=0 --async-io.handles.tls-echo.port=0 \
  --async-io.handles.kv.port=0 --async-io.handles.frames.port=0 --sample.udp-echo.port=0 \
  --async-io.handles.kv-proxy.port="$PROXY_PORT" \
  --async-io.clients.kv-upstream.address="127.0.0.1:$REDIS_PORT" ${KVPROXY_ARGS:-} >"$OUT/sample.log" 2>&1 &
PIDS+=($!)
wait_ping "$PROXY_PORT" kv-proxy

# Warm-up (not recorded): the JIT compiles kv-proxy's paths; twemproxy gets the same traffic for fairness.
for port in "$PROXY_PORT" "$TWEM_PORT"; do
  redis-benchmark -p "$port" -t set,get -n "$REQUESTS" -c "$CLIENTS" -P 16 -q >/dev/null 2>&1
  redis-benchmark -p "$port" -t set,get -n "$((REQUESTS / 4))" -c "$CLIENTS" -q >/dev/null 2>&1
done

echo "round,target,pipeline,test,rps,avg_ms,min_ms,p50_ms,p95_ms,p99_ms,max_ms" >"$OUT/raw.csv"
for round in $(seq "$ROUNDS"); do
  for pipeline in 1 16; do
    for target in kv-proxy twemproxy; do
      port=$PROXY_PORT; [ "$target" = twemproxy ] && port=$TWEM_PORT
      redis-benchmark -p "$port" -t set,get -n "$REQUESTS" -c "$CLIENTS" -P "$pipeline" --csv 2>/dev/null \
        | tail -n +2 | tr -d '"' | sed "s/^/$round,$target,$pipeline,/" >>"$OUT/raw.csv"
      echo "round $round P=$pipeline $target done" >&2
    done
  done
done

python3 - "$OUT/raw.csv" "$REPORT" "$REQUESTS" "$CLIENTS" "$ROUNDS" "$(nproc)" "$(uptime)" <<'EOF'
import csv, statistics, sys
raw, report, requests, clients, rounds, cpus, uptime = sys.argv[1:8]
rows = list(csv.DictReader(open(raw)))
def med(xs): return statistics.median(xs) if xs else float('nan')
out = ["# kv-proxy vs twemproxy in front of one redis-server", "",
       f"`redis-benchmark -t set,get -n {requests} -c {clients} [-P 16] --csv`, {rounds} interleaved round(s) after a "
       f"warm-up; {cpus} CPUs; load at the start: `{uptime.strip()}`.",
       "Figures on a shared machine are noisy: compare kv-proxy and twemproxy within a round, and re-measure on an "
       "idle machine before quoting them.", "",
       "| pipeline | test | kv-proxy req/s | twemproxy req/s | ratio | kv-proxy p99 ms | twemproxy p99 ms |",
       "|---|---|---|---|---|---|---|"]
for p in ("1", "16"):
    for t in ("SET", "GET"):
        k = [r for r in rows if r["pipeline"] == p and r["test"] == t and r["target"] == "kv-proxy"]
        w = [r for r in rows if r["pipeline"] == p and r["test"] == t and r["target"] == "twemproxy"]
        kr, wr = med([float(r["rps"]) for r in k]), med([float(r["rps"]) for r in w])
        kp, wp = med([float(r["p99_ms"]) for r in k]), med([float(r["p99_ms"]) for r in w])
        out.append(f"| {p} | {t} | {kr:,.0f} | {wr:,.0f} | {kr / wr:.2f}× | {kp:.3f} | {wp:.3f} |")
out += ["", "Medians over the rounds. Each round:", "", "| round | pipeline | test | target | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|---|"]
for r in rows:
    out.append(f"| {r['round']} | {r['pipeline']} | {r['test']} | {r['target']} | {float(r['rps']):,.0f} | "
               f"{r['p50_ms']} | {r['p99_ms']} |")
open(report, "w").write("\n".join(out) + "\n")
print("\n".join(out[:14]))
EOF
echo "report: $REPORT (raw: $OUT/raw.csv)" >&2
