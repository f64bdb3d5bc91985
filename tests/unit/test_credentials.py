"""One-time codes (RFC 6238), recovery codes and password hashes, without Zope."""

from hdnd.policy.signin import credentials

import re
import urllib.parse


# RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", last 6 of 8 digits.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_VECTORS = {59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"}


def test_codes_are_those_of_rfc_6238():
    for when, code in RFC_VECTORS.items():
        assert credentials.current_code(RFC_SECRET, now=when) == code
        assert credentials.totp_step(RFC_SECRET, code, now=when) == when // 30


def test_a_code_is_accepted_one_step_either_side_and_not_beyond():
    now = 1111111109
    step = now // 30
    assert credentials.totp_step(RFC_SECRET, "081804", now=now + 30) == step
    assert credentials.totp_step(RFC_SECRET, "081804", now=now - 30) == step
    assert credentials.totp_step(RFC_SECRET, "081804", now=now + 95) is None


def test_a_code_works_once():
    now = 1111111109
    step = credentials.totp_step(RFC_SECRET, "081804", now=now)
    assert credentials.totp_step(RFC_SECRET, "081804", last_step=step, now=now) is None
    # The next step's code is still good.
    following = credentials.current_code(RFC_SECRET, now=now + 30)
    assert credentials.totp_step(RFC_SECRET, following, last_step=step, now=now + 30) == step + 1


def test_typing_slips_are_forgiven_and_garbage_refused():
    assert credentials.totp_step(RFC_SECRET, " 081 804 ", now=1111111109)
    for wrong in ("", None, "08180", "0818040", "abcdef", "081805"):
        assert credentials.totp_step(RFC_SECRET, wrong, now=1111111109) is None


def test_a_new_secret_is_160_bits_and_its_address_names_the_account():
    secret = credentials.new_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret) and secret != credentials.new_secret()
    uri = credentials.provisioning_uri(secret, "lananh@hdnd")
    parsed = urllib.parse.urlparse(uri)
    query = urllib.parse.parse_qs(parsed.query)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert query["secret"] == [secret] and query["issuer"] == ["hdnd"]
    assert credentials.qr_svg(uri).startswith("<svg")


def test_recovery_codes_match_their_hashes_once_each():
    codes = credentials.new_recovery_codes()
    assert len(set(codes)) == 10 and all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes)
    stored = credentials.recovery_digests(codes)
    assert not any(code in "".join(stored) for code in codes)  # only hashes are kept
    assert credentials.recovery_index(codes[3].upper().replace("-", " "), stored) == 3
    stored[3] = None  # used
    assert credentials.recovery_index(codes[3], stored) is None
    assert credentials.recovery_index("aaaa-bbbb-cccc", stored) is None


def test_password_hashes_are_salted_and_slow():
    one, two = credentials.password_digest("Mat-khau-2026"), credentials.password_digest("Mat-khau-2026")
    assert one != two and one.startswith("120000$")
    assert credentials.matches("Mat-khau-2026", one) and not credentials.matches("Mat-khau-2027", one)
