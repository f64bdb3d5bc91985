"""One way to keep something in an object's annotations (the site's
counters, clearances, logs, a document's statuses…): made on first use,
and never made by a reader, since a GET must commit nothing."""

from zope.annotation.interfaces import IAnnotations


def stored(context, key, factory, create=True, default=None):
    """What ``context`` keeps under ``key`` in its annotations; on first use
    ``factory()``, kept there. With ``create=False`` nothing is written:
    ``default`` while there is nothing yet."""
    annotations = IAnnotations(context)
    if key not in annotations:
        if not create:
            return default
        annotations[key] = factory()
    return annotations[key]
