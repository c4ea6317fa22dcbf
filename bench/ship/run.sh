#!/usr/bin/env bash
# bench/ship: getting a ~1.5 GB image to an SSH host, in one run, with ratios.
#   warm: the host (and the registry) already hold the image's lower layers (the Debian
#         base and 1.3 GB of model weights); only the top layer changed:
#           deepdock ship IMG --host ssh://…       only the missing layer crosses SSH
#           docker save IMG | ssh host docker load  the whole image crosses SSH
#           docker push to a loopback registry, then docker pull on the host
#   cold: the host and the registry hold none of it (a fresh 1.3 GB layer per method).
# The host is a second SSH test host (DEEPDOCK_TEST_SSHHOST_NAME=deepdock-bench-shiphost:
# sshd and Debian's docker.io in a container, sharing this machine's loopback), the
# registry is the test registry (Debian's docker-registry on 127.0.0.1).
# Usage: bash bench/ship/run.sh [warm-runs] [cold-runs]
set -euo pipefail
source "$(dirname "$0")/../common.sh"
runs_warm=${1:-3}
runs_cold=${2:-1}
work=$(mktemp -d)
export DEEPDOCK_STATE_DIR=$work/state
trap 'rm -rf "$work"' EXIT
bash scripts/test-components.sh start engine registry image >/dev/null 2>&1
export DEEPDOCK_TEST_SSHHOST_NAME=deepdock-bench-shiphost
bash scripts/test-components.sh start sshhost >/dev/null 2>&1
eval "$(bash scripts/test-components.sh env)"
host=$DEEPDOCK_TEST_SSH_HOST
registry=$DEEPDOCK_TEST_REGISTRY
export DEEPDOCK_SSH_CONFIG=$DEEPDOCK_TEST_SSH_CONFIG
ssh_host() { ssh -F "$DEEPDOCK_SSH_CONFIG" -o BatchMode=yes -p "${host##*:}" whale@127.0.0.1 "$@"; }
ssh_host "sudo mkdir -p /etc/docker && echo '{\"bridge\": \"none\", \"iptables\": false}' |
  sudo tee /etc/docker/daemon.json >/dev/null"
"$bin" bootstrap -q --host "$host" >/dev/null

now() { date +%s%N; }
ms_since() { echo $((($(now) - $1) / 1000000)); }
# An image of the base, a layer of 1.3 GB of random bytes (weights; nothing compresses
# them) and a small top layer. `weights` names the weights layer (built once per name).
make_image() { # tag weights top
  docker build -q --network host -t "$1" --build-arg WEIGHTS="$2" --build-arg TOP="$3" - \
    >/dev/null 2>&1 <<DOCKERFILE
FROM $DEEPDOCK_TEST_BASE_IMAGE
ARG WEIGHTS
RUN echo "\$WEIGHTS" >/opt/weights.name && head -c 1300000000 /dev/urandom >/opt/weights.bin
ARG TOP
RUN echo "\$TOP" >/opt/version
DOCKERFILE
}
arrived() { # tag: the host has the same image ID
  [[ "$(ssh_host docker image inspect -f '{{.Id}}' "$1")" == "$(docker image inspect -f '{{.Id}}' "$1")" ]]
}
size_of() { docker image inspect -f '{{.Size}}' "$1"; }

ship_dd() { "$bin" ship -q "$1" --host "$host"; }
ship_save() { docker save "$1" | ssh_host docker load -q >/dev/null; }
ship_registry() {
  docker tag "$1" "$registry/$1"
  docker push -q "$registry/$1" >/dev/null
  ssh_host docker pull -q "$registry/$1" >/dev/null
  ssh_host docker tag "$registry/$1" "$1"
}
methods=(dd save registry)
declare -A warm_ms cold_ms

# Warm: every holder has the weights layer of bench-ship/app:base.
stamp=$$-$RANDOM
make_image bench-ship/app:base "warm-$stamp" base
ship_save bench-ship/app:base
docker tag bench-ship/app:base "$registry/bench-ship/app:base"
docker push -q "$registry/bench-ship/app:base" >/dev/null
echo "bench/ship: image of $(size_of bench-ship/app:base) bytes, host and registry seeded" >&2
# One timed shipment: the image made untimed, then shipped by method $m and checked.
time_ship() { # case run method tag weights top
  make_image "$4" "$5" "$6"
  local start took
  start=$(now)
  "ship_$3" "$4"
  took=$(ms_since "$start")
  arrived "$4" || { echo "bench/ship: $4 did not arrive ($3)" >&2; exit 1; }
  echo "bench/ship: $1 run $2: $3 $took ms" >&2
  echo "$took"
}
for ((i = 1; i <= runs_warm; i++)); do
  for m in "${methods[@]}"; do
    warm_ms[$m]="${warm_ms[$m]:-} $(time_ship warm "$i" "$m" "bench-ship/app:$m-$stamp-$i" "warm-$stamp" "$m-$i")"
  done
done
# Cold: a weights layer nobody has, per method and run.
for ((i = 1; i <= runs_cold; i++)); do
  for m in "${methods[@]}"; do
    cold_ms[$m]="${cold_ms[$m]:-} $(time_ship cold "$i" "$m" "bench-ship/cold:$m-$stamp-$i" "cold-$m-$stamp-$i" top)"
  done
done

# The images are left out of the next run's way: on the host, here and in the registry tags.
ssh_host 'docker images --format "{{.Repository}}:{{.Tag}}" | grep bench-ship | xargs -r docker rmi -f' >/dev/null 2>&1 || true
docker images --format '{{.Repository}}:{{.Tag}}' | grep bench-ship | xargs -r docker rmi -f >/dev/null 2>&1 || true

python3 - "${warm_ms[dd]}" "${warm_ms[save]}" "${warm_ms[registry]}" \
  "${cold_ms[dd]}" "${cold_ms[save]}" "${cold_ms[registry]}" <<'PY'
import sys
rows = [[float(x) / 1000 for x in arg.split()] for arg in sys.argv[1:]]
mean = lambda v: sum(v) / len(v)
names = ["deepdock ship", "docker save | ssh docker load", "push + pull, loopback registry"]
print("bench/ship: a 1.5 GB image to the SSH test host (sshd + docker.io in a container)")
for label, block in (("warm (top layer changed)", rows[:3]), ("cold (nothing there)", rows[3:])):
    print(f"  {label}")
    for name, values in zip(names, block):
        runs = ", ".join(f"{x:.2f}" for x in values)
        print(f"    {name:32s} mean {mean(values):7.2f} s  ({runs})  ratio deepdock/this {mean(block[0]) / mean(values):.3f}")
PY
