#!/usr/bin/env bash
# Checks deploy/prometheus/rules.yml and runs its unit tests with promtool
# (Debian package prometheus; scripts/install-deps installs it).
set -euo pipefail
cd "${TEST_SRCDIR}/${TEST_WORKSPACE}/deploy/prometheus"
command -v promtool >/dev/null || { echo "promtool is missing: run scripts/install-deps" >&2; exit 1; }
promtool check rules rules.yml
promtool test rules rules_test.yml
