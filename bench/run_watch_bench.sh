#!/usr/bin/env bash
# The WatchEvents catch-up benchmark (docs/benchmarks.md, "WatchEvents: live
# latency under catch-up"): in one run, bench/watch_bench drives two
# rectify_server processes in turn, each on 127.0.0.1 port 0 with a fresh
# data directory:
#   round-robin   --watch_live_first=false: the feed's scheduling before
#                 issue 11 (every ready subscriber in turn, a page each)
#   live-first    the default: live subscribers first, a catch-up page after
#                 at most 8 live pages
# Each: --seed_events events, then --watchers subscribers from position 0
# while one live subscriber times a new case's event every 100 ms.
#
#   bench/run_watch_bench.sh [--watchers=1000] [--seed_events=5000] [--max_seconds=300s]
#                            [--fastbuild]
#
# --fastbuild: the binaries as tests build them (no -c opt), when an
# optimized build is out of reach.
set -euo pipefail
cd "$(dirname "$0")/.."

watchers=1000
seed_events=5000
max_seconds=300s
mode=(-c opt)
for arg in "$@"; do
  case "$arg" in
    --fastbuild) mode=() ;;
    --watchers=*) watchers="${arg#*=}" ;;
    --seed_events=*) seed_events="${arg#*=}" ;;
    --max_seconds=*) max_seconds="${arg#*=}" ;;
    *) echo "usage: $0 [--watchers=1000] [--seed_events=5000] [--max_seconds=300s]" >&2; exit 2 ;;
  esac
done

nice bazel build "${mode[@]}" //server:rectify_server //bench:watch_bench >&2
bin="$(bazel info "${mode[@]}" bazel-bin 2>/dev/null)"
work="$(mktemp -d /tmp/watch-bench.XXXXXX)"
# shellcheck source=bench/server_lib.sh
source bench/server_lib.sh

# run NAME FLAGS...: starts a server with FLAGS, measures, stops it.
run() {
  local name="$1"; shift
  start_server "$name" --sync=false --max_watch_streams_per_principal=$((watchers + 10)) "$@"
  "$bin/bench/watch_bench" --server="127.0.0.1:$server_port" --label="$name" \
    --watchers="$watchers" --seed_events="$seed_events" --max_seconds="$max_seconds"
  stop_server
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run round-robin --watch_live_first=false
run live-first
