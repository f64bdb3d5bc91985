"""The incoming and outgoing registers (sổ đăng ký văn bản đến / đi) of a
year, as the user may see them: one place for the PDF template and the
Excel export.

Each has an ordinary register and a separate register for secret documents
(domain §3): a document is in the one its number was taken for
(:func:`hdnd.content.numbers.in_secret_register`), never in both, whoever
reads. Secret incoming documents have their own arrival series, so the
ordinary incoming register is gapless for everyone. Secret Party documents
share the ordinary outgoing series by law: the ordinary outgoing register
then skips their numbers for everyone, cleared or not, and shows nothing in
their place (no row, date or count) — the gap the law forces, nothing more.
"""

from hdnd.content.core import layout
from hdnd.content.types.processing_slip import IProcessingSlip
from plone import api


# The names the print view and the Excel export accept: (direction, secret).
REGISTERS = {
    "incoming": ("incoming", False),
    "outgoing": ("outgoing", False),
    "incoming-secret": ("incoming", True),
    "outgoing-secret": ("outgoing", True),
}


def rows(direction, year, secret=False):
    """The year's documents of one register in number order (the catalog
    applies the user's access)."""
    from hdnd.content.numbers import in_secret_register

    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog(portal_type="OfficialDocument", direction=direction):
        doc = brain.getObject()
        day = doc.arrival_date if direction == "incoming" else doc.issue_date
        if day is None or day.year != year:
            continue
        if in_secret_register(doc) != bool(secret):
            continue
        found.append({
            "number": (doc.arrival_number if direction == "incoming" else doc.number) or 0,
            "day": day,
            "symbol": doc.symbol or "",
            "issue_date": doc.issue_date,
            "issuer": doc.issuing_body or "",
            "title": doc.title,
            "signer": doc.signer or "",
            "recipients": "; ".join(doc.recipients or ()),
            "marks": ", ".join(layout.marks(getattr(doc, "classification", None), doc.urgency)),
            # For the web register (hdnd.policy): its link, type, the levels
            # behind the marks, and the units the processing slips gave it to.
            "url": doc.absolute_url(),
            "document_type": doc.document_type or "",
            "classification": getattr(doc, "classification", None) or "none",
            "urgency": doc.urgency or "normal",
            "lead_units": [s.lead_unit for s in doc.objectValues()
                           if IProcessingSlip.providedBy(s) and getattr(s, "lead_unit", None)],
        })
    found.sort(key=lambda row: row["number"])
    return found
