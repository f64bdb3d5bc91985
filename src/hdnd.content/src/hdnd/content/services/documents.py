"""REST of the office's generated documents.

``GET <item>/@hdnd-templates`` lists the templates that apply to the item;
``GET <item>/@hdnd-generate/<template>?format=pdf`` (odt, pdf or docx)
returns the document, generated as the requesting user.
"""

from hdnd.content.docgen import generation
from hdnd.content.docgen.install import applicable
from hdnd.content.downloads import attachment
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import json


class Templates(Service):
    def reply(self):
        url = self.context.absolute_url()
        return {
            "items": [
                {
                    "id": t.getId(),
                    "title": t.title,
                    "description": t.description,
                    "formats": list(t.pod_formats or ()),
                    "@id": f"{url}/@hdnd-generate/{t.getId()}",
                }
                for t in applicable(self.context)
            ]
        }


@implementer(IPublishTraverse)
class Generate(Service):
    template_id = None

    def publishTraverse(self, request, name):
        if self.template_id is None:
            self.template_id = name
            return self
        raise BadRequest(f"template: one template id in the URL, got another part {name!r}")

    def render(self):
        self.check_permission()
        if not self.template_id:
            raise BadRequest("template: add the template's id to the URL, e.g. @hdnd-generate/giay-moi")
        try:
            data, filename, mimetype = generation.generate(
                self.context, self.template_id, self.request.form.get("format", "pdf")
            )
        except generation.GenerationError as error:
            raise BadRequest(str(error))
        except generation.ConverterUnavailable as error:
            self.request.response.setStatus(503)
            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps({"error": {"type": "ServiceUnavailable", "message": str(error)}})
        return attachment(self.request.response, data, filename, mimetype)
