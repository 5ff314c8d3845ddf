#!/usr/bin/env bash
# Installs Tesseract's tessdata_best Vietnamese model (integer-quantised "best_int", from the npm
# package @tesseract.js-data/vie) into ${XDG_DATA_HOME:-~/.local/share}/sohoa/tessdata, where
# `sohoa scan --model best` finds it (and where `--model fast` finds it to read again the pages
# failing the quality gate). The system's eng and osd models are linked beside it so that
# `--lang vie+eng` and orientation detection work from the same folder. Needs npm and gzip.
#   usage: scripts/install-best-model.sh [DEST_DIR]
set -euo pipefail
DEST="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/sohoa/tessdata}"
mkdir -p "$DEST"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --silent @tesseract.js-data/vie >/dev/null
tar -xzf tesseract.js-data-vie-*.tgz
gunzip -c package/4.0.0_best_int/vie.traineddata.gz > "$DEST/vie.traineddata.tmp"
mv "$DEST/vie.traineddata.tmp" "$DEST/vie.traineddata"
for SYS in /usr/share/tesseract-ocr/5/tessdata /usr/share/tesseract-ocr/4.00/tessdata /usr/share/tessdata; do
  for M in eng osd; do
    if [ -f "$SYS/$M.traineddata" ] && [ ! -e "$DEST/$M.traineddata" ]; then
      ln -s "$SYS/$M.traineddata" "$DEST/$M.traineddata"
    fi
  done
done
echo "install-best-model: $(du -h "$DEST/vie.traineddata" | cut -f1) model in $DEST (sohoa scan --model best)"
