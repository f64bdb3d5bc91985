"""What a credential is and how it is checked, in plain Python (no Zope):
one-time codes of authenticator apps (TOTP, RFC 6238), single-use recovery
codes, and the salted hashes kept of old passwords.

The sign-in guard (signin.py) keeps the secrets and decides who needs what;
this module only answers "is this code right?".
"""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno


ISSUER = "hdnd"
STEP = 30  # seconds: what every authenticator app uses
DIGITS = 6
DRIFT = 1  # steps accepted either side: a phone whose clock is 30 s off still signs in
RECOVERY_COUNT = 10
# Recovery codes: no 0/O or 1/l/I to misread from paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Passwords are guessable, so their hashes are slow; recovery codes carry 60
# random bits, a salted hash of moderate cost is enough.
PASSWORD_ROUNDS = 120_000
CODE_ROUNDS = 10_000


def new_secret():
    """A TOTP secret (base32, 160 bits as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret, account, issuer=ISSUER):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri):
    """The QR code of ``uri`` as inline SVG (no image file, no JavaScript)."""
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR")


def normalise(code):
    return "".join(str(code or "").split()).replace("-", "").lower()


def totp_step(secret, code, last_step=0, now=None):
    """The time step ``code`` belongs to, or None when it is wrong, too old,
    or already used: a code works once (``last_step`` is the last one used),
    so one seen over a shoulder or in a log cannot be replayed."""
    code = normalise(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP)
    current = int((time.time() if now is None else now) // STEP)
    for step in range(current - DRIFT, current + DRIFT + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def current_code(secret, now=None):
    """The code an authenticator app shows now (tests, the demo)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP).at(time.time() if now is None else now)


def new_recovery_codes(count=RECOVERY_COUNT):
    """Codes to print and keep, each ``xxxx-xxxx-xxxx``."""
    def one():
        raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"

    return [one() for _ in range(count)]


def digest(secret_text, rounds=CODE_ROUNDS, salt=None):
    """``rounds$salt$hash`` of a password or code (PBKDF2-SHA256)."""
    salt = salt or secrets.token_hex(16)
    value = hashlib.pbkdf2_hmac("sha256", secret_text.encode("utf-8"), bytes.fromhex(salt), rounds)
    return f"{rounds}${salt}${value.hex()}"


def matches(secret_text, stored):
    rounds, salt, _ = stored.split("$")
    return hmac.compare_digest(digest(secret_text, int(rounds), salt), stored)


def recovery_index(code, stored):
    """Which of the ``stored`` recovery-code hashes ``code`` is, or None."""
    code = normalise(code)
    if len(code) != 12:
        return None
    for index, one in enumerate(stored):
        if one and matches(code, one):
            return index
    return None


def recovery_digests(codes):
    return [digest(normalise(code)) for code in codes]


def password_digest(password):
    return digest(password, PASSWORD_ROUNDS)
