"""collective.documentgenerator's browser views, as hdnd offers them.

The links under an item's title (the add-on's viewlet) call
``document-generation``: hdnd's version renders through
:mod:`hdnd.content.docgen.generation` (applicable templates only, the audit
trail, a file name without the title, clear errors). The "persistent"
generation views, which store a file in the item as Manager for anyone who
may view it, are not offered.
"""

from hdnd.content.docgen import generation
from hdnd.content.docgen.install import applicable
from hdnd.content.downloads import attachment
from plone import api
from Products.Five import BrowserView
from zExceptions import BadRequest
from zExceptions import NotFound


class DocumentGeneration(BrowserView):
    def __call__(self):
        uid = self.request.form.get("template_uid", "")
        template = next((t for t in applicable(self.context) if t.UID() == uid), None)
        if template is None:
            raise NotFound("template: no such template for this item")
        try:
            data, filename, mimetype = generation.render(
                self.context, template, self.request.form.get("output_format", "pdf")
            )
        except generation.GenerationError as error:
            raise BadRequest(str(error))
        except generation.ConverterUnavailable as error:
            self.request.response.setStatus(503)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return str(error)
        return attachment(self.request.response, data, filename, mimetype)


class TemplatesListing(BrowserView):
    """The add-on's templates listing fails on Plone 6.2 (bytes and str):
    the templates section lists them instead."""

    def __call__(self):
        portal = api.portal.get()
        target = portal.get("mau-van-ban")
        url = f"{target.absolute_url()}/folder_contents" if target is not None else portal.absolute_url()
        return self.request.response.redirect(url)


class NotOffered(BrowserView):
    def __call__(self, *args, **kwargs):
        raise NotFound("This kind of document generation is not offered by hdnd.")
