#!/usr/bin/env bash
# Debian packages hdnd uses beside Python: LibreOffice and Debian's Python
# with UNO (PDF and DOCX generation), pdftotext (the documents' tests),
# fonts with Vietnamese glyphs, and the OCR stack (tesseract with its
# Vietnamese and English data, ocrmypdf: scans read and made searchable).
# Installed when missing and apt-get can run (as root); otherwise says what
# is missing: hdnd then generates ODT only, and leaves scans unread.
#   scripts/system-packages.sh [extra packages...]
set -euo pipefail

packages=(libreoffice-writer-nogui python3-uno poppler-utils fonts-liberation2 fonts-dejavu-core
          tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng ocrmypdf "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "hdnd: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "hdnd: missing Debian packages: ${missing[*]}" >&2
  echo "hdnd: install them (sudo apt-get install ${missing[*]}) for PDF and DOCX documents and for OCR of scans" >&2
fi
