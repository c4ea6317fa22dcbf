#!/usr/bin/env bash
# Lint gates that CI runs as tests: clang-format (no diff allowed) and clang-tidy (the repo's
# .clang-tidy, warnings as errors) over every C++ file of ours.
# Usage: scripts/lint.sh format | tidy BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 2>/dev/null ||
  find src tests bench -name '*.cpp' -o -name '*.hpp')
case "${1:-}" in
  format)
    clang-format --dry-run --Werror "${files[@]}"
    echo "clang-format: ${#files[@]} files clean"
    ;;
  tidy)
    build_dir=${2:?usage: lint.sh tidy BUILD_DIR}
    [ -f "$build_dir/compile_commands.json" ] || { echo "no compile_commands.json in $build_dir" >&2; exit 1; }
    mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '^src/.*\.cpp$')
    log=$(mktemp)
    status=0
    printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet >"$log" 2>&1 || status=$?
    grep -v -E '^[0-9]+ warnings? generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter' "$log" || true
    rm -f "$log"
    if [ "$status" -ne 0 ]; then
      echo "clang-tidy: the findings above are errors" >&2
      exit 1
    fi
    echo "clang-tidy: ${#sources[@]} files clean"
    ;;
  *)
    echo "usage: $0 format | tidy BUILD_DIR" >&2
    exit 2
    ;;
esac
