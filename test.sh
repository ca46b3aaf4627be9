#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped".
# Installs chromium and ffmpeg first when they are missing (see scripts/prereqs.sh), and postgresql for the
# workspace tests (scripts/postgres.sh: a throwaway cluster, I2V_TEST_POSTGRES).
set -uo pipefail
cd "$(dirname "$0")"
. scripts/prereqs.sh
. scripts/postgres.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! i2v_install_prereqs --browser; then
  echo "0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"; i2v_stop_test_postgres' EXIT
# The workspace tests also run against a real PostgreSQL: a throwaway cluster, stopped at exit.
i2v_start_test_postgres

dotnet build I2VStudio.sln -c Release -nologo -v:q -clp:NoSummary 2>&1 | tee "$log"
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test --solution I2VStudio.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

total=$(grep -E '^\s+total:' "$log" | tail -1 | awk '{print $2}')
failed=$(grep -E '^\s+failed:' "$log" | tail -1 | awk '{print $2}')
passed=$(grep -E '^\s+succeeded:' "$log" | tail -1 | awk '{print $2}')
skipped=$(grep -E '^\s+skipped:' "$log" | tail -1 | awk '{print $2}')
if [ -z "$total" ]; then
  echo "No test summary was printed (the test run did not complete)."
  echo "0 passed, 1 failed"
  exit 1
fi
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
if [ "${failed:-0}" -ne 0 ]; then
  # CI shows only the end of the output: name the failed tests and their first lines again here, after the
  # test processes' own output.
  echo "Failed tests (first lines of each; the whole report is above):"
  awk '/^[[:space:]]*failed [^:]/ { n = 14; shown++ } shown <= 6 && n > 0 { print; n-- }' "$log"
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
