#!/usr/bin/env bash
# Installs the Debian packages deepdock needs, and only the ones that are missing:
# `apt-get update` once, then one `apt-get install --no-install-recommends`.
#
# usage: scripts/install-deps.sh [build] [components] [browser] [bench]   (none: all four)
#   build       compiler, CMake, Ninja and the libraries deepdock links against
#   components  the real test components: dockerd, docker-registry, debootstrap, curl
#   browser     Debian's chromium, headless: the e2e test opens Jupyter in it
#   bench       the peers the benchmarks compare against (skipped where the release lacks them)
set -euo pipefail

build_packages=(cmake ninja-build g++ pkg-config libcurl4-openssl-dev nlohmann-json3-dev
  libyaml-cpp-dev libcli11-dev libfmt-dev libssl-dev libarchive-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev clang-format clang-tidy
  clang libclang-rt-14-dev python3)
component_packages=(docker.io docker-registry debootstrap curl ca-certificates openssl openssh-client)
browser_packages=(chromium fonts-dejavu-core)
# Optional: a release without them still builds and tests deepdock.
bench_packages=(docker-compose hyperfine)

say() { printf 'install-deps: %s\n' "$*" >&2; }

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

has_candidate() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
  [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

groups=("$@")
((${#groups[@]})) || groups=(build components browser bench)

required=() optional=()
for group in "${groups[@]}"; do
  case "$group" in
    build) required+=("${build_packages[@]}") ;;
    components) required+=("${component_packages[@]}") ;;
    browser) required+=("${browser_packages[@]}") ;;
    bench) optional+=("${bench_packages[@]}") ;;
    *) say "unknown group '$group' (expected: build, components, browser, bench)"; exit 2 ;;
  esac
done

missing_required=() missing_optional=()
for package in "${required[@]}"; do
  is_installed "$package" || missing_required+=("$package")
done
for package in "${optional[@]}"; do
  is_installed "$package" || missing_optional+=("$package")
done
if ((${#missing_required[@]} + ${#missing_optional[@]} == 0)); then
  say "all packages for '${groups[*]}' are installed"
  exit 0
fi

sudo_cmd=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { say "missing packages and not root: run as root"; exit 3; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

say "missing: ${missing_required[*]} ${missing_optional[*]}"
"${sudo_cmd[@]}" apt-get update -q

to_install=("${missing_required[@]}")
for package in "${missing_optional[@]}"; do
  if has_candidate "$package"; then
    to_install+=("$package")
  else
    say "skipping $package: this release has no candidate for it"
  fi
done
((${#to_install[@]})) || exit 0

# Without systemd (containers, chroots) a package's maintainer script that starts its
# service fails the installation; a policy-rc.d that refuses service starts avoids that.
# On a machine booted with systemd the services start as usual.
policy=/usr/sbin/policy-rc.d
added_policy=false
if [[ ! -d /run/systemd/system && ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  added_policy=true
fi
remove_policy() { if $added_policy; then "${sudo_cmd[@]}" rm -f "$policy"; fi; }
trap remove_policy EXIT

say "installing: ${to_install[*]}"
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${to_install[@]}"
