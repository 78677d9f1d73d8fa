#!/usr/bin/env bash
# Side-by-side benchmark of async-io (the benchmark's own echo and the sample app's, as deployed) against Netty NIO,
# epoll and io_uring, thread-per-connection (platform and virtual threads) and a C epoll reference server, every JVM
# on the same JDK; writes async-io-benchmarks/RESULTS.md.
#
#   async-io-benchmarks/run.sh            full run (~40 min on 2 cores; run it on an otherwise idle machine)
#   async-io-benchmarks/run.sh --smoke    every scenario for ~1 s with small counts (proves the harness, ~4 min);
#                                         writes build/RESULTS-smoke.md and leaves RESULTS.md alone
# Phases: echo (S1-S5 per server), interleaved (the issue-11 S4/S1 cells with the compared servers up at once, cells
#         back to back: robust to the machine's speed changing minute to minute), memory, scale, unix (Unix socket
#         vs TCP echo), sendfile (a 1 GiB file), kv, jmh.
# Options: --no-build (reuse the jar and C binaries), --servers "netty-nio c-epoll ..." (subset, echo servers;
#          async-io runs on NIO, async-io-native on the native epoll transport: needs JAVA 22+ and a jar built by it),
#          --skip "jmh kv memory scale interleaved unix sendfile" (skip phases), --only "unix sendfile" (run just these phases),
#          --report FILE (write the report there instead of RESULTS.md / build/RESULTS-smoke.md).
# Environment: ROUNDS, I_ROUNDS (interleaved rounds, default 5), WARMUP, CELL_SECONDS (measured seconds per cell), SERVER_CPU / CLIENT_CPU (taskset lists; PIN=0 disables pinning),
#              JAVA (every Java server and the generator; default Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64
#              when present, else java on the PATH), SERVER_JVM_FLAGS,
#              KV_JAR (sample app jar), KV_APP_ARGS (extra args for it, e.g. to set the kv port property),
#              SAMPLE_JAR (the sample app jar the sample-echo server runs; default KV_JAR or the built one),
#              SAMPLE_APP_ARGS (extra args for sample-echo), BENCH_PORTS (e.g. 21700-21799: ports to use),
#              SENDFILE_MB (file size, default 1024; smoke 64), SENDFILE_WARMUP / SENDFILE_SECONDS (untimed and timed
#              transfers, back to back, for that long; default 1 s / 3 s, smoke 0.1 s / 0.3 s),
#              SENDFILE_SERVERS (default "async-io netty-nio netty-epoll async-io-copy async-io-tls").
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
MODE=full
BUILD=1
SERVERS_WANTED=""
SKIP=""
ONLY=""
REPORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --no-build) BUILD=0 ;;
    --servers) SERVERS_WANTED="$2"; shift ;;
    --skip) SKIP="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --report) REPORT="$2"; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$MODE" = smoke ]; then
  ROUNDS=${ROUNDS:-1}; WARMUP=${WARMUP:-0.3}; SECONDS_PER_CELL=${CELL_SECONDS:-1}; JIT_WARMUP=1
  S1_CONNS="1 16"; S2_CELLS="16x4"; S4_CONNS="1"; CHURN=4; IDLE_COUNTS="1000"; S3_FRACTIONS="50"
  KV_REQUESTS=20000; JMH_ARGS="-f 1 -wi 1 -w 200ms -i 1 -r 300ms"
  SENDFILE_MB=${SENDFILE_MB:-64}; SENDFILE_WARMUP=${SENDFILE_WARMUP:-0.1}; SENDFILE_SECONDS=${SENDFILE_SECONDS:-0.3}
  I_ROUNDS=${I_ROUNDS:-1}
else
  ROUNDS=${ROUNDS:-3}; WARMUP=${WARMUP:-1}; SECONDS_PER_CELL=${CELL_SECONDS:-3}; JIT_WARMUP=2
  S1_CONNS="1 64 1000"; S2_CELLS="16x16 256x16"; S4_CONNS="1 4"; CHURN=16; IDLE_COUNTS="10000 50000"
  S3_FRACTIONS="25 50 75"; KV_REQUESTS=100000; JMH_ARGS="-f 1 -wi 3 -w 1s -i 3 -r 1s"
  SENDFILE_MB=${SENDFILE_MB:-1024}; SENDFILE_WARMUP=${SENDFILE_WARMUP:-1}; SENDFILE_SECONDS=${SENDFILE_SECONDS:-3}
  I_ROUNDS=${I_ROUNDS:-5}
fi
PHASES="echo interleaved memory scale unix sendfile kv jmh"
for p in $ONLY $SKIP; do
  case " $PHASES " in *" $p "*) ;; *) echo "run.sh: unknown phase '$p' (known: $PHASES)" >&2; exit 2 ;; esac
done

# One JDK for every JVM (servers, generator, report): the comparison is of the servers, not of JDKs.
TEMURIN25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [ -z "${JAVA:-}" ]; then
  if [ -x "$TEMURIN25" ]; then JAVA=$TEMURIN25; else JAVA=java; fi
fi
if [ -n "${JAVA21:-}" ] && [ "$JAVA21" != "$JAVA" ]; then
  echo "run.sh: JAVA21 is gone: every JVM runs on JAVA (now $JAVA); set JAVA instead" >&2; exit 2
