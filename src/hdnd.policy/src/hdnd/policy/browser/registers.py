"""The printable registers (``@@hdnd-register-print?register=incoming&year=2026``):
sổ đăng ký văn bản đến / đi as an HTML table, A4 landscape on paper. The
rows are those of the Excel export and the PDF template
(hdnd.content.registers): the catalog searches as the user, so a classified
document appears only to those cleared and named for it. Secret documents
are in their own registers (``register=incoming-secret`` / ``outgoing-secret``),
never in the ordinary ones, so those have no gap a secret arrival would
leave (see hdnd.content.registers for the shared Party series)."""

from datetime import date
from hdnd.content.core import formats
from hdnd.content.registers import REGISTERS
from hdnd.content.registers import rows
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser.marks import MarksMixin
from Products.Five.browser import BrowserView


class RegisterPrintView(BrowserView, MarksMixin):
    def register(self):
        """incoming, outgoing, or one of the registers for secret documents
        (incoming-secret, outgoing-secret); the ordinary incoming one by default."""
        name = self.request.form.get("register")
        return name if name in REGISTERS else "incoming"

    def direction(self):
        return REGISTERS[self.register()][0]

    def secret(self):
        return REGISTERS[self.register()][1]

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
        for row in rows(self.direction(), self.year(), self.secret()):
            row = dict(row)
            row["type_title"] = types.get(row["document_type"], "")
            row["receivers"] = ", ".join(units.get(u, u) for u in row["lead_units"])
            found.append(row)
        return found

    def day(self, value):
        return formats.day(value)

    def number(self, value):
        return f"{value:02d}" if value else ""
