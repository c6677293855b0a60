#!/usr/bin/env bash
# Builds the mediasoup C++ worker offline from the mediasoup npm package's own sources with Debian
# packages, and caches the stripped binary outside the repo:
#   ${ARGUS_CACHE_DIR:-~/.cache/argus}/mediasoup-worker/<version>-<inputs hash>/mediasoup-worker
# Prints that path on stdout (progress goes to stderr). When the binary is cached it only prints
# the path (well under a second). See docs/decisions/0006-mediasoup-offline-build.md.
#
# usage: scripts/mediasoup/build-worker.sh [--print-path] [--source <mediasoup package dir>]
#   --print-path  print the cache path for this version and inputs and exit (0 if built, 1 if not)
#   --source DIR  use this unpacked mediasoup package (default: node_modules/mediasoup when it is
#                 the pinned version, else `npm pack mediasoup@<version>` into a temp dir)
# env: MEDIASOUP_VERSION (default: the exact version in package.json), ARGUS_CACHE_DIR,
#      MEDIASOUP_BUILD_JOBS (default: number of cores), MEDIASOUP_BUILD_NICE (default 19),
#      MEDIASOUP_KEEP_BUILD=1 keeps the temp build dir.
# Progress: the compile step shows ninja's own [N/M] counter as a percentage with the time left
# (build-progress.ts; one redrawn line on a terminal, a plain line per 10 % otherwise).

# Bash is needed (pipefail, arrays); `sh build-worker.sh` re-runs it under bash, which Debian always has.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE_DIR=${ARGUS_CACHE_DIR:-$HOME/.cache/argus}

# Debian packages to build the worker, and the ones the built binary links against at run time.
BUILD_PACKAGES=(g++ python3 patch meson ninja-build pkg-config libssl-dev libuv1-dev libsrtp2-dev libabsl-dev
  flatbuffers-compiler libflatbuffers-dev)
RUNTIME_PACKAGES=(libuv1 libssl3 libsrtp2-1 libabsl20220623 libstdc++6)

say() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
die() {
  printf '[mediasoup-worker] ERROR: %s\n' "$*" >&2
  exit 1
}

PRINT_PATH=0
SOURCE_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --print-path) PRINT_PATH=1 ;;
    --source)
      SOURCE_DIR=${2:?--source needs a directory}
      shift
      ;;
    -h | --help)
      sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      exit 0
      ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

# --- version and cache key ------------------------------------------------------------------------
version=${MEDIASOUP_VERSION:-}
if [ -z "$version" ]; then
  # The exact pin in package.json ("mediasoup": "3.27.1"); no node needed, so the cached path is fast.
  version=$(sed -n 's/^ *"mediasoup": *"\([0-9][0-9.]*\)".*/\1/p' "$ROOT/package.json" | head -n1)
fi
[ -n "$version" ] || die "no exact mediasoup version in package.json dependencies; set MEDIASOUP_VERSION"