fi
# The feature version of JAVA (17, 21, 25 ...): the virtual-thread server needs 21+.
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
JAVA_FEATURE=${JAVA_FEATURE%%.*}
SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:--Xms512m -Xmx512m -XX:+UseG1GC}
CLIENT_JVM_FLAGS="-Xms512m -Xmx512m -XX:+UseG1GC"
JAR=$HERE/target/async-io-benchmarks.jar
BUILD_DIR=$HERE/build
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BUILD_DIR/results/$STAMP-$MODE
RAW=$OUT/raw.tsv
NOTES=$OUT/notes.md
mkdir -p "$OUT"
: > "$RAW"; : > "$NOTES"
T0=$(date +%s)

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
note() { echo "- $*" >> "$NOTES"; log "NOTE: $*"; }
# A phase is skipped when --skip names it, or when --only is given and does not.
skipped() {
  case " $SKIP " in *" $1 "*) return 0 ;; esac
  if [ -n "$ONLY" ]; then case " $ONLY " in *" $1 "*) return 1 ;; *) return 0 ;; esac; fi
  return 1
}

# ---------------------------------------------------------------------------------------------------------- build
if [ "$BUILD" = 1 ]; then
  log "building async-io-benchmarks (-Pbench) and the C reference tools"
  # Built by JAVA's JDK when it is 22+, so the jar (and the sample's) carry the native transport (async-io-native,
  # a JDK 22+ profile); -DskipTests also skips that module's run of the core suite (-Dasyncio.native.skipTests kept for older trees).
  BUILD_ENV=()
  if [ "${JAVA_FEATURE:-0}" -ge 22 ] 2> /dev/null; then
    BUILD_ENV=(env "JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")")
  fi
  (cd "$ROOT" && "${BUILD_ENV[@]}" ./mvnw -B -q -Pbench -pl async-io-benchmarks -am package -DskipTests \
    -Dasyncio.native.skipTests=true)
  wants_sample=0
  { [ -z "${KV_JAR:-}" ] && ! skipped kv; } && wants_sample=1
  { [ -z "${SAMPLE_JAR:-}" ] && [[ " ${SERVERS_WANTED:-sample-echo} " == *" sample-echo "* ]]; } && wants_sample=1
  if [ "$wants_sample" = 1 ] && [ -d "$ROOT/async-io-sample-app/src/main/java/dev/asyncio/sample/kv" ]; then
    log "building the sample app (for the sample-echo server and the kv comparison)"
    (cd "$ROOT" && "${BUILD_ENV[@]}" ./mvnw -B -q -pl async-io-sample-app -am package -DskipTests \
      -Dasyncio.native.skipTests=true) > "$OUT/sample-app-build.log" 2>&1 \
      || note "the sample app did not build (see $OUT/sample-app-build.log): kv comparison skipped"
  fi
fi
[ -f "$JAR" ] || { echo "run.sh: $JAR missing; run without --no-build" >&2; exit 1; }
JAR_TOOL="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jar"
if command -v unzip > /dev/null; then unzip -l "$JAR"; else "$JAR_TOOL" tf "$JAR"; fi \
  > "$OUT/jar-contents.txt"
in_jar() { grep -q "$1" "$OUT/jar-contents.txt"; }
HAVE_C=0
if command -v gcc > /dev/null; then
  # c/ holds copies of shared/bench/{epoll_echo,loadgen}.c, so the module builds without the shared folder
  gcc -O2 -o "$BUILD_DIR/epoll_echo" "$HERE/c/epoll_echo.c"
  gcc -O2 -o "$BUILD_DIR/loadgen" "$HERE/c/loadgen.c"
  HAVE_C=1
else
  note "gcc not found: no C epoll reference server and no loadgen.c second opinion"
fi

# ----------------------------------------------------------------------------------------------- machine limits
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
ulimit -n 120000 2> /dev/null || true
FD_LIMIT=$(ulimit -n)
PIN=${PIN:-1}
if [ "$PIN" = 1 ] && command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then
  SERVER_CPU=${SERVER_CPU:-0}; CLIENT_CPU=${CLIENT_CPU:-1}
  SPIN=(taskset -c "$SERVER_CPU"); CPIN=(taskset -c "$CLIENT_CPU")
  PINNING="server on CPU $SERVER_CPU, client on CPU $CLIENT_CPU (taskset)"
else
  SPIN=(); CPIN=(); PINNING="none"
fi

# ------------------------------------------------------------------------------------------------------ servers
ALL_SERVERS="sample-echo async-io async-io-native async-io-direct netty-nio netty-epoll netty-io_uring threads vthreads c-epoll"
SAMPLE_JAR=${SAMPLE_JAR:-${KV_JAR:-$(ls "$ROOT"/async-io-sample-app/target/async-io-sample-app-*.jar 2> /dev/null \
  | grep -v -e sources -e javadoc -e plain | head -1 || true)}}
