"""PDFs printed through the browser kept open for a batch are the pages a ``chromium
--print-to-pdf`` process prints, and a kept browser that cannot start or print falls back
to that process."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from impact.report.render import pdf as document

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title>
<style>@page { size: A4; margin: 16mm 14mm 18mm; } .light { background: #2e7d32; color: #fff; }
section { break-before: page; }</style></head><body>
<h1>项目中期评估</h1><p class="light">按计划 on track</p>
<table><tr><th>项目</th><th>金额（元）</th></tr><tr><td>社区花园</td><td>12,000</td></tr></table>
<section><h2>第二页</h2><p>页码在下方。</p></section></body></html>"""


def _needs_browser():
    if document.find_chromium() is None:
        pytest.skip("headless Chromium not installed")
    pytest.importorskip("playwright.sync_api")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")


def _text_and_pages(pdf: Path) -> tuple[str, str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    sizes = [line for line in info.splitlines() if line.startswith(("Pages", "Page size"))]
    return text, "\n".join(sizes)


def test_the_kept_browser_prints_what_a_chromium_process_prints(tmp_path):
    _needs_browser()
    printer = document.Printer(document.find_chromium()).start()
    try:
        kept = [tmp_path / f"kept-{n}.pdf" for n in range(2)]
        for path in kept:  # twice: the second page comes from the same open browser
            assert document.write_pdf(PAGE, path, language="zh", printer=printer) is None
        assert not printer._broken
    finally:
        printer.close()
    alone = tmp_path / "alone.pdf"
    assert document.write_pdf(PAGE, alone, language="zh") is None
    text, pages = _text_and_pages(alone)
    assert "项目中期评估" in text and "第 2 页，共 2 页" in text and "A4" in pages
    for path in kept:
        assert _text_and_pages(path) == (text, pages)


def test_a_kept_browser_that_cannot_start_falls_back_to_a_chromium_process(tmp_path):
    _needs_browser()
    printer = document.Printer(str(tmp_path / "no-such-browser")).start()
    try:
        path = tmp_path / "report.pdf"
        assert document.write_pdf(PAGE, path, language="zh", printer=printer) is None
        assert path.read_bytes().startswith(b"%PDF") and printer._broken
    finally:
        printer.close()
