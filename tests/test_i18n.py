"""The hdnd message catalogs are complete: every message id in the code has
a Vietnamese and an English translation, and the template matches the code."""

from i18ndude.catalog import MessageCatalog
from pathlib import Path

import shutil
import subprocess
import sys


ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src/hdnd.content/src/hdnd/content/locales"
I18NDUDE = shutil.which("i18ndude", path=str(Path(sys.executable).parent))


def msgids(path):
    return {msgid for msgid in MessageCatalog(filename=str(path)) if msgid}


def test_template_matches_the_code(tmp_path):
    pot = tmp_path / "hdnd.pot"
    subprocess.run(
        [I18NDUDE, "rebuild-pot", "--pot", str(pot), "--create", "hdnd",
         str(ROOT / "src/hdnd.content/src/hdnd"), str(ROOT / "src/hdnd.policy/src/hdnd")],
        check=True, capture_output=True,
    )
    assert msgids(pot) == msgids(LOCALES / "hdnd.pot"), "run `make i18n`"


def test_every_message_is_translated():
    expected = msgids(LOCALES / "hdnd.pot")
    assert expected
    for lang in ("vi", "en"):
        catalog = MessageCatalog(filename=str(LOCALES / lang / "LC_MESSAGES" / "hdnd.po"))
        missing = sorted(m for m in expected if not (m in catalog and catalog[m].msgstr))
        assert not missing, f"{lang}: untranslated {missing}"
