"""No edit is lost without a word (issue 21): optimistic concurrency.

Opening an edit form locks nothing (locks.py: GETs never write), so two
people may open the same item's form at once. Each form carries the version
of the item it was opened on, in a hidden field; a save over an item that
changed since is refused with a form error naming who changed it and when,
and saves nothing. Over REST, a GET of an item answers an ``ETag`` (the same
version; for a container, also which items it holds: ``_shown_serials``) and
a ``Last-Modified``; any change of the item (PATCH, DELETE, a workflow step,
a service) sent with ``If-Match`` (or ``If-Unmodified-Since``) over a changed
item answers 412 and changes nothing, and a conditional GET of an unchanged
item answers 304 (conditions.py, one gate for every method).
A form posted without the field, or a PATCH without those headers, saves as
before: the check is the client's to ask for (a browser always asks).

The version is the id of the last committed transaction that wrote the item
or its workflow history (``_p_serial``, a ZODB transaction id), not its
modification date: every committed change of the item lands in one of these
two records whoever made it - the edit form, a PATCH, a script that never
calls ``notifyModified``, the workflow (whose history is a mapping of its own;
a transition may leave the item's record untouched) - while the modification
date is set only by those who remember to, and has the resolution of the
clock (two saves in one millisecond). Reading ``_p_serial`` writes nothing,
and it is only known after the commit: a PATCH's answer gets its ETag then
(``on_success``). A change that only touches other records (a lock, the
catalogue, an image scale) is not an edit of the item and does not count.
"""

from AccessControl import getSecurityManager
from Acquisition import aq_base
from DateTime import DateTime
from hdnd.content.core.formats import moment
from hdnd.content.i18n import _
from persistent import Persistent
from plone import api
from plone.folder.default import DefaultOrdering
from plone.restapi.services.content.update import ContentPatch
from plone.z3cform.fieldsets.extensible import FormExtender
from html import escape
from z3c.form import field
from z3c.form.browser.text import TextWidget
from z3c.form.interfaces import IFieldWidget
from z3c.form.interfaces import IFormLayer
from z3c.form.widget import FieldWidget
from z3c.form.error import InvalidErrorViewSnippet
from z3c.form.interfaces import HIDDEN_MODE
from z3c.form.interfaces import IDataManager
from z3c.form.interfaces import IValidator
from zope import schema
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.component import adapter
from zope.container.interfaces import IContainerModifiedEvent
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import Invalid
from ZODB.TimeStamp import TimeStamp
from ZODB.utils import z64


FIELD = "hdnd_version"
MODIFIED_BY = "_hdnd_modified_by"  # (userid, DateTime) of the last edit, set on save
PATCHED = "hdnd.policy.versions.patched"
ORDER_KEY = DefaultOrdering.ORDER_KEY  # a folder's order of its items, in its annotations


# -- the version

def _serials(obj):
    base = aq_base(obj)
    if not isinstance(base, Persistent):
        return []
    base._p_activate()  # a ghost's serial is known once loaded (a read)
    found = [base._p_serial]
    history = base.__dict__.get("workflow_history")
    if isinstance(history, Persistent):
        history._p_activate()
        found.append(history._p_serial)
    return found


def _newest(serials):
    """The latest of ``serials`` (z64 for a new item, which has none)."""
    return max(serials, default=z64) or z64


def version(obj):
    """The item's version: 16 hex digits, the latest transaction that wrote it."""
    return _newest(_serials(obj)).hex()


def _shown_serials(obj):
    """The serials of what the item's REST answer shows of it: its record and
    history, and for a container which items it holds, in which order (its
    ``items``: a child added, removed or moved writes the folder's count or
    its order, never the folder's own record). The edit form's version leaves
    these out: a document filed into a dossier is no edit of the dossier."""
    found = _serials(obj)
    base = aq_base(obj)
    count = base.__dict__.get("_count")
    if isinstance(count, Persistent):
        count._p_activate()
        found.append(count._p_serial)
    annotations = base.__dict__.get("__annotations__")
    order = annotations.get(ORDER_KEY) if annotations is not None else None
    if isinstance(order, Persistent):
        order._p_activate()
        found.append(order._p_serial)
    return found


def etag(obj):
    """The ETag of the item's REST answer (If-Match, If-None-Match)."""
    return f'"{_newest(_shown_serials(obj)).hex()}"'


def changed_at(obj):
    """When the ETag's version was committed (a POSIX time), or None for a new item."""
    serial = _newest(_shown_serials(obj))
    return None if serial == z64 else TimeStamp(serial).timeTime()


def last_change(obj):
    """(who, when) of the item's last change as far as it is known: the later
    of its last workflow step (the history names the actor) and its last
    saved edit (noted on save by ``note_modifier``); who may be None."""
    base = aq_base(obj)
    _serials(obj)  # loads it
    candidates = []
    noted = base.__dict__.get(MODIFIED_BY)
    if noted:
        candidates.append((noted[1], noted[0]))
    for entries in (base.__dict__.get("workflow_history") or {}).values():
        if entries and isinstance(entries[-1].get("time"), DateTime):
            candidates.append((entries[-1]["time"], entries[-1].get("actor")))
    if not candidates:
        return None, obj.modified()
    when, who = max(candidates, key=lambda c: c[0])
    return who, when


