#!/usr/bin/env bash
# Runs bench/engine against the test engine started by scripts/test-components.sh.
# Usage: bash bench/engine/run.sh [--iterations N] [--inspects N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --preset release -DDEEPDOCK_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target deepdock_bench_engine
eval "$(bash scripts/test-components.sh env)"
exec build/release/bench/engine/deepdock_bench_engine "$@"
