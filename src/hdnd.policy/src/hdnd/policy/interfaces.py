"""Interfaces of the hdnd site policy."""

from hdnd.content.interfaces import IHdndContentLayer


class IHdndPolicyLayer(IHdndContentLayer):
    """Browser layer of the hdnd site, registered by hdnd.policy:default."""
