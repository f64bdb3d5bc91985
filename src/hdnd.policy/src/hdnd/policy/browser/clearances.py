"""The security officer's page of clearances (cấp độ tiếp cận bí mật):
every person with their clearance, changed one at a time by a POST with
the form's CSRF token."""

from hdnd.content.clearance import get_clearance
from hdnd.content.clearance import set_clearance
from hdnd.content.i18n import _
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory


class ClearancesView(BrowserView):
    def __call__(self):
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            userid, level = self.request.form.get("userid"), self.request.form.get("clearance")
            try:
                set_clearance(userid, level)
            except ValueError as error:
                api.portal.show_message(str(error), request=self.request, type="error")
            else:
                api.portal.show_message(
                    _("msg_clearance_set", default="Clearance of ${user} set.", mapping={"user": userid}),
                    request=self.request,
                )
        return self.index()

    def levels(self):
        factory = getUtility(IVocabularyFactory, "hdnd.vocabularies.Classification")
        return [{"value": t.value, "title": t.title} for t in factory(self.context)]

    def people(self):
        users = sorted(api.user.get_users(), key=lambda u: u.getProperty("fullname") or u.getId())
        return [
            {
                "id": u.getId(),
                "fullname": u.getProperty("fullname") or u.getId(),
                "clearance": get_clearance(u.getId()),
            }
            for u in users
        ]
