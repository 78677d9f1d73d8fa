#!/usr/bin/env bash
# Unix-socket echo vs TCP loopback echo on the same async-io server process (direct-buffer echo and array echo):
# now the `unix` phase of run.sh, and this script just runs that phase alone. It writes its report to
# build/RESULTS-unix.md (RESULTS.md is left alone) and the raw lines to build/results/<stamp>-full/raw.tsv.
# Usage: async-io-benchmarks/unix-vs-tcp.sh [--no-build] [--smoke]   (any other run.sh option passes through)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$HERE/run.sh" --only unix --report "$HERE/build/RESULTS-unix.md" "$@"
