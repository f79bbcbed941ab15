#!/usr/bin/env bash
# The CI gate on new and edited articles, as action.yml runs it (and as any CI can): one checked run
# writes SARIF and decides the exit code; the HTML report and the GitHub annotations come from the
# corpus store, so they cost almost nothing. The gate's exit code is kept, never swallowed.
#
# Environment (all optional):
#   QUALCHECK_BASE      git ref the changes are measured from (default: origin/$GITHUB_BASE_REF, else HEAD~1)
#   QUALCHECK_CORPUS    space-separated corpus paths (default: .)
#   QUALCHECK_ARGS      extra qualcheck options (default: --fail-under 70)
#   QUALCHECK_OUT       folder for qualcheck.sarif and qualcheck.html (default: qualcheck-report)
#   GITHUB_OUTPUT       when set, "exit-code=N" and "changed=N" are appended to it
# Exit: qualcheck's own code (0 pass, 1 gate failed, 2 error or incomplete run).
set -uo pipefail

base="${QUALCHECK_BASE:-}"
if [ -z "$base" ]; then
  if [ -n "${GITHUB_BASE_REF:-}" ]; then base="origin/${GITHUB_BASE_REF}"; else base="HEAD~1"; fi
fi
read -r -a corpus <<< "${QUALCHECK_CORPUS:-.}"
read -r -a extra <<< "${QUALCHECK_ARGS:---fail-under 70}"
out="${QUALCHECK_OUT:-qualcheck-report}"
qualcheck="${QUALCHECK_BIN:-qualcheck}"

if mkdir -p "$out"; then
  "$qualcheck" "${corpus[@]}" --changed "$base" "${extra[@]}" --report sarif -o "$out/qualcheck.sarif" -q
  code=$?
else
  code=2
fi
if [ "$code" -le 1 ]; then
  # the same run again from the store: the review page and the pull-request annotations
  "$qualcheck" "${corpus[@]}" --changed "$base" "${extra[@]}" --report html -o "$out/qualcheck.html" -q --exit-zero
  "$qualcheck" "${corpus[@]}" --changed "$base" "${extra[@]}" --report github --exit-zero
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$code" >> "$GITHUB_OUTPUT"
fi
echo "qualcheck: gate exit code $code" >&2
exit "$code"
