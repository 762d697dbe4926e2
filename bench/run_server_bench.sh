#!/usr/bin/env bash
# The server benchmark (docs/benchmarks.md, "Server"): the load generator
# drives, in one run, (a) bench/echo_server, (b) bench/raw_commit_server and
# the real rectify_server, each on 127.0.0.1 port 0 with a fresh temporary
# data directory, at 1, 8 and 64 concurrent clients, with the mutating mix
# of bench/case_mix.h (sync on), and prints a table.
#
#   bench/run_server_bench.sh [--duration=10s] [--max_commands=20000] [--clients="1 8 64"]
#                             [--getcase_store=~/.cache/rectify/bench-data/server-1m]
#                             [--bin=DIR]
#
# --bin: take the binaries from that bazel-bin instead of building `-c opt`
# here (another tree's, to measure a baseline build with the same script;
# say which build mode it holds beside the figures).
#
# --getcase_store: also run rectify_server on that store (built by
# `bench/storage_bench_dataset load DIR`, 1M cases with the projector's index
# keys; it is opened read-write, so pass a store made for it) and measure
# GetCase of random cases and a filtered ListCases page at 1 and 8 clients.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10s
max_commands=20000
clients_list="1 8 64"
getcase_store=""
bin=""
for arg in "$@"; do
  case "$arg" in
    --duration=*) duration="${arg#*=}" ;;
    --max_commands=*) max_commands="${arg#*=}" ;;
    --clients=*) clients_list="${arg#*=}" ;;
    --getcase_store=*) getcase_store="${arg#*=}" ;;
    --bin=*) bin="${arg#*=}" ;;
    *) echo "usage: $0 [--duration=10s] [--max_commands=N] [--clients=\"1 8 64\"] [--getcase_store=DIR] [--bin=DIR]" >&2
       exit 2 ;;
  esac
done

# shellcheck source=bench/build_lib.sh
source bench/build_lib.sh
[[ -n "$bin" ]] || build_opt //bench:loadgen //bench:echo_server //bench:raw_commit_server \
  //server:rectify_server
principals="$PWD/config/principals.demo.textproto"

work="$(mktemp -d /tmp/server-bench.XXXXXX)"
# shellcheck source=bench/server_lib.sh
source bench/server_lib.sh

# start NAME COMMAND...: starts a server, leaving its port in ports[NAME]
# (and its pid in pid_of[NAME]).
declare -A ports pid_of
start() {
  start_process "$@"
  ports[$1]=$server_port
  pid_of[$1]=$server_pid
}
stop() { stop_server "${pid_of[$1]}"; }

results="$work/results"
: > "$results"
# The share of CPU time the hypervisor took from this VM over the run
# (steal): a shared host slows every target at random, which the ratios
# below cannot tell from a real change; report it with them.
read -r ticks_before steal_before < <(cpu_ticks)
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# All three servers stay up (idle when not driven) and the targets take
# turns at each client count, so that a change in the machine's load
# during the run falls on all three alike.
start echo "$bin/bench/echo_server"
start raw "$bin/bench/raw_commit_server" --data_dir="$work/raw-data"
start server "$bin/server/rectify_server" --data_dir="$work/server-data" \
  --principals_file="$principals"
for clients in $clients_list; do
  for name in echo raw server; do
    "$bin/bench/loadgen" --server="127.0.0.1:${ports[$name]}" --label="$name" \
      --clients="$clients" --max_commands="$max_commands" --duration="$duration" \
      --command_prefix="$name-$clients-$$" | tee -a "$results" >&2 || true
  done
done
for name in echo raw server; do stop "$name"; done
read -r ticks_after steal_after < <(cpu_ticks)
echo "# done, load average: $(cut -d' ' -f1-3 /proc/loadavg), CPU stolen by the host during the run:" \
  "$(( (steal_after - steal_before) * 100 / (ticks_after - ticks_before + 1) )) %" >&2

# The table: one row per client count, server/raw the ratio of issue 20's goal (≥ 0.85).
awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    key = f["target"] SUBSEP f["clients"]
    rps[key] = f["per_second"]; p50[key] = f["p50_ms"]; p99[key] = f["p99_ms"]
    bytes[f["target"]] = f["request_bytes"] "/" f["response_bytes"]
    err[key] = f["errors"]; if (!(f["clients"] in seen)) { seen[f["clients"]] = 1; order[++n] = f["clients"] } }
  END {
    printf "| clients | echo RPCs/s (p50/p99 ms) | raw commit RPCs/s (p50/p99 ms) | rectify_server RPCs/s (p50/p99 ms) | server / raw |\n"
    printf "|---|---|---|---|---|\n"
    for (i = 1; i <= n; i++) {
      c = order[i]; line = "| " c
      for (t = 1; t <= 3; t++) {
        name = (t == 1 ? "echo" : t == 2 ? "raw" : "server"); k = name SUBSEP c
        line = line sprintf(" | %.0f (%.2f / %.2f)%s", rps[k], p50[k], p99[k], err[k] > 0 ? " " err[k] " errors" : "")
      }
      r = rps["raw" SUBSEP c] > 0 ? rps["server" SUBSEP c] / rps["raw" SUBSEP c] : 0
      printf "%s | %.2f |\n", line, r
    }
    printf "\nmean request/response bytes: echo %s, raw %s, server %s\n", bytes["echo"], bytes["raw"], bytes["server"]
  }' "$results"

if [[ -n "$getcase_store" ]]; then
  # The floor first: the echo server answering GetCase at once.
  echo
  echo "GetCase, echo_server (the floor: gRPC and loopback only):"
  start echo-get "$bin/bench/echo_server"
  "$bin/bench/loadgen" --server="127.0.0.1:${ports[echo-get]}" --label=echo --workload=get \
    --clients=1 --max_commands="$max_commands" --duration="$duration" || true
  stop echo-get
  start getcase "$bin/server/rectify_server" --data_dir="$getcase_store" --principals_file="$principals"
  echo "GetCase, rectify_server on $getcase_store (random cases of 1M; the first run starts with a cold block cache):"
  for clients in 1 1 8; do
    "$bin/bench/loadgen" --server="127.0.0.1:${ports[getcase]}" --label=getcase --workload=get \
      --clients="$clients" --max_commands="$max_commands" --duration="$duration" || true
  done
  echo "ListCases, first page of 50, status FOUND in one of 20 regions (1 case in 20 matches):"
  for clients in 1 8; do
    "$bin/bench/loadgen" --server="127.0.0.1:${ports[getcase]}" --label=listcases --workload=list \
      --clients="$clients" --max_commands="$max_commands" --duration="$duration" || true
  done
  stop getcase
fi
