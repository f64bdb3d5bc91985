"""The Party document layout's printed lines (domain §2; Hướng dẫn 36-HD/VPTW).

Plain Python, used by the document templates' helper and unit-tested
without Zope:

- ``place_date("Hà Nội", date(2026, 2, 5))`` -> "Hà Nội, ngày 05 tháng 02 năm 2026"
  (days below 10 and the months January and February take a leading zero);
- ``number_line("05-TB/ĐĐHĐND")`` -> "Số 05-TB/ĐĐHĐND", and for a draft,
  whose number is given at issue, a blank for the clerk: "Số      -TB/ĐĐHĐND";
- ``marks("mat", "khan")`` -> ["MẬT", "KHẨN"]: the classification and urgency
  stamps printed under the number;
- ``signature_lines("T/M ĐẢNG ĐOÀN, BÍ THƯ")`` -> ["T/M ĐẢNG ĐOÀN", "BÍ THƯ"].
"""

from hdnd.content.core.levels import rank


CLASSIFICATION_MARKS = {"mat": "MẬT", "toi_mat": "TỐI MẬT", "tuyet_mat": "TUYỆT MẬT"}
URGENCY_MARKS = {"khan": "KHẨN", "thuong_khan": "THƯỢNG KHẨN", "hoa_toc": "HỎA TỐC"}
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
# Room for the clerk to write the number by hand on a paper whose number is
# not given yet (no-break spaces: a word processor keeps them).
BLANK_NUMBER = "\u00a0" * 6


def place_date(place, day):
    if day is None:
        return f"{place}, ngày      tháng      năm"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(symbol=None, doc_type="", issuer=""):
    """The "Số ..." line: the document's symbol, or a blank number before
    ``-TYPE/ISSUER`` while it is a draft."""
    if symbol:
        return f"Số {symbol}"
    return f"Số {BLANK_NUMBER}-{doc_type}/{issuer}" if doc_type else f"Số {BLANK_NUMBER}/{issuer}"


def marks(classification=None, urgency=None):
    found = []
    if rank(classification) > 0:
        found.append(CLASSIFICATION_MARKS[classification])
    if urgency in URGENCY_MARKS:
        found.append(URGENCY_MARKS[urgency])
    return found


def signature_lines(position):
    """"T/M ĐẢNG ĐOÀN, BÍ THƯ" -> the two lines of the signature block, in capitals."""
    return [part.strip().upper() for part in (position or "").split(",") if part.strip()]


def header_lines(parent_body, body_name):
    """The issuer block, top left: the superior committee, the body in bold, and "*"."""
    return [(parent_body or "").upper(), (body_name or "").upper(), "*"]
