#!/usr/bin/env bash
# Instructions per command of the write path, by thread (docs/benchmarks.md,
# "Server", issue 20): a figure that does not move with the host's load or
# the CPU the hypervisor steals, unlike commands per second or CPU time, so
# two builds can be compared by one run of each. Runs rectify_server (or
# raw_commit_server) under valgrind's callgrind on 127.0.0.1 port 0 with a
# fresh data directory, sends 200 commands of the mutating mix
# (bench/case_mix.h) to warm it, zeroes the counts, sends --commands more
# with bench/loadgen at --clients, dumps the counts and prints the
# instructions per command of each thread that did at least 2,000 per
# command (the writer, gRPC's threads, the completion thread) and of the
# whole process.
#
#   bench/count_instructions.sh [--bin=DIR] [--target=server|raw] [--clients=1]
#                               [--commands=500] [--out=DIR]
#
# --bin: a bazel-bin built with `-c opt` (default: this tree's, built here).
# --out: keep callgrind's files there for callgrind_annotate (default: a
# temporary directory, removed). Valgrind runs the server about 50 times
# slower: 500 commands at one client take about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="" target=server clients=1 commands=500 out=""
for arg in "$@"; do
  case "$arg" in
    --bin=*) bin="${arg#*=}" ;;
    --target=*) target="${arg#*=}" ;;
    --clients=*) clients="${arg#*=}" ;;
    --commands=*) commands="${arg#*=}" ;;
    --out=*) out="${arg#*=}" ;;
    *) echo "usage: $0 [--bin=DIR] [--target=server|raw] [--clients=1] [--commands=500] [--out=DIR]" >&2
       exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "valgrind not found: apt-get install valgrind" >&2; exit 1; }
# shellcheck source=bench/build_lib.sh
source bench/build_lib.sh
[[ -n "$bin" ]] || build_opt //bench:loadgen //bench:raw_commit_server //server:rectify_server
case "$target" in
  server) server=("$bin/server/rectify_server" --principals_file="$PWD/config/principals.demo.textproto") ;;
  raw) server=("$bin/bench/raw_commit_server") ;;
  *) echo "--target is server or raw" >&2; exit 2 ;;
esac
work="$(mktemp -d "${TMPDIR:-/tmp}/count-instructions.XXXXXX")"
[[ -n "$out" ]] || out="$work/out"
mkdir -p "$out"
# shellcheck source=bench/server_lib.sh
source bench/server_lib.sh

start_process "$target" valgrind --tool=callgrind --separate-threads=yes --dump-instr=no \
  --callgrind-out-file="$out/callgrind.out" "${server[@]}" --data_dir="$work/data"
loadgen() {
  "$bin/bench/loadgen" --server="127.0.0.1:$server_port" --clients="$clients" --duration=3600s \
    --command_prefix="$1-$$" --label="$1" --max_commands="$2"
}
loadgen warm 200 >/dev/null
callgrind_control --zero "$server_pid" >/dev/null 2>&1
result="$(loadgen "$target" "$commands")"
callgrind_control --dump "$server_pid" >/dev/null 2>&1
echo "# $(date -u +%FT%TZ) $target, $clients clients, $commands commands (after 200 to warm up)"
echo "$result"
# The dump writes one file per thread, callgrind.out.1-TT; each holds the
# thread's instructions since the zeroing in its "summary:" line. The
# threads are listed by instructions, most first: the writer (CommandPipeline
# or GroupCommitter) comes first; callgrind_annotate on a file names it.
for file in "$out"/callgrind.out.1-*; do
  echo "${file##*-} $(sed -n 's/^summary: *//p' "$file" | head -1)"
done | awk -v n="$commands" '
  $2 > 0 { total += $2; if ($2 / n >= 2000) printf "thread %s: %.0f instructions per command\n", $1, $2 / n }
  END { printf "process: %.0f instructions per command\n", total / n }' | sort -t: -k2 -rn
