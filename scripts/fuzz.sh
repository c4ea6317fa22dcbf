#!/usr/bin/env bash
# Fuzz the spec parser with libFuzzer for a bounded time, as CI does. Builds with clang in a
# folder of its own (build/fuzz), every library with ASan and UBSan, separate from the g++
# build; runs on a copy of the seed corpus; exits non-zero when the fuzzer finds a crash,
# leaving the reproducer under build/fuzz/artifacts/.
# Usage: scripts/fuzz.sh [seconds]   (default 60)
# Reproduce: build/fuzz/tests/fuzz/spec_parser_fuzz build/fuzz/artifacts/crash-...
set -euo pipefail
seconds=${1:-60}
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DEEPDOCK_FUZZ_BUILD_DIR:-$root/build/fuzz}
jobs=${DEEPDOCK_FUZZ_JOBS:-2}
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

# DEEPDOCK_FUZZ_CMAKE_ARGS: extra configure arguments, split on spaces.
# shellcheck disable=SC2086
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DDEEPDOCK_FUZZ=ON -DDEEPDOCK_BUILD_TESTS=OFF -DDEEPDOCK_BUILD_BENCH=OFF -DDEEPDOCK_WERROR=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$sanitize" ${DEEPDOCK_FUZZ_CMAKE_ARGS:-} >/dev/null
ninja -C "$build" -j "$jobs" spec_parser_fuzz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/tests/fuzz/corpus/spec" "$work/corpus"
artifacts="$build/artifacts"
mkdir -p "$artifacts"

status=0
"$build/tests/fuzz/spec_parser_fuzz" "$work/corpus" \
  -dict="$root/tests/fuzz/spec.dict" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 || status=$?
if [ "$status" -ne 0 ]; then
  echo "fuzz: spec_parser_fuzz failed (exit $status); reproducers in $artifacts/" >&2
  exit "$status"
fi
echo "fuzz: spec_parser_fuzz ran ${seconds}s without a crash"
