"""Demo records management: the approved 2026 file plan the demo dossiers
were opened from (two more planned), the 2025 dossier of the congress,
closed and due at the archive, proposed for transfer, and the tombstone of
a 2014 dossier destroyed by decision."""

from datetime import date
from hdnd.policy.demo.helpers import ensure
from hdnd.policy.demo.helpers import relation
from hdnd.policy.demo.helpers import walk
from plone import api


HEADINGS = [
    ("01.TH", "I. Công tác tổng hợp", "Hồ sơ chuẩn bị Kỳ họp thứ 8 HĐND Thành phố", "permanent"),
    ("02.TCCB", "II. Tổ chức cán bộ", "Hồ sơ cho ý kiến về công tác cán bộ năm 2026", "70"),
    ("03.GS", "III. Giám sát", "Hồ sơ lãnh đạo giám sát chuyên đề đầu tư công", "20"),
    ("04.CĐ", "IV. Chỉ đạo", "Hồ sơ thực hiện Chỉ thị 35-CT/TU về công tác kiểm tra", "20"),
    ("05.CTCT", "I. Công tác tổng hợp", "Hồ sơ Chương trình công tác năm 2026", "permanent"),
    ("06.TĐKT", "V. Thi đua, khen thưởng", "Hồ sơ thi đua, khen thưởng năm 2026", "10"),
    ("07.VP", "VI. Văn phòng", "Hồ sơ sổ đăng ký văn bản năm 2026", "20"),
]


def ensure_archive():
    portal = api.portal.get()
    records = portal["luu-tru"]
    plan, created = ensure(records, "danh-muc-2026", "FilePlan", title="Danh mục hồ sơ năm 2026", year=2026)
    if created:
        for code, heading, title, retention in HEADINGS:
            api.content.create(container=plan, type="FilePlanHeading", title=title, dossier_code=code,
                               heading=heading, retention=retention, responsible="luutru")
        walk(plan, "approve")
    dossiers = portal["ho-so"]
    congress, created = ensure(dossiers, "dh-2025", "Dossier", title="Hồ sơ Đại hội đại biểu Đảng bộ Thành phố 2025",
                               dossier_code="01.ĐH", retention="permanent", start_date=date(2025, 3, 1),
                               responsible="luutru")
    if created:
        walk(congress, "start", "submit", "decide", "close")
        congress.end_date = date(2025, 12, 10)  # due at the archive on 10/12/2026
        congress.reindexObject()
    ensure(records, "nop-luu-2026", "TransferBatch", title="Đợt nộp lưu hồ sơ năm 2025 vào Lưu trữ cơ quan",
           archive_name="Lưu trữ cơ quan", dossiers=[relation(congress)])
    from hdnd.content.archive import destroy
    from hdnd.content.archive import tombstones

    if not any(stone["id"] == "tdkt-2014" for stone in tombstones()):
        old, _created = ensure(dossiers, "tdkt-2014", "Dossier", title="Hồ sơ thi đua, khen thưởng năm 2014",
                               dossier_code="06.TĐKT", retention="10", start_date=date(2014, 1, 6))
        walk(old, "start", "submit", "decide", "close")
        old.end_date = date(2014, 12, 26)
        destroy(old, "Quyết định số 15/QĐ-VP ngày 10/11/2026 của Chánh Văn phòng về hủy tài liệu hết giá trị",
                today=date(2026, 11, 15))
