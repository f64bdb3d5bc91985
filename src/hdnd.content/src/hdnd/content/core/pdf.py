"""A one-page PDF of a few lines of text, in pure Python (pyHanko's writer and
text stamps, with a font that has the Vietnamese letters): the demo's scans
and the tests' documents, where starting LibreOffice would be needless."""

from io import BytesIO


def text_pdf(lines, size=(595, 842)):
    from hdnd.content.core.signatures import _font
    from hdnd.content.core.signatures import quiet
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.pdf_utils.writer import PdfFileWriter
    from pyhanko.stamp import TextStamp
    from pyhanko.stamp import TextStampStyle

    writer = PdfFileWriter()
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, *size)]),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
        generic.NameObject("/Contents"): writer.add_object(generic.StreamObject(stream_data=b"")),
    }))
    blank = BytesIO()
    writer.write(blank)
    page = IncrementalPdfFileWriter(BytesIO(blank.getvalue()))
    font = _font()
    style = TextStampStyle(stamp_text="\n".join(lines), border_width=0,
                           text_box_style=TextBoxStyle(font=font, font_size=11) if font else TextBoxStyle(font_size=11))
    with quiet("fontTools"):
        TextStamp(page, style).apply(0, 60, size[1] - 60 - 16 * len(lines))
    out = BytesIO()
    page.write(out)
    return out.getvalue()
