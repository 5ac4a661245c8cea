#!/usr/bin/env bash
# Renders the sample's activation page and screenshots it in headless Chromium, to look at what a browser shows.
# Installs nothing: needs /usr/bin/chromium (Debian: apt-get install chromium). Not part of the test suite.
# Usage: samples/HiddenUnits/render-check.sh [output-folder] [sample arguments…]   (default out/hidden-units)
#   e.g. samples/HiddenUnits/render-check.sh out/moby --model models/moby-char-lstm.onnx --corpus moby
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-out/hidden-units}"
shift || true
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "render-check: $chromium not found; install Debian's chromium package or set CHROMIUM." >&2
  exit 1
fi
dotnet run -c Release --project samples/HiddenUnits -- --out "$out" "$@"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --screenshot="$(realpath "$out")/units.screenshot.png" --window-size=1200,1600 "file://$(realpath "$out")/units.html" \
  2> "$profile/chromium.log" || { cat "$profile/chromium.log" >&2; exit 1; }
echo "Screenshot: $out/units.screenshot.png"
