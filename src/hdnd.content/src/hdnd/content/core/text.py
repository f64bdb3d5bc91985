"""Vietnamese text without its diacritics, for matching what people type.

``plain("Đơn vị  chủ trì")`` -> "don vi chu tri" (lower case, single spaces);
``unaccent("Ủy ban")`` -> "Uy ban" (case kept).
"""

import unicodedata


def unaccent(text):
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def plain(text):
    return " ".join(unaccent(text).lower().split())
