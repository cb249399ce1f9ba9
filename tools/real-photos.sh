#!/usr/bin/env bash
# Real photographs, not made by us, for tests and benchmarks: fetched once per machine from Debian packages without installing them
# (apt-get download + dpkg -x) and never committed. usage: tools/real-photos.sh [DIR]   (default ~/.cache/imagesocial/real-photos)
# DIR/photos: single photos (mate-backgrounds' nature set and its 16 MB 5640x3172 "Elephants", lomiri-wallpapers-20.04, opencv-doc's
# examples/data); DIR/pairs: same-scene pairs NAME.a.EXT / NAME.b.EXT (opencv-doc: aloeL/aloeR, leuvenA/leuvenB, graf1/graf3,
# rubberwhale1/rubberwhale2, aero1/aero3); DIR/formats: a real AVIF (golang-github-gabriel-vasile-mimetype-dev's testdata) and a
# HEIC encoded from a real photo (libheif-examples' heif-enc). The last line printed is DIR.
set -euo pipefail
DIR=${1:-$HOME/.cache/imagesocial/real-photos}
if [[ -f $DIR/.complete-v3 ]]; then echo "$DIR"; exit 0; fi
echo "==> fetching real photographs from Debian packages (mate-backgrounds, lomiri-wallpapers-20.04, opencv-doc, golang-github-gabriel-vasile-mimetype-dev) into $DIR" >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq mate-backgrounds lomiri-wallpapers-20.04 opencv-doc golang-github-gabriel-vasile-mimetype-dev libheif-examples 2>/dev/null) \
    || { sudo -n true 2>/dev/null && sudo apt-get update -qq && (cd "$work" && apt-get download -qq mate-backgrounds lomiri-wallpapers-20.04 opencv-doc golang-github-gabriel-vasile-mimetype-dev libheif-examples); }
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done
rm -rf "$DIR"; mkdir -p "$DIR/photos" "$DIR/pairs" "$DIR/formats"
bg=$work/x/usr/share/backgrounds; cv=$work/x/usr/share/doc/opencv-doc/examples/data
cp "$bg"/mate/nature/*.jpg "$bg"/*_by_*.jpg "$bg/mate/abstract/Elephants_5640x3172.jpg" "$DIR/photos/"
for name in apple baboon building butterfly fruits home messi5 orange starry_night HappyFish lena; do
    [[ -f $cv/$name.jpg ]] && cp "$cv/$name.jpg" "$DIR/photos/"
done
pair() { cp "$cv/$2" "$DIR/pairs/$1.a.${2##*.}"; cp "$cv/$3" "$DIR/pairs/$1.b.${3##*.}"; }
pair aloe aloeL.jpg aloeR.jpg; pair leuven leuvenA.jpg leuvenB.jpg; pair graf graf1.png graf3.png
pair rubberwhale rubberwhale1.png rubberwhale2.png; pair aero aero1.jpg aero3.jpg
cp "$work/x/usr/share/gocode/src/github.com/gabriel-vasile/mimetype/testdata/avif.avif" "$DIR/formats/"
# A HEIC (HEVC), as phones write them, encoded from a real photo with libheif's heif-enc (Debian's libheif1 and libx265, which
# libvips-tools brings, run it).
vips copy "$cv/apple.jpg" "$work/apple.png"
"$work/x/usr/bin/heif-enc" -q 80 -o "$DIR/formats/apple.heic" "$work/apple.png" >/dev/null 2>&1
touch "$DIR/.complete-v3"
echo "==> $(ls "$DIR/photos" | wc -l) photos and $(ls "$DIR/pairs" | wc -l) pair images in $DIR" >&2
echo "$DIR"
