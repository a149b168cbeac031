"""``report.pdf``: the report page itself printed by headless Chromium (A4, page numbers in the
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
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

from ..catalogue import t

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
