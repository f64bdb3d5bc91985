"""Directory sign-in (LDAP / Active Directory) against a real OpenLDAP
server the tests start (Debian's slapd; `make test` installs it, so these
tests run and never skip): directory staff sign in over HTTP Basic, @login
and the login form, with their name and e-mail from the directory and
behind the sign-in guard's lockout; Plone's own users keep signing in, also
when the directory is down; and the `hdnd ldap` commands."""

from hdnd.policy import cli
from hdnd.policy import signin
from hdnd.policy.cli import database
from hdnd.policy.signin import directory
from hdnd.policy.testing import free_port
from pas.plugins.ldap import plugin as pas_ldap
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import base64
import hashlib
import os
import pytest
import shutil
import subprocess
import tempfile
import time
import transaction


JSON = {"Accept": "application/json"}
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SUFFIX = "dc=hdnd,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "Quan-tri-LDAP-2026"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
# uid, cn, mail, password
STAFF = [
    ("an.nguyen", "Nguyễn Văn An", "an.nguyen@hdnd.test", "Mat-khau-An-2026"),
    ("binh.tran", "Trần Thị Bình", "binh.tran@hdnd.test", "Mat-khau-Binh-2026"),
    ("cuong.le", "Lê Hoàng Cường", "cuong.le@hdnd.test", "Mat-khau-Cuong-2026"),
]
AN_PASSWORD = STAFF[0][3]
PLONE_PASSWORD = "Mat-khau-Plone-2026"
def ssha(password):
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def attribute(name, value):
    """An LDIF line; values that are not plain ASCII are base64 (name:: …)."""
    if value.isascii() and not value.startswith((" ", ":", "<")):
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def tree():
    entries = [
        [f"dn: {SUFFIX}", "objectClass: dcObject", "objectClass: organization", "dc: hdnd", "o: HDND"],
        [f"dn: {PEOPLE}", "objectClass: organizationalUnit", "ou: people"],
        [f"dn: {GROUPS}", "objectClass: organizationalUnit", "ou: groups"],
    ]
    for uid, cn, mail, password in STAFF:
        entries.append([f"dn: uid={uid},{PEOPLE}", "objectClass: inetOrgPerson", f"uid: {uid}",
                        attribute("cn", cn), attribute("sn", cn.split()[0]), f"mail: {mail}",
                        f"userPassword: {ssha(password)}"])
    entries.append([f"dn: cn=van-phong,{GROUPS}", "objectClass: groupOfNames", "cn: van-phong",
                    attribute("description", "Văn phòng"), f"member: uid=binh.tran,{PEOPLE}"])
    return "\n\n".join("\n".join(entry) for entry in entries) + "\n"


CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
access to attrs=userPassword
    by anonymous auth
    by * none