# Everything under scripts/mediasoup (this script, shims, patches) plus the CPU architecture, except the progress
# display and its tests: they change how a build looks, not the binary, so they must not force a 6-minute rebuild.
inputs_hash=$(
  cd "$HERE"
  {
    uname -m
    find . -type f ! -name 'build-progress*.ts' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-12
)
OUT_DIR="$CACHE_DIR/mediasoup-worker/$version-$inputs_hash"
OUT_BIN="$OUT_DIR/mediasoup-worker"

missing_runtime_libs() { ldd "$1" 2>/dev/null | awk '/not found/ {print $1}'; }

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  is_root && command -v apt-get >/dev/null || return 1
  say "installing Debian packages: $* (once)"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when an install fails with the current ones.
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

ensure_runtime() {
  local missing
  missing=$(missing_runtime_libs "$1")
  [ -z "$missing" ] && return 0
  say "the worker binary misses shared libraries: $(echo "$missing" | tr '\n' ' ')"
  apt_install "${RUNTIME_PACKAGES[@]}" ||
    die "install the worker's runtime packages as root: apt-get install -y ${RUNTIME_PACKAGES[*]}"
  missing=$(missing_runtime_libs "$1")
  [ -z "$missing" ] || die "still missing after installing ${RUNTIME_PACKAGES[*]}: $missing"
}

if [ "$PRINT_PATH" = 1 ]; then
  echo "$OUT_BIN"
  [ -x "$OUT_BIN" ]
  exit
fi

if [ -x "$OUT_BIN" ]; then
  ensure_runtime "$OUT_BIN"
  echo "$OUT_BIN"
  exit 0
fi

# One build at a time per cache (several setups may start at once); whoever waited reuses the result.
mkdir -p "$CACHE_DIR/mediasoup-worker"
if command -v flock >/dev/null; then
  exec 9>"$CACHE_DIR/mediasoup-worker/.build.lock"
  if ! flock -n 9; then
    say "another build of the worker is running; waiting for it"
    flock 9
  fi
  if [ -x "$OUT_BIN" ]; then
    ensure_runtime "$OUT_BIN"
    echo "$OUT_BIN"
    exit 0
  fi
fi

# --- how long it will take (said before anything slow) ------------------------------------------------
jobs=${MEDIASOUP_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
nice_level=${MEDIASOUP_BUILD_NICE:-19}
# How long the whole build takes: the last build on this machine with as many jobs (recorded below), else the
# measured baseline (6.5 min for 260 steps with 2 jobs on 2 cores, issue 12), i.e. ~780 job-seconds.
TIMES="$CACHE_DIR/mediasoup-worker/build-times"
expected_seconds() {
  local last
  last=$(awk -v j="$jobs" '$2 == j {s = $1} END {print s}' "$TIMES" 2>/dev/null || true)
  if [ -n "$last" ]; then echo "$last"; else echo $((780 / (jobs < 1 ? 1 : jobs))); fi
}
expect=$(expected_seconds)
minutes=$(((expect + 30) / 60))
[ "$minutes" -ge 1 ] || minutes=1
say "building the media engine (mediasoup-worker $version) once: about $minutes min with $jobs jobs; later starts reuse it"

# --- build prerequisites ----------------------------------------------------------------------------
missing_build_packages() {
  local missing=()
  command -v c++ >/dev/null && command -v g++ >/dev/null || missing+=(g++)
  command -v python3 >/dev/null || missing+=(python3)
  command -v patch >/dev/null || missing+=(patch)
  command -v meson >/dev/null || missing+=(meson)
  command -v ninja >/dev/null || missing+=(ninja-build)
  command -v flatc >/dev/null || missing+=(flatbuffers-compiler)
  if ! command -v pkg-config >/dev/null; then
    missing+=(pkg-config libssl-dev libuv1-dev libsrtp2-dev libabsl-dev libflatbuffers-dev)
  else
    pkg-config --exists 'libssl >= 3.0' || missing+=(libssl-dev)
    pkg-config --exists 'libuv >= 1.44' || missing+=(libuv1-dev)
    pkg-config --exists 'libsrtp2 >= 2.5' || missing+=(libsrtp2-dev)
    pkg-config --exists absl_strings absl_optional absl_flat_hash_map || missing+=(libabsl-dev)
    pkg-config --exists flatbuffers || missing+=(libflatbuffers-dev)
  fi
  echo "${missing[@]}"
}

missing=$(missing_build_packages)
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  apt_install $missing || die "building the mediasoup worker needs Debian packages: $missing.
  Install them as root:  apt-get update && apt-get install -y ${BUILD_PACKAGES[*]}
  then run: scripts/mediasoup/build-worker.sh"
  missing=$(missing_build_packages)
  [ -z "$missing" ] || die "still missing after apt-get install: $missing"
fi

# --- sources ------------------------------------------------------------------------------------------
started=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/argus-mediasoup-worker.XXXXXX")
LOG="$CACHE_DIR/mediasoup-worker/build-$version-$inputs_hash.log"
cleanup() {
  if [ "${MEDIASOUP_KEEP_BUILD:-0}" = 1 ]; then say "kept build dir $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

pkg_version() { sed -n 's/^[[:space:]]*"version": *"\([^"]*\)".*/\1/p' "$1/package.json" | head -n1; }

if [ -z "$SOURCE_DIR" ] && [ -f "$ROOT/node_modules/mediasoup/worker/meson.build" ] &&
  [ "$(pkg_version "$ROOT/node_modules/mediasoup")" = "$version" ]; then
  SOURCE_DIR="$ROOT/node_modules/mediasoup"
fi
if [ -z "$SOURCE_DIR" ]; then
  command -v npm >/dev/null || die "npm is needed to fetch mediasoup@$version sources (or pass --source)"
  say "fetching mediasoup@$version sources (npm pack)"
  (cd "$WORK" && npm pack --silent "mediasoup@$version" >/dev/null 2>>"$LOG") ||
    die "npm pack mediasoup@$version failed (see $LOG)"
  mkdir -p "$WORK/pkg"
  tar -xzf "$WORK"/mediasoup-*.tgz -C "$WORK/pkg" --strip-components=1
  SOURCE_DIR="$WORK/pkg"
fi
[ -f "$SOURCE_DIR/worker/meson.build" ] || die "$SOURCE_DIR has no worker/meson.build: not a mediasoup package"
[ "$(pkg_version "$SOURCE_DIR")" = "$version" ] ||
  die "$SOURCE_DIR is mediasoup $(pkg_version "$SOURCE_DIR"), expected $version"
say "building mediasoup-worker $version from $SOURCE_DIR (log: $LOG)"

# --- shims and the source fix -------------------------------------------------------------------------
SRC="$WORK/src"
mkdir -p "$SRC"
cp -a "$SOURCE_DIR/worker" "$SRC/worker"
W="$SRC/worker"
# No downloads: drop every wrap and put local subprojects over Debian's packages in their place.
rm -rf "$W"/subprojects/*.wrap "$W/subprojects/packagefiles"
cp -a "$HERE/subprojects/." "$W/subprojects/"
for d in "$W"/subprojects/*/; do : >"$d/empty.c"; done
# Debian bookworm's meson is 1.0.1; the worker asks for >= 1.1.0 but builds with 1.0.
sed -i "s/meson_version: '>= 1\.[0-9.]*'/meson_version: '>= 1.0.0'/" "$W/meson.build"
for p in "$HERE"/patches/*.patch; do
  patch -s -p1 -d "$SRC" <"$p" || die "patch $(basename "$p") does not apply to mediasoup $version"
done

# --- configure and build ----------------------------------------------------------------------------------
run() { nice -n "$nice_level" "$@" >>"$LOG" 2>&1 || {
  tail -n 40 "$LOG" >&2
  die "'$*' failed (full log: $LOG)"
}; }
# ninja's step counter through build-progress.ts when this Node can run TypeScript (>= 22.18 strips types);
# else the log alone, saying so.
progress_runner() {
  command -v node >/dev/null || return 1
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)' \
    2>/dev/null || return 1
  echo node
}
compile() {
  local runner compile_expect
  # What is left of the whole build's estimate after configuring (the progress line counts compile time only).
  compile_expect=$((expect - ($(date +%s) - started)))
  [ "$compile_expect" -ge 30 ] || compile_expect=30
  if runner=$(progress_runner); then
    # NINJA_STATUS pins the "[N/M] " prefix build-progress.ts parses, whatever the caller's environment says.
    NINJA_STATUS="[%f/%t] " nice -n "$nice_level" ninja -C "$WORK/build" -j "$jobs" mediasoup-worker 2>&1 |
      "$runner" "$HERE/build-progress.ts" --log "$LOG" --label "[mediasoup-worker] compiling" --expect "$compile_expect" ||
      {
        tail -n 40 "$LOG" >&2
        die "compiling the worker failed (full log: $LOG)"
      }
  else
    say "no progress display (it needs Node 22.18+ on PATH); follow the log: tail -f $LOG"
    run ninja -C "$WORK/build" -j "$jobs" mediasoup-worker
  fi
}

: >"$LOG"
say "configuring (meson setup, ~20 s)"
run meson setup "$WORK/build" "$W" --buildtype=release -Db_ndebug=true --wrap-mode=nodownload
# Generate the flatbuffers headers first: meson 1.0 does not order them before every compile.
say "generating flatbuffers headers"
run ninja -C "$WORK/build" -j "$jobs" fbs/FBS/message.h
say "compiling with $jobs jobs at nice $nice_level"
compile

# --- install into the cache ---------------------------------------------------------------------------------
built="$WORK/build/mediasoup-worker"
[ -x "$built" ] || die "the build produced no mediasoup-worker (log: $LOG)"
strip "$built"
ensure_runtime "$built"
tmp_out="$OUT_DIR.partial.$$"
rm -rf "$tmp_out"
mkdir -p "$tmp_out"
cp "$built" "$tmp_out/mediasoup-worker"
{
  echo "mediasoup $version, inputs $inputs_hash, built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m)"
  echo "runtime Debian packages: ${RUNTIME_PACKAGES[*]}"
  ldd "$tmp_out/mediasoup-worker"
} >"$tmp_out/BUILD-INFO"
rm -rf "$OUT_DIR"
mv "$tmp_out" "$OUT_DIR"
took=$(($(date +%s) - started))
# The next build on this machine (another mediasoup version, changed patches) starts from this figure.
echo "$took $jobs $version $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$TIMES"
say "built in $took s: $OUT_BIN ($(du -h "$OUT_BIN" | cut -f1))"
echo "$OUT_BIN"
