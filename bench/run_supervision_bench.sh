#!/usr/bin/env bash
# The supervision benchmark over gRPC (docs/benchmarks.md, "Supervision"):
# the real rectify_server on a copy of the 1M-case store of
# bench/report_bench_dataset (127.0.0.1, port 0), with Minle County's policy,
# timed by bench/supervision_client, one call after another:
#   1. GetMonthlyReport of 620722 for the running month and for 2026-09:
#      the first call on a freshly started server (cold block cache), then
#      --calls more;
#   2. a 1,000-item rectification list made as a supervisor through
#      ListCases, CreateRectificationList and AddListItems, once per store
#      (its id is kept in STORE.list-id, beside the store);
#   3. the server restarted, then GetRectificationList of that list, cold
#      and --calls more;
# and the server's RSS after each part.
#
#   bench/run_supervision_bench.sh --store=~/.cache/rectify/bench-data/report-1m-server [--calls=200]
#
# The store is opened read-write (the list adds events): pass a copy made
# for it, e.g. `cp -a ~/.cache/rectify/bench-data/report-1m ~/.cache/rectify/bench-data/report-1m-server`.
set -euo pipefail
cd "$(dirname "$0")/.."

store=""
calls=200
for arg in "$@"; do
  case "$arg" in
    --store=*) store="${arg#*=}" ;;
    --calls=*) calls="${arg#*=}" ;;
    *) echo "usage: $0 --store=DIR [--calls=200]" >&2; exit 2 ;;
  esac
done
[[ -n "$store" && -d "$store" ]] || { echo "usage: $0 --store=DIR [--calls=200]" >&2; exit 2; }

# shellcheck source=bench/build_lib.sh
source bench/build_lib.sh
build_opt //bench:supervision_client //server:rectify_server
client="$bin/bench/supervision_client"

work="$(mktemp -d /tmp/supervision-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=""
start_server() {
  rm -f "$work/port"
  "$bin/server/rectify_server" --listen=127.0.0.1:0 --port_file="$work/port" \
    --data_dir="$store" --principals_file=config/principals.demo.textproto \
    --policy_file=config/policy_620722.txt 2>>"$work/server.err" >/dev/null &
  server_pid=$!
  for _ in $(seq 1 600); do
    [[ -s "$work/port" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.err" >&2; exit 1; fi
    sleep 0.1
  done
  [[ -s "$work/port" ]] || { echo "rectify_server did not start" >&2; exit 1; }
  port="$(cat "$work/port")"
}
stop_server() {
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
}
rss() { echo "server_rss_mib=$(( $(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") / 1024 ))"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server
rss
"$client" --server="127.0.0.1:$port" --calls="$calls" report --year=2026 --month=11
"$client" --server="127.0.0.1:$port" --calls="$calls" report --year=2026 --month=9
rss
if [[ ! -s "$store.list-id" ]]; then
  "$client" --server="127.0.0.1:$port" make-list --items=1000 | tee "$work/list"
  sed -n 's/^list_id=\([^ ]*\).*/\1/p' "$work/list" > "$store.list-id"
fi
stop_server

start_server
list_id="$(cat "$store.list-id")"
"$client" --server="127.0.0.1:$port" --calls="$calls" list --list_id="$list_id"
rss
# Did the deadline scheduler write anything? (It should not: the dataset's
# deadlines due by the server's clock were all marked when it was built.)
echo "scheduler_marks=$(grep -c 'event=deadline_missed' "$work/server.err" || true)"
stop_server
echo "# done, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