CONTROL_AGENT=$BUILD_DIR/control-agent.jar
SERVERS=""
for s in ${SERVERS_WANTED:-$ALL_SERVERS}; do
  case "$s" in
    async-io|async-io-direct)
      if in_jar 'dev/asyncio/bench/server/AsyncIoEchoServer.class'; then SERVERS+=" $s"
      else note "async-io echo server not in the jar (core not merged yet): skipped"; fi ;;
    async-io-native)
      if [ ! "${JAVA_FEATURE:-0}" -ge 22 ] 2> /dev/null; then
        note "JAVA=$JAVA is Java $JAVA_FEATURE, the native transport needs 22+: async-io-native skipped"
      elif ! in_jar 'dev/asyncio/nativeio/'; then
        note "the benchmark jar has no async-io-native (built on a JDK before 22; rebuild with JAVA_HOME=<JDK 22+>): async-io-native skipped"
      else SERVERS+=" $s"; fi ;;
    vthreads)
      if [ "${JAVA_FEATURE:-0}" -ge 21 ] 2> /dev/null; then SERVERS+=" $s"
      else note "JAVA=$JAVA is Java $JAVA_FEATURE, virtual threads need 21+: virtual-thread server skipped"; fi ;;
    sample-echo)
      if [ -z "$SAMPLE_JAR" ] || [ ! -f "$SAMPLE_JAR" ]; then
        note "sample app jar not found (build it with ./mvnw -pl async-io-sample-app -am package, or set SAMPLE_JAR): sample-echo skipped"
      else
        # A private copy, so a rebuild during the run cannot swap classes under the app, and the control port as an
        # agent (ControlAgent + ControlPort only, packed from the benchmark jar) for the memory phase.
        cp "$SAMPLE_JAR" "$OUT/sample-app.jar"
        mkdir -p "$OUT/agent"
        (cd "$OUT/agent" && "$JAR_TOOL" xf "$JAR" dev/asyncio/bench/server/ControlAgent.class \
          dev/asyncio/bench/server/ControlPort.class && printf 'Premain-Class: dev.asyncio.bench.server.ControlAgent\n' \
          > manifest.txt && "$JAR_TOOL" cfm "$CONTROL_AGENT" manifest.txt dev) && SERVERS+=" $s" \
          || note "could not pack $CONTROL_AGENT: sample-echo skipped"
      fi ;;
    c-epoll) if [ "$HAVE_C" = 1 ]; then SERVERS+=" $s"; fi ;;
    netty-nio|netty-epoll|netty-io_uring|threads) SERVERS+=" $s" ;;
    *) echo "run.sh: unknown server '$s' (known: $ALL_SERVERS)" >&2; exit 2 ;;
  esac
done
log "servers:$SERVERS"
# A rough forecast from the fixed durations: cells x (warm-up + measured + ~0.3 s JVM start), plus the fixed phases
# (memory, scale, kv and JMH: ~270 s in a full run), plus the unix phase (2 servers x 8 cells per round) and the
# sendfile phase (JVM start, warm-up and measured time, and one transfer's overrun per server and round).
n_servers=$(wc -w <<< "$SERVERS"); skipped echo && n_servers=0
n_java=$(( $(wc -w <<< "$S1_CONNS $S2_CELLS $S4_CONNS") + $(wc -w <<< "$S3_FRACTIONS") + 1 ))
n_unix=16; skipped unix && n_unix=0
n_file=5; skipped sendfile && n_file=0
n_inter=8; skipped interleaved && n_inter=0
fixed=270; [ "$ROUNDS" -gt 1 ] || fixed=60
skipped memory && skipped scale && skipped kv && skipped jmh && fixed=0
eta=$(awk -v r="$ROUNDS" -v s="$n_servers" -v j="$n_java" -v w="$WARMUP" -v m="$SECONDS_PER_CELL" -v c="$HAVE_C" \
  -v jit="$JIT_WARMUP" -v u="$n_unix" -v f="$n_file" -v mb="$SENDFILE_MB" \
  -v fw="$SENDFILE_WARMUP" -v fs="$SENDFILE_SECONDS" -v x="$fixed" -v ir="$I_ROUNDS" -v n="$n_inter" \
  'BEGIN { per = j * (w + m + 0.3) + c * 3 * (1.2 * m) + jit + 1;
    unix = r * (u * (w + m + 0.3) + u / 8 * (2 * jit + 2)); file = r * f * (1 + fw + fs + mb / 1000);
    inter = ir * n * (5 * (w + m + 0.3) + c * 4 * (1.2 * m)) + n * (jit + 1);
    printf "%.0f", (r * s * per + s * 12 + x + unix + file + inter) / 60 }')
log "expected duration: about $eta min"

