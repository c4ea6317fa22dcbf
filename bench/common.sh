# Sourced by bench/*/run.sh: installs what the benchmarks need, builds the release deepdock,
# and points DOCKER_HOST at a running engine (the test engine when none answers). Sets
# $root (the checkout) and $bin (the release binary), and cds to $root.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh build components bench >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target deepdock >/dev/null
eval "$(bash scripts/test-components.sh env 2>/dev/null || true)"
if ! docker version >/dev/null 2>&1; then
  bash scripts/test-components.sh start engine >/dev/null
  eval "$(bash scripts/test-components.sh env)"
fi
export DOCKER_HOST
bin=$root/build/release/src/cli/deepdock
