# Sourced by scripts/test-components.sh: the debootstrapped bookworm base image.
# Variables are shared between these files (defined in common.sh).
# shellcheck shell=bash disable=SC2034,SC2154


dd_mirror() { # the Debian mirror apt uses here, for debootstrap
  local uri=""
  if [[ -n "${DEEPDOCK_TEST_MIRROR:-}" ]]; then
    printf '%s\n' "$DEEPDOCK_TEST_MIRROR"
    return
  fi
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    # deb822: the first stanza whose Suites name the release itself (not -security)
    uri="$(awk -v suite="$dd_suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; ok = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok = 1 }
        }
        if (ok && uris != "") { print uris; exit }
      }' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [[ -z "$uri" && -r /etc/apt/sources.list ]]; then
    uri="$(awk -v suite="$dd_suite" '
      $1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' /etc/apt/sources.list)"
  fi
  [[ "$uri" =~ ^https?:// ]] || uri=http://deb.debian.org/debian
  printf '%s\n' "$uri"
}

dd_image_present() {
  [[ "$(curl -sS --noproxy '*' --unix-socket "$dd_socket" -o /dev/null -w '%{http_code}' \
    "http://localhost/images/$dd_base_image/json" 2>/dev/null)" == 200 ]]
}

dd_remove_tree() { # dir: unmounts what an interrupted debootstrap left mounted, then removes
  local dir="$1" mount_point
  [[ -d "$dir" ]] || return 0
  while read -r mount_point; do
    umount -l "$mount_point" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

dd_rootfs_build() { # debootstrap into a work dir, then an atomic rename into the cache
  local mirror log="$dd_log_dir/debootstrap.log" stale
  mirror="$(dd_mirror)"
  mkdir -p "$dd_cache_dir" "$dd_log_dir"
  for stale in "$dd_cache_dir"/rootfs.*; do # left by an interrupted build (we hold the lock)
    [[ -d "$stale" ]] && dd_remove_tree "$stale"
  done
  rm -f "$dd_rootfs_tar.partial"
  dd_image_workdir="$(mktemp -d "$dd_cache_dir/rootfs.XXXXXX")"
  dd_say "debootstrap --variant=minbase $dd_suite from $mirror (log $log)"
  if ! debootstrap --variant=minbase "$dd_suite" "$dd_image_workdir/root" "$mirror" \
    >"$log" 2>&1; then
    dd_say "debootstrap failed"
    dd_tail_log "$log"
    dd_tail_log "$dd_image_workdir/root/debootstrap/debootstrap.log"
    dd_remove_tree "$dd_image_workdir"
    dd_image_workdir=""
    return 1
  fi
  tar --numeric-owner -C "$dd_image_workdir/root" -cf "$dd_rootfs_tar.partial" .
  mv "$dd_rootfs_tar.partial" "$dd_rootfs_tar"
  dd_remove_tree "$dd_image_workdir"
  dd_image_workdir=""
  dd_say "cached the root file system in $dd_rootfs_tar"
}

dd_image_import() {
  local repo="${dd_base_image%:*}" tag="${dd_base_image##*:}" log="$dd_log_dir/image-import.log"
  if [[ "$repo" == "$dd_base_image" || "$tag" == */* ]]; then
    repo="$dd_base_image"
    tag=latest
  fi
  dd_say "importing $dd_rootfs_tar as $dd_base_image"
  # POST /images/create?fromSrc=- is `docker import -`; CMD bash as Debian's images have.
  if ! curl -sS --noproxy '*' --unix-socket "$dd_socket" -X POST \
    -H 'Content-Type: application/x-tar' --upload-file "$dd_rootfs_tar" \
    "http://localhost/images/create?fromSrc=-&repo=$repo&tag=$tag&changes=CMD%20%5B%22bash%22%5D" \
    >"$log" 2>&1 || grep -q '"error' "$log" || ! dd_image_present; then
    dd_say "importing $dd_base_image failed"
    dd_tail_log "$log"
    return 1
  fi
}

dd_image_ensure() {
  if ! dd_engine_ping; then
    dd_say "no engine answers on $dd_socket; start it first (start engine)"
    return 1
  fi
  if dd_image_present; then
    dd_say "reusing image $dd_base_image"
    return 0
  fi
  if [[ ! -s "$dd_rootfs_tar" ]]; then
    dd_rootfs_build || return 1
  else
    dd_say "reusing cached root file system $dd_rootfs_tar"
  fi
  dd_image_import
}

