"""hdnd's own search page (issue 20), in place of Plone's @@search: full text
and the facets of @hdnd-search (hdnd.content.search, the same catalog query,
so a classified item the person may not see is neither listed nor counted),
results as rows with symbol, number, date, issuer, state and marks, paged.
The header's search box and its live search lead here (SearchBoxViewlet,
LiveSearch)."""

from hdnd.content import search
from hdnd.content.core import formats
from hdnd.content.i18n import _
from hdnd.content.vocabularies import registry_pairs
from hdnd.policy.browser.marks import marks_html
from plone import api
from plone.app.layout.viewlets.common import SearchBoxViewlet as PloneSearchBox
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zope.i18n import translate

import json


PAGE_SIZE = 20
PAGE_NAME = "hdnd-search-page"
FACET_LABELS = {
    "portal_type": _("label_search_type", default="Kind"),
    "record_year": _("label_search_year", default="Year"),
    "issuer": _("label_issuing_body", default="Issuing body"),
    "review_state": _("label_search_state", default="State"),
    "document_type": _("label_document_type", default="Document type"),
}


def _meta(brain, name):
    value = getattr(brain, name, None)
    return None if value is None or type(value).__name__ == "Missing" or value == "" else value


class SearchPage(BrowserView):
    """@@hdnd-search-page?SearchableText=…&portal_type=…&b_start=…"""

    def params(self):
        form = self.request.form
        params = {name: form[name] for name in search.FILTERS if form.get(name) not in (None, "", [])}
        return params

    def update(self):
        self.error = None
        self.found = None
        params = self.params()
        if not params:
            return
        params["b_start"] = self.request.form.get("b_start", 0)
        params["b_size"] = PAGE_SIZE
        try:
            self.found = search.find(params)
        except search.SearchError as error:
            # A form error naming the field, never a 5xx.
            field, _sep, _rest = str(error).partition(":")
            self.error = translate(_("error_search_field", default="This search cannot be run (${field}).",
                                     mapping={"field": field}), context=self.request)

    def __call__(self):
        self.update()
        return self.index()

    # -- results

    def total(self):
        return self.found["total"] if self.found else 0

    def rows(self):
        if not self.found:
            return []
        start = self.found["start"]
        states = self.state_titles()
        types = self.type_titles()
        rows = []
        for brain in self.found["brains"][start:start + PAGE_SIZE]:
            day = _meta(brain, "issue_date") or _meta(brain, "arrival_date") or brain.created
            rows.append({
                "url": brain.getURL(),
                "title": brain.Title or brain.getId,
                "kind": types.get(brain.portal_type, brain.portal_type),
                "symbol": _meta(brain, "symbol") or "",
                "number": _meta(brain, "arrival_number") or "",
                "date": formats.day(day),
                "issuer": self.issuer_title(_meta(brain, "issuer")),
                "state": states.get(_meta(brain, "review_state"), _meta(brain, "review_state") or ""),
                # Metadata a type lacks is Missing.Value: the marks read a plain dict.
                "marks": marks_html({"classification": _meta(brain, "classification"),
                                     "urgency": _meta(brain, "urgency")}, self.request),
            })
        return rows

    def pages(self):
        """Previous and next, with "page n of m"."""
        total = self.total()
        if not total:
            return None
        start = self.found["start"]
        base = {k: v for k, v in self.params().items()}

        def url(at):
            return f"{self.page_url()}?{urlencode(dict(base, b_start=at), doseq=True)}"

        return {
            "current": start // PAGE_SIZE + 1, "count": (total - 1) // PAGE_SIZE + 1,
            "previous": url(max(0, start - PAGE_SIZE)) if start > 0 else None,
            "next": url(start + PAGE_SIZE) if start + PAGE_SIZE < total else None,
        }

    # -- facets

    def facets(self):
        """Each facet as a select: the values found, with their counts."""
        if not self.found:
            return []
        titles = {"review_state": self.state_titles(), "portal_type": self.type_titles(),
                  "document_type": dict(registry_pairs("document_types")), "issuer": self.issuer_titles()}
        chosen = self.request.form
        result = []
        for name in search.FACETS:
            counts = self.found["facets"].get(name) or {}
            if not counts:
                continue
            options = []
            for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                title = titles.get(name, {}).get(value, value)
                if name == "record_year":
                    title = formats.year(value)
                options.append({"value": value, "title": f"{title} ({formats.number(count)})",
                                "selected": str(chosen.get(name, "")) == value})
            result.append({"name": name, "id": f"facet-{name}", "label": FACET_LABELS[name], "options": options})
        return result

    # -- titles

    def state_titles(self):
        if not hasattr(self, "_states"):
            titles = {}
            for workflow in api.portal.get_tool("portal_workflow").objectValues():
                for state in getattr(workflow, "states", {}).objectValues() if hasattr(workflow, "states") else ():
                    titles.setdefault(state.getId(), translate(state.title, domain="plone", context=self.request))
            self._states = titles
        return self._states

    def issuer_titles(self):
        if not hasattr(self, "_issuers"):
            self._issuers = search.issuer_titles()
        return self._issuers

    def issuer_title(self, code):
        """The issuing body's name for the code its symbol names (TU: Thành ủy); the code if unlisted."""
        return self.issuer_titles().get(code, code) if code else ""

    def type_titles(self):
        if not hasattr(self, "_types"):
            types = api.portal.get_tool("portal_types")
            self._types = {t.getId(): translate(t.Title(), context=self.request) for t in types.objectValues()}
        return self._types

    def page_url(self):
        return f"{api.portal.get().absolute_url()}/@@{PAGE_NAME}"


class LiveSearch(SearchPage):
    """The header's live search: Plone's pattern asks this view (JSON as
    Plone's @@ajax-search answers) and shows the rows with symbol and state;
    "show all" opens the search page."""

    def __call__(self):
        self.request.response.setHeader("Content-Type", "application/json; charset=utf-8")
        text = (self.request.form.get("SearchableText") or "").strip()
        if not text:
            return json.dumps({"total": 0, "items": []})
        try:
            found = search.find({"SearchableText": text, "b_size": 10})
        except search.SearchError:
            return json.dumps({"total": 0, "items": []})
        states = self.state_titles()
        items = []
        for brain in found["brains"][:10]:
            symbol = _meta(brain, "symbol")
            items.append({
                "id": brain.UID,
                "title": f"{symbol} — {brain.Title}" if symbol else brain.Title,
                "description": " · ".join(filter(None, [
                    formats.day(_meta(brain, "issue_date") or _meta(brain, "arrival_date")),
                    self.issuer_title(_meta(brain, "issuer")), states.get(_meta(brain, "review_state"), "")])),
                "url": brain.getURL(),
                "state": _meta(brain, "review_state"),
                "img_tag": None,
            })
        return json.dumps({"total": found["total"], "items": items})


class SearchBoxViewlet(PloneSearchBox):
    """The header's search box, sending to hdnd's search page (and its live search)."""

    index = ViewPageTemplateFile("templates/searchbox.pt")

    def page_url(self):
        return f"{self.navigation_root_url}/@@{PAGE_NAME}"
