"""``@@hdnd-account``: a person's sign-in security — set up an authenticator
app (QR code, first code, recovery codes shown once), new recovery codes,
turning it off where allowed, signing out everywhere, the password's age.

Every change is a POST with the form's CSRF token; the rules are in
hdnd.policy.signin.factors and .sessions (REST: hdnd.policy.account).
"""

from hdnd.content.i18n import _
from hdnd.content.core import formats
from hdnd.policy import pending
from hdnd.policy import signin
from hdnd.policy.signin import credentials
from hdnd.policy.signin import factors
from hdnd.policy.signin import sessions
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView

import datetime


class AccountView(BrowserView):
    recovery_codes = None  # shown once, right after they are made
    error = None

    def __call__(self):
        self.user = api.user.get_current()
        self.guard = signin.guard()
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            done = self.act(self.request.form.get("action"), self.request.form.get("code", ""))
            if done == "signed-out":
                return self.request.response.redirect(f"{api.portal.get().absolute_url()}/login")
        return self.index()

    def act(self, action, code):
        try:
            if action == "begin":
                factors.begin(self.user, self.guard)
            elif action == "confirm":
                self.recovery_codes = factors.confirm(self.user, code, self.guard)
                self.say(_("msg_factor_on", default="Your authenticator app is set up. Keep the recovery codes below."))
            elif action == "recovery-codes":
                self.recovery_codes = factors.new_recovery_codes(self.user, code, self.guard)
                self.say(_("msg_recovery_renewed", default="New recovery codes made; the old ones no longer work."))
            elif action == "turn-off":
                factors.turn_off(self.user, code, self.guard)
                self.say(_("msg_factor_off", default="The second factor is off for your account."))
            elif action == "sign-out-everywhere":
                sessions.sign_out_everywhere(self.user.getId(), self.guard)
                api.portal.get().acl_users.resetCredentials(self.request, self.request.response)
                self.say(_("msg_signed_out_everywhere", default="You are signed out on every device. Sign in again."))
                return "signed-out"
        except factors.FactorError as error:
            self.error = error.text(self.request)
        return None

    def say(self, message):
        api.portal.show_message(message, request=self.request)

    # What the template shows ----------------------------------------------------------

    def state(self):
        status = factors.status(self.user, self.guard)
        pending_secret = None if status["enrolled"] else factors.pending_secret(self.user, self.guard)
        status["pending"] = bool(pending_secret)
        if pending_secret:
            uri = credentials.provisioning_uri(pending_secret, f"{self.user.getUserName()}@{factors.site_name()}")
            status["qr_svg"] = credentials.qr_svg(uri)
            status["secret"] = " ".join(pending_secret[i:i + 4] for i in range(0, len(pending_secret), 4))
        status["step"] = pending.step_for(self.user, self.guard)
        return status

    def password_changed(self):
        record = self.guard.peek("passwords", self.user.getId()) if self.guard else None
        if not record:
            return None
        when = datetime.datetime.fromtimestamp(record["changed"])
        days = signin.setting("password_max_days")
        return {"changed": formats.day(when),
                "expires": formats.day(when + datetime.timedelta(days=days)) if days else None}

    def limits(self):
        return {"idle": signin.setting("idle_minutes"), "hours": signin.setting("session_hours")}
