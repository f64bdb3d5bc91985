"""Every one of hdnd's types has an icon of its own where Plone 6 looks for
one: the navigation portlet, folder contents, listings and the related-items
picker ask the icon resolver for ``contenttype/<type id, normalised>``, and
the add menu evaluates the type's ``icon_expr``. A type without a record fell
back to Plone's generic ``plone.icon.contenttype`` (a blank page) - the
outside check saw blank icons beside every document in the navigation.

The types are found by enumerating portal_types (those whose class or schema
is hdnd's), so a new type fails here until it has an icon."""

from hdnd.content import upgrades
from plone import api
from plone.i18n.normalizer.interfaces import IIDNormalizer
from zope.component import getUtility


GENERIC = "plone.icon.contenttype"  # Plone's fallback for a type it does not know


def hdnd_types():
    found = []
    for fti in api.portal.get_tool("portal_types").objectValues():
        origin = " ".join(str(getattr(fti, name, "") or "") for name in ("klass", "schema", "model_source"))
        if "hdnd." in origin:
            found.append(fti)
    return found


def icon_of(portal, name):
    """What the icon resolver answers for name: (registry value, whether
    the resource it names exists, whether it is only Plone's fallback)."""
    resolver = portal.restrictedTraverse("@@iconresolver")
    value = resolver.lookup(name)
    fallback = value in (api.portal.get_registry_record(GENERIC), resolver.defaulticon)
    try:
        portal.restrictedTraverse(value)
        exists = True
    except Exception:
        exists = False
    return value, exists, fallback


def test_every_hdnd_type_has_an_icon_that_resolves(portal):
    types = hdnd_types()
    assert len(types) >= 16, [fti.getId() for fti in types]  # the enumeration finds them
    normalise = getUtility(IIDNormalizer).normalize
    missing = {}
    for fti in types:
        name = f"contenttype/{normalise(fti.getId())}"
        value, exists, fallback = icon_of(portal, name)
        if fallback or not exists or not value.endswith(".svg"):
            missing[fti.getId()] = (name, value, exists)
            continue
        # The add menu's icon (icon_expr) is the same record, not a second choice.
        expression = fti.getIconExprObject()
        assert expression is not None, fti.getId()
        assert fti.icon_expr == f"string:{name}", (fti.getId(), fti.icon_expr)
        # The resource is an SVG Plone can inline (what the navigation shows).
        assert "<svg" in portal.restrictedTraverse("@@iconresolver").tag(name), name
    assert not missing, f"types whose icon is Plone's blank page or nothing: {missing}"


def test_upgrade_1010_gives_an_existing_site_the_icons(portal):
    registry = api.portal.get_tool("portal_registry")
    types = api.portal.get_tool("portal_types")
    del registry.records["plone.icon.contenttype/officialdocument"]
    types["OfficialDocument"].manage_changeProperties(icon_expr="string:file-earmark-text")  # as before 1010
    assert icon_of(portal, "contenttype/officialdocument")[2], "the record should be gone"

    upgrades.to_1010(None)

    value, exists, fallback = icon_of(portal, "contenttype/officialdocument")
    assert (value, exists, fallback) == ("++plone++bootstrap-icons/file-earmark-text.svg", True, False)
    assert types["OfficialDocument"].icon_expr == "string:contenttype/officialdocument"
