#!/usr/bin/env bash
# Real video clips, not made by us, for tests and benchmarks: fetched once per machine from Debian packages without installing them
# (apt-get download + dpkg -x) and never committed. usage: tools/real-clips.sh [DIR]   (default ~/.cache/imagesocial/real-clips)
# DIR: golang-github-gabriel-vasile-mimetype-dev's testdata clip (one 5.6 s scene) as mp4, mov, webm, ogv, 3gp, flv, asf, rmvb and mkv,
# and opencv-doc's examples/data/vtest.avi (80 s of a street, MPEG-4 part 2 in AVI). The last line printed is DIR.
set -euo pipefail
DIR=${1:-$HOME/.cache/imagesocial/real-clips}
if [[ -f $DIR/.complete-v1 ]]; then echo "$DIR"; exit 0; fi
echo "==> fetching real video clips from Debian packages (golang-github-gabriel-vasile-mimetype-dev, opencv-doc) into $DIR" >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq golang-github-gabriel-vasile-mimetype-dev opencv-doc 2>/dev/null) \
    || { sudo -n true 2>/dev/null && sudo apt-get update -qq && (cd "$work" && apt-get download -qq golang-github-gabriel-vasile-mimetype-dev opencv-doc); }
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done
rm -rf "$DIR"; mkdir -p "$DIR"
testdata=$work/x/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata
for clip in mp4.mp4 mov.mov webm.webm ogg.ogv 3gp.3gp flv.flv asf.asf rmvb.rmvb mkv.mkv; do cp "$testdata/$clip" "$DIR/"; done
cp "$work/x/usr/share/doc/opencv-doc/examples/data/vtest.avi" "$DIR/"
touch "$DIR/.complete-v1"
echo "==> $(ls "$DIR" | wc -l) clips in $DIR" >&2
echo "$DIR"
