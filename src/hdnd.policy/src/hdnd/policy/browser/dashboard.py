"""The dashboard page (``@@hdnd-dashboard``): the same data as the REST
``@hdnd-dashboard``, with the programmes' progress drawn as a small SVG
chart (items done by the end of each month against items planned), so that
it needs no script."""

from hdnd.content.dashboard import dashboard
from hdnd.content.vocabularies import registry_pairs
from hdnd.content.core import formats
from hdnd.policy.browser.inbox import COUNT_KEY
from hdnd.policy.browser.marks import marks_html
from html import escape
from Products.Five.browser import BrowserView
from types import SimpleNamespace


WIDTH, HEIGHT = 640, 260  # the programme chart, in px (scaled down on a phone)


class DashboardView(BrowserView):
    WAITING_SHOWN = 10  # the rest on the inbox (@@hdnd-inbox)

    def day(self, value):
        """dd/mm/yyyy, the office's one format for dates."""
        return formats.day(value)

    def percent(self, value):
        """83,3 (a decimal comma, as the office writes numbers)."""
        return formats.number(value, 1)

    def __call__(self):
        # Before the page renders its navigation: the inbox tab's count is the
        # length of the waiting list computed here (no second look, as on the inbox).
        self.request.set(COUNT_KEY, len(self.data()["waiting"]))
        return self.index()

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
    """The planned and done curves (12 months) as an SVG with axes: month
    labels T1…T12 below, item counts on the left, a grid line per count
    tick; ``svg`` is the drawing (its text escaped), the figures are in the
    table beside it."""
    top = max(programme["planned_over_time"] + programme["done_over_time"] + [1])
    left, right, upper, lower = 44, 12, 14, 34
    plot_w, plot_h = WIDTH - left - right, HEIGHT - upper - lower
    step = plot_w / 11

    def x(i):
        return left + i * step

    def y(v):
        return upper + plot_h - plot_h * v / top

    def points(values):
        return " ".join(f"{x(i):.0f},{y(v):.0f}" for i, v in enumerate(values))

    ticks = sorted({0, round(top / 2), top})
    parts = [f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#495057" />',
             f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#495057" />']
    for value in ticks:
        parts.append(f'<line x1="{left}" y1="{y(value):.0f}" x2="{left + plot_w}" y2="{y(value):.0f}" '
                     f'stroke="#dee2e6" stroke-dasharray="3 3" />')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.0f}" text-anchor="end" font-size="12" '
                     f'fill="#212529">{escape(formats.number(value))}</text>')
    for i in range(12):
        parts.append(f'<line x1="{x(i):.0f}" y1="{upper + plot_h}" x2="{x(i):.0f}" y2="{upper + plot_h + 4}" '
                     f'stroke="#495057" />')
        parts.append(f'<text x="{x(i):.0f}" y="{upper + plot_h + 18}" text-anchor="middle" font-size="12" '
                     f'fill="#212529">T{i + 1}</text>')
    planned = points(programme["planned_over_time"])
    done = points(programme["done_over_time"]) if programme["done_over_time"] else ""
    parts.append(f'<polyline fill="none" stroke="#6c757d" stroke-width="2" stroke-dasharray="6 3" points="{planned}" />')
    if done:
        parts.append(f'<polyline fill="none" stroke="#146c43" stroke-width="3" points="{done}" />')
    return {
        "width": WIDTH, "height": HEIGHT, "top": top, "planned": planned, "done": done,
        "svg": "".join(parts),
    }