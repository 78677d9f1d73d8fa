#!/usr/bin/env bash
# Unix-socket echo vs TCP loopback echo on the same async-io server process (direct-buffer echo and array echo).
# Usage: async-io-benchmarks/unix-vs-tcp.sh (after run.sh or the -Pbench package built the jar); raw lines in build/unix-vs-tcp.tsv
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
J=$HERE/target/async-io-benchmarks.jar
mkdir -p $HERE/build
TMP=$(mktemp -d)
OUT=$HERE/build/unix-vs-tcp.tsv; : > $OUT
for echo in direct array; do
  SOCK=$TMP/bench-$echo.sock; rm -f $SOCK
  PORT=$((20000 + RANDOM % 10000))
  taskset -c 0 java -Xms512m -Xmx512m -XX:+UseG1GC -Dbench.echo=$echo -Dbench.unix=$SOCK -cp $J \
    dev.asyncio.bench.server.AsyncIoEchoServer --port $PORT > $HERE/build/unixsrv-$echo.log 2>&1 &
  PID=$!
  for i in $(seq 1 100); do grep -q READY $HERE/build/unixsrv-$echo.log && break; sleep 0.1; done
  taskset -c 1 java -cp $J dev.asyncio.bench.load.LoadGenerator pingpong --conns 64 --port $PORT --warmup 0 --seconds 2 > /dev/null
  for r in 1 2 3; do
    for t in tcp unix; do
      P=""; [ $t = unix ] && P="-Dbench.unix=$SOCK"
      for cell in "s1-c64:pingpong --conns 64 --size 64" "s1-c1:pingpong --conns 1 --size 64" "s4-c1:stream --conns 1 --chunk 65536" "s4-c4:stream --conns 4 --chunk 65536"; do
        name=${cell%%:*}; args=${cell#*:}
        line=$(taskset -c 1 java -Xms512m -Xmx512m -XX:+UseG1GC $P -cp $J dev.asyncio.bench.load.LoadGenerator $args --port $PORT --server-pid $PID --warmup 1 --seconds 3 2>/dev/null | tail -1)
        echo -e "$r\t$echo-$t\t$name\tjava\t$(echo $line | awk '{for (i = 1; i < NF; i += 2) printf "%s=%s ", $i, $(i + 1)}')" >> $OUT
        echo "$r $echo $t $name: $line"
      done
    done
  done
  kill $PID; wait $PID 2>/dev/null
done
