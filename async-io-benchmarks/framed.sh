#!/usr/bin/env bash
# Framed echo (issue 19): async-io's FrameReader/FrameWriter against Netty's LengthFieldBasedFrameDecoder +
# LengthFieldPrepender on NIO, epoll and io_uring. 64-byte frames on the wire (a 4-byte big-endian length and 60
# bytes of payload), driven by loadgen.c in frame4 mode. All servers listen at once (an idle one costs nothing),
# pinned to one CPU; each cell goes to them back to back, round after round, the order rotating each round, the
# load generator pinned to the other CPU. Writes build/RESULTS-framed.md and the raw lines to
# build/results/<stamp>-framed/raw.tsv.
#
#   async-io-benchmarks/framed.sh             build, then 5 rounds of 3 s cells (about 5 min)
#   async-io-benchmarks/framed.sh --smoke     1 round of 1 s cells (about 1 min)
# Options: --no-build (reuse the jar and loadgen), --smoke, --servers "async-io netty-nio netty-epoll netty-io_uring"
#          (a subset), --cells "c1x1 c64x1 c16x16" (connections x frames in flight), --port-base N (server i
#          listens on N+i; default: free ports below the ephemeral range), --report FILE.
# Environment: ROUNDS (5, smoke 1), CELL_SECONDS (3, smoke 1), JIT_WARMUP (seconds per server before round 1;
#              2, smoke 1), JAVA, SERVER_JVM_FLAGS (-Xms512m -Xmx512m -XX:+UseG1GC), PIN=0 (no taskset),
#              SERVER_CPU (0), CLIENT_CPU (1), FRAME_BYTES (64).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
MODE=full
BUILD=1
SERVERS_WANTED="async-io netty-nio netty-epoll netty-io_uring"
CELLS="c1x1 c64x1 c16x16"
PORT_BASE=""
REPORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --no-build) BUILD=0 ;;
    --servers) SERVERS_WANTED="$2"; shift ;;
    --cells) CELLS="$2"; shift ;;
    --port-base) PORT_BASE="$2"; shift ;;
    --report) REPORT="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "framed.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$MODE" = smoke ]; then
  ROUNDS=${ROUNDS:-1}; CELL_SECONDS=${CELL_SECONDS:-1}; JIT_WARMUP=${JIT_WARMUP:-1}
else
  ROUNDS=${ROUNDS:-5}; CELL_SECONDS=${CELL_SECONDS:-3}; JIT_WARMUP=${JIT_WARMUP:-2}
fi
FRAME_BYTES=${FRAME_BYTES:-64}
for c in $CELLS; do
  [[ "$c" =~ ^c[0-9]+x[0-9]+$ ]] || { echo "framed.sh: --cells: '$c' is not c<connections>x<in flight>" >&2; exit 2; }
done
for s in $SERVERS_WANTED; do
  case "$s" in async-io|netty-nio|netty-epoll|netty-io_uring) ;;
    *) echo "framed.sh: --servers: unknown server '$s' (async-io netty-nio netty-epoll netty-io_uring)" >&2; exit 2 ;;
  esac
done

JAVA=${JAVA:-java}
SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:--Xms512m -Xmx512m -XX:+UseG1GC}
JAR=$HERE/target/async-io-benchmarks.jar
BUILD_DIR=$HERE/build
LOADGEN=$BUILD_DIR/loadgen
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BUILD_DIR/results/$STAMP-framed
RAW=$OUT/raw.tsv
NOTES=$OUT/notes.md
REPORT=${REPORT:-$BUILD_DIR/RESULTS-framed.md}
mkdir -p "$OUT"
: > "$RAW"; : > "$NOTES"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
note() { echo "- $*" >> "$NOTES"; log "NOTE: $*"; }

if [ "$BUILD" = 1 ]; then
  log "building async-io-benchmarks (-Pbench) and loadgen.c"
  (cd "$ROOT" && ./mvnw -B -q -Pbench -pl async-io-benchmarks -am package -DskipTests -Dmaven.javadoc.skip)
  gcc -O2 -o "$LOADGEN" "$HERE/c/loadgen.c"
fi
[ -f "$JAR" ] || { echo "framed.sh: $JAR missing; run without --no-build" >&2; exit 1; }
[ -x "$LOADGEN" ] || { echo "framed.sh: $LOADGEN missing; run without --no-build (needs gcc)" >&2; exit 1; }
{ "$LOADGEN" 2>&1 || true; } | grep -q frame4 || { echo "framed.sh: $LOADGEN has no frame4 mode; rebuild it" >&2; exit 1; }

ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
PIN=${PIN:-1}
if [ "$PIN" = 1 ] && command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then
  SERVER_CPU=${SERVER_CPU:-0}; CLIENT_CPU=${CLIENT_CPU:-1}
  SPIN=(taskset -c "$SERVER_CPU"); CPIN=(taskset -c "$CLIENT_CPU")
  PINNING="servers on CPU $SERVER_CPU, load generator on CPU $CLIENT_CPU (taskset)"
