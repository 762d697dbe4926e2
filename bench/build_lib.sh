# shellcheck shell=bash
# Sourced by the benchmark scripts that build what they measure
# (bench/count_instructions.sh, profile_writer.sh, run_server_bench.sh,
# run_metrics_bench.sh, run_supervision_bench.sh): the one way they build,
# `-c opt`, niced, with the Bazel disk cache outside the clone.
#
#   build_opt TARGET...   # builds the targets; sets $bin to the -c opt bazel-bin

build_opt() {
  local cache=(--disk_cache="${RECTIFY_BAZEL_CACHE:-$HOME/.cache/rectify/bazel-disk-cache}")
  nice bazel build -c opt "${cache[@]}" "$@" >&2
  # shellcheck disable=SC2034 # read by the sourcing script
  bin="$(bazel info -c opt "${cache[@]}" bazel-bin 2>/dev/null)"
}
