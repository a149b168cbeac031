"""Turning an executed notebook into what the office receives: a self-contained HTML page a
town official can read on a phone, and (unless turned off) the same page printed to an A4
PDF and written as an editable Word document.

The page has no code and no scripts; figures are inline SVG with their text kept as text (so
Chinese renders with the reader's fonts), tables are HTML. Only two kinds of output are
inserted as markup: ``text/html`` and ``image/svg+xml`` from the workbench's own sections,
which escape every value that comes from data. Everything else (``text/plain``, errors) is
escaped here. How the page looks lives in :mod:`.page`; the PDF and Word writers in
:mod:`.document`.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from markupsafe import Markup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from . import format as fmt
from .catalogue import t
from .page import CSS, PAGE

SKIPPED_TAGS = {"remove", "parameters", "injected-parameters"}


@dataclass(frozen=True)
class Block:
    """One piece of the page in order: markup, or a figure (SVG for the page, PNG for Word)."""

    markup: str
    png: str | None = None  # base64, when the figure carries one
    figure: bool = False


def notebook_blocks(notebook: Path) -> list[Block]:
    """The pieces of an executed notebook's page, in order."""
    document = nbformat.read(notebook, as_version=4)
    blocks: list[Block] = []
    for cell in document.cells:
        if SKIPPED_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            blocks.append(Block(str(markdown2html_mistune(cell.source))))
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            block = _output_block(output)
            if block is not None:
                blocks.append(block)
    return blocks


def page_html(blocks: list[Block], *, title: str, language: str, footer: str) -> str:
    """The report page of ``blocks``."""
    parts = [
        Markup(f'<figure class="chart">{b.markup}</figure>' if b.figure else b.markup)
        for b in blocks
    ]
    return PAGE.render(title=title, language=language, blocks=parts, footer=footer, css=Markup(CSS))


def notebook_html(notebook: Path, *, title: str, language: str, footer: str) -> str:
    """The report page of an executed notebook."""
    return page_html(notebook_blocks(notebook), title=title, language=language, footer=footer)


def footer_text(record: dict, language: str) -> str:
    """When and with what the report was made: local time with its zone, version, commit."""
    git = record.get("git") or {}
    commit = (git.get("commit") or "?")[:10]
    if git.get("dirty"):
        commit += t("uncommitted", language)
    return t(
        "footer",
        language,
        time=fmt.local_time(record.get("started"), language),
        version=(record.get("versions") or {}).get("impact", "?"),
        commit=commit,
    )


def export_report(
    executed: Path,
    folder: Path,
    *,
    title: str,
    language: str,
    record: dict,
    pdf: bool = True,
    docx: bool = True,
    printer=None,
    timings: dict | None = None,
) -> list[str]:
    """Write ``report.html`` (and ``report.pdf``, ``report.docx`` unless turned off) into
    ``folder``. Returns one line per thing a reader should know (a skipped PDF), never
    raising for a missing browser. ``printer`` (a :class:`.document.Printer`) prints the PDF
    in a browser kept open for the batch; ``timings`` receives the seconds of each format."""
    from . import document

    clock = _Clock(timings)
    blocks = notebook_blocks(executed)
    footer = footer_text(record, language)
    page = page_html(blocks, title=title, language=language, footer=footer)
    (folder / "report.html").write_text(page, "utf-8")
    clock.lap("html_s")
    notes = []
    if pdf:
        note = document.write_pdf(page, folder / "report.pdf", language=language, printer=printer)
        if note:
            notes.append(note)
        clock.lap("pdf_s")
    if docx:
        document.write_docx(blocks, folder / "report.docx", title=title, footer=footer)
        clock.lap("docx_s")
    return notes


class _Clock:
    """Seconds per step, written into ``timings`` (when given)."""

    def __init__(self, timings: dict | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = round(now - self.last, 3)
        self.last = now


def _output_block(output) -> Block | None:
    kind = output.get("output_type")
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        if "image/svg+xml" in data:
            png = data.get("image/png")
            svg = re.sub(r"<metadata>.*?</metadata>", "", _text(data["image/svg+xml"]), flags=re.S)
            return Block(svg, _text(png) if png else None, True)
        if "text/html" in data:
            return Block(_text(data["text/html"]))
        if "text/markdown" in data:
            return Block(str(markdown2html_mistune(_text(data["text/markdown"]))))
        if "image/png" in data:
            png = _text(data["image/png"]).replace("\n", "")
            return Block(f'<img alt="" src="data:image/png;base64,{png}">', png, True)
        if "text/plain" in data:
            return Block(f"<pre>{html.escape(_text(data['text/plain']))}</pre>")
    if kind == "stream" and output.get("name") == "stdout":
        return Block(f"<pre>{html.escape(_text(output.get('text', '')))}</pre>")
    return None


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
