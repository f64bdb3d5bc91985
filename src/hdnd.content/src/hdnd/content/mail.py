"""E-mail to a member through Plone's MailHost, with one clear error when
mail cannot go out (not configured, or the server refuses), so that callers
report it instead of failing half-way with a traceback."""

from plone import api

import smtplib


class MailError(RuntimeError):
    """Mail could not be sent; the message says why and where to fix it."""


def check_configured():
    if not api.portal.get_registry_record("plone.email_from_address", default=None):
        raise MailError(
            "e-mail: no sender address is configured (Site Setup > Mail: "
            "plone.email_from_address and the SMTP server); nothing was sent"
        )


def mail_member(userid, subject, body):
    """E-mail a member; the address written to, or None when the member has none."""
    user = api.user.get(userid=userid)
    address = user.getProperty("email") if user is not None else None
    if not address:
        return None
    check_configured()
    try:
        api.portal.send_email(recipient=address, subject=subject, body=body, immediate=True)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"e-mail: the mail server did not take the message to {address}: {error}") from error
    return address
