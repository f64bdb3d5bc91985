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
