"""The report as a document to hand over: ``report.pdf`` and ``report.docx``.

The PDF is the report page itself printed by headless Chromium (A4, page numbers in the
bottom margin, headings kept with what follows, every collapsed part opened), so it says
exactly what the page says; the fonts are embedded by Chromium. Without Chromium the PDF is
skipped with one line saying so; the report stands.

A batch prints through one Chromium kept open for the whole run (:class:`Printer`, driven by
Playwright where it is installed): starting a browser costs a second or more per PDF, a page
in an open one a few tenths. Each report gets a new browser context (nothing carried from
one to the next) and the same print settings as ``chromium --print-to-pdf`` (A4 from the
page's CSS, backgrounds printed, no header or footer): the pages come out the same. Without
Playwright, or if the kept browser fails, each PDF is printed by its own ``chromium``
process as before.

The Word document is written with python-docx from the same pieces as the page: real heading
styles, real tables, figures as images (the PNG each figure carries), an East-Asian font set
on every style so Chinese text shows in a Chinese face, and editable throughout.
"""

from __future__ import annotations

import base64
import io
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from html.parser import HTMLParser
from pathlib import Path

from .catalogue import t

EAST_ASIAN_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Noto Sans"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The headless browser that prints the PDF (``IMPACT_CHROMIUM`` names another)."""
    named = os.environ.get("IMPACT_CHROMIUM")
    if named:
        return named if Path(named).exists() or shutil.which(named) else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_html(page: str, language: str) -> str:
    """The page as printed: every collapsed part open, page numbers in the bottom margin."""
    numbers = (
        '"第 " counter(page) " 页，共 " counter(pages) " 页"'
        if language == "zh"
        else '"page " counter(page) " of " counter(pages)'
    )
    style = (
        "<style>@page { @bottom-center { content: "
        + numbers
        + '; font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; color: #555; } }'
        "</style>"
    )
    # a long table is one table on paper: join the rows shown with those behind the tap
    page = re.sub(
        r"</tbody></table><details><summary>[^<]*</summary><table class=\"data\">"
        r"<thead>.*?</thead><tbody>",
        "",
        page,
        flags=re.S,
    )
    return page.replace("<details>", "<details open>").replace("</head>", style + "</head>", 1)


