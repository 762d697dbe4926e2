#!/usr/bin/env bash
# Starts the real rectify_server on 127.0.0.1 port 0 with a temporary data
# directory and runs python_client_test.py (Debian's python3 with grpcio and
# grpc_tools) against it.
set -euo pipefail
runfiles="${TEST_SRCDIR}/${TEST_WORKSPACE}"
work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/python-client.XXXXXX")"
"$runfiles/server/rectify_server" --listen=127.0.0.1:0 --data_dir="$work/data" \
  --principals_file="$runfiles/config/principals.demo.textproto" \
  --port_file="$work/port" 2>"$work/server.err" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 500); do
  [ -s "$work/port" ] && break
  sleep 0.02
done
[ -s "$work/port" ] || { cat "$work/server.err"; exit 1; }
/usr/bin/python3 "$runfiles/tests/e2e/python_client_test.py" "$(cat "$work/port")" \
  "$runfiles/proto"
