"""``report.docx``: the report as an editable Word document, written from its blocks.

What an office does with it: edits the text, prints it, pastes tables into its own
summary. So: real heading styles; real tables whose column widths follow their content
(a programme's name is not squeezed into a sixth of the page), whose header row repeats on
every page and whose rows never split across pages, a short table kept on the page of the
figure that follows it; figures as the PNG drawn in a checked Chinese font
(:mod:`..fonts`), at their natural size; page numbers in the footer; fonts that Office on a
Chinese Windows PC has (宋体 and 黑体, Times New Roman and Arial for Latin letters), named
for East Asian text on every style; the author, title and language set.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from ..blocks import (
    Bullets,
    Document,
    Figure,
    Heading,
    Table,
    Text,
    aligned_right,
    display_rows,
)
from ..catalogue import t
from .cells import display_width

BODY_FONT = ("宋体", "Times New Roman")  # East Asian, Latin
HEADING_FONT = ("黑体", "Arial")
AUTHOR = "impact"
STATUS_COLOURS = {"green": "009E73", "amber": "B07800", "red": "D55E00"}  # Okabe–Ito
KEPT_ROWS = 12
MIN_COLUMN_CM = 1.6
SHORT_VALUE = 12  # half-width characters: a value this short keeps its width


def write(document: Document, path: Path, *, title: str, footer: str, language: str) -> None:
    """Write ``document`` as an editable Word document."""
    import docx
    from docx.shared import Cm, Pt, RGBColor

    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Cm(2))
    _styles(word, language)
    properties = word.core_properties
    properties.title = title
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.language = "zh-CN" if language == "zh" else "en-GB"
    properties.comments = footer
    _page_numbers(section, language)
    usable = section.page_width - section.left_margin - section.right_margin
    blocks = [b for b in document.blocks if not (isinstance(b, Table) and not b.shown)]
    keep_until = -1
    for index, block in enumerate(blocks):
        kept = index <= keep_until
        if isinstance(block, Heading):
            word.add_heading(block.text, level=0 if block.level == 1 else block.level - 1)
        elif isinstance(block, Text):
            paragraph = word.add_paragraph()
            run = paragraph.add_run(block.text)
            if block.style in ("note", "caution"):
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            if block.style == "caution":
                run.font.bold = True
            paragraph.paragraph_format.keep_with_next = kept
        elif isinstance(block, Bullets):
            for item in block.items:
                word.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            keep_until = max(keep_until, _kept_until(blocks, index))
            _table(word, block, usable, language, keep=index < keep_until)
        elif isinstance(block, Figure):
            width = min(Cm(block.width_in * 2.54), usable)
            word.add_picture(io.BytesIO(base64.b64decode(block.png)), width=width)
            word.paragraphs[-1].alignment = 1  # centred
    note = word.add_paragraph().add_run(footer)
    note.font.size = Pt(8)
    word.save(path)


def _kept_until(blocks: list, index: int) -> int:
    """A short table is kept on the page of the figure that follows it (and the notes
    between): the index of that figure, or ``index``."""
    table = blocks[index]
    if len(table.values) > KEPT_ROWS:
        return index
    after = index + 1
    while after < len(blocks) and isinstance(blocks[after], Text):
        after += 1
    return after if after < len(blocks) and isinstance(blocks[after], Figure) else index


def _table(word, table: Table, usable, language: str, keep: bool) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    shown, rows = display_rows(table, language)
    header = [label for _, label, _, _ in shown]
    numeric = [key == "interval" or aligned_right(table, place) for key, _, place, _ in shown]
    widths = column_widths([header, *rows], usable, numeric)
    grid = word.add_table(rows=0, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for number, texts in enumerate([header, *rows]):
        cells = grid.add_row().cells
        for place, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.width = widths[place]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(9.5)
            if number == 0:
                run.font.bold = True
            elif shown[place][0] == "light":
                colour = _status_colour(text, language)
                if colour:
                    run.font.color.rgb = RGBColor.from_string(colour)
                    run.font.bold = True
            if numeric[place] and number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.keep_with_next = keep or number == 0
        _row_properties(grid.rows[-1], header=number == 0)
    _grid_widths(grid, widths)
    if table.caption:
        caption = word.add_paragraph()
        run = caption.add_run(table.caption)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        caption.paragraph_format.keep_with_next = keep
    else:
        word.add_paragraph()


def column_widths(
    rows: list[list[str]], usable: int, numeric: list[bool] | None = None
) -> list[int]:
    """Widths (EMU) that follow the content: each column as wide as its longest value (a
    Chinese character counts two; a header may wrap to two lines). When they do not all
    fit, numbers and short values (a date, a status) keep their width, never wrapping,
    and the long text columns share what is left in proportion, none narrower than
    :data:`MIN_COLUMN_CM`."""
    from docx.shared import Cm, Emu

    header, values = rows[0], rows[1:]
    numeric = list(numeric or [False] * len(header))
    wanted = []
    for place, title in enumerate(header):
        longest = max((display_width(row[place]) for row in values), default=0)
        wanted.append((max(longest, (display_width(title) + 1) // 2, 4) + 2) * Cm(0.2))
        numeric[place] = numeric[place] or longest <= SHORT_VALUE
    if sum(wanted) <= usable:
        return [Emu(int(w)) for w in wanted]
    floor = int(Cm(MIN_COLUMN_CM))
    fixed = sum(w for w, number in zip(wanted, numeric, strict=True) if number)
    texts = [place for place, number in enumerate(numeric) if not number]
    spare = usable - fixed - floor * len(texts)
    if not texts or spare <= 0:  # too many numbers for the page: share it all out
        fixed, texts = 0, list(range(len(wanted)))
        spare = usable - floor * len(wanted)
    extra = {place: max(wanted[place] - floor, 0) for place in texts}
    scale = min(spare / sum(extra.values()), 1) if sum(extra.values()) and spare > 0 else 0
    return [
        Emu(int(floor + extra[place] * scale)) if place in extra else Emu(int(wanted[place]))
        for place in range(len(wanted))
    ]


def _grid_widths(grid, widths) -> None:
    """Word reads the grid's column widths; LibreOffice the cells'. Both are set."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    columns = grid._tbl.tblGrid.findall(qn("w:gridCol"))
    for column, width in zip(columns, widths, strict=False):
        column.set(qn("w:w"), str(int(width / 635)))  # EMU to twentieths of a point
    properties = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)


