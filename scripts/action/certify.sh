#!/usr/bin/env bash
# The action's certify step: runs `hubproof certify` with the action's inputs (INPUT_TARGET or
# INPUT_CLIENT, INPUT_KNOWN_DEVIATIONS, INPUT_ARGS, INPUT_OUT), appends its Markdown summary to $GITHUB_STEP_SUMMARY
# (or hubproof's Error: line when it could not run), sets the outputs verdict and exit-code, and exits
# with hubproof's exit code (0 certified, 1 not certified, 2 could not run or no verdict).
set -uo pipefail

bin="${HUBPROOF_BIN:?the install step sets HUBPROOF_BIN}"
out="${INPUT_OUT:-reports/out}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
mkdir -p "$out"
# A report left from an earlier run must not stand for this one.
rm -f "$out/certify.json" "$out/summary.md"

args=(certify --out "$out" --markdown "$out/summary.md")
# A client's certificate has no target: the client input (one driver command, spaces and all) replaces it.
if [ -n "${INPUT_CLIENT:-}" ]; then args+=(--client "$INPUT_CLIENT")
elif [ -n "${INPUT_TARGET:-}" ]; then args+=(--target "$INPUT_TARGET"); fi
if [ -n "${INPUT_KNOWN_DEVIATIONS:-}" ]; then args+=(--expect "$INPUT_KNOWN_DEVIATIONS"); fi
read -r -a extra <<< "${INPUT_ARGS:-}"

CI="${CI:-true}" "$bin" "${args[@]}" "${extra[@]}" 2>&1 | tee "$out/certify.log"
code=${PIPESTATUS[0]}

if [ -s "$out/summary.md" ]; then
  cat "$out/summary.md" >> "$summary"
else
  {
    echo "## hubproof certify: ⚠️ could not run"
    echo
    grep '^Error:' "$out/certify.log" | tail -n 1 | sed 's/^/> /'
  } >> "$summary"
fi

verdict=$(node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).verdict) } catch { console.log("error") }' "$out/certify.json")
{
  echo "verdict=$verdict"
  echo "exit-code=$code"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
