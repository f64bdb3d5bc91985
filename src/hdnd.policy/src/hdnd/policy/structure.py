"""The site's top-level structure, created by the install step.

Ids are ASCII and stable (URLs and REST clients use them); titles are the
office's Vietnamese names. Each section gives the office's groups the local
roles their work there needs, and no more: this is the baseline the
workflows of hdnd.content refine per state (classified items excepted —
their visibility is decided by clearance and need to know, not by these).
"""

from dataclasses import dataclass
from dataclasses import field


# Besides these Plone roles, each office group gets its own office role on
# the sections it is listed in (see setuphandlers.ensure_section); what that
# role may do there, state by state, is in hdnd.content's workflows.
READ = ("Reader",)
ADD = ("Contributor", "Reader")
MANAGE = ADD
# Administrators see and add everywhere (never classified items).
ADMINISTRATORS = {"Administrators": ADD, "Site Administrators": ADD}


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str
    local_roles: dict = field(default_factory=dict)
    # What may be added directly in the section (nothing generic: no pages,
    # folders or collections among the records).
    allowed_types: tuple = ()
    # A section that grows by thousands a year keeps no order of its items:
    # plone.folder's default ordering is one PersistentList of every id,
    # rewritten whole on each add (O(n) bytes, and a write conflict between
    # any two creates). Listings sort by date instead.
    ordered: bool = True


SITE_STRUCTURE = (
    Section(
        "ho-so", "Hồ sơ công việc", "Hồ sơ công việc theo danh mục hồ sơ hằng năm.",
        {
            "specialists": MANAGE, "office-heads": MANAGE, "records-managers": MANAGE,
            "registry-clerks": ADD, "delegation-leaders": READ, "delegation-members": READ,
        },
        ("Dossier",),
        ordered=False,
    ),
    Section(
        "van-ban", "Văn bản", "Văn bản đến, văn bản đi và văn bản nội bộ.",
        {
            "registry-clerks": MANAGE, "office-heads": MANAGE, "specialists": ADD,
            "delegation-leaders": ADD, "delegation-members": READ, "records-managers": READ,
        },
        ("OfficialDocument",),
        ordered=False,
    ),
    Section(
        "phien-hop", "Phiên họp", "Phiên họp định kỳ, chuyên đề, bất thường; xin ý kiến bằng văn bản.",
        {
            "office-heads": MANAGE, "specialists": MANAGE,
            "delegation-leaders": READ, "delegation-members": READ,
        },
        ("Meeting", "OpinionRequest"),
        ordered=False,
    ),
    Section(
        "chuong-trinh-cong-tac", "Chương trình công tác", "Chương trình công tác năm và theo dõi thực hiện.",
        {
            "office-heads": MANAGE, "specialists": MANAGE,
            "delegation-leaders": READ, "delegation-members": READ,
        },
        ("WorkProgramme",),
    ),
    Section(
        "mau-van-ban", "Mẫu văn bản", "Mẫu giấy mời, phiếu xử lý, phiếu xin ý kiến, biên bản, sổ đăng ký.",
        {"office-heads": MANAGE, "specialists": READ, "registry-clerks": READ},
        # Templates run code as they render: only administrators may add
        # them (hdnd.ManageTemplates) or change them (the section workflow).
        ("File", "ConfigurablePODTemplate", "SubTemplate", "StyleTemplate"),
    ),
    Section(
        "luu-tru", "Lưu trữ", "Danh mục hồ sơ, nộp lưu, tiêu hủy.",
        {"records-managers": MANAGE, "office-heads": READ, "delegation-leaders": READ},
        ("FilePlan", "TransferBatch", "DestructionList", "File"),
    ),
)
