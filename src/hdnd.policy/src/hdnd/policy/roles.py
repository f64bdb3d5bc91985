"""The office's roles and the groups that carry them (domain §1).

One place for both: the rolemap declares the role ids, the install step
creates one group per role, and the demo data puts a demo user in each
group. A group holds its office role *locally*, on the sections where it
works (structure.py), so that a classified item can shut it out by blocking
acquired local roles; only the security officers' role is site-wide (they
manage clearances and the audit log, not records). Role ids are a contract
with REST clients and administrators; never rename them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class OfficeRole:
    role: str
    group: str
    title: str  # Vietnamese, as the office says it
    title_en: str
    description: str
    site_wide: bool = False


OFFICE_ROLES = (
    OfficeRole(
        "DelegationLeader",
        "delegation-leaders",
        "Bí thư, Phó Bí thư Đảng đoàn",
        "Delegation leaders",
        "Chỉ đạo xử lý hồ sơ, chủ trì phiên họp, ký văn bản.",
    ),
    OfficeRole(
        "DelegationMember",
        "delegation-members",
        "Thành viên Đảng đoàn",
        "Delegation members",
        "Nhận tài liệu, cho ý kiến, biểu quyết.",
    ),
    OfficeRole(
        "OfficeHead",
        "office-heads",
        "Lãnh đạo Văn phòng",
        "Office heads",
        "Phân công công việc, xem xét dự thảo.",
    ),
    OfficeRole(
        "Specialist",
        "specialists",
        "Chuyên viên",
        "Specialists",
        "Chuẩn bị hồ sơ, dự thảo, tờ trình.",
    ),
    OfficeRole(
        "RegistryClerk",
        "registry-clerks",
        "Văn thư",
        "Registry clerks",
        "Đăng ký văn bản đến, đi; cấp số; kiểm tra thể thức.",
    ),
    OfficeRole(
        "RecordsManager",
        "records-managers",
        "Cán bộ lưu trữ",
        "Records managers",
        "Danh mục hồ sơ, kết thúc hồ sơ, nộp lưu, tiêu hủy.",
    ),
    OfficeRole(
        "SecurityOfficer",
        "security-officers",
        "Cán bộ bảo mật",
        "Security officers",
        "Cấp độ tiếp cận bí mật, nhật ký truy cập, giải mật.",
        site_wide=True,
    ),
    OfficeRole(
        "Agency",
        "agencies",
        "Cơ quan, đơn vị khác (tài khoản dịch vụ)",
        "Other agencies (service accounts)",
        "Gửi, nhận văn bản và báo cáo tình hình thực hiện qua REST.",
        # Site-wide: the role opens only the exchange endpoints, no content.
        site_wide=True,
    ),
)


ROLE_OF_GROUP = {r.group: r.role for r in OFFICE_ROLES}
