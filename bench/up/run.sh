#!/usr/bin/env bash
# bench/up: `deepdock up` against the peers that do the same job by hand, in one run,
# with ratios (hyperfine). The environment is examples/offline-pytorch.yaml (Debian's
# PyTorch and Jupyter Notebook, host networking), on the engine of DOCKER_HOST or the test
# engine.
#   (a) already up: `deepdock up` beside `docker-compose up -d` (Debian's docker-compose
#       1.29) on an equivalent compose file that is also already up.
#       Targets: deepdock under 50 ms, and under a fifth of compose.
#   (b) image present, no container: `deepdock up` (create, start, wait for Jupyter, run
#       the framework check) beside the docker CLI doing the same by hand: `docker run -d`
#       with the same options, then `docker exec` of the same check; and that sequence
#       plus waiting for Jupyter to answer, which `up` also does. Target: no slower.
# Usage: bash bench/up/run.sh [runs-a] [runs-b]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
runs_a=${1:-30}
runs_b=${2:-8}
work=$(mktemp -d)
export DEEPDOCK_STATE_DIR=$work/state
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_dd=$(free_port)
port_compose=$(free_port)
port_cli=$(free_port)
name=bench-up-$$
sed "s/^name: .*/name: $name/" examples/offline-pytorch.yaml >"$work/deepdock.yaml"
printf 'ports: {jupyter: %s}\n' "$port_dd" >>"$work/deepdock.yaml"
cleanup() {
  "$bin" down --images -f "$work/deepdock.yaml" >/dev/null 2>&1 || true
  (cd "$work" && docker-compose -p "$name" down >/dev/null 2>&1) || true
  docker rm -f "$name-cli" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench/up: bringing up $name (builds the image when missing)" >&2
"$bin" up -q --json -f "$work/deepdock.yaml" >"$work/up.json"
read -r image token < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["image"], d["jupyter"]["token"])' "$work/up.json")

# The same container for compose and for the CLI: image, host network, init, shm, limits,
# the runtime settings the start script reads, and the token.
cat >"$work/docker-compose.yml" <<YAML
version: "2.4"
services:
  env:
    image: $image
    network_mode: host
    init: true
    shm_size: 2gb
    ulimits: {stack: 67108864}
    environment:
      DEEPDOCK_BIND_IP: 127.0.0.1
      DEEPDOCK_JUPYTER_PORT: "$port_compose"
      DEEPDOCK_JUPYTER_TOKEN: "$token"
YAML
(cd "$work" && docker-compose -p "$name" up -d >/dev/null 2>&1)
cat >"$work/check.py" <<'PY'
import torch
a = torch.ones(256, 256)
assert float((a @ a).sum().item()) == 16777216.0
print("ok", torch.__version__)
PY
check=$(cat "$work/check.py")
run_cli="docker run -d --name $name-cli --network host --init --shm-size 2g --ulimit stack=67108864 -e DEEPDOCK_BIND_IP=127.0.0.1 -e DEEPDOCK_JUPYTER_PORT=$port_cli -e DEEPDOCK_JUPYTER_TOKEN=$token $image >/dev/null"
exec_cli="docker exec $name-cli python3 -c '$check' >/dev/null"
wait_cli="until curl -fs -o /dev/null http://127.0.0.1:$port_cli/api; do sleep 0.1; done"

echo "bench/up (a): already up, $runs_a runs each" >&2
hyperfine --warmup 3 --runs "$runs_a" -N --export-json "$work/a.json" \
  "$bin up -q -f $work/deepdock.yaml" \
  "docker-compose -f $work/docker-compose.yml -p $name up -d" >&2

echo "bench/up (b): image present, no container, $runs_b runs each" >&2
hyperfine --runs "$runs_b" --export-json "$work/b.json" \
  --prepare "$bin down -f $work/deepdock.yaml >/dev/null; docker rm -f $name-cli >/dev/null 2>&1 || true" \
  "$bin up -q -f $work/deepdock.yaml" \
  "$run_cli && $exec_cli" \
  "$run_cli && $exec_cli && $wait_cli" >&2

python3 - "$work/a.json" "$work/b.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["results"]
b = json.load(open(sys.argv[2]))["results"]
ms = lambda r: r["mean"] * 1000
print("bench/up (a) environment already up")
print(f"  deepdock up              mean {ms(a[0]):8.1f} ms  (min {a[0]['min']*1000:.1f})")
print(f"  docker-compose up -d     mean {ms(a[1]):8.1f} ms  (min {a[1]['min']*1000:.1f})")
ratio = a[0]["mean"] / a[1]["mean"]
print(f"  ratio deepdock/compose   {ratio:.3f}; targets: < 50 ms {'met' if ms(a[0]) < 50 else 'NOT met'},"
      f" < 0.2 of compose {'met' if ratio < 0.2 else 'NOT met'}")
print("bench/up (b) image present, no container")
print(f"  deepdock up (create, start, wait for Jupyter, check)  mean {ms(b[0]):8.1f} ms")
print(f"  docker run -d + docker exec check                     mean {ms(b[1]):8.1f} ms")
print(f"  docker run -d + docker exec check + wait for Jupyter  mean {ms(b[2]):8.1f} ms")
print(f"  ratio deepdock / (run + exec)         {b[0]['mean']/b[1]['mean']:.3f}")
print(f"  ratio deepdock / (run + exec + wait)  {b[0]['mean']/b[2]['mean']:.3f};"
      f" target no slower: {'met' if b[0]['mean'] <= b[2]['mean'] else 'NOT met'}")
PY
