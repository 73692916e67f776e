#!/usr/bin/env bash
# Runs the uvu suite (every test/**/*.test.ts) and always ends with the plain line
# "N passed, N failed". uvu prints Total/Passed but no Failed line, and prints no summary at all
# when a file throws while loading: both cases are counted here.
set -uo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
# Every temporary folder of the run (tests' repositories, caches, kept answers files, the bin's
# own temporary files) goes under one folder removed at the end: tests that leave theirs behind
# (a failing assertion skips its cleanup) would otherwise fill /tmp by ~0.8 GB per run.
run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/gitops-scaffold-tests.XXXXXX")"
trap 'rm -f "$log"; rm -rf "$run_tmp"' EXIT
export TMPDIR="$run_tmp"
# Tests run the bin, which runs dist/: compile it first when a source changed (a few seconds),
# and the strict schemas when missing or stale (a fresh clone: `npm ci` builds nothing).
node scripts/build.mjs --quiet --if-stale || { echo "0 passed, 1 failed"; exit 1; }
# ESM import mode (no -r): uvu's -r mode require()s test files and breaks on ESM-only packages.
node --import tsx node_modules/uvu/bin.js test '\.test\.ts$' --no-color </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
total=$(sed -n 's/^  Total: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
passed=$(sed -n 's/^  Passed: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
if [ -z "$total" ] || [ -z "$passed" ]; then
  echo "0 passed, 1 failed"; exit $(( rc == 0 ? 1 : rc ))
fi
failed=$(( total - passed ))
[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
exit "$rc"
