import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def clean_dir() -> Path:
    return DATA / "clean"


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def ehec():
    """The Medicaid-expansion panel of R HonestDiD's README (tests/reference/honestdid)."""
    import pandas as pd

    return pd.read_csv(DATA / "ehec.csv")


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory):
    """Every embedded report in both languages, built once for the whole session (the
    report, browser and export tests all read these), with the index."""
    from impact.report import index, runner

    out = tmp_path_factory.mktemp("reports")
    # the sample's reports; the five programmes' are built by a slow test (test_report)
    files = sorted(
        p for p in (ROOT / "params").glob("*.yaml") if "data/programmes" not in p.read_text()
    )
    outcomes = []
    for language in ("zh", "en"):
        outcomes += runner.run(
            files,
            root=out,
            notebooks=ROOT / "notebooks",
            jobs=2,
            language=language,
            progress=False,
        )
    index.write_index(out)
    return out, outcomes


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download). Outside CI the
    tests skip when either is missing; in CI (.ci/run installs Chromium) they must run."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(chromium).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser tests: Chromium or Playwright is missing")
        pytest.skip("headless Chromium not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