else
  SPIN=(); CPIN=(); PINNING="none"
fi

free_port() { # below the ephemeral range (32768+), so no client socket holds it
  local p used
  used=$(ss -Htan 2> /dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
  while :; do
    p=$(( 10000 + RANDOM % 22000 ))
    if ! grep -qx "$p" <<< "$used"; then echo "$p"; return; fi
  done
}

wait_port() { # port seconds pid
  local i
  for ((i = 0; i < $2 * 20; i++)); do
    if (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; then return 0; fi
    kill -0 "$3" 2> /dev/null || return 1
    sleep 0.05
  done
  return 1
}

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done' EXIT

SERVERS=(); PORTS=()
i=0
for s in $SERVERS_WANTED; do
  if [ -n "$PORT_BASE" ]; then port=$((PORT_BASE + i)); else port=$(free_port); fi
  i=$((i + 1))
  case "$s" in
    async-io) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.framed.AsyncIoFramedEchoServer --port "$port") ;;
    netty-*) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.framed.NettyFramedEchoServer --port "$port"
        --transport "${s#netty-}") ;;
  esac
  "${SPIN[@]}" "${cmd[@]}" > "$OUT/server-$s.log" 2>&1 &
  pid=$!
  if wait_port "$port" 30 "$pid"; then
    PIDS+=("$pid"); SERVERS+=("$s"); PORTS+=("$port")
    log "$s listens on $port (pid $pid)"
  else
    kill "$pid" 2> /dev/null || true
    note "$s did not start, left out: $(grep -m1 -E 'Exception|Error' "$OUT/server-$s.log" || tail -1 "$OUT/server-$s.log")"
  fi
done
[ "${#SERVERS[@]}" -gt 0 ] || { echo "framed.sh: no server started (logs in $OUT)" >&2; exit 1; }

run_cell() { # index cell -> one raw line
  local s=${SERVERS[$1]} port=${PORTS[$1]} cell=$2 conns depth line kv
  conns=${cell#c}; conns=${conns%x*}; depth=${cell#*x}
  line=$("${CPIN[@]}" "$LOADGEN" 127.0.0.1 "$port" "$conns" "$FRAME_BYTES" "$CELL_SECONDS" pingpong "$depth" frame4 \
    2>> "$OUT/client.log" | tail -1) || true
  [ -n "$line" ] || line="crashed 1 errors 1"
  log "  round $ROUND $s $cell: $line"
  kv=$(echo "$line" | awk '{for (i = 1; i < NF; i += 2) printf "%s=%s ", $i, $(i + 1)}')
  printf '%s\t%s\t%s\t%s\n' "$ROUND" "$s" "$cell" "$kv" >> "$RAW"
}

log "JIT warm-up: ${JIT_WARMUP} s per server"
for idx in "${!SERVERS[@]}"; do
  "${CPIN[@]}" "$LOADGEN" 127.0.0.1 "${PORTS[$idx]}" 64 "$FRAME_BYTES" "$JIT_WARMUP" pingpong 4 frame4 \
    > /dev/null 2>> "$OUT/client.log" || true
done

n=${#SERVERS[@]}
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
  log "round $ROUND/$ROUNDS: ${SERVERS[*]}"
  for cell in $CELLS; do
    # The order rotates each round, so no server always runs first (or right after the same neighbour).
    for ((k = 0; k < n; k++)); do run_cell $(( (k + ROUND - 1) % n )) "$cell"; done
  done
done

{
  echo "- $(date -u +%Y-%m-%d) ($MODE), $ROUNDS round(s) of ${CELL_SECONDS} s cells (loadgen.c counts the last 5/6 of each), JIT warm-up ${JIT_WARMUP} s per server"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
  echo "- java: $("$JAVA" -version 2>&1 | head -1), flags \`$SERVER_JVM_FLAGS\`; Netty $(unzip -p "$JAR" META-INF/maven/io.netty/netty-transport/pom.properties 2> /dev/null | sed -n 's/^version=//p')"
  echo "- pinning: $PINNING; all servers up at once, cells back to back"
  echo "- frame: $FRAME_BYTES bytes on the wire = 4-byte big-endian length + $((FRAME_BYTES - 4)) bytes payload"
  echo "- raw lines and server logs: \`${OUT#"$ROOT"/}\`"
} > "$OUT/header.md"
cat "$NOTES" >> "$OUT/header.md"
"$JAVA" -cp "$JAR" dev.asyncio.bench.framed.FramedReport "$RAW" "$REPORT" "$OUT/header.md"
log "report: $REPORT"
