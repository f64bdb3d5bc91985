from datetime import date
from datetime import datetime
from hdnd.content.core.sheets import read
from hdnd.content.core.sheets import SheetError

import pytest


UNITS = {"ban-phap-che": "Ban Pháp chế HĐND", "van-phong": "Văn phòng", "ban-kt-ns": "Ban Kinh tế - Ngân sách HĐND",
         "ban-kt-dt": "Ban Kinh tế - Đô thị"}
HEADER = ["STT", "Nội dung", "Tháng", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Ngày hoàn thành", "Phát sinh"]


def test_good_rows_are_read_with_their_keys_and_types():
    rows = [
        [None] * 8,  # blank lines above the heading row are skipped
        HEADER,
        [1, "Sơ kết quý I", 3, "Văn phòng", "Ban Pháp chế; ban-kt-ns", datetime(2026, 3, 31), "28/03/2026", None],
        [2, "  Giám sát   đầu tư công ", "Tháng 6", "BAN KINH TẾ - NGÂN SÁCH", None, None, None, ""],
        [None, None, None, None, None, None, None, None],  # an empty line
        [3, "Góp ý dự thảo luật", None, "ban-phap-che", None, "2026-06-10", None, "x"],
    ]
    good, errors = read(rows, UNITS, 2026)
    assert errors == []
    first, second, third = good
    assert first.values == {"title": "Sơ kết quý I", "planned_month": 3, "lead_unit": "van-phong",
                            "cooperating_units": ["ban-kt-ns", "ban-phap-che"], "deadline": date(2026, 3, 31),
                            "completed_on": date(2026, 3, 28)}
    assert first.number == 3 and first.key == "so ket quy i|3"  # accents and case do not make a new key
    assert second.values["title"] == "Giám sát đầu tư công" and second.values["planned_month"] == 6
    assert third.number == 6 and third.values["arisen"] is True and third.values["planned_month"] == 6


def test_bad_rows_are_each_reported_with_their_number_and_reason():
    rows = [
        HEADER,
        [1, "Việc một", 13, "Văn phòng", None, None, None, None],
        [2, "Việc hai", 2, "Phòng không có", None, None, None, None],
        [3, "Việc ba", 2, "Văn phòng", None, "31/02/2026", None, None],
        [4, None, 2, "Văn phòng", None, None, None, None],
        [5, "Việc năm", 5, "Văn phòng", None, None, None, None],
        [6, "Việc năm", 5, "van-phong", None, None, None, None],
        [7, "Việc bảy", 5, "Văn phòng", None, "01/01/2031", None, None],
    ]
    good, errors = read(rows, UNITS, 2026)
    assert [row.number for row in good] == [6]
    found = {(e.number, e.field) for e in errors}
    assert found == {(2, "planned_month"), (3, "lead_unit"), (4, "deadline"), (5, "title"), (7, "title"), (8, "deadline")}
    messages = {e.number: e.as_dict()["message"] for e in errors}
    assert messages[3] == "lead_unit: unknown unit 'Phòng không có'"
    assert messages[4].startswith("deadline: not a date: '31/02/2026'")
    assert messages[7] == "title: duplicate of row 6"


def test_a_sheet_without_a_title_column_or_empty_is_refused():
    with pytest.raises(SheetError, match="title"):
        read([["STT", "Tháng"], [1, 2]], UNITS, 2026)
    with pytest.raises(SheetError, match="empty"):
        read([[None, None]], UNITS, 2026)


def test_a_mapping_names_other_headings_and_codes_make_keys():
    rows = [["Mã", "Task", "Lead"], ["CT-01", "Việc một", "Văn phòng"], ["CT-02", "Việc một", "Văn phòng"]]
    good, errors = read(rows, UNITS, 2026, mapping={"Mã": "code", "Task": "title", "Lead": "lead_unit"})
    assert errors == [] and [r.key for r in good] == ["CT-01", "CT-02"]  # the same title twice, two codes


def test_units_by_code_title_or_an_unambiguous_start_of_the_title():
    from hdnd.content.core.sheets import unit_of

    assert unit_of("ban-phap-che", UNITS) == unit_of("BAN PHÁP CHẾ HĐND", UNITS) == "ban-phap-che"
    assert unit_of("Ban Pháp chế", UNITS) == "ban-phap-che"
    with pytest.raises(ValueError, match="ambiguous unit 'Ban Kinh tế'"):
        unit_of("Ban Kinh tế", UNITS)
    with pytest.raises(ValueError, match="unknown unit"):
        unit_of("Phòng Tổng hợp", UNITS)


def test_plain_and_unaccent_cover_vietnamese():
    from hdnd.content.core.text import plain
    from hdnd.content.core.text import unaccent

    assert plain("Đơn vị  CHỦ TRÌ") == "don vi chu tri"
    assert unaccent("Ủy ban nhân dân Thành phố, ổn định, ứng dụng") == "Uy ban nhan dan Thanh pho, on dinh, ung dung"
