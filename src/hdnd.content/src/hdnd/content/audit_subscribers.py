"""What the audit trail records by itself (registered in audit.zcml).

- a successful, authenticated GET of a classified item: "view", or
  "download" for its files and images (@@download, @@display-file,
  @@images), through the classic UI and REST alike;
- a workflow transition of a classified item: "transition";
- a sharing change anywhere: "sharing_change"; on a classified item also a
  "permission_change" (an alert until a security officer confirms it), as
  is a change of its classification or need to know;
- a user put in or taken out of a group (the groups carry the office's
  roles): "group_change";
- logins, failed logins and logouts;
- a person's clearance changed: "clearance_change" (on_clearance_changed,
  for hdnd.content.clearance.IClearanceChangedEvent).
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from hdnd.content import audit
from hdnd.content.security import is_classified_item
from plone.app.workflow.interfaces import ILocalrolesModifiedEvent
from Products.CMFCore.interfaces import IContentish
from Products.CMFCore.interfaces import ISiteRoot
from zope.lifecycleevent.interfaces import IAttributes

import transaction
import types


# Views that send the file itself rather than a page about the item.
DOWNLOAD_VIEWS = frozenset({"download", "display-file", "images"})
# Fields whose change changes who may see a classified item.
ACCESS_FIELDS = frozenset({"classification", "need_to_know"})


def _view_name(published):
    if isinstance(published, types.MethodType):
        return published.__name__
    return str(getattr(aq_base(published), "__name__", "") or "")


def _is_download(published):
    from plone.namedfile.browser import Download
    from plone.namedfile.scaling import ImageScale
    from plone.namedfile.scaling import ImageScaling

    if isinstance(aq_base(published), (Download, ImageScale, ImageScaling)):
        return True
    return _view_name(published).lstrip("@") in DOWNLOAD_VIEWS


def published_content(published):
    """The content item a published view, REST service or method is about."""
    obj = published
    if isinstance(obj, types.MethodType):
        obj = obj.__self__
    for _ in range(10):  # a view of a view of … an item
        if obj is None or ISiteRoot.providedBy(obj):
            return None
        if IContentish.providedBy(obj):
            return obj
        context = getattr(aq_base(obj), "__dict__", {}).get("context")
        obj = context if context is not None else aq_parent(aq_inner(obj))
    return None


def on_published(event):
    """IPubBeforeCommit: the request succeeded and its transaction is about
    to be committed, so the entry is committed with it (or retried with it
    on a conflict)."""
    request = event.request
    method = request.get("REQUEST_METHOD", "GET")
    if transaction.get().isDoomed():
        return
    published = request.get("PUBLISHED")
    if method == "POST":
        _failed_login(request, published)
        return
    if method != "GET" or request.response.getStatus() >= 400:
        return
    if audit.is_anonymous():
        return
    obj = published_content(published)
    if obj is None or not is_classified_item(obj):
        return
    action = "download" if _is_download(published) else "view"
    audit.record(action, obj, view=_view_name(published))


def _failed_login(request, published):
    """A login refused: by the REST @login (401) or by the login form (the
    user is still anonymous after posting a login name)."""
    try:
        from plone.restapi.services.auth.login import Login
    except ImportError:  # pragma: no cover
        Login = ()
    if isinstance(aq_base(published), Login):
        if request.response.getStatus() != 401:
            return
        from hdnd.content import bodies

        try:
            login = bodies.parse(request.get("BODY") or b"{}", limit=bodies.SMALL).get("login", "")
        except bodies.BodyError:
            login = ""
    elif _view_name(published) == "login" and request.form.get("__ac_name"):
        if not audit.is_anonymous():
            return
        login = request.form.get("__ac_name", "")
    else:
        return
    audit.record("login_failed", None, actor=str(login)[:100], login=str(login)[:100])


def on_transition(obj, event):
    """IActionSucceededEvent: a workflow transition succeeded."""
    if not is_classified_item(obj):
        return
    try:
        from plone import api

        state = api.content.get_state(obj, default="")
    except Exception:
        state = ""
    workflow = getattr(event.workflow, "getId", lambda: "")()
    audit.record("transition", obj, transition=event.action, workflow=workflow, state=state)


def on_local_roles(obj, event):
    """ILocalrolesModifiedEvent: the sharing of an item changed."""
    details = audit.sharing_details(obj)
    audit.record("sharing_change", obj, **details)
    if is_classified_item(obj):
        audit.record("permission_change", obj, change="sharing", **details)


def on_modified(obj, event):
    """IObjectModifiedEvent: a classification or need-to-know change is a
    permission change (a declassification too)."""
    if ILocalrolesModifiedEvent.providedBy(event):
        return
    changed = set()
    for description in getattr(event, "descriptions", ()) or ():
        if IAttributes.providedBy(description):
            changed.update(name.rsplit(".", 1)[-1] for name in description.attributes)
    changed &= ACCESS_FIELDS
    if not changed:
        return
    if "classification" not in changed and not is_classified_item(obj):
        return
    audit.record(
        "permission_change",
        obj,
        change="fields",
        fields=sorted(changed),
        classification=getattr(obj, "classification", None) or "none",
        need_to_know=sorted(getattr(obj, "need_to_know", None) or ()),
    )


def on_login(event):
    user = event.object
    audit.record("login", None, actor=user.getId() or user.getUserName())


def on_logout(event):
    user = event.object
    if audit.is_anonymous(user):
        return  # nobody signed out (Plone's @@logout asked without a session): a GET writes nothing
    audit.record("logout", None, actor=user.getId() or user.getUserName())


def on_group_added(event):
    audit.record("group_change", None, principal=str(event.principal), group=event.group_id, change="added")


def on_group_removed(event):
    audit.record("group_change", None, principal=str(event.principal), group=event.group_id, change="removed")


def on_clearance_changed(event):
    """A person's security clearance changed (hdnd.content.clearance)."""
    audit.record(
        "clearance_change", None, principal=event.userid, old=event.old, new=event.new
    )
