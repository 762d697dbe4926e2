#!/usr/bin/env bash
# The cost of the request-id and metrics interceptor and of the metrics
# endpoint (docs/benchmarks.md, "Metrics and request ids"): two real
# rectify_servers on 127.0.0.1 port 0, each with a fresh data directory,
# driven in turns by bench/loadgen with the mutating mix of bench/case_mix.h:
#
#   off — --rpc_interceptor=false, no --metrics_listen (no request ids, no
#         per-RPC figures, no RocksDB statistics): the baseline;
#   on  — the defaults plus --metrics_listen=127.0.0.1:0 (the interceptor,
#         the pipeline's histograms, RocksDB statistics), scraped once a
#         second with curl during its runs, as Prometheus would (more often
#         than its usual 15-30 s).
#
#   bench/run_metrics_bench.sh [--duration=10s] [--max_commands=20000] [--clients="1 8 64"]
#                              [--rounds=3] [--sync=false]
#
# --sync=false by default: without the fsync the servers are CPU-bound, so
# the interceptor's CPU shows instead of hiding behind the disk.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10s
max_commands=20000
clients_list="1 8 64"
rounds=3
sync=false
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration="${arg#*=}" ;;
    --max_commands=*) max_commands="${arg#*=}" ;;
    --clients=*) clients_list="${arg#*=}" ;;
    --rounds=*) rounds="${arg#*=}" ;;
    --sync=*) sync="${arg#*=}" ;;
    *) echo "usage: $0 [--duration=10s] [--max_commands=N] [--clients=\"1 8 64\"] [--rounds=N] [--sync=BOOL]" >&2
       exit 2 ;;
  esac
done

# shellcheck source=bench/build_lib.sh
source bench/build_lib.sh
build_opt //bench:loadgen //server:rectify_server
work="$(mktemp -d /tmp/metrics-bench.XXXXXX)"
# shellcheck source=bench/server_lib.sh
source bench/server_lib.sh

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg), sync=$sync" >&2
declare -A ports pid_of
start_server off --sync="$sync" --rpc_interceptor=false
ports[off]=$server_port; pid_of[off]=$server_pid
start_server on --sync="$sync" --metrics_listen=127.0.0.1:0 --metrics_port_file="$work/on.metrics_port"
ports[on]=$server_port; pid_of[on]=$server_pid
metrics_port="$(cat "$work/on.metrics_port")"

results="$work/results"
: > "$results"
for round in $(seq 1 "$rounds"); do
  for clients in $clients_list; do
    for name in off on; do
      scraper=""
      if [[ $name == on ]]; then
        ( while true; do curl -s -o /dev/null "http://127.0.0.1:$metrics_port/metrics"; sleep 1; done ) &
        scraper=$!
      fi
      "$bin/bench/loadgen" --server="127.0.0.1:${ports[$name]}" --label="$name" \
        --clients="$clients" --max_commands="$max_commands" --duration="$duration" \
        --command_prefix="$name-$clients-$round-$$" | tee -a "$results" >&2 || true
      if [[ -n $scraper ]]; then kill "$scraper"; wait "$scraper" 2>/dev/null || true; fi
    done
  done
done
for name in off on; do server_pid=${pid_of[$name]}; stop_server; done
echo "# done, load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# One row per round and client count: off and on side by side.
python3 - "$results" <<'PY'
import sys
runs = {}
order = []
for line in open(sys.argv[1]):
    f = dict(kv.split("=", 1) for kv in line.split())
    c = f["clients"]
    if c not in order:
        order.append(c)
    runs.setdefault((f["target"], c), []).append(f)
print("| clients | round | off RPCs/s (p50/p99 ms) | on RPCs/s (p50/p99 ms) | on / off |")
print("|---|---|---|---|---|")
cell = lambda r: "%.0f (%.2f / %.2f)" % (float(r["per_second"]), float(r["p50_ms"]), float(r["p99_ms"]))
for c in order:
    for n, (a, b) in enumerate(zip(runs[("off", c)], runs[("on", c)]), 1):
        print("| %s | %d | %s | %s | %.3f |" % (c, n, cell(a), cell(b),
              float(b["per_second"]) / float(a["per_second"])))
for c in order:
    off = sum(float(r["per_second"]) for r in runs[("off", c)])
    on = sum(float(r["per_second"]) for r in runs[("on", c)])
    print("sum over rounds, %s clients: on / off = %.3f" % (c, on / off))
PY
