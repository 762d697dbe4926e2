#!/usr/bin/env bash
# The network limits of the real rectify_server (docs/security.md, "Network
# and stream limits"), seen from the wire:
# 1. with default flags, the server's HTTP/2 SETTINGS advertise
#    MAX_CONCURRENT_STREAMS 100 (gRPC alone advertises no limit), and a
#    normal call still works (network_limits_test.py, with Debian's h2);
# 2. a negative limit stops the server at start with exit 1, naming the flag.
set -euo pipefail
runfiles="${TEST_SRCDIR}/${TEST_WORKSPACE}"
work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/network-limits.XXXXXX")"
server_bin="$runfiles/server/rectify_server"
principals="$runfiles/config/principals.demo.textproto"

status=0
"$server_bin" --listen=127.0.0.1:0 --data_dir="$work/refused" --principals_file="$principals" \
  --max_concurrent_streams=-1 2>"$work/refused.err" >/dev/null || status=$?
if [ "$status" -ne 1 ] || ! grep -q -- "--max_concurrent_streams must not be negative" "$work/refused.err"; then
  echo "FAIL: --max_concurrent_streams=-1 gave exit $status:"; cat "$work/refused.err"; exit 1
fi

"$server_bin" --listen=127.0.0.1:0 --data_dir="$work/data" --principals_file="$principals" \
  --port_file="$work/port" 2>"$work/server.err" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 500); do
  [ -s "$work/port" ] && break
  sleep 0.02
done
[ -s "$work/port" ] || { cat "$work/server.err"; exit 1; }
/usr/bin/python3 "$runfiles/tests/e2e/network_limits_test.py" "$(cat "$work/port")"
