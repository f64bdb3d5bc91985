"""The site's top-level structure, created by the install step.

Ids are ASCII and stable (URLs and REST clients use them); titles are the
office's Vietnamese names.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str


SITE_STRUCTURE = (
    Section("ho-so", "Hồ sơ công việc", "Hồ sơ công việc theo danh mục hồ sơ hằng năm."),
    Section("van-ban", "Văn bản", "Văn bản đến, văn bản đi và văn bản nội bộ."),
    Section("phien-hop", "Phiên họp", "Phiên họp định kỳ, chuyên đề, bất thường; xin ý kiến bằng văn bản."),
    Section("chuong-trinh-cong-tac", "Chương trình công tác", "Chương trình công tác năm và theo dõi thực hiện."),
    Section("mau-van-ban", "Mẫu văn bản", "Mẫu giấy mời, phiếu xử lý, phiếu xin ý kiến, biên bản, sổ đăng ký."),
    Section("luu-tru", "Lưu trữ", "Danh mục hồ sơ, nộp lưu, tiêu hủy."),
)