def fullname(userid):
    if not userid:
        return None
    user = api.user.get(userid=userid)
    return (user and user.getProperty("fullname")) or userid


def note_modifier(obj, event):
    """IObjectModifiedEvent: who saved, for the refusal of a later stale save.
    Written only when the item's own record is written anyway (Dexterity's
    reindexOnModify sets its modification date on this same event), never by
    a GET; not for an event about another object (a sublocation), nor for a
    child added or removed (IContainerModifiedEvent: writing the container's
    record then would make every create in a section conflict)."""
    if event.object is not obj or IContainerModifiedEvent.providedBy(event):
        return
    user = getSecurityManager().getUser()
    userid = user.getId() if user is not None else None
    if userid and isinstance(aq_base(obj), Persistent):
        setattr(aq_base(obj), MODIFIED_BY, (userid, DateTime()))


# -- the edit form

class IVersionField(Interface):
    """The hidden field of an edit form that carries the item's version."""


@implementer(IVersionField)
class VersionField(schema.ASCIILine):
    pass


class Extender(FormExtender):
    """Adds the hidden version field to the edit form of any Dexterity item of
    the site (hdnd's types and Plone's alike)."""

    order = 1000

    def update(self):
        if aq_base(self.form.getContent()) is not aq_base(self.context):
            return  # an edit form of something else (a control panel edits the registry)
        fields = field.Fields(VersionField(__name__=FIELD, required=False))
        fields[FIELD].mode = HIDDEN_MODE
        self.add(fields)


@implementer(IDataManager)
@adapter(Interface, IVersionField)
class VersionDataManager:
    """The field's value is the item's version; saving it stores nothing."""

    def __init__(self, context, field):
        self.context, self.field = context, field

    def get(self):
        return version(self.context)

    def query(self, default=None):
        return version(self.context)

    def set(self, value):
        pass

    def canAccess(self):
        return True

    def canWrite(self):
        return True


class Stale(Invalid):
    """The item changed since the form was opened."""


@implementer(IValidator)
@adapter(Interface, Interface, Interface, IVersionField, Interface)
class VersionCheck:
    def __init__(self, context, request, view, field, widget):
        self.context, self.request = context, request

    def validate(self, value, force=False):
        if not value:
            return  # a form posted without the field: saved as before
        if value != version(self.context):
            raise Stale(stale_message(self.context))


def stale_message(obj):
    who, when = last_change(obj)
    return _(
        "error_edit_stale",
        default="${who} changed this item at ${when}, after you opened this form. "
        "Nothing was saved, so that their change is not lost. Your entries are still "
        "below: copy what you need, open the edit form again and redo your change.",
        mapping={"who": fullname(who) or _("someone_else", default="Someone else"),
                 "when": moment(when)},
    )


class VersionWidget(TextWidget):
    """The hidden field's widget. Its error is about the form as a whole and
    shown at the form's top (StaleSnippet), not again beside a hidden field."""

    @property
    def error(self):
        return None

    @error.setter
    def error(self, value):
        pass


@adapter(IVersionField, IFormLayer)
@implementer(IFieldWidget)
def version_widget(field, request):
    return FieldWidget(field, VersionWidget(request))


class StaleSnippet(InvalidErrorViewSnippet):
    """The refusal. Plone's form shows a failed save as one alert at the
    top: the form's status line (its ``formErrorsMessage``, "There were some
    errors", which asks to look at the marked fields) above the errors that
    have no widget. The refusal marks no field, so it takes the status line's
    place instead of standing under it: the form's ``formErrorsMessage`` is
    set to it here (this snippet is made and updated while the save is
    checked, before the form sets its status), and the error stays with its
    hidden widget, which shows no error (VersionWidget), so it is said once. Its text keeps
    the alert's own colour (Plone's red error text on the alert's pink is
    below WCAG AA's contrast, 3.4:1)."""

    def update(self):
        super().update()
        text = self.render()
        for each in (self.form, getattr(self.form, "parentForm", None)):
            if each is not None and hasattr(each, "formErrorsMessage"):
                # Escaped here: the status is rendered as structure (a
                # person's name is in it). Chameleon leaves an unknown str as it is.
                each.formErrorsMessage = text

    def render(self):
        return f'<span class="hdnd-stale-edit">{escape(translate(self.message, context=self.request))}</span>'


# -- REST

class Patch(ContentPatch):
    """PATCH of an item; If-Match / If-Unmodified-Since are checked before it
    runs, as for every unsafe request (hdnd.policy.conditions.gate). Its
    answer gets the item's new ETag (on_success)."""

    def reply(self):
        result = super().reply()
        if self.request.response.getStatus() < 300:
            IAnnotations(self.request)[PATCHED] = self.context
        return result


def on_success(event):
    """IPubSuccess (after the commit): a PATCH answers the item's new ETag,
    known only now that its transaction has an id."""
    request = event.request
    obj = IAnnotations(request, {}).get(PATCHED)
    if obj is not None:
        request.response.setHeader("ETag", etag(obj))
