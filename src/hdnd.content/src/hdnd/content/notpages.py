"""Names that are not pages answer as such: 404 or 400, never a 500.

Plone and its add-ons register, for every object, views that are parts of
other pages (a mail's body, a macro, a helper another view calls), views
that need an input they are not given when asked bare (a version number, a
sub-path), and ``++namespace++`` traversers that fail on a name they do not
know. Asked by URL, each answered 500 with its own traceback: a crawler, an
attacker or schemathesis finds them in minutes (tests/integration/
test_gets_write_nothing.py asks every registered one). The answer they
deserve is the one of a URL that names no page (404) or of a request that
lacks what the page needs (400, naming it).

What is refused, and why, is said here once, by family; ``refuse`` is asked
by the traversal gate (hidden.check) once traversal has found what it will
publish, and only for what it names. Errors of a view asked properly stay
what they are: nothing here catches an exception.
"""

from plone.registry.interfaces import IRegistry
from zExceptions import BadRequest
from zExceptions import NotFound
from zope.component import ComponentLookupError
from zope.component import queryMultiAdapter
from zope.component import queryUtility


# Parts of other pages, and helpers, that are no page of their own: asked by
# URL they named nothing a person can read (each failed on the context or the
# arguments the page that includes it passes).
NOT_PAGES = {
    # Mail bodies, rendered by the code that sends the mail with its options.
    "author-feedback-template": "the body of the mail to an author",
    "mail_password_template": "the body of the password reset mail",
    "registered_notify_template": "the body of the welcome mail",
    "contact-info-email": "the body of the contact form's mail",
    # Macros and fragments that other templates include.
    "ploneform-macros": "the macros of plone.app.z3cform's forms",
    "plone.outputfilters_captioned_image": "the fragment of a captioned image in rich text",
    "display_query_results": "the results fragment the collection's query widget asks with its query",
    "images-test": "plone.namedfile's test page of the scales of an image field",
    # Helpers other views call; PlonePAS's own say so with a 418.
    "pas_info": "PlonePAS's helper for templates (answers 418 'View not callable')",
    "pas_member": "PlonePAS's helper for templates (answers 418 'View not callable')",
    "pas_search": "PlonePAS's helper for templates (answers 418 'View not callable')",
    "babel_utils": "plone.app.multilingual's helper of the translation views",
    # The sharing page's former AJAX endpoint: no script of Plone 6.2 calls it
    # (the page posts to @@sharing), and it fails with any input (its macro
    # wants the page's ``icons``: NameError).
    "updateSharingInfo": "plone.app.workflow's former AJAX endpoint of the sharing page",
    # Hooks of Archetypes' edit forms (portal_factory, content_edit), which a
    # Dexterity site has not: versions are made by plone.app.versioningbehavior.
    "update_version_before_edit": "CMFEditions' hook of Archetypes' edit form",
    "update_version_on_edit": "CMFEditions' hook of Archetypes' edit form",
    # CMFEditions' views of a version of Archetypes' File and Image, which a
    # Dexterity site has not (they fail on any item with any version_id);
    # plone.app.versioningbehavior's version-view and download-version serve.
    "version_file_view": "CMFEditions' view of a version of an Archetypes File",
    "version_image_view": "CMFEditions' view of a version of an Archetypes Image",
    # Adding views: a step of a URL (``+/<type>``), never its end.
    "+": "the adding view, a step of an add form's URL",
    "+rule": "the content rules' adding view, a step of an add form's URL",
}

# Views that need an input a bare GET does not give: 400 naming it.
NEEDS = {
    # plone.app.versioningbehavior's and CMFEditions' views of one version.
    "version-view": ("version_id",),
    "download-version": ("version_id",),
    "revertversion": ("version_id",),
    # plone.app.customerize's form to customise a view's template (the ZMI's).
    "customizezpt.html": ("required", "view_name"),
}


def _no_sub_path(view):
    return getattr(view, "uuid", getattr(view, "fieldName", "")) is None


def _no_logo(view):
    return getattr(view, "data", True) is None


def _not_translatable(view):
    from plone.app.multilingual.interfaces import ITranslationManager

    try:
        ITranslationManager(view.context)
    except TypeError:
        return True
    return False


def _no_data_source(view):
    from collective.excelexport.interfaces import IDataSource

    return queryMultiAdapter((view.context, view.request), IDataSource) is None


def _caching_not_installed(view):
    from plone.base.utils import get_installer

    return not get_installer(view.context, view.request).is_product_installed("plone.app.caching")


def _not_constrainable(view):
    from plone.base.interfaces.constrains import ISelectableConstrainTypes

    return ISelectableConstrainTypes(view.context, None) is None


def _no_placeful_workflow(view):
    return getattr(view.context, "portal_placeful_workflow", None) is None


def _no_ldap_plugin(view):
    from Acquisition import aq_base

    return getattr(aq_base(getattr(view.context, "acl_users", None)), "pasldap", None) is None


