"""Test layers of hdnd (plone.app.testing).

HDND_FIXTURE loads the ZCML of both packages and applies hdnd.policy:default
on the test site, the same profile a real site gets.
"""

from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

from contextlib import contextmanager

import email
import socket
import subprocess
import tempfile


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The tests' own LibreOffice (started by the tests that convert documents,
# see start_libreoffice), on a free port so that a running `hdnd serve`
# does not answer in its place.
OFFICE_PORT = free_port()
OFFICE_DIR = tempfile.mkdtemp(prefix="hdnd-office-")


def start_libreoffice():
    from hdnd.content.docgen import libreoffice

    return libreoffice.start(OFFICE_PORT, OFFICE_DIR)


def pdf_text(data):
    """A PDF's text (pdftotext), its whitespace folded to single spaces."""
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx(*paragraphs, pages=1):
    """A small Word document (bytes): ``paragraphs`` on each of ``pages`` pages."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = []
    for page in range(pages):
        if page:
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        body += [f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{DOCX}.main+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        z.writestr("word/document.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}">'
            f'<w:body>{"".join(body)}</w:body></w:document>'))
    return buffer.getvalue()


@contextmanager
def as_system(portal):
    """Steps taken as the office would, without playing each role (workflow
    guards read the user's roles: adopted roles would not pass them)."""
    from AccessControl.SecurityManagement import getSecurityManager
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import setSecurityManager
    from AccessControl.users import UnrestrictedUser

    before = getSecurityManager()
    newSecurityManager(None, UnrestrictedUser("tests", "", ["Manager"], []).__of__(portal.acl_users))
    try:
        yield
    finally:
        setSecurityManager(before)


@contextmanager
def site_of_own(db, site_id="plone"):
    """The test site on a connection of its own, as the test server's
    administrator: for a thread that works beside another (the concurrency
    tests). Everything uncommitted is aborted when it ends."""
    import transaction

    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import noSecurityManager
    from plone.app.testing import SITE_OWNER_NAME
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite

    connection = db.open()
    try:
        app = makerequest(connection.root()["Application"])
        newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
        site = app.unrestrictedTraverse(site_id)
        setSite(site)
        yield site
    finally:
        noSecurityManager()
        setSite(None)
        transaction.abort()
        connection.close()


class Inbox:
    """What a real SMTP server on 127.0.0.1 received (aiosmtpd handler)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def local_smtp(portal):
    """A real SMTP server on a free port of 127.0.0.1, and the site's mail
    settings pointing at it; yields its Inbox. The caller commits."""
    from aiosmtpd.controller import Controller
    from plone import api

    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailhost = api.portal.get_tool("MailHost")
        mailhost.smtp_host, mailhost.smtp_port = "127.0.0.1", port
        api.portal.set_registry_record("plone.smtp_host", "127.0.0.1")
        api.portal.set_registry_record("plone.smtp_port", port)
        api.portal.set_registry_record("plone.email_from_address", "vanphong@hdnd.example.vn")
        api.portal.set_registry_record("plone.email_from_name", "Văn phòng Đảng đoàn")
        yield inbox
    finally:
        controller.stop()


class HdndLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import collective.documentgenerator
        import hdnd.content
        import hdnd.policy
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=collective.documentgenerator)
        self.loadZCML(package=hdnd.content)
        self.loadZCML(package=hdnd.policy)

    def setUpPloneSite(self, portal):
        self.applyProfile(portal, "hdnd.policy:default")
        from hdnd.content.docgen import libreoffice
        from hdnd.content.docgen.install import configure_libreoffice

        configure_libreoffice(libreoffice.uno_python(f"{OFFICE_DIR}/uno"), OFFICE_PORT)
        from plone import api

        # Tests sign in with HTTP Basic as administrators and clearance holders;
        # the second factor is switched on by the tests of the second factor.
        api.portal.set_registry_record("hdnd.signin.require_second_factor", False)


HDND_FIXTURE = HdndLayer()

HDND_INTEGRATION_TESTING = IntegrationTesting(
    bases=(HDND_FIXTURE,), name="hdnd:Integration"
)
HDND_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(HDND_FIXTURE,), name="hdnd:Functional"
)
# REST and browser tests talk HTTP to a real WSGI server (waitress).
HDND_API_TESTING = FunctionalTesting(
    bases=(HDND_FIXTURE, WSGI_SERVER_FIXTURE), name="hdnd:API"
)
