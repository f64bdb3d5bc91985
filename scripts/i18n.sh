#!/usr/bin/env bash
# Rebuild the hdnd message catalog from the code and sync the translations.
# Run after adding or changing any message id: `make i18n`. Then translate
# the new entries in locales/vi (and check locales/en, filled from defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
I18NDUDE=${I18NDUDE:-.venv/bin/i18ndude}
LOCALES=src/hdnd.content/src/hdnd/content/locales
"$I18NDUDE" rebuild-pot --pot "$LOCALES/hdnd.pot" --create hdnd \
  src/hdnd.content/src/hdnd src/hdnd.policy/src/hdnd >/dev/null
for lang in vi en; do
  po="$LOCALES/$lang/LC_MESSAGES/hdnd.po"
  [ -f "$po" ] || printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language-Code: %s\\n"\n"Domain: hdnd\\n"\n' "$lang" > "$po"
  "$I18NDUDE" sync --pot "$LOCALES/hdnd.pot" "$po" >/dev/null
done
# English: an empty translation takes the message's default text.
.venv/bin/python scripts/fill_defaults.py "$LOCALES/en/LC_MESSAGES/hdnd.po"
