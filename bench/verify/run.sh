#!/usr/bin/env bash
# bench/verify: time to a verdict on whether the container can use a GPU, in one run, with
# ratios (hyperfine). The environment is examples/offline-pytorch.yaml (Debian's PyTorch,
# CPU), on the engine of DOCKER_HOST or the test engine.
#   1. the probe alone (`docker exec C /tmp/deepdock-probe --json`): device nodes, NVML,
#      libcuda, the verdict;
#   2. the usual check, `python3 -c "import torch; print(torch.cuda.is_available())"`, in
#      the same container;
#   3. `deepdock verify`: copying the probe and the framework check in, the probe, and
#      PyTorch's matrix product compared with the exact value.
# On a machine with an NVIDIA GPU, bench/verify/gpu_bandwidth.sh compares the probe's
# device-to-device bandwidth with PyTorch's copy bandwidth on the same GPU.
# Usage: bash bench/verify/run.sh [runs]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
runs=${1:-20}
work=$(mktemp -d)
export DEEPDOCK_STATE_DIR=$work/state
name=bench-verify-$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed "s/^name: .*/name: $name/" examples/offline-pytorch.yaml >"$work/deepdock.yaml"
printf 'ports: {jupyter: %s}\n' "$port" >>"$work/deepdock.yaml"
cleanup() {
  "$bin" down -f "$work/deepdock.yaml" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "bench/verify: bringing up $name (builds the image when missing)" >&2
"$bin" up -q --json -f "$work/deepdock.yaml" >"$work/up.json"
container=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["container"]["id"])' "$work/up.json")
# `up` copied the probe in; the verdict it gives here is the one measured.
docker exec "$container" /tmp/deepdock-probe --json >"$work/probe.json" || true
docker exec "$container" python3 -c "import torch; print(torch.cuda.is_available())" >"$work/torch.txt"

hyperfine --warmup 2 --runs "$runs" -N --export-json "$work/verify.json" \
  "docker exec $container /tmp/deepdock-probe --json" \
  "docker exec $container python3 -c 'import torch; print(torch.cuda.is_available())'" \
  "$bin verify -f $work/deepdock.yaml" >&2

python3 - "$work/verify.json" "$work/probe.json" "$work/torch.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
probe = json.load(open(sys.argv[2]))
torch_answer = open(sys.argv[3]).read().strip()
ms = lambda x: x["mean"] * 1000
print("bench/verify: time to a verdict in the offline-pytorch container (CPU host)")
print(f"  probe (docker exec, --json)                mean {ms(r[0]):8.1f} ms  verdict {probe['verdict']}"
      f", probe's own time {probe['seconds']*1000:.1f} ms")
print(f"  python3 -c 'import torch; cuda...'         mean {ms(r[1]):8.1f} ms  answer {torch_answer}")
print(f"  deepdock verify (probe + framework check)  mean {ms(r[2]):8.1f} ms")
print(f"  ratio probe / torch one-liner              {r[0]['mean']/r[1]['mean']:.3f}")
print(f"  ratio deepdock verify / torch one-liner    {r[2]['mean']/r[1]['mean']:.3f}")
PY
