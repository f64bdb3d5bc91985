"""The security officer's audit log (domain §5): ``@@hdnd-audit`` on the
site (entries newest first, the verification result, pending alerts to
confirm) and ``@@hdnd-audit.csv`` (the whole chain, UTF-8 with a BOM so that
Excel reads Vietnamese). The log itself is :mod:`hdnd.content.audit`."""

from hdnd.content import audit
from hdnd.content.core import officetime
from hdnd.content.core.audit import to_csv
from hdnd.content.core.levels import CLASSIFICATION_TITLES
from hdnd.content.downloads import attachment
from hdnd.content.i18n import _
from hdnd.content.viewing import People
from plone import api
from plone.batching import Batch
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Forbidden

import json


CONFIRM_PERMISSION = "hdnd: Confirm audit alerts"

ACTION_TITLES = {
    "view": _("label_audit_action_view", default="View"),
    "download": _("label_audit_action_download", default="Download"),
    "generation": _("label_audit_action_generation", default="Generation"),
    "print": _("label_audit_action_print", default="Print"),
    "copy_permission": _("label_audit_action_copy_permission", default="Copy permission"),
    "transition": _("label_audit_action_transition", default="Transition"),
    "permission_change": _("label_audit_action_permission_change", default="Permission change"),
    "sharing_change": _("label_audit_action_sharing_change", default="Sharing change"),
    "group_change": _("label_audit_action_group_change", default="Group membership change"),
    "clearance_change": _("label_audit_action_clearance_change", default="Clearance change"),
    "login": _("label_audit_action_login", default="Login"),
    "login_failed": _("label_audit_action_login_failed", default="Failed login"),
    "logout": _("label_audit_action_logout", default="Logout"),
    "alert_confirmed": _("label_audit_action_alert_confirmed", default="Alert confirmed"),
}


class AuditLogView(BrowserView):
    template = ViewPageTemplateFile("templates/audit.pt")
    b_size = 50

    def __call__(self):
        if self.request.method == "POST":
            return self.confirm()
        self.log = audit.get_log(self.context, create=False)
        self.problems = self.log.verify() if self.log is not None else []
        return self.template()

    def confirm(self):
        CheckAuthenticator(self.request)
        if not api.user.has_permission(CONFIRM_PERMISSION, obj=self.context):
            raise Forbidden("You may not confirm audit alerts.")
        messages = api.portal.show_message
        try:
            seq = int(self.request.form.get("seq", ""))
            note = str(self.request.form.get("note", "") or "")[:1000]
            audit.confirm_alert(seq, note=note, site=self.context)
        except (ValueError, audit.AlertError):
            messages(
                _("error_audit_not_an_alert", default="That entry is not a pending alert."),
                request=self.request,
                type="error",
            )
        else:
            messages(
                _("message_audit_alert_confirmed", default="Alert ${seq} confirmed.",
                  mapping={"seq": seq}),
                request=self.request,
            )
        self.request.response.redirect(f"{self.context.absolute_url()}/@@hdnd-audit")
        return ""

    # What the template shows

    @property
    def intact(self):
        return not self.problems

    @property
    def head(self):
        seq, digest = self.log.head() if self.log is not None else (0, "0" * 64)
        return {"seq": seq, "hash": digest}

    def can_confirm(self):
        return api.user.has_permission(CONFIRM_PERMISSION, obj=self.context)

    def who(self, userid):
        """The person by name, their user id beside it: the log keeps ids
        (a failed login's name, a user since removed), the officer reads names."""
        if not hasattr(self, "_people"):
            self._people = People()
        name = self._people(userid)
        return f"{name} ({userid})" if userid and name != userid else userid or ""

    def alerts(self):
        return [self.row(e) for e in (self.log.alerts() if self.log is not None else [])]

    def batch(self):
        b_start = self.request.form.get("b_start", 0)
        try:
            b_start = max(0, int(b_start))
        except (TypeError, ValueError):
            b_start = 0
        sequence = audit.EntrySequence(self.log, action=self.request.form.get("action") or None)
        return Batch(sequence, self.b_size, b_start, orphan=0)

    def actions(self):
        return [{"id": key, "title": title} for key, title in ACTION_TITLES.items()]

    def row(self, entry):
        details = entry.get("details") or {}
        return {
            "seq": entry["seq"],
            "time": entry["time"].replace("T", " "),
            "actor": self.who(entry["actor"]),
            "action": ACTION_TITLES.get(entry["action"], entry["action"]),
            "target_path": entry["target_path"],
            "classification": CLASSIFICATION_TITLES.get(entry["target_classification"], "")
            if entry["target_classification"] != "none" else "",
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
            "hash": entry["hash"][:12],
        }


class AuditLogCSV(BrowserView):
    def __call__(self):
        log = audit.get_log(self.context, create=False)
        body = to_csv(log.iter_entries() if log is not None else []).encode("utf-8")
        stamp = officetime.now().strftime("%Y%m%d-%H%M")
        self.request.response.setHeader("Cache-Control", "no-store")
        return attachment(self.request.response, body, f"hdnd-audit-{stamp}.csv", "text/csv; charset=utf-8")
