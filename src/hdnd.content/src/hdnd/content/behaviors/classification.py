"""Classification (độ mật) and need to know, for any item that can be secret.

The fields are stored on the item; who may then see it is enforced by the
security machinery (workflows and the clearance rules), never by hiding
fields in forms.
"""

from hdnd.content.i18n import _
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import provider


@provider(IFormFieldProvider)
class IClassification(model.Schema):
    model.fieldset(
        "classification",
        label=_("fieldset_classification", default="Classification"),
        fields=["classification", "need_to_know", "classified_on", "protection_extended_until"],
    )

    classification = schema.Choice(
        title=_("label_classification", default="Classification"),
        description=_(
            "help_classification",
            default="Mật, Tối mật or Tuyệt mật make the item (and, on a dossier, "
            "everything in it) visible only to cleared users who need to know.",
        ),
        vocabulary="hdnd.vocabularies.Classification",
        default="none",
        required=True,
    )

    need_to_know = schema.List(
        title=_("label_need_to_know", default="Need to know"),
        description=_(
            "help_need_to_know",
            default="The people who may see this classified item "
            "(they also need a sufficient clearance).",
        ),
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.Users"),
        default=[],
        required=False,
    )
    classified_on = schema.Date(
        title=_("label_classified_on", default="Classified on"),
        description=_(
            "help_classified_on",
            default="Date of the classification decision; protection runs 10 (Mật), "
            "20 (Tối mật) or 30 (Tuyệt mật) years from it, then the item is "
            "declassified automatically. Today if left empty.",
        ),
        required=False,
    )

    protection_extended_until = schema.Date(
        title=_("label_protection_extended_until", default="Protection extended until"),
        required=False,
    )

    directives.widget(
        "need_to_know",
        vocabulary="plone.app.vocabularies.Users",
        pattern_options={"placeholder": _("Search users")},
    )
