# Sourced by scripts/test-components.sh: the SSH test host. A container of the base image
# with Debian's openssh-server and sudo (no Docker), on the test engine, with host
# networking and sshd on a free loopback port; the capabilities an engine inside it will
# need (design.md: --privileged is refused here). The client key, known_hosts and an ssh
# config for it live in $dd_run_dir/ssh/.
# Variables are shared between these files (defined in common.sh).
# shellcheck shell=bash disable=SC2034,SC2154

dd_sshhost_image="deepdock-test/sshhost:1"
# DEEPDOCK_TEST_SSHHOST_NAME names a second, independent host (a benchmark's), with its
# client files in a directory of its own.
dd_sshhost_name="${DEEPDOCK_TEST_SSHHOST_NAME:-deepdock-test-sshhost}"
if [[ "$dd_sshhost_name" == deepdock-test-sshhost ]]; then
  dd_sshhost_dir="$dd_run_dir"
else
  dd_sshhost_dir="$dd_run_dir/$dd_sshhost_name"
fi
dd_ssh_dir="$dd_sshhost_dir/ssh"
dd_sshhost_portfile="$dd_sshhost_dir/sshhost.port"
dd_sshhost_owner="$dd_sshhost_dir/sshhost.owner"

dd_docker() { DOCKER_HOST="unix://$dd_socket" docker "$@"; }

dd_sshhost_port() { dd_read_pid "$dd_sshhost_portfile"; }

dd_sshhost_ready() { # port
  [[ -n "$1" && -r "$dd_ssh_dir/config" ]] &&
    timeout 10 ssh -F "$dd_ssh_dir/config" -o BatchMode=yes -o ConnectTimeout=5 \
      -o StrictHostKeyChecking=accept-new \
      -p "$1" whale@127.0.0.1 true >/dev/null 2>&1
}

dd_sshhost_running() {
  [[ "$(dd_docker inspect -f '{{.State.Running}}' "$dd_sshhost_name" 2>/dev/null)" == true ]]
}

dd_sshhost_image_ensure() {
  local log="$dd_log_dir/sshhost-image.log"
  if dd_docker image inspect "$dd_sshhost_image" >/dev/null 2>&1; then
    return 0
  fi
  dd_say "building $dd_sshhost_image (openssh-server and sudo from the Debian mirror)"
  if ! dd_docker build --network host -t "$dd_sshhost_image" - >"$log" 2>&1 <<DOCKERFILE; then
FROM $dd_base_image
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openssh-server sudo socat ca-certificates && rm -rf /var/lib/apt/lists/*
RUN useradd -m -s /bin/bash whale && echo 'whale ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/whale \
    && chmod 0440 /etc/sudoers.d/whale && rm -f /etc/ssh/ssh_host_*
LABEL deepdock-test=sshhost
DOCKERFILE
    dd_say "building $dd_sshhost_image failed"
    dd_tail_log "$log"
    return 1
  fi
}

dd_sshhost_write_client() { # port: a fresh key pair, known_hosts and config
  mkdir -p "$dd_ssh_dir"
  chmod 0700 "$dd_ssh_dir"
  [[ -s "$dd_ssh_dir/id_ed25519" ]] ||
    ssh-keygen -q -t ed25519 -N '' -C deepdock-test -f "$dd_ssh_dir/id_ed25519"
  : >"$dd_ssh_dir/known_hosts"
  cat >"$dd_ssh_dir/config" <<CONFIG
Host 127.0.0.1
  User whale
  Port $1
  IdentityFile $dd_ssh_dir/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $dd_ssh_dir/known_hosts
CONFIG
}

dd_sshhost_stop() {
  if dd_docker inspect "$dd_sshhost_name" >/dev/null 2>&1; then
    dd_say "removing the SSH test host container $dd_sshhost_name"
    dd_docker rm -f -v "$dd_sshhost_name" >/dev/null 2>&1 || true
  fi
  rm -f "$dd_sshhost_portfile" "$dd_sshhost_owner"
}

dd_sshhost_start() { # owner
  local owner="$1" port current_owner deadline log="$dd_log_dir/sshhost.log"
  if ! dd_engine_ping || ! dd_image_present; then
    dd_say "the SSH test host needs the engine and the base image (start engine image)"
    return 1
  fi
  port="$(dd_sshhost_port)"
  if dd_sshhost_running && dd_sshhost_ready "$port"; then
    current_owner="$(cat "$dd_sshhost_owner" 2>/dev/null || true)"
    if [[ -n "$current_owner" && "$current_owner" != "-" ]] && ! dd_pid_alive "$current_owner"; then
      dd_say "the SSH test host was left by an interrupted run; starting a fresh one"
    else
      dd_say "reusing the SSH test host on 127.0.0.1:$port"
      return 0
    fi
  fi
  dd_sshhost_stop
  dd_sshhost_image_ensure || return 1
  port="$(dd_free_port)" || { dd_say "found no free loopback port"; return 1; }
  dd_sshhost_write_client "$port"
  mkdir -p "$dd_log_dir"
  if ! dd_docker run -d --name "$dd_sshhost_name" --label deepdock-test=sshhost \
    --network host --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --security-opt systempaths=unconfined -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
    -v "$dd_ssh_dir/id_ed25519.pub:/etc/ssh/deepdock_authorized_keys:ro" -v /var/lib/docker \
    "$dd_sshhost_image" /bin/sh -c "ssh-keygen -A && mkdir -p /run/sshd && exec /usr/sbin/sshd \
      -D -e -p $port -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no \
      -o AuthorizedKeysFile=/etc/ssh/deepdock_authorized_keys" >"$log" 2>&1; then
    dd_say "starting the SSH test host failed"
    dd_tail_log "$log"
    return 1
  fi
  mkdir -p "$dd_sshhost_dir"
  printf '%s\n' "$port" >"$dd_sshhost_portfile"
  printf '%s\n' "$owner" >"$dd_sshhost_owner"
  [[ "$owner" == "-" ]] || dd_started_sshhost=1
  deadline=$((SECONDS + 30))
  until dd_sshhost_ready "$port"; do
    if ((SECONDS > deadline)) || ! dd_sshhost_running; then
      dd_say "the SSH test host did not accept a login on 127.0.0.1:$port"
      dd_docker logs --tail 20 "$dd_sshhost_name" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  dd_say "SSH test host on 127.0.0.1:$port (user whale, passwordless sudo)"
}
