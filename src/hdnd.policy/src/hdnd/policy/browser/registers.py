"""The printable registers (``@@hdnd-register-print?register=incoming&year=2026``):
sổ đăng ký văn bản đến / đi as an HTML table, A4 landscape on paper. The
rows are those of the Excel export and the PDF template
(hdnd.content.registers): the catalog searches as the user, so a classified
document appears only to those cleared and named for it."""

from datetime import date
from hdnd.content.registers import rows
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser.marks import MarksMixin
from Products.Five.browser import BrowserView


class RegisterPrintView(BrowserView, MarksMixin):
    def direction(self):
        return "outgoing" if self.request.form.get("register") == "outgoing" else "incoming"

    def year(self):
        try:
            return int(self.request.form.get("year") or date.today().year)
        except ValueError:
            return date.today().year

    def years(self):
        this = date.today().year
        return list(range(this, this - 6, -1))

    def rows(self):
        types = dict(registry_pairs("document_types"))
        units = dict(registry_pairs("units"))
        found = []
        for row in rows(self.direction(), self.year()):
            row = dict(row)
            row["type_title"] = types.get(row["document_type"], "")
            row["receivers"] = ", ".join(units.get(u, u) for u in row["lead_units"])
            found.append(row)
        return found

    def day(self, value):
        return value.strftime("%d/%m/%Y") if value else ""

    def number(self, value):
        return f"{value:02d}" if value else ""
