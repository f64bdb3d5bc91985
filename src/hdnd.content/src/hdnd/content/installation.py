"""Which installation this is: the main one, or the isolated confidential one.

The law requires secret material to live on an isolated network (domain §5):
hdnd then runs twice, the same software with its own deployment profile and
site profile (``hdnd.policy:confidential``). The registry records
``hdnd.installation.*`` say which one a site is. Code that depends on it asks
here, never the registry directly:

- :func:`exchange_enabled` -- every interchange adapter (edXML, the Party
  network, the State platform, REST pushes to other agencies) must check it
  and do nothing when it is false. It is always false on a confidential
  installation, whatever the record says.
- :func:`is_confidential` -- the confidential installation draws its Party
  numbers from reservations of the main one (hdnd.content.reservations).
- :func:`reservation_key` -- the key both installations share to sign
  reservation files; empty until an administrator sets it.
"""

from hdnd.content.i18n import _
from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import queryUtility
from zope.interface import Interface


PREFIX = "hdnd.installation"
KINDS = ("main", "confidential")


class IInstallationSettings(Interface):
    """What this installation is (registry records ``hdnd.installation.*``)."""

    kind = schema.Choice(
        title=_("label_installation_kind", default="Installation"),
        description=_(
            "help_installation_kind",
            default="main, or confidential: the separate installation on the isolated "
            "network that holds secret documents.",
        ),
        values=KINDS,
        default="main",
    )

    installation_id = schema.TextLine(
        title=_("label_installation_id", default="Installation id"),
        description=_(
            "help_installation_id",
            default="Names this installation in number reservation files, "
            "e.g. hdnd-main or hdnd-mat.",
        ),
        default="hdnd-main",
    )

    exchange_enabled = schema.Bool(
        title=_("label_exchange_enabled", default="Exchange with other agencies"),
        description=_(
            "help_exchange_enabled",
            default="Off on the confidential installation: secret documents never "
            "travel on the Party network or the State platform.",
        ),
        default=True,
        required=False,
    )

    reservation_key = schema.Password(
        title=_("label_reservation_key", default="Reservation key"),
        description=_(
            "help_reservation_key",
            default="The secret shared by the main and the confidential installation "
            "to sign number reservation files (at least 16 characters).",
        ),
        default="",
        required=False,
    )


def _setting(name):
    """A record's value, or the field's default where the record is missing
    (a site installed before the records existed)."""
    registry = queryUtility(IRegistry)
    value = registry.get(f"{PREFIX}.{name}") if registry is not None else None
    return IInstallationSettings[name].default if value is None else value


def kind():
    value = _setting("kind")
    return value if value in KINDS else "main"


def is_confidential():
    return kind() == "confidential"


def installation_id():
    return (_setting("installation_id") or "").strip()


def exchange_enabled():
    """Whether interchange adapters may send or receive anything."""
    return not is_confidential() and bool(_setting("exchange_enabled"))


def reservation_key():
    return _setting("reservation_key") or ""


def set_reservation_key(key):
    """Store the shared key (``hdnd setup`` with HDND_RESERVATION_KEY)."""
    from hdnd.content.core.reservations import check_key

    check_key(key)
    registry = queryUtility(IRegistry)
    name = f"{PREFIX}.reservation_key"
    if name not in registry.records:
        registry.registerInterface(IInstallationSettings, prefix=PREFIX)
    registry[name] = key
