#!/usr/bin/env sh
# What the tests need from Debian, installed where this machine allows it (root and apt-get):
# Tesseract's models for the OCR tests and runs (the engine itself comes in tesserocr's wheel),
# DejaVu and a CJK font to render test pages, Chromium and npm for the browser tests.
# Elsewhere it says what it could not install; the tests that need it then say they were skipped.
# Then Mirador from the npm registry, for the IIIF viewer test (scripts/install-viewer.sh).
trap 'sh "$(dirname "$0")/install-viewer.sh"' EXIT
PACKAGES="tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-frk tesseract-ocr-script-frak
tesseract-ocr-lat tesseract-ocr-grc tesseract-ocr-ell tesseract-ocr-chi-tra tesseract-ocr-chi-sim
fonts-dejavu-core fonts-wqy-zenhei chromium"
# npm only where the machine has none: Debian's npm conflicts with a Node.js installed from elsewhere
# (nodesource's nodejs carries its own npm), and one conflict would make apt-get install nothing at all.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "install-system-packages: not root with apt-get here; not installed: $(echo $PACKAGES)" >&2
  echo "  (OCR and browser tests will be skipped and say why; as root: sh $0)" >&2
  exit 0
fi
missing=""
for package in $PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y -q $missing >/dev/null 2>&1 \
  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $missing >/dev/null 2>&1; } \
  || echo "install-system-packages: could not install:$missing (tests that need them will say they were skipped)" >&2
exit 0
