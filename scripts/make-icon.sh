#!/usr/bin/env bash
# Regenerates the app icon (a gauge) with ImageMagick: build/appicon.png
# (1024x1024, what Wails uses for every platform), build/windows/icon.ico and
# build/linux/meterdesk.png.
set -euo pipefail
cd "$(dirname "$0")/.."
C=/usr/bin/convert
BG='#1f2a44'
"$C" -size 1024x1024 xc:none \
  -fill "$BG" -draw 'roundrectangle 64,64 960,960 200,200' \
  -fill '#33415c' -draw 'circle 512,512 828,512' \
  -fill '#2ec4b6' -draw "path 'M 512,512 L 238.3,670 A 316,316 0 0 1 670,238.3 Z'" \
  -fill "$BG" -draw "path 'M 512,512 L 797.8,677 A 330,330 0 0 1 226.2,677 Z'" \
  -fill "$BG" -draw 'circle 512,512 756,512' \
  -stroke '#f4f7fb' -strokewidth 36 -draw "stroke-linecap round line 512,512 640,330" \
  -stroke none -fill '#f4f7fb' -draw 'circle 512,512 556,512' \
  -fill '#2ec4b6' -draw 'roundrectangle 382,760 642,820 30,30' \
  PNG32:build/appicon.png
"$C" build/appicon.png -define icon:auto-resize=256,128,64,48,32,16 build/windows/icon.ico
"$C" build/appicon.png -resize 256x256 build/linux/meterdesk.png
echo "make-icon: wrote build/appicon.png, build/windows/icon.ico, build/linux/meterdesk.png"
