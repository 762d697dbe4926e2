#!/usr/bin/env bash
# Two builds of rectify_server side by side, for a machine whose speed drifts
# (docs/benchmarks.md, "Server", issue 20): on a shared host the CPU the
# hypervisor steals moves every figure by tens of percent within minutes, so
# one run of each build says nothing. This starts raw_commit_server and both
# rectify_servers once (127.0.0.1 port 0, fresh data directories, sync on)
# and, at each client count, drives them in turn — raw, A, B, raw, A, B, … —
# for --pairs short runs of the mutating mix, so that a drift falls on both
# alike; it prints each run and, per client count, the median RPCs/s and p50
# of each and the median of the per-round ratios B/A and B/raw, A/raw.
#
#   bench/run_pair_bench.sh --a=DIR --b=DIR [--pairs=8] [--duration=3s] [--clients="1 8 64"]
#
# DIR: a bazel-bin (or a copy of one) built with -c opt holding
# server/rectify_server; raw_commit_server and loadgen come from --a.
set -euo pipefail
cd "$(dirname "$0")/.."

a="" b="" pairs=8 duration=3s clients_list="1 8 64"
for arg in "$@"; do
  case "$arg" in
    --a=*) a="${arg#*=}" ;;
    --b=*) b="${arg#*=}" ;;
    --pairs=*) pairs="${arg#*=}" ;;
    --duration=*) duration="${arg#*=}" ;;
    --clients=*) clients_list="${arg#*=}" ;;
    *) echo "usage: $0 --a=DIR --b=DIR [--pairs=8] [--duration=3s] [--clients=\"1 8 64\"]" >&2
       exit 2 ;;
  esac
done
[[ -n "$a" && -n "$b" ]] || { echo "--a and --b are required" >&2; exit 2; }
principals="$PWD/config/principals.demo.textproto"
work="$(mktemp -d "${TMPDIR:-/tmp}/pair-bench.XXXXXX")"
# shellcheck source=bench/server_lib.sh
source bench/server_lib.sh

declare -A ports
start() {
  start_process "$@"
  ports[$1]=$server_port
}
start raw "$a/bench/raw_commit_server" --data_dir="$work/raw-data"
start A "$a/server/rectify_server" --data_dir="$work/a-data" --principals_file="$principals"
start B "$b/server/rectify_server" --data_dir="$work/b-data" --principals_file="$principals"

read -r ticks_before steal_before < <(cpu_ticks)
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); A=$a B=$b"
results="$work/results"
for clients in $clients_list; do
  for round in $(seq 1 "$pairs"); do
    for name in raw A B; do
      "$a/bench/loadgen" --server="127.0.0.1:${ports[$name]}" --label="$name" --clients="$clients" \
        --max_commands=1000000 --duration="$duration" --command_prefix="$name-$clients-$round-$$" \
        | sed "s/^/round=$round /" | tee -a "$results" || true
    done
  done
done
read -r ticks_after steal_after < <(cpu_ticks)
echo "# done, load average: $(cut -d' ' -f1-3 /proc/loadavg), CPU stolen by the host:" \
  "$(( (steal_after - steal_before) * 100 / (ticks_after - ticks_before + 1) )) %"

awk '
  function median(list, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && list[j - 1] > list[j]; j--) {
      t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
    return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
  }
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    k = f["clients"] SUBSEP f["round"]
    rps[f["target"], k] = f["per_second"]; p50[f["target"], k] = f["p50_ms"]
    if (!(f["clients"] in seen)) { seen[f["clients"]] = 1; order[++nc] = f["clients"] }
    if (f["round"] > rounds) rounds = f["round"] }
  END {
    printf "| clients | raw RPCs/s (p50 ms) | A RPCs/s (p50 ms) | B RPCs/s (p50 ms) | A/raw | B/raw | B/A |\n"
    printf "|---|---|---|---|---|---|---|\n"
    for (c = 1; c <= nc; c++) {
      cl = order[c]
      split("", r); split("", pr); split("", x); split("", px); split("", y); split("", py)
      split("", ar); split("", br); split("", ba)
      for (i = 1; i <= rounds; i++) {
        k = cl SUBSEP i
        r[i] = rps["raw", k]; pr[i] = p50["raw", k]; x[i] = rps["A", k]; px[i] = p50["A", k]
        y[i] = rps["B", k]; py[i] = p50["B", k]
        ar[i] = r[i] > 0 ? x[i] / r[i] : 0; br[i] = r[i] > 0 ? y[i] / r[i] : 0
        ba[i] = x[i] > 0 ? y[i] / x[i] : 0
      }
      printf "| %s | %.0f (%.2f) | %.0f (%.2f) | %.0f (%.2f) | %.2f | %.2f | %.2f |\n", cl,
        median(r, rounds), median(pr, rounds), median(x, rounds), median(px, rounds),
        median(y, rounds), median(py, rounds), median(ar, rounds), median(br, rounds),
        median(ba, rounds)
    }
    printf "\nmedians of %d rounds; each ratio is the median of the per-round ratios\n", rounds
  }' "$results"
