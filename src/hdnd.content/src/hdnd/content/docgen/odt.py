"""A small writer of appy.pod ODT templates, so that the office's templates
are Python that reviews and diffs, not binary files.

appy.pod reads a POD expression from a text-input field and a statement
("do text for item in view.items()") from a comment anchored in the part it
repeats or keeps. The builders here return ODF XML fragments:

- ``expr("view.date_line()")``: an expression;
- ``p(*parts, style="Body", do=None)``: a paragraph, with a statement if given;
- ``span(style, *parts)``: a character style (``B``, ``I``, ``U``, ``BU``);
- ``table(rows, widths, grid=False, keep=None)``: rows of cells, each cell a
  list of paragraphs; a row's statement goes on the first paragraph of its
  first cell. ``keep="next"`` keeps the table with what follows it,
  ``keep="whole"`` never splits it across pages (a signature block).

A signature block never falls alone onto a page: it is a ``whole`` table,
and what comes before it (the ``Keep``/``SpaceKeep`` paragraphs, or a table
with ``keep="next"``) stays with it, so LibreOffice moves the last lines of
the text over with the block rather than the block alone.

``build(body)`` wraps them into a whole ODT file (A4, the margins of the
Party layout, Times New Roman 14 pt, which LibreOffice renders with the
metric-compatible Liberation Serif where Times is not installed).
"""

from xml.sax.saxutils import escape

import io
import itertools
import re
import zipfile


NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    # appy.pod expects the namespaces LibreOffice declares, used or not.
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" '
    'xmlns:dr3d="urn:oasis:names:tc:opendocument:xmlns:dr3d:1.0" '
    'xmlns:math="http://www.w3.org/1998/Math/MathML" '
    'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:ooo="http://openoffice.org/2004/office" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
    'office:version="1.3"'
)

# Paragraph styles: (name, font size pt, bold, italic, align, first-line indent cm, space after cm).
# A style ending in "Keep" is kept with the next paragraph or table.
PARAGRAPH_STYLES = (
    ("Body", 14, False, False, "justify", 1.0, 0.15),
    ("Keep", 14, False, False, "justify", 1.0, 0.15),
    ("Plain", 14, False, False, "start", 0, 0.1),
    ("Center", 14, False, False, "center", 0, 0),
    ("Head", 13, False, False, "center", 0, 0),
    ("HeadBold", 13, True, False, "center", 0, 0),
    ("CenterBold", 14, True, False, "center", 0, 0),
    ("CenterItalic", 14, False, True, "center", 0, 0),
    ("Title", 15, True, False, "center", 0, 0.1),
    ("Mark", 13, True, False, "start", 0, 0),
    ("Small", 12, False, False, "start", 0, 0),
    ("SmallBold", 12, True, False, "start", 0, 0),
    ("Cell", 12, False, False, "start", 0, 0),
    ("CellCenter", 12, False, False, "center", 0, 0),
    ("CellBold", 12, True, False, "center", 0, 0),
    ("Space", 14, False, False, "start", 0, 0.6),
    ("SpaceKeep", 14, False, False, "start", 0, 0.6),
)
TEXT_STYLES = {
    "B": 'fo:font-weight="bold"',
    "I": 'fo:font-style="italic"',
    "U": 'style:text-underline-style="solid" style:text-underline-width="auto" '
         'style:text-underline-color="font-color"',
    "BU": 'fo:font-weight="bold" style:text-underline-style="solid" '
          'style:text-underline-width="auto" style:text-underline-color="font-color"',
}


def expr(code):
    """A POD expression, evaluated at generation with ``view`` (the helper),
    ``context`` and ``portal`` in scope."""
    return f'<text:text-input text:description="">{escape(code)}</text:text-input>'


def statement(code):
    return (
        "<office:annotation><dc:creator>hdnd</dc:creator><dc:date>2026-01-01T00:00:00</dc:date>"
        f"<text:p>{escape(code)}</text:p></office:annotation>"
    )


def _parts(parts):
    return "".join(part if part.startswith("<") else escape(part) for part in parts)


def span(style, *parts):
    return f'<text:span text:style-name="{style}">{_parts(parts)}</text:span>'


def p(*parts, style="Body", do=None):
    head = statement(do) if do else ""
    return f'<text:p text:style-name="{style}">{head}{_parts(parts)}</text:p>'


def table(rows, widths, grid=False, do_rows=None, keep=None):
    """``rows``: lists of cells, each cell a list of paragraphs (or one
    paragraph). ``do_rows`` maps a row index to the statement repeating it.
    ``keep``: None, "next" (kept with what follows) or "whole" (on one page)."""
    name = f"T{next(_tables)}"
    cell = "GridCell" if grid else "PlainCell"
    style = ("Grid" if grid else "Plain") + {None: "", "next": "Next", "whole": "Whole"}[keep]
    row_style = ' table:style-name="WholeRow"' if keep == "whole" else ""
    xml = [f'<table:table table:name="{name}" table:style-name="{style}">']
    for width in widths:
        xml.append(f'<table:table-column table:style-name="{_column_style(width)}"/>')
    for index, row in enumerate(rows):
        xml.append(f"<table:table-row{row_style}>")
        for position, content in enumerate(row):
            if isinstance(content, str) and not content.startswith("<"):
                content = p(content, style="CellBold")  # a heading cell
            paragraphs = [content] if isinstance(content, str) else list(content)
            if position == 0 and do_rows and index in do_rows:
                first = paragraphs[0]
                cut = first.index(">") + 1
                paragraphs[0] = first[:cut] + statement(do_rows[index]) + first[cut:]
            xml.append(f'<table:table-cell table:style-name="{cell}" office:value-type="string">')
            xml.extend(paragraphs or [p(style="Cell")])
            xml.append("</table:table-cell>")
        xml.append("</table:table-row>")
    xml.append("</table:table>")
    return "".join(xml)


