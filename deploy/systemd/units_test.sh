#!/usr/bin/env bash
# Verifies deploy/systemd's units with systemd-analyze (Debian systemd): any
# message (an unknown key is only a warning to systemd) fails the test.
set -euo pipefail
root="${TEST_SRCDIR}/${TEST_WORKSPACE}"
work="${TEST_TMPDIR}/units"
mkdir -p "$work"
sed "s|/usr/local/bin/rectify_server|$root/server/rectify_server|" \
  "$root/deploy/systemd/rectify-server.service" > "$work/rectify-server.service"
sed "s|/usr/local/bin/rectify_web|$root/web/gateway/rectify_web|" \
  "$root/deploy/systemd/rectify-web.service" > "$work/rectify-web.service"
sed "s|/usr/local/bin/rectify_admin|$root/tools/rectify_admin|" \
  "$root/deploy/systemd/rectify-backup.service" > "$work/rectify-backup.service"
cp "$root/deploy/systemd/rectify-backup.timer" "$work/rectify-backup.timer"
cd "$work"
if ! output="$(systemd-analyze verify ./rectify-server.service ./rectify-web.service \
                 ./rectify-backup.service ./rectify-backup.timer 2>&1)"; then
  echo "systemd-analyze verify failed:" >&2
  echo "$output" >&2
  exit 1
fi
if [[ -n "$output" ]]; then
  echo "systemd-analyze verify complained:" >&2
  echo "$output" >&2
  exit 1
fi
echo "units verified"
