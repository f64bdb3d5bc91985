"""The office's face on every page (issue 20): a skip link, Plone's toolbar
toggle given a role, and the widgets whose controls Plone leaves unnamed
(templates/widgets). Styles: static/theme.css."""

from hdnd.content.i18n import _
from html import escape
from plone.app.layout.viewlets.common import ViewletBase
from plone.app.layout.viewlets.toolbar import ToolbarViewletManager
from zope.i18n import translate


class SkipLinkViewlet(ViewletBase):
    """The first thing a keyboard reaches: a link to the page's content."""

    def index(self):
        label = translate(_("label_skip_to_content", default="Skip to main content"), context=self.request)
        return f'<a class="hdnd-skip-link" href="#content">{escape(label)}</a>'


class Toolbar(ToolbarViewletManager):
    """Plone's toolbar, whose pin/unpin links carry an aria-label without a
    role (axe: aria-prohibited-attr, serious): they act as buttons, so they
    get role="button" and a tab stop. The rest is Plone's own rendering."""

    def render(self):
        html = super().render()
        for css in ("toolbar-collapse", "toolbar-expand"):
            html = html.replace(f'<a class="{css}"', f'<a class="{css}" role="button" tabindex="0"', 1)
        return html
