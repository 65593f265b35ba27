#!/usr/bin/env bash
# Sets up and runs every test suite: engine unit tests, PowerShell-level integration tests
# (the built module in a hosted runspace, and cpsh as a process), and tests/Pester where a
# real pwsh is installed. Ends with one line "N passed, N failed, N skipped" over all suites
# and a non-zero exit if anything failed.
set -uo pipefail
cd "$(dirname "$0")"
scripts/setup.sh || exit 1
./build.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0; status=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

count() {   # add up dotnet test's per-assembly summary lines
  local line
  while IFS= read -r line; do
    [[ $line =~ Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+) ]] || continue
    failed=$((failed + BASH_REMATCH[1])); passed=$((passed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3]))
  done < <(grep -E '(Passed|Failed)! +- ' "$log")
}

for suite in tests/Unit tests/Integration; do
  echo "== $suite"
  dotnet test "$suite" -c Release --nologo 2>&1 | tee "$log" | grep --line-buffered -E '^\s+Failed |error|(Passed|Failed)! |^\s+(Assert|Expected|Actual)'
  rc=${PIPESTATUS[0]}
  before=$((passed + failed))
  count
  if ((rc != 0)); then
    status=1
    # A suite that failed to build or crashed reports no summary: count it as one failure.
    ((passed + failed == before)) && failed=$((failed + 1))
  fi
done

echo "== tests/Pester"
if command -v pwsh >/dev/null 2>&1; then
  out=$(pwsh -NoProfile -Command "\$c = New-PesterConfiguration; \$c.Run.Path = 'tests/Pester'; \$c.Run.PassThru = \$true; \$c.Output.Verbosity = 'Normal'; \$r = Invoke-Pester -Configuration \$c; 'PESTER {0} {1} {2}' -f \$r.PassedCount, \$r.FailedCount, \$r.SkippedCount" 2>&1)
  echo "$out" | grep -vE '^PESTER '
  if [[ $(echo "$out" | grep -E '^PESTER ') =~ PESTER\ ([0-9]+)\ ([0-9]+)\ ([0-9]+) ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3]))
    ((BASH_REMATCH[2] > 0)) && status=1
  else
    failed=$((failed + 1)); status=1
  fi
else
  echo "skipped: pwsh not found (tests/Pester needs PowerShell 7.4+ with Pester 5; the same behaviours run above in a hosted runspace)"
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
