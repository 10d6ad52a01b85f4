#!/usr/bin/env bash
# bench/run.sh BUILD_DIR [loadgen args]: the load benchmark against a Release server.
set -euo pipefail
build=${1:-build-release}; shift || true
exec "$build/bench/loadgen" --server "$build/queue-server/queue-server" "$@"
