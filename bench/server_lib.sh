# Sourced by the benchmark scripts that start servers of their own
# (bench/run_server_bench.sh, run_pair_bench.sh, run_metrics_bench.sh,
# run_rapid_reset_bench.sh, run_watch_bench.sh). Needs $work (a temporary
# directory) set, and $bin (a bazel-bin) for start_server; every process
# started is stopped when the script exits, and $work removed.
#
#   start_process NAME COMMAND...  # any server taking --listen and --port_file,
#                                  # on 127.0.0.1 port 0; sets $server_port, $server_pid
#   start_server NAME FLAGS...     # $bin's rectify_server with a data directory of
#                                  # its own and the demo principals; the same
#   stop_server [PID]              # SIGTERM to PID (default $server_pid), and waits
#   cpu_ticks                      # "TOTAL STEAL": jiffies of all CPUs so far, and
#                                  # those the hypervisor took (/proc/stat)

server_pids=()
cleanup_servers() {
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup_servers EXIT

start_process() {
  local name="$1"; shift
  rm -f "$work/$name.port"
  "$@" --listen=127.0.0.1:0 --port_file="$work/$name.port" 2>"$work/$name.err" >/dev/null &
  server_pid=$!
  server_pids+=("$server_pid")
  for _ in $(seq 1 600); do
    [[ -s "$work/$name.port" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/$name.err" >&2; exit 1; fi
    sleep 0.1
  done
  [[ -s "$work/$name.port" ]] || { echo "$name did not start" >&2; exit 1; }
  server_port="$(cat "$work/$name.port")"
}

start_server() {
  local name="$1"; shift
  start_process "$name" "$bin/server/rectify_server" --data_dir="$work/$name-data" \
    --principals_file="$PWD/config/principals.demo.textproto" "$@"
}

stop_server() {
  local pid="${1:-$server_pid}"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cpu_ticks() {
  awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $9 }' /proc/stat
}
