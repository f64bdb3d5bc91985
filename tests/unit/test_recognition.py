"""Reading a document's layout from OCR text (hdnd.content.core.recognition):
plain Python, no OCR engine — the texts below are what tesseract gave for
real-looking scans (columns merged line by line, or one after the other,
letters misread)."""

from hdnd.content.core.recognition import CERTAIN
from hdnd.content.core.recognition import propose_classification
from hdnd.content.core.recognition import read_layout
from hdnd.content.core.recognition import read_marks
from hdnd.content.core.recognition import read_symbol
from hdnd.content.core.recognition import restore_capitals
from hdnd.content.core.recognition import snap
from hdnd.content.core.recognition import strip_mottos

import pytest


PARTY_MERGED = """DANG BỘ THÀNH PHO HA NỘI . ^ : 2

ĐẢNG ĐOÀN HĐND THÀNH PHỐ DANG CONG SAN VIỆT NAM
ok
S6 05-QC/TU Hà Nội, ngày 15 tháng 3 năm 2026
QUY CHẾ

làm việc của Đảng đoàn Hội đồng nhân dân Thành phố
nhiệm kỳ 2021 - 2026

Căn cứ Điều lệ Đảng; căn cứ Quy định số 24-QĐ/TW của Ban Chấp hành Trung ương về thi
hành Điều lệ Đảng, Đảng đoàn ban hành quy chế làm việc như sau.

T/M ĐẢNG ĐOÀN
Nơi nhận: BÍ THƯ
- Thường trực Thành ủy,
- Các sở, ban, ngành Thành phố, 7 J/NƑ
~ Các đồng chí Đảng đoàn, $7, \\ /N#Z
- Lưu Văn phòng.

Nguyễn Ngọc Tuấn
"""

STATE_WRAPPED = """ỦY BAN NHÂN DÂN THÀNH PHỐ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HÀ NỘI Độc lập - Tự do - Hạnh phúc
Số: O7/GM-UBND Hà Nội, ngày O5 tháng 04 năm 2026
GIẤY MỜI
Về việc lấy ý kiến các đồng chí thành viên về đề án sắp xếp đơn vị hành chính
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và các văn bản
hướng dẫn thi hành;
1T CHỦ TỊCH
Nơi nhận: PHÓ CHỦ TỊCH
- Ủy ban nhân dân Thành phố,
- Văn phòng Thành ủy; 7
- Lưu VP,
Đỗ Minh Lan
"""

STATE_LETTER = """HĐND THÀNH PHỐ HÀ NỘI
THƯỜNG TRỰC HĐND

Số: 345/HDND-VP
V/v chuẩn bị kỳ họp thứ mười lăm

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 02 tháng 12 năm 2026

Kính gửi: Ủy ban nhân dân Thành phố
"""


def test_party_document_with_merged_columns():
    reading = read_layout(PARTY_MERGED)
    assert reading.family == "party"
    assert reading.fields["symbol"] == "05-QC/TU"
    assert reading.fields["issue_date"] == "2026-03-15"
    assert reading.fields["place"] == "Hà Nội"
    # The issuer under its parent, the misread motto gone, capitals mended.
    assert reading.fields["issuing_body"] == "ĐẢNG ĐOÀN HĐND THÀNH PHỐ"
    assert reading.fields["doc_type"] == "QC"
    assert reading.fields["title"] == "làm việc của Đảng đoàn Hội đồng nhân dân Thành phố nhiệm kỳ 2021 - 2026"
    assert reading.fields["signer"] == "Nguyễn Ngọc Tuấn"
    # Commas inside a recipient stay, the signature's scrawl and "Lưu" go.
    assert reading.fields["recipients"] == "Thường trực Thành ủy; Các sở, ban, ngành Thành phố; Các đồng chí Đảng đoàn"
    assert all(reading.confidence[name] >= CERTAIN for name in reading.fields), reading.confidence


def test_state_document_wrapped_body_and_misread_digits():
    reading = read_layout(STATE_WRAPPED)
    assert reading.family == "state"
    assert reading.fields["symbol"] == "07/GM-UBND"  # "O7": a letter O where the digit was
    assert reading.fields["issue_date"] == "2026-04-05"
    assert reading.fields["issuing_body"] == "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    assert reading.fields["doc_type"] == "GM"
    assert reading.fields["title"].startswith("Về việc lấy ý kiến")
    assert not reading.fields["title"].endswith("năm 2015 và các văn bản")  # the body is not the title
    assert reading.fields["signer"] == "Đỗ Minh Lan"
    assert reading.fields["recipients"] == "Ủy ban nhân dân Thành phố; Văn phòng Thành ủy"


