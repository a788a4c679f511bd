#!/usr/bin/env bash
# Installs what a fresh machine lacks: Debian's zookeeper package and the npm packages. Idempotent and quiet
# when everything is there, so `npm test` and `npm run demo` can run it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/zookeeper.sh install

# npm install when node_modules is missing or older than the lock file. Not `npm ci`: npm 11 writes lock files
# without the other platforms' optional binaries of @swc/core and friends, and `npm ci` then refuses the lock
# ("Missing: @swc/core-darwin-arm64 from lock file"); `npm install` keeps the locked versions and resolves those.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages" >&2
  npm install --no-audit --no-fund
fi
