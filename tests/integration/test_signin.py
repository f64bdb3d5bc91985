"""The sign-in guard: a login locked after repeated wrong passwords — through
HTTP Basic, @login and the login form alike, even though a refused request is
rolled back — refusing even the right password, unlocked by an administrator
or by time; strangers' names are not kept; the password policy on every
password Plone sets; all in the audit trail."""

from hdnd.content import audit
from hdnd.policy import signin
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import time
import transaction


PASSWORD = "Mat-khau-dung-2026"
JSON = {"Accept": "application/json"}


@pytest.fixture
def site(functional_portal, request_factory):
    api.user.create(email="cv@example.vn", username="chuyenvien-l", password=PASSWORD)
    api.group.add_user(groupname="specialists", username="chuyenvien-l")
    transaction.commit()
    return functional_portal.absolute_url(), request_factory


def status(request_factory, base, password):
    return request_factory(basic_auth=("chuyenvien-l", password), api=False).get(
        f"{base}/@users/chuyenvien-l", headers=JSON).status_code


def test_five_wrong_passwords_lock_the_login_until_an_administrator_unlocks(site):
    base, request_factory = site
    assert status(request_factory, base, PASSWORD) == 200
    for n in range(4):
        assert status(request_factory, base, f"sai-{n}") == 401
    # Four wrong, then right: the count starts again.
    assert status(request_factory, base, PASSWORD) == 200
    for n in range(5):
        assert status(request_factory, base, f"sai-{n}") == 401
    # Locked: the right password is refused too, and over @login and the form as well.
    assert status(request_factory, base, PASSWORD) == 401
    anonymous = request_factory(api=False)
    refused = anonymous.post(f"{base}/@login", headers=JSON, json={"login": "chuyenvien-l", "password": PASSWORD})
    assert refused.status_code == 401
    form = anonymous.post(f"{base}/login", data={"__ac_name": "chuyenvien-l", "__ac_password": PASSWORD,
                                                  "buttons.login": "Đăng nhập", "came_from": ""})
    assert "__ac" not in anonymous.cookies
    transaction.begin()
    assert signin.guard().locked_until("chuyenvien-l") > time.time() + 25 * 60
    actions = [e["action"] for e in audit.entries(actor="chuyenvien-l")]
    # The lock is audited even though every refused Basic sign-in was rolled
    # back; the refusals @login and the form answered are audited as well.
    assert actions.count("login_locked") == 1 and actions.count("login_failed") == 2
    # Only administrators unlock.
    specialist = request_factory(basic_auth=("chuyenvien-l", PASSWORD), api=False)
    assert specialist.post(f"{base}/@hdnd-unlock", headers=JSON, json={"login": "chuyenvien-l"}).status_code == 401
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    unlocked = admin.post(f"{base}/@hdnd-unlock", headers=JSON, json={"login": "chuyenvien-l"})
    assert unlocked.json() == {"login": "chuyenvien-l", "was_locked": True}
    assert admin.post(f"{base}/@hdnd-unlock", headers=JSON, json={}).status_code == 400
    assert status(request_factory, base, PASSWORD) == 200
    assert form.status_code == 200


def test_a_lock_runs_out_and_unknown_names_are_not_kept(site):
    base, request_factory = site
    transaction.begin()
    api.portal.set_registry_record("hdnd.signin.lock_minutes", 1)
    transaction.commit()
    for n in range(5):
        assert status(request_factory, base, f"sai-{n}") == 401
    assert status(request_factory, base, PASSWORD) == 401
    transaction.begin()
    guard = signin.guard()
    guard.attempts["chuyenvien-l"]["locked_until"] = time.time() - 1  # the minute has passed
    transaction.commit()
    assert status(request_factory, base, PASSWORD) == 200
    stranger = request_factory(basic_auth=("khong-ai-ca", "x"), api=False)
    assert stranger.get(f"{base}/@users/chuyenvien-l", headers=JSON).status_code == 401
    transaction.begin()
    assert "khong-ai-ca" not in signin.guard().attempts


@pytest.mark.parametrize("password, problem", [
    ("ngan-1", "at least 12"),
    ("chicochudaithoi", "letters and digits"),
    ("123456789012345", "letters and digits"),
    ("matkhau123456", "too easy"),
    ("password12345", "too easy"),
])
def test_the_password_policy_on_every_password_set(site, password, problem):
    base, request_factory = site
    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), api=False)
    refused = admin.post(f"{base}/@users", headers=JSON, json={
        "username": "moi-nguoi", "email": "moi@example.vn", "password": password})
    assert refused.status_code == 400 and problem in refused.text, refused.text
    assert admin.post(f"{base}/@users", headers=JSON, json={
        "username": "moi-nguoi", "email": "moi@example.vn", "password": "Mot-mat-khau-tot-2026"}).status_code == 201


def test_password_rules_in_plain_python():
    assert signin.password_problems("Mot-mat-khau-tot-2026", min_length=12) == []
    assert signin.password_problems("vanthu-2026-abc", login="vanthu", min_length=12) == [
        "This password is too easy to guess."]


@pytest.mark.parametrize("password", ["password12345", "Password12345!", "matkhau@2026", "Anhyeuem123456",
                                      "Hanoi12345678", "Vietnam@2026", "qwerty123456", "Mật-khẩu-123"])
def test_common_and_guessable_passwords_are_refused(password):
    """zxcvbn's estimate and the common passwords, Vietnamese ones included."""
    assert signin.password_problems(password, min_length=12) == ["This password is too easy to guess."]


def test_strong_passwords_pass_the_estimator():
    for password in ("Mot-mat-khau-tot-2026", "Desk-pass-2026x", "tracking-pass-1", "cv-secret-12"):
        assert signin.password_problems(password, min_length=12) == [], password
