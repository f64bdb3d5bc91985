"""Plone's login form with one more field: the code of the person's
authenticator app (or a recovery code), read by the sign-in guard as
``__ac_otp``. When the password was right but the code missing or wrong,
the form says so instead of Plone's generic failure."""

from hdnd.content.i18n import _
from plone import api
from plone.base.interfaces import ILoginFormSchema
from Products.CMFPlone.browser.login import login
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import field
from zope import schema
from zope.interface import Interface

import os


class ISignInCode(Interface):
    ac_otp = schema.TextLine(
        title=_("label_sign_in_code", default="Code from your authenticator app"),
        description=_("help_sign_in_code",
                      default="Only if your account has one: the six digits the app shows now, or a recovery code."),
        required=False,
    )


MESSAGES = {
    "needed": _("msg_sign_in_code_needed",
                default="Your account signs in with a second factor: type the code your authenticator app shows now."),
    "wrong": _("msg_sign_in_code_wrong",
               default="Sign-in failed: the code is wrong or already used. Type the code the app shows now."),
}


class LoginForm(login.LoginForm):
    fields = field.Fields(ILoginFormSchema) + field.Fields(ISignInCode)
    index = ViewPageTemplateFile(os.path.join(os.path.dirname(login.__file__), "templates", "login.pt"))

    def updateWidgets(self):
        super().updateWidgets()
        widget = self.widgets["ac_otp"]
        widget.name = widget.id = "__ac_otp"
        widget.autocomplete = "one-time-code"
        if self.request.environ.get("hdnd.signin.factor"):
            # The second step: the name stays, the password and the code are typed again.
            self.widgets["ac_name"].value = self.request.form.get(self.widgets["ac_name"].name, "")

    def update(self):
        super().update()
        reason = self.request.environ.get("hdnd.signin.factor")
        if reason in MESSAGES and api.user.is_anonymous():
            messages = IStatusMessage(self.request)
            messages.show()  # Plone's "wrong login or password": not what happened
            messages.add(MESSAGES[reason], "error")