def test_official_letter_has_its_subject_under_the_symbol():
    reading = read_layout(STATE_LETTER)
    assert reading.fields["symbol"] == "345/HĐND-VP"  # the issuer's Đ put back
    assert reading.confidence["symbol"] < 0.97  # ... and the repair lowers certainty
    assert reading.fields["doc_type"] == "CV"
    assert reading.fields["title"] == "V/v chuẩn bị kỳ họp thứ mười lăm"
    assert reading.fields["issuing_body"] == "THƯỜNG TRỰC HĐND"
    assert reading.fields["issue_date"] == "2026-12-02"


def test_a_symbol_in_the_body_is_not_the_documents():
    text = PARTY_MERGED.replace("S6 05-QC/TU", "S6 T103 NGHU")
    reading = read_layout(text)
    # Only the body's "24-QĐ/TW" parses: proposed, but marked for checking.
    assert reading.fields["symbol"] == "24-QĐ/TW"
    assert reading.confidence["symbol"] < CERTAIN
    assert "symbol" in reading.uncertain()


def test_nothing_read_is_nothing_certain():
    reading = read_layout("")
    assert set(reading.fields.values()) == {""}
    assert set(reading.confidence.values()) == {0.0}
    reading = read_layout("lorem ipsum dolor\nsit amet")
    assert reading.fields["symbol"] == "" and reading.uncertain() == sorted(reading.fields)


def test_impossible_date_is_not_a_date():
    reading = read_layout(PARTY_MERGED.replace("ngày 15 tháng 3", "ngày 31 tháng 2"))
    assert reading.fields["issue_date"] == ""


def test_engine_confidence_lowers_a_field():
    confident = read_layout(PARTY_MERGED)
    doubtful = read_layout(PARTY_MERGED, word_confidence={"nguyen": 0.3, "ngoc": 0.4, "tuan": 0.35})
    assert doubtful.fields["signer"] == confident.fields["signer"]
    assert doubtful.confidence["signer"] < CERTAIN <= confident.confidence["signer"]


def test_known_bodies_give_their_spelling():
    reading = read_layout(PARTY_MERGED, known_bodies=["Đảng đoàn HĐND Thành phố", "Thành ủy Hà Nội"])
    assert reading.fields["issuing_body"] == "Đảng đoàn HĐND Thành phố"
    assert snap("DANG DOAN HDND THANH PHO", ["Thành ủy Hà Nội"]) is None


@pytest.mark.parametrize("printed, expected", [
    ("05-QD/TU", "05-QĐ/TU"), ("12 / TTr - HDND", "12/TTr-HĐND"), ("O5-KL/TW", "05-KL/TW"),
    ("1234-HD/BTCTW", "1234-HD/BTCTW"), ("23/2024/NQ-HĐND", "23/2024/NQ-HĐND"),
])
def test_symbols_as_ocr_reads_them(printed, expected):
    symbol, _repaired = read_symbol(printed)
    assert symbol.format() == expected


def test_not_a_symbol():
    assert read_symbol("24-XYZ/TW") is None
    assert read_symbol("0-QĐ/TU") is None


def test_marks_and_classification_never_lowered():
    assert read_marks(["Số 05-QC/TU", "MẬT", "KHẨN"]) == ("mat", "khan")
    assert read_marks(["TỐI MẬT", "MẬT"]) == ("toi_mat", "normal")
    assert read_marks(["Hỏa tốc"]) == ("none", "hoa_toc")
    assert read_marks(["văn bản mật của cơ quan"]) == ("none", "normal")  # a word in a sentence is no stamp
    assert propose_classification("none", "mat") == "mat"
    assert propose_classification("toi_mat", "mat") == "toi_mat"  # never lowered
    assert propose_classification("mat", "none") == "mat"
    assert propose_classification(None, "bogus") == "none"


def test_capitals_and_mottos():
    assert restore_capitals("DANG BỘ THÀNH PHO HA NỘI") == "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"
    assert restore_capitals("Dang bo") == "Dang bo"  # only words in capitals
    assert strip_mottos("SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "SỞ NỘI VỤ"
    assert strip_mottos("BAN TỔ CHỨC ĐĂNG CỘNG BẠN VIỆT NAM") == "BAN TỔ CHỨC"  # one misread word forgiven
    assert strip_mottos("HÀ NỘI Độc lập - Tự do - Hạnh phúc") == "HÀ NỘI"


def test_what_the_corpus_taught():
    """Misses seen on the OCR corpus (tests/integration/test_ocr_corpus.py)."""
    assert strip_mottos("BAN KINH TẾ - NGÂN SÁCH Độc lập - Tự do - Hạnh phúc") == "BAN KINH TẾ - NGÂN SÁCH"
    assert read_symbol("52/QĐÐ-SNV")[0].format() == "52/QĐ-SNV"  # an Eth, and Đ read twice
    text = PARTY_MERGED.replace("- Lưu Văn phòng.", "- Văn phòng Thành ủy, s2. v£\n- ý N/NZ\n- Lưu Văn phòng.")
    assert read_layout(text).fields["recipients"] == (
        "Thường trực Thành ủy; Các sở, ban, ngành Thành phố; Các đồng chí Đảng đoàn; Văn phòng Thành ủy")