PORT_LO=10000; PORT_SPAN=22000
if [ -n "${BENCH_PORTS:-}" ]; then # e.g. 21700-21799: stay inside a range given to this run
  PORT_LO=${BENCH_PORTS%-*}; PORT_SPAN=$(( ${BENCH_PORTS#*-} - PORT_LO ))
fi
free_port() { # a port pair below the ephemeral range (32768+), so no client socket can hold it
  local p used
  used=$(ss -Htan 2> /dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
  while :; do
    p=$(( PORT_LO + RANDOM % PORT_SPAN ))
    if ! grep -qx -e "$p" -e "$((p + 1))" <<< "$used"; then echo "$p"; return; fi
  done
}

wait_port() { # port seconds [pid]: until something listens, the time is up or the process died
  local i
  for ((i = 0; i < $2 * 20; i++)); do
    if (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; then return 0; fi
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2> /dev/null; then return 1; fi
    sleep 0.05
  done
  return 1
}

SERVER_PID=""
PORT=""
CONTROL=""
SERVER_PROPS=""  # extra -D flags for the async-io echo servers (the unix phase's socket path)
start_server() { # id [loops] [pin: 1|0] [mode]
  local id=$1 loops=${2:-1} pin=${3:-1} mode=${4:-} cmd
  PORT=$(free_port); CONTROL=$((PORT + 1))
  local common=(--port "$PORT" --control-port "$CONTROL" --loops "$loops")
  case "$id" in
    async-io) cmd=("$JAVA" $SERVER_JVM_FLAGS $SERVER_PROPS -Dasyncio.transport=nio -cp "$JAR"
        dev.asyncio.bench.server.AsyncIoEchoServer "${common[@]}" --mode "${mode:-reuseport}") ;;
    async-io-native) cmd=("$JAVA" $SERVER_JVM_FLAGS $SERVER_PROPS -Dasyncio.transport=native
        --enable-native-access=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp "$JAR"
        dev.asyncio.bench.server.AsyncIoEchoServer "${common[@]}" --mode "${mode:-reuseport}") ;;
    async-io-direct) cmd=("$JAVA" $SERVER_JVM_FLAGS $SERVER_PROPS -Dasyncio.transport=nio -Dbench.echo=direct -cp "$JAR"
        dev.asyncio.bench.server.AsyncIoEchoServer "${common[@]}" --mode "${mode:-reuseport}") ;;
    file-async-io|file-async-io-copy|file-async-io-tls)
      local m=${id#file-async-io}; m=${m#-}
      cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.AsyncIoFileServer "${common[@]}"
        --file "$SENDFILE_FILE" --mode "${m:-sendfile}")
      [ "$m" = tls ] && cmd+=(--keystore "$KEYSTORE") ;;
    file-netty-nio|file-netty-epoll) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.NettyFileServer
        "${common[@]}" --file "$SENDFILE_FILE" --mode "${id#file-netty-}") ;;
    netty-nio) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.NettyEchoServer "${common[@]}" --mode nio) ;;
    netty-epoll) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.NettyEchoServer "${common[@]}" --mode epoll) ;;
    netty-io_uring) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.NettyEchoServer "${common[@]}"
        --mode io_uring) ;;
    sample-echo)
      # The sample app's jar as users deploy it (java -jar, its application.yml), the echo handle on PORT, the
      # other handles (and kv-proxy's client, whose upstream is kv) off: with all of them, the start-up descriptor check caps each handle's max-connections to a
      # quarter of the open-file limit (4,744 here), below the memory phase's 10,000. HTTP and UDP on ephemeral
      # ports. --loops and --mode do not apply.
      # shellcheck disable=SC2086
      cmd=("$JAVA" $SERVER_JVM_FLAGS "-javaagent:$CONTROL_AGENT=$CONTROL" -jar "$OUT/sample-app.jar" --server.port=0
        --async-io.handles.echo.port="$PORT" --async-io.handles.echo.address=127.0.0.1
        --async-io.handles.tls-echo.enabled=false --async-io.handles.frames.enabled=false
        --async-io.handles.kv.enabled=false --async-io.handles.kv-proxy.enabled=false
        --async-io.clients.kv-upstream.enabled=false --sample.udp-echo.port=0 ${SAMPLE_APP_ARGS:-}) ;;
    threads) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.ThreadPerConnectionEchoServer "${common[@]}" --mode platform) ;;
    vthreads) cmd=("$JAVA" $SERVER_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.server.ThreadPerConnectionEchoServer "${common[@]}" --mode virtual) ;;
    c-epoll) cmd=("$BUILD_DIR/epoll_echo" "$PORT"); CONTROL=0 ;;
  esac
  if [ "$pin" = 1 ]; then cmd=("${SPIN[@]}" "${cmd[@]}"); fi
  "${cmd[@]}" > "$OUT/server-$id.log" 2>&1 &
  SERVER_PID=$!
  local up=30; [ "$id" = sample-echo ] && up=120  # Spring Boot starts in seconds, more on a busy machine
  if ! wait_port "$PORT" "$up" "$SERVER_PID"; then
    log "server $id did not come up; log:"; tail -20 "$OUT/server-$id.log" >&2
    stop_server; return 1
  fi
  if [ "$CONTROL" != 0 ]; then wait_port "$CONTROL" 10 || true; fi
  report_transport "$id"
}

# The transport (nio / epoll) an async-io server runs on and why, from its start-up log line, once per server per
# run: the sample's echo picks its own (auto: epoll when its jar carries async-io-native and runs on JDK 22+).
TRANSPORTS_SEEN=" "
report_transport() {
  local id=$1 line
  case "$id" in sample-echo|async-io*|file-async-io*) ;; *) return 0 ;; esac
  case "$TRANSPORTS_SEEN" in *" $id "*) return 0 ;; esac
  line=$(grep -m1 -o 'async-io transport: .*' "$OUT/server-$id.log" 2> /dev/null || true)
  [ -z "$line" ] && [ "$id" = sample-echo ] && return 0  # not logged yet; the next start reports it
  TRANSPORTS_SEEN+="$id "
  note "$id runs on ${line:-an unreported transport (no 'async-io transport:' line in its log)}"
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=""
  fi
}
SOCK_DIR=""
I_PIDS=""  # the interleaved phase's servers, all running at once
trap 'stop_server; if [ -n "$I_PIDS" ]; then kill $I_PIDS 2> /dev/null || true; fi; if [ -n "$SOCK_DIR" ]; then rm -rf "$SOCK_DIR"; fi' EXIT

