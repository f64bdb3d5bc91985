"""The dashboard page (``@@hdnd-dashboard``): the same data as the REST
``@hdnd-dashboard``, with the programmes' progress drawn as a small SVG
chart (items done by the end of each month against items planned), so that
it needs no script."""

from hdnd.content.dashboard import dashboard
from hdnd.content.vocabularies import registry_pairs
from hdnd.content.core import formats
from hdnd.policy.browser.marks import marks_html
from Products.Five.browser import BrowserView
from types import SimpleNamespace


WIDTH, HEIGHT, PAD = 360, 140, 20


class DashboardView(BrowserView):
    WAITING_SHOWN = 10  # the rest on the inbox (@@hdnd-inbox)

    def day(self, value):
        """dd/mm/yyyy, the office's one format for dates."""
        return formats.day(value)

    def percent(self, value):
        """83,3 (a decimal comma, as the office writes numbers)."""
        return formats.number(value, 1)

    def data(self):
        if not hasattr(self, "_data"):
            self._data = dashboard(unit=self.request.form.get("unit") or None)
        return self._data

    def marks_of(self, item):
        """The marks of an item the data describes (its classification and urgency)."""
        return marks_html(SimpleNamespace(**item), self.request)

    def units(self):
        return [{"id": code, "title": title} for code, title in registry_pairs("units")]

    def unit_title(self, code):
        return dict(registry_pairs("units")).get(code, code)

    def chart(self, programme):
        return chart(programme)


def chart(programme):
    """Polyline points of the planned and done curves (12 months)."""
    top = max(programme["planned_over_time"] + programme["done_over_time"] + [1])

    def points(values):
        step = (WIDTH - 2 * PAD) / 11
        return " ".join(
            f"{PAD + i * step:.0f},{HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top:.0f}" for i, v in enumerate(values)
        )

    return {
        "width": WIDTH, "height": HEIGHT, "top": top,
        "planned": points(programme["planned_over_time"]),
        "done": points(programme["done_over_time"]) if programme["done_over_time"] else "",
    }
