#!/usr/bin/env bash
# bench/crash.sh [ROUNDS] [BUILD_DIR]: the kill -9 crash test for many rounds (default 1,000).
set -euo pipefail
rounds=${1:-1000}; build=${2:-build-test}
[ -x "$build/tests/crash_test" ] || { echo "build the tests first: ./center test"; exit 2; }
start=$(date +%s)
CRASH_ROUNDS=$rounds "$build/tests/crash_test"
echo "crash rounds: $rounds in $(( $(date +%s) - start )) s"
