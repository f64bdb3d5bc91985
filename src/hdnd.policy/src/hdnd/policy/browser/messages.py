"""Plone's status messages ("Thông tin: Đã tạo mới"), with the title of their
icon translated too: Plone puts the message id there, and a screen reader
read out "statusmessage_mtype_info"."""

from plone.app.layout.viewlets.globalstatusmessage import GlobalStatusMessage
from zope.i18n import translate


class StatusMessageViewlet(GlobalStatusMessage):
    def display_info_for_mtype(self, mtype):
        info = dict(super().display_info_for_mtype(mtype))
        info["msg"] = translate(info["msg"], context=self.request)
        return info
