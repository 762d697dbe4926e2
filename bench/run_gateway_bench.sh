#!/usr/bin/env bash
# The web gateway benchmark (docs/benchmarks.md, "Web gateway"): a fresh
# rectify_server (demo principals, a new data directory) and rectify_web in
# front of it on 127.0.0.1 (ports 0), built with --compilation_mode (default
# opt; pass --fastbuild to reuse the test build), then
# bench/gateway_client: GetCase direct vs through the gateway, and the
# gateway's RSS under concurrent sessions.
#
#   bench/run_gateway_bench.sh [--fastbuild] [--calls=5000] [--sessions=200] [--seconds=10] [--http_threads=64]
set -euo pipefail
cd "$(dirname "$0")/.."

calls=5000
sessions=200
seconds=10
threads=64
mode=opt
for arg in "$@"; do
  case "$arg" in
    --fastbuild) mode=fastbuild ;;
    --calls=*) calls="${arg#*=}" ;;
    --sessions=*) sessions="${arg#*=}" ;;
    --seconds=*) seconds="${arg#*=}" ;;
    --http_threads=*) threads="${arg#*=}" ;;
    *) echo "usage: $0 [--calls=N] [--sessions=N] [--seconds=N] [--http_threads=N]" >&2; exit 2 ;;
  esac
done

nice bazel build -c "$mode" //bench:gateway_client //server:rectify_server //web/gateway:rectify_web >&2
bin="$(bazel info -c "$mode" bazel-bin 2>/dev/null)"

work="$(mktemp -d /tmp/gateway-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

wait_port() {  # file pid
  for _ in $(seq 1 300); do
    [[ -s "$1" ]] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$work"/*.err >&2; exit 1; }
    sleep 0.1
  done
  echo "did not start" >&2; exit 1
}

"$bin/server/rectify_server" --listen=127.0.0.1:0 --port_file="$work/server.port" \
  --data_dir="$work/data" --principals_file=config/principals.demo.textproto \
  2>"$work/server.err" >/dev/null &
pids+=($!)
wait_port "$work/server.port" "${pids[0]}"
server="127.0.0.1:$(cat "$work/server.port")"

"$bin/web/gateway/rectify_web" --listen=127.0.0.1:0 --port_file="$work/web.port" \
  --server="$server" --http_threads="$threads" 2>"$work/web.err" >/dev/null &
web_pid=$!
pids+=("$web_pid")
wait_port "$work/web.port" "$web_pid"

echo "rectify_web --http_threads=$threads, -c $mode, $(nproc) cores"
"$bin/bench/gateway_client" --server="$server" --web_port="$(cat "$work/web.port")" \
  --web_pid="$web_pid" --calls="$calls" --sessions="$sessions" --seconds="$seconds"
