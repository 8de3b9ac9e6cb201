#!/usr/bin/env bash
# Runs each named make target as one check, keeps going when one fails, and
# closes with a single summary line that CI reads:
#   checks: N passed, M failed
# Exit status is non-zero when any check failed.
set -uo pipefail

MAKE_CMD=${MAKE:-make}
passed=0
failed=0
failed_names=()
summary=()
start_all=$SECONDS

for target in "$@"; do
  echo
  echo "==> check: $target"
  t0=$SECONDS
  if "$MAKE_CMD" --no-print-directory "$target"; then
    passed=$((passed + 1))
    summary+=("  PASS  $target ($((SECONDS - t0)) s)")
  else
    failed=$((failed + 1))
    failed_names+=("$target")
    summary+=("  FAIL  $target ($((SECONDS - t0)) s)")
  fi
done

echo
echo "==> summary ($((SECONDS - start_all)) s)"
printf '%s\n' "${summary[@]}"
if [[ $failed -gt 0 ]]; then
  echo "failed checks: ${failed_names[*]}"
fi
echo "checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
