#!/usr/bin/env bash
# Installs what a fresh machine lacks: Debian's zookeeper package and the npm packages. Idempotent and quiet
# when everything is there, so `npm test` and `npm run demo` can run it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/zookeeper.sh install

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund
fi
