#!/usr/bin/env bash
# The HTTP/2 rapid-reset benchmark (docs/benchmarks.md, "HTTP/2 rapid reset"):
# in one run, bench/rapid_reset.py attacks two rectify_server processes in
# turn, each on 127.0.0.1 port 0 with a fresh data directory:
#   defaults  every network limit flag at 0, i.e. gRPC 1.51's own defaults
#             (what the server ran with before issue 11)
#   limits    the server's default limits (docs/security.md)
# and prints the server's RSS over time and a Health/Check call's latency
# during and after each attack.
#
#   bench/run_rapid_reset_bench.sh [--seconds=10] [--connections=2] [--settle=5]
#                                  [--extra="--grpc_memory_mb=256"] [--fastbuild]
#
# --extra: more flags for the "limits" server, to try other values.
# --fastbuild: the server as tests build it (no -c opt).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
connections=2
settle=5
extra=""
mode=(-c opt)
for arg in "$@"; do
  case "$arg" in
    --fastbuild) mode=() ;;
    --seconds=*) seconds="${arg#*=}" ;;
    --connections=*) connections="${arg#*=}" ;;
    --settle=*) settle="${arg#*=}" ;;
    --extra=*) extra="${arg#*=}" ;;
    *) echo "usage: $0 [--seconds=10] [--connections=2] [--settle=5] [--extra=FLAGS]" >&2
       exit 2 ;;
  esac
done

/usr/bin/python3 -c 'import h2' 2>/dev/null || {
  echo "python3-h2 is missing: run scripts/install-deps" >&2; exit 1; }
nice bazel build "${mode[@]}" //server:rectify_server >&2
bin="$(bazel info "${mode[@]}" bazel-bin 2>/dev/null)"
work="$(mktemp -d /tmp/rapid-reset-bench.XXXXXX)"
# shellcheck source=bench/server_lib.sh
source bench/server_lib.sh

# run NAME FLAGS...: starts a server with FLAGS, measures, stops it.
run() {
  local name="$1"; shift
  start_server "$name" --sync=false "$@"
  /usr/bin/python3 bench/rapid_reset.py --port="$server_port" --pid="$server_pid" \
    --seconds="$seconds" --connections="$connections" --settle="$settle" --label="$name"
  stop_server
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run defaults --grpc_memory_mb=0 --grpc_max_threads=0 --max_concurrent_streams=0 \
  --keepalive_seconds=0 --max_connection_idle_seconds=0 --max_connection_age_seconds=0 \
  --handshake_timeout_seconds=0
# shellcheck disable=SC2086
run limits $extra
