#!/usr/bin/env bash
# The action's install step: hubproof in a project of its own ($RUNNER_TEMP/hubproof), never in the
# caller's. From npm when HUBPROOF_VERSION is set, else from a tarball (HUBPROOF_PACKAGE), else packed
# from the action's own checkout. An installed hubproof given as HUBPROOF_BIN is used as it is.
# Exports HUBPROOF_BIN for the next steps through $GITHUB_ENV.
set -euo pipefail

if [ -n "${HUBPROOF_BIN:-}" ] && [ -x "$HUBPROOF_BIN" ]; then
  echo "hubproof: using $HUBPROOF_BIN ($("$HUBPROOF_BIN" --version))"
  echo "HUBPROOF_BIN=$HUBPROOF_BIN" >> "${GITHUB_ENV:-/dev/null}"
  exit 0
fi

home="${HUBPROOF_HOME:-${RUNNER_TEMP:-/tmp}/hubproof}"
mkdir -p "$home"
# better-sqlite3 (the reference hub's store) builds its native module in an install script, which npm
# runs only for packages its allowScripts lets (npm 11); esbuild's checks its binary.
cat > "$home/package.json" <<'JSON'
{ "name": "hubproof-action", "private": true, "allowScripts": { "better-sqlite3": true, "esbuild": true } }
JSON

if [ -n "${HUBPROOF_VERSION:-}" ]; then
  spec="hubproof@$HUBPROOF_VERSION"
elif [ -n "${HUBPROOF_PACKAGE:-}" ]; then
  spec="$HUBPROOF_PACKAGE"
else
  spec="$home/$(npm pack "${GITHUB_ACTION_PATH:?}" --pack-destination "$home" --silent | tail -n 1)"
fi

start=$(date +%s)
(cd "$home" && npm install --no-audit --no-fund --prefer-offline "$spec")
bin="$home/node_modules/.bin/hubproof"
echo "hubproof: $("$bin" --version) installed from $spec in $(($(date +%s) - start)) s"
echo "HUBPROOF_BIN=$bin" >> "${GITHUB_ENV:-/dev/null}"