ROUND=0
record() { # server cell generator result-line
  local kv
  kv=$(echo "$4" | awk '{for (i = 1; i < NF; i += 2) printf "%s=%s ", $i, $(i + 1)}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$1" "$2" "$3" "$kv" >> "$RAW"
}

CLIENT_PROPS=""  # extra -D flags for the generator (the unix phase's socket path)
jgen() { # server cell [pin] -- loadgen args
  local server=$1 cell=$2 pin=$3 line; shift 4
  local cmd=("$JAVA" $CLIENT_JVM_FLAGS $CLIENT_PROPS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator "$@" --port "$PORT"
    --server-pid "$SERVER_PID" --warmup "$WARMUP" --seconds "$SECONDS_PER_CELL")
  if [ "$pin" = 1 ]; then cmd=("${CPIN[@]}" "${cmd[@]}"); fi
  line=$("${cmd[@]}" 2>> "$OUT/client.log" | tail -1) || true
  [ -n "$line" ] || line="crashed 1 errors 1"
  log "  $server $cell: $line"
  record "$server" "$cell" java "$line"
}

cgen() { # server cell -- loadgen.c args
  local server=$1 cell=$2 line; shift 3
  line=$("${CPIN[@]}" "$BUILD_DIR/loadgen" 127.0.0.1 "$PORT" "$@" 2>> "$OUT/client.log" | tail -1) || true
  [ -n "$line" ] || line="crashed 1 errors 1"
  log "  $server $cell (loadgen.c): $line"
  record "$server" "$cell" loadgen.c "$line"
}

# ------------------------------------------------------------------------------------------------- calibration
# S3 runs every server at the same fixed rates: fractions of what the reference server does in S1 with 64
# connections (C epoll if available), so the latency rows compare like with like.
REF_SERVER=c-epoll; [ "$HAVE_C" = 1 ] || REF_SERVER=netty-nio
S3_RATES=""
REF_RATE=""
if ! skipped echo; then
  log "calibrating S3 rates against $REF_SERVER"
  start_server "$REF_SERVER"
  REF_RATE=$("${CPIN[@]}" "$JAVA" $CLIENT_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator pingpong \
    --conns 64 --port "$PORT" --warmup "$WARMUP" --seconds "$SECONDS_PER_CELL" | awk '{print $2}')
  stop_server
  REF_RATE=${REF_RATE:-20000}
  for f in $S3_FRACTIONS; do S3_RATES+=" $f:$(( ${REF_RATE%.*} * f / 100 ))"; done
  log "S3 rates (fraction:msgs/s):$S3_RATES"
fi

# ------------------------------------------------------------------------------------------- S1-S5 per server
run_cells() { # server
  local s=$1 c d r
  for c in $S1_CONNS; do jgen "$s" "s1-c$c" 1 -- pingpong --conns "$c" --size 64; done
  for cell in $S2_CELLS; do
    c=${cell%x*}; d=${cell#*x}
    jgen "$s" "s2-c${c}x$d" 1 -- pingpong --conns "$c" --depth "$d" --size 64
  done
  for r in $S3_RATES; do jgen "$s" "s3-r${r%%:*}" 1 -- openloop --conns 64 --size 64 --rate "${r#*:}"; done
  for c in $S4_CONNS; do jgen "$s" "s4-c$c" 1 -- stream --conns "$c" --chunk 65536; done
  jgen "$s" "s5-k$CHURN" 1 -- churn --conns "$CHURN" --size 64
  if [ "$HAVE_C" = 1 ]; then
    c=${S1_CONNS##* }; [ "$MODE" = full ] && c=64
    cgen "$s" "s1-c$c" -- "$c" 64 "$SECONDS_PER_CELL" pingpong
    # issue 21's cells: 1,000 connections and 4-connection streaming, on the C generator too
    [ "$MODE" = full ] && cgen "$s" "s1-c1000" -- 1000 64 "$SECONDS_PER_CELL" pingpong
    cell=${S2_CELLS%% *}; c=${cell%x*}; d=${cell#*x}
    cgen "$s" "s2-c${c}x$d" -- "$c" 64 "$SECONDS_PER_CELL" pingpong "$d"
    cgen "$s" "s4-c1" -- 1 65536 "$SECONDS_PER_CELL" stream
    cgen "$s" "s4-c4" -- 4 65536 "$SECONDS_PER_CELL" stream
  fi
}

ECHO_SERVERS=$SERVERS; skipped echo && ECHO_SERVERS=""
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
  for s in $ECHO_SERVERS; do
    log "round $ROUND/$ROUNDS: $s"
    start_server "$s" || { note "$s failed to start in round $ROUND"; continue; }
    # JIT warm-up of the server, not recorded
    "${CPIN[@]}" "$JAVA" $CLIENT_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator pingpong --conns 64 \
      --port "$PORT" --warmup 0 --seconds "$JIT_WARMUP" > /dev/null 2>> "$OUT/client.log" || true
    run_cells "$s"
    stop_server
  done
done

# ------------------------------------------------------------------ interleaved: issue 11's cells, side by side
# This machine's speed jumps by up to 2x from one minute to the next (a shared host), and the echo phase gives each
# server its minute in turn: one server can get a fast minute and the next a slow one. Here the servers that the
# targets compare all run at once (an idle one costs nothing) and each cell goes to them back to back, so a round's
# figures come from the same few seconds. Cells i-*.
if ! skipped interleaved; then
  I_SERVERS=""; I_PORTS=""; I_SPIDS=""
  for s in sample-echo async-io async-io-native async-io-direct netty-nio netty-epoll netty-io_uring vthreads c-epoll; do
    case " $SERVERS " in *" $s "*) ;; *) continue ;; esac
    if start_server "$s"; then
      "${CPIN[@]}" "$JAVA" $CLIENT_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator pingpong --conns 64 \
        --port "$PORT" --warmup 0 --seconds "$JIT_WARMUP" > /dev/null 2>> "$OUT/client.log" || true
      I_SERVERS+=" $s"; I_PORTS+=" $PORT"; I_SPIDS+=" $SERVER_PID"; I_PIDS+=" $SERVER_PID"
      SERVER_PID="" # keeps running; the trap and the end of the phase stop it
    else
      note "$s failed to start for the interleaved phase"
    fi
  done
  read -r -a i_servers <<< "$I_SERVERS"; read -r -a i_ports <<< "$I_PORTS"; read -r -a i_pids <<< "$I_SPIDS"
  for ((ROUND = 1; ROUND <= I_ROUNDS; ROUND++)); do
    log "interleaved: round $ROUND/$I_ROUNDS:$I_SERVERS"
    for cell in "s4-c1:stream --conns 1 --chunk 65536" "s4-c4:stream --conns 4 --chunk 65536" \
        "s1-c64:pingpong --conns 64 --size 64" "s1-c1000:pingpong --conns 1000 --size 64" \
        "s1-c1:pingpong --conns 1 --size 64"; do
      for i in "${!i_servers[@]}"; do
        PORT=${i_ports[$i]}; SERVER_PID=${i_pids[$i]}
        # shellcheck disable=SC2086
        jgen "${i_servers[$i]}" "i-${cell%%:*}" 1 -- ${cell#*:}
      done
    done
    if [ "$HAVE_C" = 1 ]; then
      for i in "${!i_servers[@]}"; do
        PORT=${i_ports[$i]}; SERVER_PID=${i_pids[$i]}
        cgen "${i_servers[$i]}" "i-s4-c1" -- 1 65536 "$SECONDS_PER_CELL" stream
        cgen "${i_servers[$i]}" "i-s4-c4" -- 4 65536 "$SECONDS_PER_CELL" stream
        cgen "${i_servers[$i]}" "i-s1-c64" -- 64 64 "$SECONDS_PER_CELL" pingpong
        cgen "${i_servers[$i]}" "i-s1-c1000" -- 1000 64 "$SECONDS_PER_CELL" pingpong
      done
    fi
  done
  SERVER_PID=""
  if [ -n "$I_PIDS" ]; then kill $I_PIDS 2> /dev/null || true; wait $I_PIDS 2> /dev/null || true; fi
  I_PIDS=""
fi

# ------------------------------------------------------------------------------------------ memory: idle conns
if ! skipped memory; then
  ROUND=1
  for n in $IDLE_COUNTS; do
    want=$n
    max=$(( FD_LIMIT - 1000 ))
    if [ "$n" -gt "$max" ]; then
      n=$max
      note "idle connections capped at $n instead of $want: open-file limit is $FD_LIMIT (hard $(ulimit -Hn)); raise it (ulimit -Hn as root, or LimitNOFILE) to measure $want"
    fi
    ips=""
    if [ "$n" -gt 25000 ]; then ips="127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5"; fi
    for s in $SERVERS; do
      k=$n
      if [ "$k" -gt 5000 ] && { [ "$s" = threads ] || [ "$s" = vthreads ]; }; then
        # 64 KiB buffer per connection: 10,000 of them do not fit the 512 MB heap all servers get.
        k=5000
        note "$s: memory measured with $k idle connections instead of $n (its 64 KiB buffer per connection would not fit the heap)"
      fi
      if [ "$k" -gt 10000 ] && [ "$s" = sample-echo ]; then
        k=10000  # the sample's application.yml: async-io.handles.echo.max-connections: 10000
        note "$s: memory measured with $k idle connections instead of $n (the sample's echo handle takes at most 10,000)"
      fi
      log "memory: $s with $k idle connections"
      start_server "$s" || { note "$s failed to start for the memory run"; continue; }
      line=$("${CPIN[@]}" "$JAVA" $CLIENT_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator idle --conns "$k" \
        --port "$PORT" --server-pid "$SERVER_PID" --control-port "$CONTROL" ${ips:+--source-ips $ips} \
        --histogram "$OUT/histo-$s-$want.txt" \
        2>> "$OUT/client.log" | tail -1) || true
      [ -n "$line" ] || line="crashed 1 errors 1"
      log "  $s mem-$want: $line"
      record "$s" "mem-$want" java "$line"
      stop_server
    done
  done
fi

# ------------------------------------------------------------------- scaling: several loops on one handle
if ! skipped scale; then
  ROUND=1
  # async-io: 1 collection; 2 with reusePort (one handle each); 2 with spreadOver (one handle hands out). Netty: 1, 2.
  for variant in async-io:1:reuseport:l1 async-io:2:reuseport:l2 async-io:2:spread:spread2 netty-nio:1::l1 \
      netty-nio:2::l2; do
    IFS=: read -r s loops mode tag <<< "$variant"
    case " $SERVERS " in *" $s "*) ;; *) continue ;; esac
    log "scale: $s with $loops loop(s) ${mode:+($mode)}, unpinned"
    start_server "$s" "$loops" 0 "$mode" || { note "$s failed to start with $loops loops $mode"; continue; }
    "$JAVA" $CLIENT_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator pingpong --conns 64 --port "$PORT" \
      --warmup 0 --seconds "$JIT_WARMUP" > /dev/null 2>> "$OUT/client.log" || true
    jgen "$s" "scale-$tag-s1-c64" 0 -- pingpong --conns 64 --size 64
    jgen "$s" "scale-$tag-s2-c16x16" 0 -- pingpong --conns 16 --depth 16 --size 64
    stop_server
  done
fi

# ----------------------------------------------------------------------- unix: Unix socket vs TCP loopback echo
# One async-io server (direct-buffer echo, then array echo) listens on both; the generator runs S1 and S4 over TCP,
# then over the socket file (-Dbench.unix on both sides), so each pair of cells compares transports within one server
# process. The servers alternate per round and restart each round, as in the echo phase.
UNIX_STATUS="not run (phase skipped)"
if ! skipped unix; then
  UNIX_STATUS="ran"
  SOCK_DIR=$(mktemp -d /tmp/asyncio-bench-unix.XXXXXX)  # short path: a socket path has at most 107 bytes
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for s in async-io-direct async-io; do
      SOCK=$SOCK_DIR/$s.sock
      rm -f "$SOCK"
      log "unix: round $ROUND/$ROUNDS: $s on TCP and $SOCK"
      SERVER_PROPS="-Dbench.unix=$SOCK"
      start_server "$s" || { SERVER_PROPS=""; note "$s failed to start for the unix phase in round $ROUND"; continue; }
      SERVER_PROPS=""
      for ((i = 0; i < 100; i++)); do [ -S "$SOCK" ] && break; sleep 0.05; done  # bound after the TCP port
      if [ ! -S "$SOCK" ]; then note "$s did not listen on $SOCK in round $ROUND"; stop_server; continue; fi
      for t in tcp unix; do
        CLIENT_PROPS=""; [ "$t" = unix ] && CLIENT_PROPS="-Dbench.unix=$SOCK"
        tag=tcp; [ "$t" = unix ] && tag=uds
        # JIT warm-up of the server and of this transport's path, not recorded
        "${CPIN[@]}" "$JAVA" $CLIENT_JVM_FLAGS $CLIENT_PROPS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator pingpong \
          --conns 64 --port "$PORT" --warmup 0 --seconds "$JIT_WARMUP" > /dev/null 2>> "$OUT/client.log" || true
        for c in 1 64; do jgen "$s" "unix-$tag-s1-c$c" 1 -- pingpong --conns "$c" --size 64; done
        for c in 1 4; do jgen "$s" "unix-$tag-s4-c$c" 1 -- stream --conns "$c" --chunk 65536; done
      done
      CLIENT_PROPS=""
      stop_server
    done
  done
  rm -rf "$SOCK_DIR"
fi

# ---------------------------------------------------------------------------------- sendfile: a 1 GiB file
# Each connection gets the whole file, then EOF; the generator reads it to EOF (one connection at a time) and checks
# the count and sampled bytes. Per server start: untimed transfers for SENDFILE_WARMUP seconds (at least one: page
# cache, both JITs; one is not enough, Netty's second 1 GiB transfer still ran ~40 % slower), then timed ones for
# SENDFILE_SECONDS (at least one; /proc counts CPU in 10 ms ticks and a 1 GiB transfer can take 0.1 s here, so a
# few transfers would give CPU figures to +-10 %); servers alternate per round.
SENDFILE_STATUS="not run (phase skipped)"
if ! skipped sendfile; then
  SENDFILE_FILE=$BUILD_DIR/sendfile-${SENDFILE_MB}m.bin
  log "sendfile: $("$JAVA" -cp "$JAR" dev.asyncio.bench.load.BenchFile "$SENDFILE_FILE" "$SENDFILE_MB")"
  SENDFILE_BYTES=$(( SENDFILE_MB * 1024 * 1024 ))
  KEYSTORE=$BUILD_DIR/bench-tls.p12
  FILE_SERVERS=""
  for s in ${SENDFILE_SERVERS:-async-io netty-nio netty-epoll async-io-copy async-io-tls}; do
    case "$s" in
      async-io|async-io-copy|netty-nio|netty-epoll) FILE_SERVERS+=" $s" ;;
      async-io-tls)
        KEYTOOL="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/keytool"
        if [ ! -f "$KEYSTORE" ] && [ -x "$KEYTOOL" ]; then
          "$KEYTOOL" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -dname CN=localhost -validity 3650 \
            -storetype PKCS12 -keystore "$KEYSTORE" -storepass changeit -keypass changeit > /dev/null 2>&1 || true
        fi
        if [ -f "$KEYSTORE" ]; then FILE_SERVERS+=" $s"; else note "no keytool next to $JAVA: async-io-tls skipped"; fi ;;
      *) echo "run.sh: unknown sendfile server '$s' (known: async-io netty-nio netty-epoll async-io-copy async-io-tls)" >&2
         exit 2 ;;
    esac
  done
  SENDFILE_STATUS="ran: $SENDFILE_MB MiB file; per run ${SENDFILE_WARMUP} s of untimed, ${SENDFILE_SECONDS} s of timed transfers;$FILE_SERVERS"
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    for s in $FILE_SERVERS; do
      log "sendfile: round $ROUND/$ROUNDS: $s"
      start_server "file-$s" || { note "$s file server failed to start in round $ROUND"; continue; }
      args=(download --port "$PORT" --server-pid "$SERVER_PID" --bytes "$SENDFILE_BYTES" --warmup "$SENDFILE_WARMUP"
        --seconds "$SENDFILE_SECONDS" --transfers 1 --timeout 300)
      [ "$s" = async-io-tls ] && args+=(--keystore "$KEYSTORE")
      line=$("${CPIN[@]}" "$JAVA" $CLIENT_JVM_FLAGS -cp "$JAR" dev.asyncio.bench.load.LoadGenerator "${args[@]}" \
        2>> "$OUT/client.log" | tail -1) || true
      [ -n "$line" ] || line="crashed 1 errors 1"
      log "  $s sendfile: $line"
      record "$s" sendfile java "$line"
      stop_server
    done
  done
