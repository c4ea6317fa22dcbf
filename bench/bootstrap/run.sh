#!/usr/bin/env bash
# bench/bootstrap: `deepdock bootstrap` of the SSH test host (scripts/test-components.sh: a
# container of the Debian base image with sshd and no Docker), beside a plain sequential
# script doing the same installs over ssh, in one run, with ratios.
#   cold: a fresh host each run (docker.io from the mirror, the engine started, the user put
#         in the docker group);
#   warm: the host already bootstrapped: deepdock reads one checkpoint per step (target
#         under 200 ms), the script runs again as startup scripts do at every boot.
# Usage: bash bench/bootstrap/run.sh [cold-runs] [warm-runs]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
runs_cold=${1:-3}
runs_warm=${2:-10}
work=$(mktemp -d)
export DEEPDOCK_STATE_DIR=$work/state
trap 'rm -rf "$work"' EXIT
bash scripts/test-components.sh start engine image >/dev/null 2>&1
run_dir=${DEEPDOCK_TEST_RUN_DIR:-/run/deepdock-test}
export DEEPDOCK_SSH_CONFIG=$run_dir/ssh/config
ssh_host() { ssh -F "$DEEPDOCK_SSH_CONFIG" -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
  whale@127.0.0.1 "$@"; }
# A fresh host: a new container, and its engine's settings (no bridge inside a container).
fresh_host() {
  docker rm -f -v deepdock-test-sshhost >/dev/null 2>&1 || true
  bash scripts/test-components.sh start sshhost >/dev/null 2>&1
  host="ssh://whale@127.0.0.1:$(cat "$run_dir/sshhost.port")"
  ssh_host "sudo mkdir -p /etc/docker && echo '{\"bridge\": \"none\", \"iptables\": false}' |
    sudo tee /etc/docker/daemon.json >/dev/null"
  printf '%s\n' "$script" | ssh_host "cat >/tmp/bench-bootstrap.sh"
}
# What the tutorials' startup scripts do, in order, with nothing recorded.
script='set -e
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io
pkill -x dockerd || true
while pgrep -x dockerd >/dev/null; do sleep 0.2; done
setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
for i in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
usermod -aG docker whale'
now() { date +%s%N; }
cold_dd=()
cold_script=()
for ((i = 1; i <= runs_cold; i++)); do
  fresh_host
  start=$(now)
  "$bin" bootstrap -q --host "$host" >/dev/null
  cold_dd+=("$((($(now) - start) / 1000000))")
  fresh_host
  start=$(now)
  ssh_host sudo sh /tmp/bench-bootstrap.sh >/dev/null 2>&1
  cold_script+=("$((($(now) - start) / 1000000))")
  echo "bench/bootstrap: cold run $i: deepdock ${cold_dd[-1]} ms, script ${cold_script[-1]} ms" >&2
done
"$bin" bootstrap -q --host "$host" >/dev/null
hyperfine --warmup 2 --runs "$runs_warm" -N --export-json "$work/warm.json" \
  "$bin bootstrap -q --host $host" \
  "ssh -F $DEEPDOCK_SSH_CONFIG -o BatchMode=yes whale@127.0.0.1 sudo sh /tmp/bench-bootstrap.sh" >&2
python3 - "$work/warm.json" "${cold_dd[*]}" "${cold_script[*]}" <<'PY'
import json, sys
warm = json.load(open(sys.argv[1]))["results"]
dd = [float(x) / 1000 for x in sys.argv[2].split()]
sc = [float(x) / 1000 for x in sys.argv[3].split()]
mean = lambda v: sum(v) / len(v)
print("bench/bootstrap: the SSH test host (Debian 12 in a container, docker.io from the mirror)")
print(f"  cold  deepdock bootstrap      mean {mean(dd):7.2f} s  ({len(dd)} runs: {', '.join(f'{x:.2f}' for x in dd)})")
print(f"  cold  sequential script       mean {mean(sc):7.2f} s  ({len(sc)} runs: {', '.join(f'{x:.2f}' for x in sc)})")
print(f"  cold  ratio deepdock/script   {mean(dd)/mean(sc):.3f}")
w_dd, w_sc = warm[0]["mean"] * 1000, warm[1]["mean"] * 1000
print(f"  warm  deepdock bootstrap      mean {w_dd:8.1f} ms  (target < 200 ms: {'met' if w_dd < 200 else 'NOT met'})")
print(f"  warm  sequential script again mean {w_sc:8.1f} ms")
print(f"  warm  ratio deepdock/script   {w_dd / w_sc:.4f}")
PY
