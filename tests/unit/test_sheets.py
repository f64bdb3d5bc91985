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
    # Errors name the sheet's own column headings, not hdnd's field names.
    assert messages[3] == "Đơn vị chủ trì: unknown unit 'Phòng không có'"
    assert messages[4].startswith("Thời hạn: not a date: '31/02/2026'")
    assert messages[7] == "Nội dung: duplicate of row 6"
    assert {e.as_dict()["column"] for e in errors} == {"Tháng", "Đơn vị chủ trì", "Thời hạn", "Nội dung"}


def test_required_columns_and_cells():
    """A directive's sheet needs its Thời hạn column and a deadline in every
    row; every sheet the lead unit's column; a programme item its month."""
    with pytest.raises(SheetError, match="'Thời hạn'"):
        read([["Nội dung", "Đơn vị chủ trì"], ["Việc một", "Văn phòng"]], UNITS, 2026, tasks=True)
    with pytest.raises(SheetError, match="'Đơn vị chủ trì'"):
        read([["Nội dung", "Tháng"], ["Việc một", 3]], UNITS, 2026)
    with pytest.raises(SheetError, match="'Tháng'"):
        read([["Nội dung", "Đơn vị chủ trì"], ["Việc một", "Văn phòng"]], UNITS, 2026)
    rows = [HEADER,
            [1, "Việc một", 3, "Văn phòng", None, None, None, None],  # a task without its deadline
            [2, "Việc hai", 3, "Văn phòng", None, "10/03/2026", None, None],
            [3, "Việc ba", None, "Văn phòng", None, "10/03/2026", None, None]]
    good, errors = read(rows, UNITS, 2026, tasks=True)
    assert [r.number for r in good] == [3, 4]
    assert [e.as_dict()["message"] for e in errors] == ["Thời hạn: empty: every task needs its deadline"]
    # In a programme: an item needs its month, an arisen task its deadline.
    rows = [HEADER, [1, "Việc một", None, "Văn phòng", None, None, None, None],
            [2, "Phát sinh", 4, "Văn phòng", None, None, None, "x"]]
    good, errors = read(rows, UNITS, 2026)
    assert good == [] and [(e.number, e.field) for e in errors] == [(2, "planned_month"), (3, "deadline")]


def test_a_sheet_without_a_title_column_or_empty_is_refused():
    with pytest.raises(SheetError, match="title"):
        read([["STT", "Tháng"], [1, 2]], UNITS, 2026)
    with pytest.raises(SheetError, match="empty"):
        read([[None, None]], UNITS, 2026)


def test_a_mapping_names_other_headings_and_codes_make_keys():
    rows = [["Mã", "Task", "Lead", "Month"], ["CT-01", "Việc một", "Văn phòng", 3], ["CT-02", "Việc một", "Văn phòng", 3]]
    good, errors = read(rows, UNITS, 2026,
                        mapping={"Mã": "code", "Task": "title", "Lead": "lead_unit", "Month": "planned_month"})
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
