"""The message factory of the ``hdnd`` i18n domain, shared by both packages."""

from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import MessageFactory
from zope.interface import Invalid
from zope.schema import ValidationError


_ = MessageFactory("hdnd")


def invalid(message):
    """An ``Invalid`` carrying the message translated for the current user.

    plone.restapi reports invariant and constraint errors with ``str(error)``,
    which for a message id would be the bare id: translate it here, so that
    REST clients and forms both read the sentence in the user's language.
    """
    return Invalid(translate(message, context=getRequest()))


class FieldError(ValidationError):
    """A field's validation error whose message is a whole sentence.

    Raised by field constraints: forms and plone.restapi both show ``doc()``,
    here the message translated for the current user.
    """

    def doc(self):
        return translate(self.args[0], context=getRequest())
