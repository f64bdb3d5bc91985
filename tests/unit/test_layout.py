from datetime import date
from hdnd.content.core.layout import header_lines
from hdnd.content.core.layout import marks
from hdnd.content.core.layout import number_line
from hdnd.content.core.layout import place_date
from hdnd.content.core.layout import signature_lines


def test_place_and_date_take_leading_zeros_for_small_days_and_january_february():
    assert place_date("Hà Nội", date(2026, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2026"
    assert place_date("Hà Nội", date(2026, 1, 15)) == "Hà Nội, ngày 15 tháng 01 năm 2026"
    assert place_date("Thành phố", date(2026, 11, 25)) == "Thành phố, ngày 25 tháng 11 năm 2026"
    assert place_date("Thành phố", date(2026, 3, 9)) == "Thành phố, ngày 09 tháng 3 năm 2026"
    assert place_date("Thành phố", None) == "Thành phố, ngày      tháng      năm"


def test_number_line_of_an_issued_document_and_of_a_draft():
    assert number_line("05-TB/ĐĐHĐND") == "Số 05-TB/ĐĐHĐND"
    assert number_line(None, "TB", "ĐĐHĐND") == "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-TB/ĐĐHĐND"
    assert number_line("", "", "ĐĐHĐND") == "Số " + "\u00a0" * 6 + "/ĐĐHĐND"


def test_marks_for_classification_and_urgency():
    assert marks("none", "normal") == []
    assert marks(None, None) == []
    assert marks("mat", "khan") == ["MẬT", "KHẨN"]
    assert marks("tuyet_mat", "hoa_toc") == ["TUYỆT MẬT", "HỎA TỐC"]
    assert marks("toi_mat", "thuong_khan") == ["TỐI MẬT", "THƯỢNG KHẨN"]


def test_signature_block_and_issuer_lines():
    assert signature_lines("T/M Đảng đoàn, Bí thư") == ["T/M ĐẢNG ĐOÀN", "BÍ THƯ"]
    assert signature_lines("") == []
    assert header_lines("Đảng bộ Thành phố", "Đảng đoàn HĐND") == ["ĐẢNG BỘ THÀNH PHỐ", "ĐẢNG ĐOÀN HĐND", "*"]
