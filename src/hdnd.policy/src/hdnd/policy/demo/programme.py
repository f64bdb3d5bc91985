"""Demo work programme of 2026: key items by month and lead unit, most of
the past months' items done, plus tasks that arose during the year."""

from datetime import date
from datetime import timedelta
from hdnd.policy.demo.helpers import ensure
from plone import api


YEAR = 2026
TODAY = date(YEAR, 11, 22)

ITEMS = [
    (1, "Xây dựng, ban hành Chương trình công tác năm 2026", "van-phong"),
    (1, "Cho ý kiến về công tác cán bộ đầu năm", "phong-hcqt"),
    (2, "Lãnh đạo tổ chức Kỳ họp chuyên đề đầu năm", "thuong-truc-hdnd"),
    (2, "Ban hành Kế hoạch thực hiện Chỉ thị 35-CT/TU", "phong-tong-hop"),
    (3, "Chỉ đạo giám sát chuyên đề đầu tư công", "ban-kt-ns"),
    (3, "Sơ kết quý I", "phong-tong-hop"),
    (4, "Chuẩn bị nội dung Kỳ họp thứ 6", "phong-cong-tac-hdnd"),
    (4, "Lãnh đạo công tác tiếp công dân", "van-phong"),
    (5, "Kết quả Kỳ họp thứ 6 và việc thực hiện nghị quyết", "phong-cong-tac-hdnd"),
    (5, "Cho ý kiến dự thảo Nghị quyết về chính sách đặc thù", "ban-phap-che"),
    (6, "Sơ kết công tác 6 tháng đầu năm", "phong-tong-hop"),
    (6, "Cho ý kiến về nhân sự giữa năm", "phong-hcqt"),
    (7, "Chuẩn bị nội dung Kỳ họp thứ 7", "phong-cong-tac-hdnd"),
    (7, "Giám sát việc thực hiện chính sách an sinh xã hội", "ban-vh-xh"),
    (8, "Giám sát việc quản lý quy hoạch, trật tự đô thị", "ban-do-thi"),
    (8, "Cho ý kiến dự toán ngân sách năm 2027", "ban-kt-ns"),
    (9, "Chuẩn bị nội dung Kỳ họp thứ 8", "phong-cong-tac-hdnd"),
    (9, "Chuyển đổi số trong hoạt động HĐND", "van-phong"),
    (10, "Đánh giá tình hình đầu tư công 10 tháng", "ban-kt-ns"),
    (10, "Kiểm tra việc thực hiện Quy chế làm việc", "ban-phap-che"),
    (11, "Tờ trình nội dung, chương trình Kỳ họp thứ 8", "phong-cong-tac-hdnd"),
    (11, "Sơ kết 1 năm thực hiện Chỉ thị 35-CT/TU", "phong-tong-hop"),
    (12, "Tổng kết công tác năm 2026", "phong-tong-hop"),
    (12, "Xây dựng Chương trình công tác năm 2027", "van-phong"),
]

ARISING = [
    ("phat-sinh-1", "Cho ý kiến về đề án sắp xếp đơn vị hành chính cấp xã", "ban-phap-che", date(YEAR, 4, 20), date(YEAR, 4, 18)),
    ("phat-sinh-2", "Tham gia ý kiến dự thảo Luật sửa đổi Luật Tổ chức chính quyền địa phương", "ban-phap-che", date(YEAR, 6, 10), date(YEAR, 6, 15)),
    ("phat-sinh-3", "Báo cáo Thường trực Thành ủy về phòng chống thiên tai", "van-phong", date(YEAR, 12, 5), None),
]


def month_end(month):
    return date(YEAR, month, 28)


def ensure_programme():
    portal = api.portal.get()
    programme, _ = ensure(
        portal["chuong-trinh-cong-tac"], f"chuong-trinh-{YEAR}", "WorkProgramme",
        title=f"Chương trình công tác năm {YEAR} của Đảng đoàn HĐND Thành phố", year=YEAR,
    )
    for number, (month, title, lead) in enumerate(ITEMS, 1):
        deadline = month_end(month)
        # Past months are done (one in every eight a little late); the rest are open.
        completed = None
        if deadline < TODAY:
            completed = deadline if number % 8 else deadline + timedelta(days=7)
        ensure(
            programme, f"noi-dung-{number:02d}", "ProgrammeItem", title=title, planned_month=month,
            lead_unit=lead, deadline=deadline, completed_on=completed,
        )
    for id, title, lead, deadline, completed in ARISING:
        ensure(
            programme, id, "Task", title=title, lead_unit=lead, deadline=deadline,
            completed_on=completed, assignee="chuyenvien2",
        )
