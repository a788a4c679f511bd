#!/usr/bin/env bash
# The main job: real ZooKeeper, three providers, one consumer (samples/multi-provider/run-demo.ts).
# Set COURIER_ZK=host:port to use an existing ZooKeeper instead of starting one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node --import tsx samples/multi-provider/run-demo.ts
