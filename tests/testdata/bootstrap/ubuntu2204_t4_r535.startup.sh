#!/bin/sh
# deepdock bootstrap for ubuntu 22.04 with a Tesla T4: 9 steps. Run as root: `sh THIS run` (the
# default) or `sh THIS check` (re-check every step and repair what drifted).
# plan 871f51406262d646
set -u
mode=${1:-run}
case "$mode" in run|check) ;; *) echo "usage: $0 [run|check]" >&2; exit 2 ;; esac
state=/var/lib/deepdock/bootstrap
mkdir -p "$state"
log() { echo "deepdock-bootstrap: $*"; }
# Runs an apt or dpkg command, waiting while another one holds the dpkg lock
# (unattended-upgrades at boot) instead of failing.
apt_retry() {
  tries=0
  while :; do
    out=$("$@" 2>&1) && { printf '%s\n' "$out"; return 0; }
    status=$?
    printf '%s\n' "$out"
    case "$out" in *"Could not get lock"*|*"dpkg frontend lock"*) ;; *) return "$status" ;; esac
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || return "$status"
    log "another package manager holds the dpkg lock; waiting"
    sleep 10
  done
}
record() { printf '%s\n' "$2" >"$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"; }
# step ID HASH REBOOTS: skips a recorded step (run), checks, applies, checks again, records.
step() {
  id=$1 hash=$2 reboots=$3 fn=$(echo "$1" | tr - _)
  if [ "$mode" = run ] && [ "$(cat "$state/$id" 2>/dev/null)" = "$hash" ]; then
    log "$id: done before"
    return 0
  fi
  if "check_$fn"; then
    record "$id" "$hash"
    log "$id: in place"
    return 0
  fi
  if [ "$reboots" = 1 ]; then
    if [ "$(cat "$state/$id.rebooted" 2>/dev/null)" = "$hash" ]; then
      log "$id: still not in place after a reboot; stopping"
      exit 1
    fi
    record "$id.rebooted" "$hash"
    log "$id: rebooting; this script goes on at the next boot"
    reboot
    exit 0
  fi
  log "$id: applying"
  if ! "apply_$fn" || ! "check_$fn"; then
    log "$id: failed"
    exit 1
  fi
  record "$id" "$hash"
  log "$id: done"
}

# base-packages: install curl, gnupg and the CA certificates
# why: the NVIDIA repositories are fetched over HTTPS and signed with GPG keys
check_base_packages() {
  test -x /usr/bin/curl >/dev/null 2>&1 || return 1
  test -x /usr/bin/gpg >/dev/null 2>&1
}
apply_base_packages() {
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ca-certificates curl gnupg || return 1
}

# docker-engine: install the Docker engine (Ubuntu's docker.io)
# why: the distribution's own engine comes from the mirror the host already uses, with no third-party key to rotate
check_docker_engine() {
  dockerd --version 2>/dev/null | grep -qF -- 'Docker version'
}
apply_docker_engine() {
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker.io || return 1
}

# nvidia-driver: install the NVIDIA driver R535 from Ubuntu's archive
# why: R535 is the branch the resolver chose for Tesla T4; the kernel's headers let DKMS build the module for the running kernel
check_nvidia_driver() {
  dpkg-query -W -f '${Status}\n' nvidia-headless-535-server 2>/dev/null | grep -qF -- 'install ok installed'
}
apply_nvidia_driver() {
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends linux-headers-5.15.0-105-generic nvidia-headless-535-server nvidia-utils-535-server || return 1
}

# hold-packages: hold the kernel and the driver at their versions
# why: an unattended kernel or driver upgrade leaves the module unbuilt or the libraries newer than the loaded module ("Driver/library version mismatch")
check_hold_packages() {
  apt-mark showhold 2>/dev/null | grep -qF -- nvidia-headless-535-server
}
apply_hold_packages() {
  apt_retry apt-mark hold linux-image-5.15.0-105-generic linux-headers-5.15.0-105-generic nvidia-headless-535-server nvidia-utils-535-server || return 1
}

# driver-loaded: load the driver (reboot when it cannot be loaded in place)
# why: the module of a fresh install loads only after a reboot when an older one (or nouveau) holds the GPU
check_driver_loaded() {
  nvidia-smi -L 2>/dev/null | grep -qF -- 'GPU '
}
apply_driver_loaded() {
  reboot || return 1
}

# container-toolkit: install the NVIDIA container toolkit
# why: it gives containers the GPUs and the driver's libraries (the nvidia runtime and CDI)
check_container_toolkit() {
  test -x /usr/bin/nvidia-ctk >/dev/null 2>&1
}
apply_container_toolkit() {
  curl -fsSL -o /tmp/nvidia-container-toolkit.gpgkey https://nvidia.github.io/libnvidia-container/gpgkey || return 1
  gpg --dearmor --yes -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg /tmp/nvidia-container-toolkit.gpgkey || return 1
  printf '%s' 'deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /
' | sh -c 'cat >"$1"' sh /etc/apt/sources.list.d/nvidia-container-toolkit.list || return 1
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends nvidia-container-toolkit || return 1
}