fi

# ------------------------------------------------------------------------------------- kv against redis-server
KV_STATUS="not run (phase skipped)"
if ! skipped kv; then
  KV_JAR=${KV_JAR:-$(ls "$ROOT"/async-io-sample-app/target/async-io-sample-app-*.jar 2> /dev/null \
    | grep -v -e sources -e javadoc -e plain | head -1 || true)}
  if [ -z "$KV_JAR" ] || [ ! -f "$KV_JAR" ]; then
    KV_STATUS="skipped: sample app jar not found (build it with ./mvnw -pl async-io-sample-app -am package, or set KV_JAR)"
  elif ! command -v redis-benchmark > /dev/null; then
    KV_STATUS="skipped: redis-benchmark not installed (apt-get install redis-tools)"
  elif ! command -v redis-server > /dev/null; then
    KV_STATUS="skipped: redis-server not installed (apt-get install redis-server)"
  else
    KV_STATUS="ran"
    cp "$KV_JAR" "$OUT/kv-app.jar" # a rebuild elsewhere during the run must not swap classes under the app
    kv_round() { # server-id
      local id=$1 p
      for p in 1 16; do
        local n=$KV_REQUESTS; [ "$p" = 16 ] && n=$(( KV_REQUESTS * 5 ))
        local line
        line=$("${CPIN[@]}" redis-benchmark -h 127.0.0.1 -p "$PORT" -t ping,set,get -c 50 -n "$n" -P "$p" -q --csv \
          2>> "$OUT/client.log" | tr -d '"' | awk -F, '$1 != "test" {printf "%s %s ", $1, $2}') || true
        [ -n "$line" ] || line="crashed 1"
        log "  $id kv-P$p: $line"
        record "$id" "kv-P$p" redis-benchmark "$line errors 0"
      done
    }
    KV_ROUNDS=1; [ "$MODE" = full ] && KV_ROUNDS=2
    for ((ROUND = 1; ROUND <= KV_ROUNDS; ROUND++)); do
      PORT=$(free_port)
      log "kv: redis-server on $PORT"
      "${SPIN[@]}" redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no > "$OUT/redis.log" 2>&1 &
      SERVER_PID=$!
      if wait_port "$PORT" 20 "$SERVER_PID"; then kv_round redis-server; else note "redis-server did not start"; fi
      stop_server
      PORT=$(free_port)
      log "kv: sample app kv handle on $PORT ($KV_JAR)"
      # shellcheck disable=SC2086
      "${SPIN[@]}" "$JAVA" $SERVER_JVM_FLAGS -jar "$OUT/kv-app.jar" --server.port=0 --async-io.handles.echo.port=0 \
        --async-io.handles.kv.port="$PORT" --async-io.handles.kv.address=127.0.0.1 ${KV_APP_ARGS:-} > "$OUT/kv-app.log" 2>&1 &
      SERVER_PID=$!
      if wait_port "$PORT" 90 "$SERVER_PID"; then
        # JIT warm-up of every command measured (pipelined, so it takes a second or two)
        redis-benchmark -h 127.0.0.1 -p "$PORT" -t ping,set,get -c 50 -n "$((KV_REQUESTS * 4))" -P 16 -q \
          > /dev/null 2>&1 || true
        kv_round async-io-kv
      else
        note "sample app kv handle did not listen on $PORT (see $OUT/kv-app.log; KV_APP_ARGS adds arguments)"
        KV_STATUS="sample app failed to start (see notes)"
      fi
      stop_server
    done
  fi
  log "kv: $KV_STATUS"
