#!/usr/bin/env bash
# bench/plan: wall time of `deepdock plan --json` on a typical spec, beside `docker version`
# against the same engine, in one hyperfine run; prints the ratio. Target: plan < 30 ms.
# Usage: bash bench/plan/run.sh [runs]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
runs=${1:-100}
spec=examples/tensorflow-gpu.yaml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The typical spec is planned for a T4 with driver 535 so the run does not depend on this
# machine's hardware.
hyperfine --warmup 5 --runs "$runs" -N --export-json "$out/plan.json" \
  "$bin plan --json -f $spec --gpu 'Tesla T4' --driver 535.183.01" \
  "docker version"
python3 - "$out/plan.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
plan, docker = results[0], results[1]
print(f"deepdock plan --json: mean {plan['mean']*1000:.2f} ms (min {plan['min']*1000:.2f} ms)")
print(f"docker version      : mean {docker['mean']*1000:.2f} ms (min {docker['min']*1000:.2f} ms)")
print(f"ratio plan/docker version: {plan['mean']/docker['mean']:.3f}; target plan < 30 ms: "
      f"{'met' if plan['mean'] < 0.030 else 'NOT met'}")
PY