# engine-config: configure the engine's nvidia runtime and the CDI specification
# why: without the runtime the engine answers a GPU request with `could not select device driver "" with capabilities: [[gpu]]`
check_engine_config() {
  grep -q '"nvidia"' /etc/docker/daemon.json >/dev/null 2>&1 || return 1
  test -s /etc/cdi/nvidia.yaml >/dev/null 2>&1
}
apply_engine_config() {
  nvidia-ctk runtime configure --runtime=docker || return 1
  nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml || return 1
}

# engine-running: restart the engine with the nvidia runtime
# why: systemd starts it at every boot
check_engine_running() {
  docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -qF -- nvidia
}
apply_engine_running() {
  systemctl enable docker || return 1
  systemctl restart docker || return 1
  sh -c 'for i in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; echo '\''the engine did not answer within 60 s'\'' >&2; exit 1' || return 1
}

# boot-check: re-check the host at every boot (deepdock-bootstrap-check.service)
# why: a startup script with a sentinel file runs once; this one checks every step at each boot and repairs what drifted
check_boot_check() {
  grep -qF '# plan 0b416aa7b1cecba0' /var/lib/deepdock/bootstrap.sh >/dev/null 2>&1 || return 1
  systemctl is-enabled deepdock-bootstrap-check.service 2>/dev/null | grep -qF -- enabled
}
apply_boot_check() {
  mkdir -p /var/lib/deepdock || return 1
  printf '%s' '#!/bin/sh
# deepdock bootstrap for ubuntu 22.04 with a Tesla T4: 8 steps. Run as root: `sh THIS run` (the
# default) or `sh THIS check` (re-check every step and repair what drifted).
# plan 0b416aa7b1cecba0
set -u
mode=${1:-run}
case "$mode" in run|check) ;; *) echo "usage: $0 [run|check]" >&2; exit 2 ;; esac
state=/var/lib/deepdock/bootstrap
mkdir -p "$state"
log() { echo "deepdock-bootstrap: $*"; }
# Runs an apt or dpkg command, waiting while another one holds the dpkg lock
# (unattended-upgrades at boot) instead of failing.
apt_retry() {
  tries=0
  while :; do
    out=$("$@" 2>&1) && { printf '\''%s\n'\'' "$out"; return 0; }
    status=$?
    printf '\''%s\n'\'' "$out"
    case "$out" in *"Could not get lock"*|*"dpkg frontend lock"*) ;; *) return "$status" ;; esac
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || return "$status"
    log "another package manager holds the dpkg lock; waiting"
    sleep 10
  done
}
record() { printf '\''%s\n'\'' "$2" >"$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"; }
# step ID HASH REBOOTS: skips a recorded step (run), checks, applies, checks again, records.
step() {
  id=$1 hash=$2 reboots=$3 fn=$(echo "$1" | tr - _)
  if [ "$mode" = run ] && [ "$(cat "$state/$id" 2>/dev/null)" = "$hash" ]; then
    log "$id: done before"
    return 0
  fi
  if "check_$fn"; then
    record "$id" "$hash"
    log "$id: in place"
    return 0
  fi
  if [ "$reboots" = 1 ]; then
    if [ "$(cat "$state/$id.rebooted" 2>/dev/null)" = "$hash" ]; then
      log "$id: still not in place after a reboot; stopping"
      exit 1
    fi
    record "$id.rebooted" "$hash"
    log "$id: rebooting; this script goes on at the next boot"
    reboot
    exit 0
  fi
  log "$id: applying"
  if ! "apply_$fn" || ! "check_$fn"; then
    log "$id: failed"
    exit 1
  fi
  record "$id" "$hash"
  log "$id: done"
}

# base-packages: install curl, gnupg and the CA certificates
# why: the NVIDIA repositories are fetched over HTTPS and signed with GPG keys
check_base_packages() {
  test -x /usr/bin/curl >/dev/null 2>&1 || return 1
  test -x /usr/bin/gpg >/dev/null 2>&1
}
apply_base_packages() {
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends ca-certificates curl gnupg || return 1
}

# docker-engine: install the Docker engine (Ubuntu'\''s docker.io)
# why: the distribution'\''s own engine comes from the mirror the host already uses, with no third-party key to rotate
check_docker_engine() {
  dockerd --version 2>/dev/null | grep -qF -- '\''Docker version'\''
}
apply_docker_engine() {
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker.io || return 1
}

