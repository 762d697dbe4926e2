# Sourced by the benchmark scripts that start rectify_server processes of
# their own (bench/run_rapid_reset_bench.sh, bench/run_watch_bench.sh).
# Needs $bin (bazel-bin) and $work (a temporary directory) set; every server
# started is stopped when the script exits, and $work removed.
#
#   start_server NAME FLAGS...   # sets $server_port and $server_pid
#   stop_server                  # SIGTERM to $server_pid, and waits

server_pids=()
cleanup_servers() {
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup_servers EXIT

start_server() {
  local name="$1"; shift
  "$bin/server/rectify_server" --listen=127.0.0.1:0 --port_file="$work/$name.port" \
    --data_dir="$work/$name-data" --principals_file="$PWD/config/principals.demo.textproto" \
    "$@" 2>"$work/$name.err" >/dev/null &
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

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
