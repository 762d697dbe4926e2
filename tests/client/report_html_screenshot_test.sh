#!/usr/bin/env bash
# Renders the sample monthly report's HTML page (render_sample_report) in
# Debian's headless Chromium, as a supervisor's browser would, and checks the
# screenshot (png_check.py): an A4-sized (1240x1754) PNG that shows text and
# the charts' bars. The screenshot and the page are kept as test outputs
# (bazel-testlogs/tests/client/report_html_screenshot_test/test.outputs/).
#
# Chromium and a Chinese font come from scripts/install-deps; without them
# this test fails (it does not skip), saying so.
set -euo pipefail

fail() {
  echo "report_html_screenshot_test: $*" >&2
  exit 1
}

runfiles="${TEST_SRCDIR}/${TEST_WORKSPACE}"
outputs="${TEST_UNDECLARED_OUTPUTS_DIR:-}"

chromium="$(command -v chromium || true)"
[ -n "$chromium" ] ||
  fail "chromium is not installed; run scripts/install-deps (Debian's chromium and fonts-noto-cjk)"
command -v fc-list >/dev/null ||
  fail "fc-list is not installed; run scripts/install-deps (fontconfig)"
[ -n "$(fc-list :lang=zh family)" ] ||
  fail "no Chinese font is installed, the page would show boxes; run scripts/install-deps (fonts-noto-cjk)"

work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/screenshot.XXXXXX")"
# Bazel's test environment may leave HOME unset or unwritable; Chromium
# writes its profile, caches and crash database under these.
export HOME="$work/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME"

"$runfiles/tests/client/render_sample_report" "$work/report.html"

# 1240x1754 is an A4 page at 150 dpi. --no-sandbox: the test may run as root
# and inside Bazel's sandbox, where Chromium's own sandbox cannot start.
width=1240
height=1754
status=0
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --no-first-run --no-default-browser-check --disable-extensions --hide-scrollbars \
  --force-device-scale-factor=1 --user-data-dir="$work/profile" \
  --window-size="$width,$height" --screenshot="$work/report.png" \
  "file://$work/report.html" >"$work/chromium.log" 2>&1 || status=$?

# Kept whatever the outcome, to look at.
if [ -n "$outputs" ]; then
  mkdir -p "$outputs"
  cp "$work/report.html" "$outputs/monthly_report.html"
  [ -f "$work/report.png" ] && cp "$work/report.png" "$outputs/monthly_report.png"
fi

if [ "$status" -ne 0 ] || [ ! -s "$work/report.png" ]; then
  tail -n 40 "$work/chromium.log" >&2 || true
  fail "chromium exited with status $status and wrote no screenshot"
fi

/usr/bin/python3 "$runfiles/tests/client/png_check.py" "$work/report.png" "$width" "$height"
echo "report_html_screenshot_test: screenshot kept as monthly_report.png in the test outputs"
