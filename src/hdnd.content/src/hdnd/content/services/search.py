"""REST of the records search.

- ``GET /@hdnd-search?SearchableText=nghi quyet&record_year=2026&portal_type=OfficialDocument``:
  the first 50 results (``b_start``, ``b_size``) and facet counts by type,
  year, issuer, state and document type;
- ``GET /@hdnd-saved-searches``, ``POST {"name": "…", "query": {…}}``,
  ``DELETE ?name=…``: the current user's own saved searches.
"""

from hdnd.content import bodies
from hdnd.content import search
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import Unauthorized
from zope.interface import alsoProvides


class Search(Service):
    def reply(self):
        params = {k: v for k, v in self.request.form.items()}
        try:
            return search.search(params)
        except search.SearchError as error:
            raise BadRequest(str(error))


class SavedSearches(Service):
    def reply(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to keep searches.")
        userid = api.user.get_current().getId()
        try:
            if self.request.method == "GET":
                return {"items": search.saved(userid)}
            alsoProvides(self.request, IDisableCSRFProtection)
            if self.request.method == "POST":
                body = bodies.read(self.request)
                query = body.get("query")
                if not isinstance(query, dict):
                    raise search.SearchError('query: expected {"SearchableText": "…", …}')
                return {"items": search.save(userid, body.get("name"), query)}
            return {"items": search.forget(userid, self.request.form.get("name"))}
        except search.SearchError as error:
            raise BadRequest(str(error))
