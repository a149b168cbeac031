"""After a report's notebook has run: every format the office receives, rendered from the
blocks its sections wrote (:mod:`.blocks`), which the executed notebook carries as JSON.

``report.html`` (a page a town official can read on a phone, no code, no scripts, figures as
inline SVG), ``report.xlsx`` and ``tables/*.csv``, ``figures/*.svg`` and ``*.png``, and
unless turned off ``report.docx`` (editable) and ``report.pdf`` (the page printed).
``section_errors.json`` keeps the details of any section that failed (the reader saw one
sentence). Nothing here runs code from the notebook, and nothing is parsed out of another
format: each renderer (:mod:`.render`) reads the blocks.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat

from .blocks import MIME, Document, Part
from .render import page, tables, word, workbook
from .render import pdf as printing


def read(executed: Path) -> Document:
    """The report's document: every part its notebook's outputs carry, in order."""
    notebook = nbformat.read(executed, as_version=4)
    parts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            value = output.get("data", {}).get(MIME)
            if value is None:
                continue
            if isinstance(value, str):
                value = json.loads(value)
            parts.extend(_parts(value))
    return Document(tuple(parts))


def _parts(value: dict) -> list[Part]:
    """The parts of one output: a document, a part, or a block displayed on its own."""
    if "parts" in value:
        return [Part.from_json(p) for p in value["parts"]]
    if "section" in value:
        return [Part.from_json(value)]
    return [Part.from_json({"section": "cell", "blocks": [value]})]


def export_report(executed: Path, folder: Path, **options) -> list[str]:
    """Write every format of the executed notebook ``executed`` into ``folder`` (see
    :func:`render` for ``options``)."""
    return render(read(executed), folder, **options)


def render(
    document: Document,
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
    """Write every format of ``document`` into ``folder``: the page always, the PDF and
    the Word document unless ``pdf``/``docx`` is False. Returns one line per thing a reader
    should know (a skipped PDF), never raising for a missing browser. ``printer`` (a
    :class:`.render.pdf.Printer`) prints the PDF in a browser kept open for the batch;
    ``timings`` receives the seconds of each format. Sections that could not be computed
    are left out: the report's closing box lists them."""
    clock = _Clock(timings)
    failures = document.failures
    document = document.shown()
    footer = page.footer_text(record, language)
    html = page.page_html(document, title=title, language=language, footer=footer)
    (folder / "report.html").write_text(html, "utf-8")
    clock.lap("html_s")
    data_name = document.meta.get("data_name") or Path(str(record.get("data_path") or "")).name
    if any(not table.empty for table in document.tables):
        workbook.write(
            document, folder / "report.xlsx", title=title, data_name=data_name, language=language
        )
        tables.write(document, folder / "tables")
    for figure in document.figures:
        folder.joinpath("figures").mkdir(exist_ok=True)
        (folder / "figures" / f"{figure.name}.svg").write_text(figure.svg, "utf-8")
        (folder / "figures" / f"{figure.name}.png").write_bytes(_png(figure.png))
    if failures:
        (folder / "section_errors.json").write_text(
            json.dumps([f.to_json() for f in failures], ensure_ascii=False, indent=1),
            "utf-8",
        )
    clock.lap("files_s")
    notes = []
    if pdf:
        note = _pdf(html, folder / "report.pdf", language, printer)
        if note:
            notes.append(note)
        clock.lap("pdf_s")
    if docx:
        word.write(document, folder / "report.docx", title=title, footer=footer, language=language)
        clock.lap("docx_s")
    return notes


def _pdf(html: str, path: Path, language: str, printer) -> str | None:
    return printing.write_pdf(html, path, language=language, printer=printer)


def _png(encoded: str) -> bytes:
    import base64

    return base64.b64decode(encoded)


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