access to * by * read
database mdb
maxsize 67108864
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {root}/data
"""


class Slapd:
    def __init__(self):
        # Not under pytest's temporary directory, like the PostgreSQL of the server tests.
        self.root = tempfile.mkdtemp(prefix="hdnd-slapd-")
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process = None
        self.conf = os.path.join(self.root, "slapd.conf")
        os.mkdir(os.path.join(self.root, "data"))
        with open(self.conf, "w") as stream:
            stream.write(CONFIG.format(root=self.root, suffix=SUFFIX, admin=ADMIN_DN, password=ssha(ADMIN_PASSWORD)))
        ldif = os.path.join(self.root, "tree.ldif")
        with open(ldif, "w", encoding="utf-8") as stream:
            stream.write(tree())
        subprocess.run(["/usr/sbin/slapadd", "-q", "-f", self.conf, "-l", ldif], check=True, capture_output=True)

    def start(self):
        # -d 0: in the foreground, so that the test owns the process and its end.
        self.process = subprocess.Popen([SLAPD, "-d", "0", "-f", self.conf, "-h", self.uri],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"slapd stopped: {self.process.stderr.read().decode(errors='replace')}")
            if self.answers():
                return self
            time.sleep(0.1)
        raise AssertionError("slapd did not answer within 30 s")

    def answers(self):
        import ldap

        connection = ldap.initialize(self.uri)
        try:
            connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
            return True
        except ldap.SERVER_DOWN:
            return False
        finally:
            connection.unbind_s()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def slapd():
    server = Slapd().start()
    yield server
    server.remove()


@pytest.fixture
def site(functional_portal, request_factory, slapd):
    if not slapd.process:  # a test stopped it
        slapd.start()
    directory.configure(functional_portal, slapd.uri, ADMIN_DN, ADMIN_PASSWORD, PEOPLE, groups_base=GROUPS)
    api.user.create(email="cv@example.vn", username="chuyenvien-p", password=PLONE_PASSWORD)
    api.group.add_user(groupname="specialists", username="chuyenvien-p")
    transaction.commit()
    return functional_portal.absolute_url(), request_factory


def basic(request_factory, base, login, password):
    return request_factory(basic_auth=(login, password), api=False).get(
        f"{base}/@users/{login}", headers=JSON)


def login_form(request_factory, base, login, password):
    session = request_factory(api=False)
    answer = session.post(f"{base}/login", data={"__ac_name": login, "__ac_password": password,
                                                 "buttons.login": "Đăng nhập", "came_from": ""})
    return answer, session


def test_directory_staff_sign_in_over_basic_login_and_the_form(site):
    base, request_factory = site
    me = basic(request_factory, base, "an.nguyen", AN_PASSWORD)
    assert me.status_code == 200
    assert me.json()["fullname"] == "Nguyễn Văn An" and me.json()["email"] == "an.nguyen@hdnd.test"
    assert basic(request_factory, base, "an.nguyen", "sai-mat-khau").status_code == 401
    # @login gives a token, which then signs the user in.
    anonymous = request_factory(api=False)
    token = anonymous.post(f"{base}/@login", headers=JSON, json={"login": "an.nguyen", "password": AN_PASSWORD})
    assert token.status_code == 200, token.text
    with_token = request_factory(api=False)
    with_token.headers["Authorization"] = f"Bearer {token.json()['token']}"
    assert with_token.get(f"{base}/@users/an.nguyen", headers=JSON).json()["fullname"] == "Nguyễn Văn An"
    refused = anonymous.post(f"{base}/@login", headers=JSON, json={"login": "an.nguyen", "password": "sai"})
    assert refused.status_code == 401
    # The Classic login form sets the session cookie; a wrong password does not.
    answer, session = login_form(request_factory, base, "binh.tran", STAFF[1][3])
    assert answer.status_code == 200 and "__ac" in session.cookies
    answer, session = login_form(request_factory, base, "binh.tran", "sai-mat-khau")
    assert answer.status_code == 200 and "__ac" not in session.cookies
    # Plone's own users sign in as before.
    assert basic(request_factory, base, "chuyenvien-p", PLONE_PASSWORD).status_code == 200
    assert basic(request_factory, base, "chuyenvien-p", AN_PASSWORD).status_code == 401


def test_five_wrong_directory_passwords_lock_the_login(site):
    base, request_factory = site
    for n in range(5):
        assert basic(request_factory, base, "cuong.le", f"sai-{n}").status_code == 401
    # Locked by the guard: the directory's right password is refused everywhere.
    assert basic(request_factory, base, "cuong.le", STAFF[2][3]).status_code == 401
    anonymous = request_factory(api=False)
    assert anonymous.post(f"{base}/@login", headers=JSON,
                          json={"login": "cuong.le", "password": STAFF[2][3]}).status_code == 401
    answer, session = login_form(request_factory, base, "cuong.le", STAFF[2][3])
    assert "__ac" not in session.cookies
    transaction.begin()
    assert signin.guard().locked_until("cuong.le") > time.time() + 25 * 60
    # Others are not locked; an administrator unlocks.
    assert basic(request_factory, base, "an.nguyen", AN_PASSWORD).status_code == 200
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    assert admin.post(f"{base}/@hdnd-unlock", headers=JSON, json={"login": "cuong.le"}).json()["was_locked"]
    assert basic(request_factory, base, "cuong.le", STAFF[2][3]).status_code == 200


def test_directory_users_are_found_and_get_roles_only_from_hdnd_groups(site):
    base, request_factory = site
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    # By id, and by name as the Plone user search does.
    for params, expected in (({"query": "an."}, "an.nguyen"), ({"search": "Nguyễn"}, "an.nguyen"),
                             ({"search": "binh"}, "binh.tran")):
        found = admin.get(f"{base}/@users", params=params, headers=JSON)
        assert found.status_code == 200, found.text
        assert [u["id"] for u in found.json()["items"]] == [expected]
    assert (found.json()["items"][0]["fullname"], found.json()["items"][0]["email"]) == (
        "Trần Thị Bình", "binh.tran@hdnd.test")
    transaction.begin()
    user = api.user.get(username="binh.tran")
    assert user.getProperty("fullname") == "Trần Thị Bình"
    # No hdnd role from the directory; the directory's groups are there, read-only.
    roles = set(api.user.get_roles(user=user))
    assert roles <= {"Authenticated"}, roles
    assert "van-phong" in user.getGroups()
    # An administrator gives the roles, with an hdnd group.
    api.group.add_user(groupname="specialists", username="binh.tran")
    transaction.commit()
    assert "specialists" in api.user.get(username="binh.tran").getGroups()
    me = basic(request_factory, base, "binh.tran", STAFF[1][3]).json()
    assert {"specialists", "van-phong"} <= {group["id"] for group in me["groups"]["items"]}


def test_directory_down_plone_users_still_sign_in(site, slapd, monkeypatch):
    base, request_factory = site
    transaction.begin()
    assert directory.status(api.portal.get())["users"] == len(STAFF)
    slapd.stop()
    assert basic(request_factory, base, "chuyenvien-p", PLONE_PASSWORD).status_code == 200
    assert basic(request_factory, base, "an.nguyen", AN_PASSWORD).status_code == 401
    anonymous = request_factory(api=False)
    assert anonymous.post(f"{base}/@login", headers=JSON,
                          json={"login": "an.nguyen", "password": AN_PASSWORD}).status_code == 401
    token = anonymous.post(f"{base}/@login", headers=JSON, json={"login": "chuyenvien-p", "password": PLONE_PASSWORD})
    assert token.status_code == 200
    answer, session = login_form(request_factory, base, "an.nguyen", AN_PASSWORD)
    assert answer.status_code == 200 and "__ac" not in session.cookies
    answer, session = login_form(request_factory, base, "chuyenvien-p", PLONE_PASSWORD)
    assert answer.status_code == 200 and "__ac" in session.cookies
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    assert admin.get(f"{base}/@users", params={"query": "nguyen"}, headers=JSON).status_code == 200
    transaction.begin()
    down = directory.status(api.portal.get())
    assert not down["ok"] and "SERVER_DOWN" in down["error"]
    # Back: directory users sign in again once pas.plugins.ldap's pause after
    # an error has passed (5 minutes; none here).
    monkeypatch.setattr(pas_ldap, "LDAP_ERROR_LOG_TIMEOUT", 0.0)
    slapd.start()
    assert basic(request_factory, base, "an.nguyen", AN_PASSWORD).status_code == 200


def test_the_ldap_commands(functional_portal, slapd, monkeypatch, capsys):
    if not slapd.process:
        slapd.start()
    monkeypatch.setattr(database, "in_site", lambda args, work: work())  # the test's site, not var/
    command = ["ldap", "configure", "--uri", slapd.uri, "--bind-dn", ADMIN_DN, "--users-base", PEOPLE]
    monkeypatch.delenv(directory.PASSWORD_VARIABLE, raising=False)
    with pytest.raises(SystemExit, match=directory.PASSWORD_VARIABLE):
        cli.main(command)
    monkeypatch.setenv(directory.PASSWORD_VARIABLE, "sai")
    cli.main(command)  # configured, but the directory refuses the bind
    assert "does not answer: INVALID_CREDENTIALS" in capsys.readouterr().out
    monkeypatch.setenv(directory.PASSWORD_VARIABLE, ADMIN_PASSWORD)
    cli.main(command)
    assert f"answers: 3 users under {PEOPLE}" in capsys.readouterr().out
    acl_users = functional_portal.acl_users
    assert "ldap" in acl_users.objectIds() and "ldap" in signin.guard(functional_portal).guarded
    cli.main(["ldap", "test"])
    assert "answers: 3 users" in capsys.readouterr().out
    slapd.stop()
    with pytest.raises(SystemExit):
        cli.main(["ldap", "status"])
    assert "does not answer: SERVER_DOWN" in capsys.readouterr().out
