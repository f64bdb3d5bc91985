"""The Excel pages of a work programme or directive: import a tracking
sheet (a dry run first, then for real) and download the tracking sheet.
The same rules as ``@hdnd-import`` and ``@hdnd-export``."""

from hdnd.content import exports
from hdnd.content import imports
from hdnd.content.downloads import attachment
from hdnd.content.i18n import _
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import Unauthorized


class ImportView(BrowserView):
    report = None

    def __call__(self):
        if not imports.may_import(self.context):
            raise Unauthorized("import a tracking sheet")
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            upload = self.request.form.get("file")
            data = upload.read() if hasattr(upload, "read") else b""
            if not data:
                api.portal.show_message(_("msg_choose_file", default="Choose an .xlsx file."),
                                        request=self.request, type="error")
            else:
                try:
                    self.report = imports.import_sheet(
                        self.context, data, dry_run=bool(self.request.form.get("dry_run"))
                    )
                except imports.SheetRowsError as error:  # all or nothing: nothing written
                    self.report = error.report
                    api.portal.show_message(
                        _("msg_sheet_not_imported", default="The sheet has errors: nothing was imported. "
                          "Correct the rows below and import it again."), request=self.request, type="error")
                except imports.SheetImportError as error:
                    api.portal.show_message(str(error), request=self.request, type="error")
        return self.index()


class ExportView(BrowserView):
    def __call__(self):
        return attachment(self.request.response, exports.tracking_xlsx(self.context),
                          f"theo-doi-{self.context.getId()}.xlsx", exports.XLSX)