def _row_properties(row, *, header: bool) -> None:
    """A row that never splits across pages; the header row repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        properties.append(marker)


def _status_colour(text: str, language: str) -> str | None:
    for key, colour in STATUS_COLOURS.items():
        if text == t(key, language):
            return colour
    return None


def _styles(word, language: str) -> None:
    from docx.shared import Pt, RGBColor

    for style in word.styles:
        if style.type != 1:  # paragraph styles only
            continue
        if style.name.startswith("Heading") or style.name == "Title":
            _fonts(style, *HEADING_FONT, language)
            style.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
        elif style.name in ("Normal", "List Bullet", "Table Grid", "Caption", "Footer"):
            _fonts(style, *BODY_FONT, language)
    word.styles["Normal"].font.size = Pt(10.5)
    sizes = {"Title": 18, "Heading 1": 15, "Heading 2": 13, "Heading 3": 12}
    for name, size in sizes.items():
        word.styles[name].font.size = Pt(size)


def _fonts(style, east_asian: str, latin: str, language: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = latin
    properties = style.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    lang = properties.find(qn("w:lang"))
    if lang is None:
        from docx.oxml import OxmlElement

        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:val"), "zh-CN" if language == "zh" else "en-GB")


def _page_numbers(section, language: str) -> None:
    """``第 3 页，共 12 页`` / ``Page 3 of 12`` centred in the footer, as Word fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, middle, after = (
        ("第 ", " 页，共 ", " 页") if language == "zh" else ("Page ", " of ", "")
    )
    for text, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if text:
            paragraph.add_run(text).font.size = Pt(9)
        if field:
            _field(paragraph, field)


def _field(paragraph, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run()
    run.font.size = Pt(9)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)
