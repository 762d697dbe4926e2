#!/usr/bin/env bash
# CPU per command of the write path (docs/benchmarks.md, "Server", issue 20):
# runs bench/raw_commit_server and rectify_server one after the other on
# 127.0.0.1 port 0 with a fresh data directory, drives each with
# bench/loadgen (the mutating mix of bench/case_mix.h, sync on) at
# --clients, and prints for each:
#   - the CPU time of its writer thread (GroupCommitter::Run,
#     CommandPipeline::Run) and of the whole process per acknowledged command,
#     from /proc/PID/task/TID/schedstat (nanoseconds on CPU, so it does not
#     depend on the machine's load the way commands per second do);
#   - `perf record` (Debian's linux-perf, software cpu-clock at 999 Hz with
#     call graphs) of the process, and the writer thread's breakdown: the
#     share of its samples under each of the functions named in `focus`.
#
#   bench/profile_writer.sh [--clients=64] [--max_commands=20000] [--duration=10s]
#                           [--bin=DIR] [--out=DIR]
#
# --bin: a bazel-bin built with `-c opt` (default: this tree's, built here);
# pass another tree's to profile a baseline build with the same script.
# --out: keep perf.data files and reports there (default: a temporary
# directory, removed).
set -euo pipefail
cd "$(dirname "$0")/.."

clients=64
max_commands=20000
duration=10s
bin=""
out=""
for arg in "$@"; do
  case "$arg" in
    --clients=*) clients="${arg#*=}" ;;
    --max_commands=*) max_commands="${arg#*=}" ;;
    --duration=*) duration="${arg#*=}" ;;
    --bin=*) bin="${arg#*=}" ;;
    --out=*) out="${arg#*=}" ;;
    *) echo "usage: $0 [--clients=64] [--max_commands=N] [--duration=10s] [--bin=DIR] [--out=DIR]" >&2
       exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 1; }

# shellcheck source=bench/build_lib.sh
source bench/build_lib.sh
[[ -n "$bin" ]] || build_opt //bench:loadgen //bench:raw_commit_server //server:rectify_server
principals="$PWD/config/principals.demo.textproto"
work="$(mktemp -d /tmp/profile-writer.XXXXXX)"
[[ -n "$out" ]] || out="$work/out"
mkdir -p "$out"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Nanoseconds on CPU of every thread of process $1: "TID NS" lines.
thread_cpu() {
  for task in /proc/"$1"/task/*; do
    [[ -r "$task/schedstat" ]] && echo "${task##*/} $(cut -d' ' -f1 "$task/schedstat")"
  done
}

# profile NAME WRITER_SYMBOL COMMAND...
profile() {
  local name="$1" writer_symbol="$2"; shift 2
  rm -f "$work/port"
  "$@" --listen=127.0.0.1:0 --port_file="$work/port" 2>"$work/$name.err" >/dev/null &
  pid=$!
  for _ in $(seq 1 600); do
    [[ -s "$work/port" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.err" >&2; exit 1; }
    sleep 0.1
  done
  local port; port="$(cat "$work/port")"
  thread_cpu "$pid" | sort > "$work/before"
  perf record -F 999 -g -p "$pid" -o "$out/$name.perf.data" 2>"$work/perf.err" >/dev/null &
  local perf_pid=$!
  sleep 0.5
  local result
  result="$("$bin/bench/loadgen" --server="127.0.0.1:$port" --label="$name" --clients="$clients" \
    --max_commands="$max_commands" --duration="$duration" --command_prefix="$name-$$")"
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  thread_cpu "$pid" | sort > "$work/after"
  kill -TERM "$pid"; wait "$pid" || true
  pid=""
  local ok; ok="$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<<"$result")"
  # The writer: the thread with the most samples under its loop function.
  perf script -i "$out/$name.perf.data" -F tid,ip,sym 2>/dev/null | c++filt | awk -v sym="$writer_symbol" '
    /^[0-9]+ *$/ { tid = $1; next }
    /^[ \t]*$/ { if (hit) n[tid]++; hit = 0; next }
    { if (index($0, sym "(") > 0 || substr($0, length($0) - length(sym) + 1) == sym) hit = 1 }
    END { best = ""; for (t in n) if (best == "" || n[t] > n[best]) best = t; print best }' \
    > "$work/writer_tid" || true
  local writer_tid; writer_tid="$(cat "$work/writer_tid")"
  join "$work/before" "$work/after" | awk -v ok="$ok" -v writer="$writer_tid" -v name="$name" \
    -v result="$result" '
    { d = $3 - $2; total += d; if ($1 == writer) w = d }
    END {
      print result
      printf "%s: %d commands; writer thread %s: %.1f µs CPU per command; process: %.1f µs per command\n",
        name, ok, writer, w / 1000 / ok, total / 1000 / ok }'
  # The writer thread's breakdown: samples (with children) per function.
  perf report -i "$out/$name.perf.data" --tid="$writer_tid" --children --stdio --no-demangle \
    --sort sym -g none --percent-limit 1.5 2>/dev/null | c++filt | grep -E '^ +[0-9]' \
    | sed 's/ \+/ /g' | cut -c1-160 | head -60 > "$out/$name.writer.txt" || true
  echo "writer thread, share of its samples with children (top; all in $out/$name.writer.txt):"
  head -40 "$out/$name.writer.txt"
  echo
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg), clients=$clients"
profile raw "GroupCommitter::Run" "$bin/bench/raw_commit_server" --data_dir="$work/raw-data"
profile server "CommandPipeline::Run" "$bin/server/rectify_server" --data_dir="$work/server-data" \
  --principals_file="$principals"
echo "# done, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
