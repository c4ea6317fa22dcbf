#!/usr/bin/env bash
# The main job, from a bare Debian 12 machine: installs missing Debian packages, builds
# deepdock (release preset) and runs `deepdock up` against a Docker engine, ending in a
# verified environment with Jupyter answering on 127.0.0.1.
#
# With no arguments the environment is examples/offline-pytorch.yaml: its base is made
# with debootstrap from the Debian mirror and it uses Debian's PyTorch and Jupyter
# Notebook, so it works on a machine that reaches a Debian mirror and no image registry.
# Arguments replace that and go to `up` as they are: `scripts/up.sh -f deepdock.yaml`, or
# `scripts/up.sh --dry-run -f examples/offline-pytorch.yaml`.
#
# The engine: DOCKER_HOST or a Docker context when set, else the system engine on
# /var/run/docker.sock when it answers, else the test engine of scripts/test-components.sh,
# started if needed and left running (`scripts/test-components.sh stop` stops it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh build components

cmake --preset release
cmake --build --preset release

uses_context() {
  [[ -n "${DOCKER_CONTEXT:-}" && "${DOCKER_CONTEXT}" != default ]] && return 0
  local config="${DOCKER_CONFIG:-${HOME:-/root}/.docker}/config.json"
  [[ -r "$config" ]] && grep -Eq '"currentContext"[[:space:]]*:[[:space:]]*"[^"]' "$config" &&
    ! grep -Eq '"currentContext"[[:space:]]*:[[:space:]]*"default"' "$config"
}

if [[ -z "${DOCKER_HOST:-}" ]] && ! uses_context &&
  [[ "$(curl -fsS --noproxy '*' --max-time 5 --unix-socket /var/run/docker.sock \
    http://localhost/_ping 2>/dev/null)" != OK ]]; then
  echo "up: no engine answers on /var/run/docker.sock; using the test engine" >&2
  bash scripts/test-components.sh start engine >/dev/null
  eval "$(bash scripts/test-components.sh env | grep '^export DOCKER_HOST=')"
  echo "up: DOCKER_HOST=$DOCKER_HOST" >&2
fi

if (($# == 0)); then
  set -- -f examples/offline-pytorch.yaml
fi
exec build/release/src/cli/deepdock up "$@"
