#!/usr/bin/env bash
# Issue 11, item 9: the server's peak RSS under many large evidence uploads
# at once, with the upload budget (--max_upload_buffer_mb, default 256) and,
# as the baseline in the same run, with the budget out of the way (1 TiB:
# what the server did before it had one). Each run: a fresh rectify_server
# on 127.0.0.1 port 0 with an empty store, bench/upload_flood against it,
# then the server's VmHWM (peak resident set) from /proc.
#
#   bench/run_upload_flood.sh [--uploads=100] [--mib=60]
set -euo pipefail
cd "$(dirname "$0")/.."

uploads=100
mib=60
for arg in "$@"; do
  case "$arg" in
    --uploads=*) uploads="${arg#*=}" ;;
    --mib=*) mib="${arg#*=}" ;;
    *) echo "usage: $0 [--uploads=100] [--mib=60]" >&2; exit 2 ;;
  esac
done

nice bazel build //bench:upload_flood //server:rectify_server >&2
bin="$(bazel info bazel-bin 2>/dev/null)"

work="$(mktemp -d /tmp/upload-flood.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

run() {
  local label="$1"; shift
  rm -rf "$work/data" "$work/port"
  "$bin/server/rectify_server" --listen=127.0.0.1:0 --port_file="$work/port" \
    --data_dir="$work/data" --principals_file=config/principals.demo.textproto \
    "$@" 2>>"$work/server.err" >/dev/null &
  server_pid=$!
  for _ in $(seq 1 300); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  [[ -s "$work/port" ]] || { cat "$work/server.err" >&2; exit 1; }
  local before
  before="$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server_pid/status")"
  local answers
  answers="$("$bin/bench/upload_flood" --server="127.0.0.1:$(cat "$work/port")" \
    --uploads="$uploads" --mib="$mib")"
  local peak after
  peak="$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$server_pid/status")"
  after="$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server_pid/status")"
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""
  printf '%-34s RSS before %5s MiB, peak %5s MiB, after %5s MiB; %s\n' \
    "$label" "$before" "$peak" "$after" "$answers"
}

echo "$uploads uploads of $mib MiB at once, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
run "no budget (1 TiB, as before)" --max_upload_buffer_mb=1048576
run "budget 256 MiB (the default)"