_tables = itertools.count(1)


def _column_style(width_cm):
    """A column style named after its width in mm: "W165" is 16.5 cm."""
    return f"W{round(width_cm * 10)}"


def _paragraph_styles():
    for name, size, bold, italic, align, indent, after in PARAGRAPH_STYLES:
        text = [f'fo:font-size="{size}pt"']
        if bold:
            text.append('fo:font-weight="bold"')
        if italic:
            text.append('fo:font-style="italic"')
        keep = ' fo:keep-with-next="always"' if name.endswith("Keep") else ""
        yield (
            f'<style:style style:name="{name}" style:family="paragraph">'
            f'<style:paragraph-properties fo:text-align="{align}" fo:text-indent="{indent}cm" '
            f'fo:margin-top="0cm" fo:margin-bottom="{after}cm" fo:line-height="115%" '
            f'fo:orphans="2" fo:widows="2"{keep}/>'
            f'<style:text-properties {" ".join(text)}/></style:style>'
        )
    for name, properties in TEXT_STYLES.items():
        yield f'<style:style style:name="{name}" style:family="text"><style:text-properties {properties}/></style:style>'


def _styles_xml(landscape):
    width, height = ("29.7cm", "21cm") if landscape else ("21cm", "29.7cm")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NS}>'
        '<office:font-face-decls><style:font-face style:name="Times New Roman" '
        "svg:font-family=\"'Times New Roman'\" style:font-family-generic=\"roman\"/>"
        "</office:font-face-decls><office:styles>"
        '<style:default-style style:family="paragraph"><style:text-properties '
        'style:font-name="Times New Roman" fo:font-size="14pt" fo:language="vi" fo:country="VN"/>'
        "</style:default-style>"
        + "".join(_paragraph_styles())
        + "</office:styles><office:automatic-styles>"
        # The Party layout's margins: top and bottom 2 cm, left 3 cm, right 1.5 cm.
        f'<style:page-layout style:name="Page"><style:page-layout-properties fo:page-width="{width}" '
        f'fo:page-height="{height}" style:print-orientation="{"landscape" if landscape else "portrait"}" '
        'fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/>'
        "</style:page-layout></office:automatic-styles><office:master-styles>"
        '<style:master-page style:name="Standard" style:page-layout-name="Page"/>'
        "</office:master-styles></office:document-styles>"
    )


def _content_xml(body, text_width):
    columns = "".join(
        f'<style:style style:name="W{mm}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{int(mm) / 10}cm"/></style:style>'
        for mm in sorted(set(re.findall(r'table:style-name="W(\d+)"', body)), key=int)
    )
    border = 'fo:border="0.5pt solid #000000"'
    tables = "".join(
        f'<style:style style:name="{kind}{keep}" style:family="table"><style:table-properties '
        f'style:width="{text_width}cm" table:align="margins"{extra}/></style:style>'
        for kind in ("Plain", "Grid")
        for keep, extra in (("", ""), ("Next", ' fo:keep-with-next="always"'),
                            ("Whole", ' style:may-break-between-rows="false"'))
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
        "<office:automatic-styles>"
        f"{tables}"
        '<style:style style:name="WholeRow" style:family="table-row">'
        '<style:table-row-properties fo:keep-together="always"/></style:style>'
        '<style:style style:name="PlainCell" style:family="table-cell">'
        '<style:table-cell-properties fo:padding="0.05cm" fo:border="none"/></style:style>'
        '<style:style style:name="GridCell" style:family="table-cell">'
        f'<style:table-cell-properties fo:padding="0.1cm" {border}/></style:style>'
        f"{columns}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def build(body, title="", landscape=False):
    """The ODT file's bytes; the same body gives the same bytes (fixed dates)."""
    text_width = 25.2 if landscape else 16.5
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NS}><office:meta>'
        f"<dc:title>{escape(title)}</dc:title><meta:generator>hdnd</meta:generator>"
        "</office:meta></office:document-meta>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as odt:
        stamp = (2026, 1, 1, 0, 0, 0)
        # The mimetype comes first and uncompressed, as ODF requires.
        odt.writestr(zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.text")
        for name, text in (
            ("META-INF/manifest.xml", MANIFEST),
            ("content.xml", _content_xml(body, text_width)),
            ("styles.xml", _styles_xml(landscape)),
            ("meta.xml", meta),
        ):
            odt.writestr(zipfile.ZipInfo(name, stamp), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return out.getvalue()