# Views meant for some contexts or some sites only: a URL naming nothing
# (404) where what they work on is absent.
ABSENT = {
    "redirect-to-uuid": _no_sub_path,  # .../@@redirect-to-uuid/<uuid>
    "text-transform": _no_sub_path,  # .../@@text-transform/<field>
    "site-logo": _no_logo,  # no logo uploaded: Plone's default is a resource
    "babel_edit": _not_translatable,  # a site without plone.app.multilingual's set-up
    "collective.excelexport": _no_data_source,  # a type no export is written for
    "collective.excelexportcsv": _no_data_source,
    # "Restrictions" of the types added in a folder, for a folder that has no such choice.
    "folder_constraintypes_form": _not_constrainable,
    "placeful-workflow-configuration": _no_placeful_workflow,  # the tool not installed
    "workflow-policies-controlpanel": _no_placeful_workflow,
    # The add-on's control panel where the add-on is not installed (its
    # settings are not in the registry). Installed with a setting missing,
    # it stays the server fault it is.
    "caching-controlpanel": _caching_not_installed,
    # pas.plugins.ldap's control panel and inspector work on the plugin its
    # own profile makes, ``acl_users/pasldap``; hdnd's directory is a plugin
    # of its own (hdnd.policy.ldap_plugin), set up by ``hdnd``'s settings.
    "plone_ldapcontrolpanel": _no_ldap_plugin,
    "plone_ldapinspector": _no_ldap_plugin,
    "plone_ldapusers": _no_ldap_plugin,
    "plone_ldapgroups": _no_ldap_plugin,
    "plone_ldapnodeattributes": _no_ldap_plugin,
}


def refuse(request):
    """Raise the 404 or 400 that the published view deserves, if it is one
    of the names above asked without what it needs."""
    view = request.get("PUBLISHED")
    view = getattr(view, "__self__", view)  # a bound __call__
    name = getattr(view, "__name__", None)
    if not isinstance(name, str) or not hasattr(view, "request"):
        return
    if name in NOT_PAGES:
        raise NotFound(name)
    missing = [param for param in NEEDS.get(name, ()) if not request.form.get(param)]
    if missing:
        raise BadRequest(f"{name}: the parameter {', '.join(missing)} is required")
    absent = ABSENT.get(name)
    if absent is not None and absent(view):
        raise NotFound(name)


def not_a_page(exception, request):
    """The NotFound, for hidden.error_view, of a version that does not exist,
    or of an error raised while traversing to one of NOT_PAGES, the URL's
    last name (the adding views ``+``, ``+rule`` have no page to publish, a
    helper fails as it is made): they fail before the gate sees them. Only
    the errors of a thing used wrongly; a database's (POSKeyError is a
    KeyError) or a conflict's are never refused here."""
    from Products.CMFEditions.interfaces.IArchivist import ArchivistRetrieveError
    from ZODB.POSException import POSError

    if isinstance(exception, ArchivistRetrieveError):
        # download-version, revertversion… of a version_id the item has not
        # ("Version '7' does not exist"): a missing URL, wherever it is raised.
        return NotFound("version_id")
    if request.get("PUBLISHED") is not None or isinstance(exception, POSError) \
            or not isinstance(exception, (AttributeError, TypeError, ValueError, LookupError)):
        return None
    last = (request.get("PATH_INFO") or "").rstrip("/").rsplit("/", 1)[-1]
    last = last[2:] if last.startswith("@@") else last
    return NotFound(last) if last in NOT_PAGES else None


class RefusingNamespace:
    """A ``++namespace++`` traverser that answers 404 for a name it has not:
    plone.app.portlets' raise ValueError (no such portlet manager) or
    ComponentLookupError (none for this context), zope.traversing's skin a
    ComponentLookupError. Only these, from the namespace's own traversal:
    a database error (a POSKeyError is a KeyError) stays one."""

    def __init__(self, factory, context, request):
        self.namespace = factory(context, request)

    def traverse(self, name, remaining):
        try:
            return self.namespace.traverse(name, remaining)
        except (ValueError, ComponentLookupError):
            raise NotFound(name)


def refusing(dotted):
    from zope.dottedname.resolve import resolve

    factory = resolve(dotted)
    return lambda context, request: RefusingNamespace(factory, context, request)


contextportlets = refusing("plone.app.portlets.browser.traversal.ContextPortletNamespace")
dashboard = refusing("plone.app.portlets.browser.traversal.DashboardNamespace")
groupdashboard = refusing("plone.app.portlets.browser.traversal.GroupDashboardNamespace")
groupportlets = refusing("plone.app.portlets.browser.traversal.GroupPortletNamespace")
contenttypeportlets = refusing("plone.app.portlets.browser.traversal.ContentTypePortletNamespace")
skin = refusing("zope.traversing.namespace.skin")
