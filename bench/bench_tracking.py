"""Import rate of a tracking sheet against creating the same items one by
one, and against plain Plone pages created one by one, in the same run.

    make bench   (.venv/bin/python -m pytest bench -o python_files='bench_*.py' -s)
"""

from datetime import date
from hdnd.content import imports
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import io
import time
import transaction


ROWS = 300
UNITS = ["Văn phòng", "Ban Pháp chế", "Ban Kinh tế - Ngân sách", "Phòng Tổng hợp"]


def sheet(n):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["STT", "Nội dung", "Tháng", "Đơn vị chủ trì", "Thời hạn"])
    for i in range(1, n + 1):
        month = i % 12 + 1
        book.active.append([i, f"Nội dung công tác số {i}", month, UNITS[i % 4], date(2026, month, 20)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(work):
    started = time.perf_counter()
    work()
    transaction.commit()
    return time.perf_counter() - started


def test_import_rate_against_one_by_one(functional_portal):
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    folder = portal["chuong-trinh-cong-tac"]
    imported = api.content.create(container=folder, type="WorkProgramme", title="Nhập từ Excel", year=2026)
    by_hand = api.content.create(container=folder, type="WorkProgramme", title="Nhập từng dòng", year=2026)
    plain = api.content.create(container=portal, type="Folder", id="plain-plone", title="Plone thuần")
    data = sheet(ROWS)
    transaction.commit()

    import_seconds = timed(lambda: imports.import_sheet(imported, data))
    reimport_seconds = timed(lambda: imports.import_sheet(imported, data))

    def one_by_one(container, portal_type, ids, **fields):
        def work():
            for i in range(1, ROWS + 1):
                month = i % 12 + 1
                extra = dict(planned_month=month, lead_unit="van-phong", deadline=date(2026, month, 20)) if fields else {}
                api.content.create(container=container, type=portal_type, title=f"Nội dung công tác số {i}",
                                   **({"id": f"item-{i}"} if ids else {}), **extra)
        return work

    titled = api.content.create(container=folder, type="WorkProgramme", title="Từng dòng, tên từ tiêu đề", year=2026)
    plain_titled = api.content.create(container=portal, type="Folder", id="plain-titled", title="Plone thuần 2")
    transaction.commit()
    results = [
        ("hdnd import of a sheet", import_seconds, "rows/s"),
        ("the same sheet again (no change)", reimport_seconds, "rows/s"),
        ("hdnd items one by one, with ids", timed(one_by_one(by_hand, "ProgrammeItem", True, fields=True)), "items/s"),
        ("plain Plone pages one by one, ids", timed(one_by_one(plain, "Document", True)), "items/s"),
        ("hdnd items one by one, ids from titles", timed(one_by_one(titled, "ProgrammeItem", False, fields=True)), "items/s"),
        ("plain Plone pages, ids from titles", timed(one_by_one(plain_titled, "Document", False)), "items/s"),
    ]
    assert len(imported.objectIds()) == len(by_hand.objectIds()) == ROWS
    print()
    print(f"{ROWS} rows or items, one transaction each, this machine:")
    for name, seconds, unit in results:
        print(f"  {name:<40} {seconds:6.2f} s  {ROWS / seconds:7.0f} {unit}")