BROWSER_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class Printer:
    """One headless Chromium kept open to print PDF after PDF, in a thread of its own.

    Playwright's synchronous API marks its event loop as running in the thread that uses it,
    which would confuse the kernel clients' loops, so only this thread touches it; callers
    hand it pages through a queue. :meth:`print` returns False whenever the kept browser
    cannot print (Playwright missing, the browser not starting or failing), and the caller
    prints with a ``chromium`` process instead.
    """

    def __init__(self, browser: str) -> None:
        self.browser = browser
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._broken = False

    def start(self) -> Printer:
        """Start the browser in the background (returns at once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, daemon=True, name="impact-pdf")
            self._thread.start()
        return self

    def print(self, page: str, path: Path, *, timeout: float = 120) -> bool:
        """Print the (already print-ready) ``page`` to ``path``; False if it could not."""
        if self._broken:
            return False
        self.start()
        done: Future = Future()
        self._jobs.put((page, path, timeout, done))
        try:
            printed = done.result(timeout=timeout + 30)
        except Exception:  # noqa: BLE001 - a hung browser: print without it from now on
            printed = False
        if not printed:
            self._broken = True
        return printed

    def close(self, timeout: float = 10) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=timeout)
            self._thread = None

    def _serve(self) -> None:
        playwright = browser = None
        try:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=self.browser, args=list(BROWSER_FLAGS)
            )
        except Exception:  # noqa: BLE001 - no Playwright, or no browser: print without
            self._broken = True
        while True:
            job = self._jobs.get()
            if job is None:
                break
            page, path, timeout, done = job
            if browser is None:
                done.set_result(False)
                continue
            try:
                context = browser.new_context()  # nothing kept from one report to the next
                try:
                    tab = context.new_page()
                    tab.set_content(page, wait_until="load", timeout=timeout * 1000)
                    tab.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
                finally:
                    context.close()
                done.set_result(path.exists() and path.stat().st_size > 0)
            except Exception:  # noqa: BLE001 - the caller prints without the kept browser
                done.set_result(False)
        for step in (browser and browser.close, playwright and playwright.stop):
            try:
                if step:
                    step()
            except Exception:  # noqa: BLE001 - going away either way (Ctrl-C reached it too)
                pass


def write_pdf(
    page: str,
    path: Path,
    *,
    language: str,
    timeout: float = 120,
    printer: Printer | None = None,
) -> str | None:
    """Print ``page`` to ``path`` (through ``printer``'s kept browser when given). Returns
    ``None`` when done, or the one line a reader sees when the PDF could not be made."""
    browser = find_chromium()
    if browser is None:
        return t("pdf_skipped", language)
    printable = print_html(page, language)
    if printer is not None and printer.print(printable, path, timeout=timeout):
        return None
    with tempfile.TemporaryDirectory(prefix="impact-pdf-") as work:
        source = Path(work) / "report.html"
        source.write_text(printable, "utf-8")
        command = [
            browser,
            "--headless",
            *BROWSER_FLAGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={path}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.SubprocessError):
            pass
    if not path.exists() or path.stat().st_size == 0:
        return t("pdf_failed", language)
    return None


# ---------------------------------------------------------------------- Word


class _Pieces(HTMLParser):
    """Headings, paragraphs and tables of the page's markup, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple] = []
        self._text: list[str] | None = None
        self._kind = ""
        self._table: list[list[str]] | None = None
        self._header_rows = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._skip = 0  # inside <summary>, <style>, <svg>

    def handle_starttag(self, tag, attrs):
        if tag in ("summary", "style", "svg", "script"):
            self._skip += 1
        elif self._skip:
            return
        elif tag in ("h1", "h2", "h3", "h4", "p", "li", "pre"):
            self._text, self._kind = [], tag
            if tag == "p" and ("class", "note") in attrs:
                self._kind = "note"
        elif tag == "table":
            self._table, self._header_rows = [], 0
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            if tag == "th" and not self._row:
                self._header_rows = max(self._header_rows, len(self._table) + 1)
        elif tag == "br" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("summary", "style", "svg", "script"):
            self._skip = max(self._skip - 1, 0)
        elif self._skip:
            return
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.pieces.append(("table", self._table, self._header_rows))
            self._table = None
        elif self._text is not None and tag in ("h1", "h2", "h3", "h4", "p", "li", "pre"):
            text = "".join(self._text).strip()
            if text:
                self.pieces.append((self._kind, text))
            self._text = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._text is not None:
            self._text.append(data)


def pieces(markup: str) -> list[tuple]:
    parser = _Pieces()
    parser.feed(markup)
    parser.close()
    return parser.pieces


def write_docx(blocks, path: Path, *, title: str, footer: str) -> None:
    """An editable Word document of the report's pieces (see the module's description)."""
    import docx
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Cm(2))
    for style in document.styles:
        if style.type == 1 and style.name in (
            "Normal",
            "Title",
            "Heading 1",
            "Heading 2",
            "Heading 3",
            "Heading 4",
            "List Bullet",
            "Table Grid",
        ):
            _east_asian(style)
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = title
    usable = section.page_width - section.left_margin - section.right_margin
    last_table = None
    for block in blocks:
        if block.figure:
            if block.png:
                picture = io.BytesIO(base64.b64decode(block.png))
                document.add_picture(picture, width=min(Cm(12), usable))
            last_table = None
            continue
        for piece in pieces(block.markup):
            kind = piece[0]
            if kind == "table":
                rows, header_rows = piece[1], piece[2]
                if not rows:
                    continue
                if (
                    last_table is not None
                    and header_rows
                    and last_table[1] == rows[0]
                    and len(rows[0]) == len(last_table[0].columns)
                ):
                    for row in rows[header_rows:]:  # the rows behind "show the others"
                        _add_row(last_table[0], row)
                    continue
                last_table = (_add_table(document, rows, header_rows), rows[0])
                continue
            last_table = None
            text = piece[1]
            if kind in ("h1", "h2", "h3", "h4"):
                document.add_heading(text, level=0 if kind == "h1" else int(kind[1]) - 1)
            elif kind == "li":
                document.add_paragraph(text, style="List Bullet")
            elif kind == "note":
                run = document.add_paragraph().add_run(text)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            else:
                document.add_paragraph(text)
    note = document.add_paragraph().add_run(footer)
    note.font.size = Pt(8)
    document.save(path)


def _add_table(document, rows: list[list[str]], header_rows: int):
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for number, row in enumerate(rows):
        cells = _add_row(table, row)
        if number < header_rows:
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.font.bold = True
    if header_rows:
        _repeat_header(table.rows[0])
    document.add_paragraph()
    return table


def _add_row(table, row: list[str]):
    cells = table.add_row().cells
    for cell, text in zip(cells, row, strict=False):
        cell.text = text
        if _numeric(text):
            from docx.enum.text import WD_ALIGN_PARAGRAPH

            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return cells


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace("%", "").replace("–", "").replace(" ", "")
    return bool(stripped) and stripped.replace(".", "").replace("-", "").isdigit()


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _east_asian(style) -> None:
    from docx.oxml.ns import qn

    style.font.name = LATIN_FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