# nvidia-driver: install the NVIDIA driver R535 from Ubuntu'\''s archive
# why: R535 is the branch the resolver chose for Tesla T4; the kernel'\''s headers let DKMS build the module for the running kernel
check_nvidia_driver() {
  dpkg-query -W -f '\''${Status}\n'\'' nvidia-headless-535-server 2>/dev/null | grep -qF -- '\''install ok installed'\''
}
apply_nvidia_driver() {
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends linux-headers-5.15.0-105-generic nvidia-headless-535-server nvidia-utils-535-server || return 1
}

# hold-packages: hold the kernel and the driver at their versions
# why: an unattended kernel or driver upgrade leaves the module unbuilt or the libraries newer than the loaded module ("Driver/library version mismatch")
check_hold_packages() {
  apt-mark showhold 2>/dev/null | grep -qF -- nvidia-headless-535-server
}
apply_hold_packages() {
  apt_retry apt-mark hold linux-image-5.15.0-105-generic linux-headers-5.15.0-105-generic nvidia-headless-535-server nvidia-utils-535-server || return 1
}

# driver-loaded: load the driver (reboot when it cannot be loaded in place)
# why: the module of a fresh install loads only after a reboot when an older one (or nouveau) holds the GPU
check_driver_loaded() {
  nvidia-smi -L 2>/dev/null | grep -qF -- '\''GPU '\''
}
apply_driver_loaded() {
  reboot || return 1
}

# container-toolkit: install the NVIDIA container toolkit
# why: it gives containers the GPUs and the driver'\''s libraries (the nvidia runtime and CDI)
check_container_toolkit() {
  test -x /usr/bin/nvidia-ctk >/dev/null 2>&1
}
apply_container_toolkit() {
  curl -fsSL -o /tmp/nvidia-container-toolkit.gpgkey https://nvidia.github.io/libnvidia-container/gpgkey || return 1
  gpg --dearmor --yes -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg /tmp/nvidia-container-toolkit.gpgkey || return 1
  printf '\''%s'\'' '\''deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://nvidia.github.io/libnvidia-container/stable/deb/$(ARCH) /
'\'' | sh -c '\''cat >"$1"'\'' sh /etc/apt/sources.list.d/nvidia-container-toolkit.list || return 1
  apt_retry apt-get -o DPkg::Lock::Timeout=600 update || return 1
  apt_retry env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends nvidia-container-toolkit || return 1
}

# engine-config: configure the engine'\''s nvidia runtime and the CDI specification
# why: without the runtime the engine answers a GPU request with `could not select device driver "" with capabilities: [[gpu]]`
check_engine_config() {
  grep -q '\''"nvidia"'\'' /etc/docker/daemon.json >/dev/null 2>&1 || return 1
  test -s /etc/cdi/nvidia.yaml >/dev/null 2>&1
}
apply_engine_config() {
  nvidia-ctk runtime configure --runtime=docker || return 1
  nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml || return 1
}

# engine-running: restart the engine with the nvidia runtime
# why: systemd starts it at every boot
check_engine_running() {
  docker info --format '\''{{json .Runtimes}}'\'' 2>/dev/null | grep -qF -- nvidia
}
apply_engine_running() {
  systemctl enable docker || return 1
  systemctl restart docker || return 1
  sh -c '\''for i in $(seq 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; echo '\''\'\'''\''the engine did not answer within 60 s'\''\'\'''\'' >&2; exit 1'\'' || return 1
}

step base-packages 0070b740ff1a9603 0
step docker-engine 807481e8553ac757 0
step nvidia-driver e3b1810b1326c72a 0
step hold-packages c62b32b4fad5f4c5 0
step driver-loaded ba6d5ec08db3b75a 1
step container-toolkit 76b8779767eb198d 0
step engine-config 0eeae7f81e3e70f8 0
step engine-running 2029ff9bbf847014 0
log "all steps in place"
' | sh -c 'cat >"$1"' sh /var/lib/deepdock/bootstrap.sh || return 1
  printf '%s' '[Unit]
Description=deepdock: check the host at boot and repair what drifted
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=/bin/sh /var/lib/deepdock/bootstrap.sh check

[Install]
WantedBy=multi-user.target
' | sh -c 'cat >"$1"' sh /etc/systemd/system/deepdock-bootstrap-check.service || return 1
  systemctl daemon-reload || return 1
  systemctl enable deepdock-bootstrap-check.service || return 1
}

step base-packages 0070b740ff1a9603 0
step docker-engine 807481e8553ac757 0
step nvidia-driver e3b1810b1326c72a 0
step hold-packages c62b32b4fad5f4c5 0
step driver-loaded ba6d5ec08db3b75a 1
step container-toolkit 76b8779767eb198d 0
step engine-config 0eeae7f81e3e70f8 0
step engine-running 2029ff9bbf847014 0
step boot-check d5b69e4b35519564 0
log "all steps in place"
