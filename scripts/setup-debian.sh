#!/usr/bin/env bash
# Installs what sohoa needs on Debian 12 / Ubuntu 22.04+ (build and run), nothing more.
#   build: libtesseract-dev (pulls leptonica), libclang + its builtin headers for bindgen, pkg-config
#   run:   the Tesseract models for Vietnamese, English and orientation detection
#   tests: fonts with Vietnamese glyphs for generated fixtures; poppler-utils (pdftotext) and qpdf
#          read the --pdf output back
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential pkg-config libtesseract-dev libclang1-14 libclang-common-14-dev \
  tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd \
  fonts-dejavu-core poppler-utils qpdf >/dev/null
echo "setup-debian: system packages installed (tesseract $(pkg-config --modversion tesseract))"
# The man pages (generated from the CLI definitions, kept current by a test).
cd "$(dirname "$0")/.."
if [ -d man ]; then
  $SUDO mkdir -p /usr/local/share/man/man1
  $SUDO install -m 644 man/*.1 /usr/local/share/man/man1/
fi
# Optional: the better (slower) Vietnamese model, `sohoa scan --model best`.
if [ "${1:-}" = "--best-model" ]; then
  scripts/install-best-model.sh
fi
