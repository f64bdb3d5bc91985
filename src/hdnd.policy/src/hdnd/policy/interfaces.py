"""Interfaces of the hdnd site policy."""

from hdnd.content.i18n import _
from hdnd.content.interfaces import IHdndContentLayer
from zope import schema
from zope.interface import Interface


class IHdndPolicyLayer(IHdndContentLayer):
    """Browser layer of the hdnd site, registered by hdnd.policy:default."""


class ISignInSettings(Interface):
    """Lockout and password rules (hdnd.policy.signin), registry ``hdnd.signin.*``."""

    max_failures = schema.Int(
        title=_("label_max_failures", default="Failed sign-ins before a lock"), default=5, min=2, max=100)
    window = schema.Int(
        title=_("label_failure_window", default="Counted within (minutes)"), default=15, min=1, max=1440)
    lock_minutes = schema.Int(
        title=_("label_lock_minutes", default="Locked for (minutes)"), default=30, min=1, max=10080)
    min_length = schema.Int(
        title=_("label_password_min_length", default="Shortest password"), default=12, min=8, max=128)
    password_history = schema.Int(
        title=_("label_password_history", default="Earlier passwords that may not be used again"),
        default=5, min=0, max=24)
    password_max_days = schema.Int(
        title=_("label_password_max_days", default="A password expires after (days, 0: never)"),
        default=180, min=0, max=3650)
    require_second_factor = schema.Bool(
        title=_("label_require_second_factor",
                default="Clearance holders and administrators must sign in with a second factor"),
        default=True)
    second_factor_for_all = schema.Bool(
        title=_("label_second_factor_for_all", default="Every staff member must sign in with a second factor"),
        default=False)
    idle_minutes = schema.Int(
        title=_("label_idle_minutes", default="A session unused for this long ends (minutes)"),
        default=30, min=5, max=1440)
    session_hours = schema.Int(
        title=_("label_session_hours", default="A session ends after this long at most (hours)"),
        default=10, min=1, max=168)
