#!/usr/bin/env bash
# bench/verify on a GPU host: the probe's device-to-device copy bandwidth beside PyTorch's
# on the same GPU, with the same copy size and repetitions (target: the probe measures at
# least 90% of PyTorch's figure). Runs the probe directly (no engine needed) and keeps its
# report as bench/verify/out/probe-report.json.
# Usage: bash bench/verify/gpu_bandwidth.sh [path to deepdock-probe]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
probe=${1:-$root/build/release/src/probe/deepdock-probe}
out=${OUT:-$root/bench/verify/out}
mkdir -p "$out"
mib=256
reps=20
"$probe" --json --bandwidth-mib "$mib" >"$out/probe-report.json" || true
"$probe" --bandwidth-mib "$mib" || true
python3 - "$out/probe-report.json" "$mib" "$reps" <<'PY'
import json, sys
import torch
report = json.load(open(sys.argv[1]))
mib, reps = int(sys.argv[2]), int(sys.argv[3])
n = mib * 1024 * 1024
src = torch.empty(n, dtype=torch.uint8, device="cuda")
dst = torch.empty_like(src)
dst.copy_(src)
torch.cuda.synchronize()
start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
start.record()
for _ in range(reps):
    dst.copy_(src)
end.record()
end.synchronize()
torch_gbps = n * reps / (start.elapsed_time(end) / 1000) / 1e9
host = torch.empty(min(n, 64 << 20), dtype=torch.uint8).pin_memory()
dev = torch.empty_like(host, device="cuda")
dev.copy_(host)
torch.cuda.synchronize()
start.record()
for _ in range(reps):
    dev.copy_(host, non_blocking=True)
end.record()
end.synchronize()
torch_h2d = host.numel() * reps / (start.elapsed_time(end) / 1000) / 1e9
bw = report["cuda"]["bandwidth"]
print(f"bench/verify (GPU) {torch.cuda.get_device_name(0)}, {mib} MiB x {reps}")
print(f"  device to device: probe {bw['device_to_device_gbps']:.1f} GB/s, PyTorch {torch_gbps:.1f} GB/s,"
      f" ratio {bw['device_to_device_gbps']/torch_gbps:.3f} (target >= 0.9)")
print(f"  host to device:   probe {bw['host_to_device_gbps']:.1f} GB/s, PyTorch {torch_h2d:.1f} GB/s,"
      f" ratio {bw['host_to_device_gbps']/torch_h2d:.3f}")
print(f"  kernel: {'correct' if report['cuda']['kernel']['correct'] else 'WRONG'}, verdict {report['verdict']}")
PY
