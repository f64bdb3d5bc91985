"""Validation errors with readable messages, and the rules shared by types.

plone.restapi reports invariant and constraint errors with ``str(error)`` or
``error.doc()``; both must be a sentence in the user's language that names
the field, never a bare message id or a traceback.
"""

from datetime import datetime
from hdnd.content.i18n import _
from datetime import timezone
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import Invalid
from zope.schema import ValidationError


def invalid(message):
    """An ``Invalid`` (for invariants) carrying the translated message."""
    return Invalid(translate(message, context=getRequest()))


class FieldError(ValidationError):
    """A field's validation error whose message is a whole sentence
    (for constraints): forms and REST both show ``doc()``."""

    def doc(self):
        return translate(self.args[0], context=getRequest())


def _comparable(value):
    # A client may send one time with an offset and one without: compare
    # naive times as UTC rather than fail on naive-vs-aware.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def check_order(data, first, last, message, *, strict=True):
    """Refuse ``last`` before (or, if strict, equal to) ``first``."""
    start, end = getattr(data, first, None), getattr(data, last, None)
    if start is None or end is None:
        return
    start, end = _comparable(start), _comparable(end)
    if end < start or (strict and end == start):
        raise invalid(message)


def check_issuer_code(value):
    """An issuer abbreviation must read back from a printed symbol
    (letters and digits, hyphens between: ĐĐHĐND, BTCTW, QH14)."""
    from hdnd.content.core.symbols import is_code

    if value and not is_code(value):
        raise invalid(
            _(
                "error_issuer_code",
                default="symbol_abbreviation: letters and digits only "
                "(hyphens between), e.g. ĐĐHĐND.",
            )
        )
