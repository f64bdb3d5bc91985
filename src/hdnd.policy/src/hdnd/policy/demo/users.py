"""Demo users: one or more for every role of the office (README lists them)."""

from dataclasses import dataclass
from hdnd.content.clearance import get_clearance
from hdnd.content.clearance import set_clearance
from plone import api

import os


# The README lists these accounts. One password for all, changeable through
# the environment before the first run.
DEMO_PASSWORD = os.environ.get("HDND_DEMO_PASSWORD", "hdnd-demo-2026")
# Demo accounts that must sign in with a second factor (a clearance) share
# one authenticator key, printed by `hdnd setup --demo` and `hdnd demo-code`.
# A real account gets its own at its first sign-in.
DEMO_FACTOR_SECRET = "HDNDDEMOHDNDDEMOHDNDDEMOHDNDDEMO"


@dataclass(frozen=True)
class DemoUser:
    username: str
    fullname: str
    position: str
    groups: tuple
    clearance: str = "none"


DEMO_USERS = (
    DemoUser("bithu", "Nguyễn Văn An", "Bí thư Đảng đoàn",
             ("delegation-leaders", "delegation-members"), "toi_mat"),
    DemoUser("phobithu", "Trần Thị Bình", "Phó Bí thư Đảng đoàn",
             ("delegation-leaders", "delegation-members"), "toi_mat"),
    DemoUser("thanhvien1", "Lê Văn Cường", "Thành viên Đảng đoàn", ("delegation-members",), "mat"),
    DemoUser("thanhvien2", "Phạm Thị Dung", "Thành viên Đảng đoàn", ("delegation-members",), "mat"),
    DemoUser("thanhvien3", "Hoàng Minh Đức", "Thành viên Đảng đoàn", ("delegation-members",), "mat"),
    DemoUser("thanhvien4", "Vũ Thị Hạnh", "Thành viên Đảng đoàn", ("delegation-members",), "mat"),
    DemoUser("thanhvien5", "Đặng Quốc Khánh", "Thành viên Đảng đoàn", ("delegation-members",), "mat"),
    DemoUser("chanhvanphong", "Ngô Thị Lan", "Chánh Văn phòng", ("office-heads",), "toi_mat"),
    DemoUser("chuyenvien", "Bùi Văn Minh", "Chuyên viên", ("specialists",)),
    DemoUser("chuyenvien2", "Đỗ Thị Ngọc", "Chuyên viên", ("specialists",), "mat"),
    DemoUser("vanthu", "Phan Thị Oanh", "Văn thư", ("registry-clerks",), "mat"),
    DemoUser("luutru", "Trịnh Văn Phúc", "Cán bộ lưu trữ", ("records-managers",)),
    DemoUser("baomat", "Lý Thị Quỳnh", "Cán bộ bảo mật", ("security-officers",), "tuyet_mat"),
    DemoUser("ubnd-thanhpho", "UBND Thành phố (tài khoản dịch vụ)", "Cơ quan khác",
             ("agencies",)),
    DemoUser("vp-thanhuy", "Văn phòng Thành ủy (tài khoản dịch vụ)", "Cơ quan khác",
             ("agencies",)),
)


def ensure_users(officers=True):
    """The demo users, in their groups; with ``officers`` false, not in the
    security officers' group (see demo.load)."""
    from hdnd.content.grants import GUARDED_GROUPS

    for demo in DEMO_USERS:
        user = api.user.get(username=demo.username)
        if user is None:
            user = api.user.create(
                username=demo.username,
                email=f"{demo.username}@hdnd.example.vn",
                password=DEMO_PASSWORD,
                properties={"fullname": demo.fullname, "description": demo.position},
            )
        for group in demo.groups:
            if group in GUARDED_GROUPS and not officers:
                continue
            if not _in_group(user, group):
                api.group.add_user(groupname=group, user=user)
        if get_clearance(demo.username) == "none" and demo.clearance != "none":
            set_clearance(demo.username, demo.clearance)
        if demo.clearance != "none":
            ensure_factor(demo.username)


def ensure_factor(username):
    from hdnd.policy import signin
    from hdnd.policy.signin import factors
    from persistent.list import PersistentList
    from persistent.mapping import PersistentMapping

    import time

    guard = signin.guard()
    if guard is not None and not factors.enrolled(username, guard):
        guard.store("factors")[username] = PersistentMapping(
            secret=DEMO_FACTOR_SECRET, last_step=0, enrolled=time.time(), recovery=PersistentList())


def _in_group(user, groupname):
    return groupname in (g.getId() for g in api.group.get_groups(user=user))