fi

# ------------------------------------------------------------------------------------------------------- JMH
JMH_STATUS="not run (phase skipped)"
if ! skipped jmh; then
  if in_jar 'dev/asyncio/bench/jmh/'; then
    log "JMH: $JMH_ARGS -prof gc"
    # shellcheck disable=SC2086
    "$JAVA" -jar "$JAR" 'dev.asyncio.bench.jmh.*' $JMH_ARGS -prof gc -rf text -rff "$OUT/jmh.txt" \
      > "$OUT/jmh.log" 2>&1 && JMH_STATUS=ran || JMH_STATUS="failed (see $OUT/jmh.log)"
  else
    JMH_STATUS="skipped: no JMH benchmarks in the jar (core not merged yet)"
  fi
  log "JMH: $JMH_STATUS"
fi

# --------------------------------------------------------------------------------------------------- report
ELAPSED=$(( $(date +%s) - T0 ))
{
  echo "mode=$MODE"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "elapsed_s=$ELAPSED"
  echo "rounds=$ROUNDS"
  echo "cell=${WARMUP} s warm-up + ${SECONDS_PER_CELL} s measured"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') ($(nproc) CPUs)"
  echo "kernel=$(uname -sr)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min load average at the end)"
  echo "java=$("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "java_path=$JAVA (every JVM: servers, generator)"
  [ -n "$SAMPLE_JAR" ] && echo "sample_jar=$SAMPLE_JAR"
  echo "server_flags=$SERVER_JVM_FLAGS"
  echo "client_flags=$CLIENT_JVM_FLAGS"
  echo "pinning=$PINNING"
  echo "fd_limit=$FD_LIMIT"
  [ -n "$S3_RATES" ] && echo "s3_rates=$S3_RATES (fraction of $REF_SERVER S1 c64 = $REF_RATE msgs/s)"
  echo "kv=$KV_STATUS"
  echo "jmh=$JMH_STATUS"
  echo "unix=$UNIX_STATUS"
  echo "sendfile=$SENDFILE_STATUS"
  echo "out=$OUT"
} > "$OUT/machine.properties"
TARGET=$HERE/RESULTS.md
[ "$MODE" = smoke ] && TARGET=$BUILD_DIR/RESULTS-smoke.md
[ -n "$REPORT" ] && TARGET=$REPORT
"$JAVA" -cp "$JAR" dev.asyncio.bench.report.ResultsReport "$OUT" "$TARGET"
log "done in ${ELAPSED}s: $TARGET (raw data in $OUT)"
