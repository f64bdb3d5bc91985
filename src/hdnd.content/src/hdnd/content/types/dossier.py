"""Dossier (hồ sơ công việc): the unit of filing, retention and closing.

A dossier holds the documents, slips and tasks of one matter. A document may
be filed in several dossiers without being copied: it lives in one place
and is listed in ``documents`` of every other dossier it belongs to.
"""

from hdnd.content.i18n import _
from hdnd.content.types.document import IOfficialDocument
from hdnd.content.validation import check_order
from hdnd.content.validation import FieldError
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer
from zope.interface import invariant

import re


# File plan codes such as 01.TCCB, 12.VP, 03.HĐND-KTNS.
DOSSIER_CODE = re.compile(r"^[0-9]{1,3}(\.[0-9A-Za-zĐđ-]+)+$")


def check_dossier_code(value):
    if value and not DOSSIER_CODE.match(value.strip()):
        raise FieldError(
            _(
                "error_dossier_code",
                default="dossier_code: a file plan code looks like 01.TCCB "
                "(number, dot, heading).",
            )
        )
    return True


class IDossier(model.Schema):
    title = schema.TextLine(
        title=_("label_dossier_title", default="Dossier title"),
        max_length=500,
    )

    description = schema.Text(
        title=_("label_description", default="Description"),
        required=False,
    )

    dossier_code = schema.TextLine(
        title=_("label_dossier_code", default="Dossier code"),
        description=_("help_dossier_code", default="The code from the file plan, e.g. 01.TCCB."),
        required=False,
        constraint=check_dossier_code,
    )

    retention = schema.Choice(
        title=_("label_retention", default="Retention"),
        description=_(
            "help_retention",
            default="Permanent or a number of years, counted from the year the dossier closes.",
        ),
        vocabulary="hdnd.vocabularies.Retention",
        required=False,
    )

    retention_decision = schema.TextLine(
        title=_("label_retention_decision", default="Decision lowering the retention"),
        description=_(
            "help_retention_decision",
            default="Retention may be raised at any time, lowered only with a recorded decision (number and date).",
        ),
        required=False,
    )

    start_date = schema.Date(title=_("label_start_date", default="Start date"), required=False)
    end_date = schema.Date(title=_("label_end_date", default="End date"), required=False)

    responsible = schema.Choice(
        title=_("label_responsible", default="Responsible"),
        vocabulary="plone.app.vocabularies.Users",
        required=False,
    )

    documents = RelationList(
        title=_("label_filed_documents", default="Documents filed here"),
        description=_(
            "help_filed_documents",
            default="Documents kept elsewhere that also belong to this dossier "
            "(filed without copying).",
        ),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        default=[],
        required=False,
    )
    directives.widget(
        "documents",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["OfficialDocument"], "recentlyUsed": True},
    )

    closing_note = schema.Text(
        title=_("label_closing_note", default="Closing note"),
        description=_("help_closing_note", default="Chứng từ kết thúc: what the dossier holds, what is missing and why."),
        required=False,
    )
    held_until = schema.Date(
        title=_("label_held_until", default="Held back until"),
        description=_("help_held_until", default="Kept by the unit past its transfer date, with approval (at most 2 years)."),
        required=False,
    )
    legal_hold = schema.Bool(
        title=_("label_legal_hold", default="Legal hold"),
        description=_("help_legal_hold", default="A dossier under legal hold is never destroyed."),
        default=False,
        required=False,
    )

    @invariant
    def dates_in_order(data):
        check_order(
            data, "start_date", "end_date",
            _("error_dossier_dates", default="end_date: the dossier cannot end before it starts."),
            strict=False,
        )


@implementer(IDossier)
class Dossier(Container):
    """A dossier. Its own contents and ``documents`` together are its documents."""

    @property
    def record_year(self):
        """The year of its file plan: the year it was opened."""
        return self.start_date.year if getattr(self, "start_date", None) else None

    def filed_documents(self):
        """Documents of the dossier: those inside it, then those filed by relation."""
        inside = [o for o in self.objectValues() if IOfficialDocument.providedBy(o)]
        related = [r.to_object for r in (self.documents or ()) if r.to_object is not None]
        return inside + [d for d in related if d not in inside]
