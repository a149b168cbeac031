"""The Chinese font a report's figures are drawn in, found by name and checked, never boxes.

A figure's SVG keeps its text as text (the browser draws it in the reader's fonts), but the
PNG that goes into the Word document and ``figures/*.png`` is drawn by matplotlib, which
draws a character its font lacks as a box (□) and carries on. So before a figure is drawn
the font is resolved by family name (:data:`FAMILIES`, in order) in matplotlib's font list
and checked to hold Chinese characters; if none is there, the fonts on disk are looked at,
since matplotlib's cached font list may predate fonts installed later: the ones found are
added and the cache file rewritten, so the next process knows them too (where fonts
cannot be installed system-wide, ``IMPACT_FONT_PATH`` names folders to look in instead,
separated like ``PATH``). With no Chinese font on the machine at all, :class:`FontError`
says which package to install. While a
figure is drawn, a glyph missing from its font is an error, not a box
(:func:`check_glyphs`).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ImpactError

#: Families with Chinese glyphs, best first (Linux, then macOS and Windows).
FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
PROBE = "中期评估报告资金撬动"  # characters every report draws
INSTALL = (
    "no Chinese font for the report's figures: install one, e.g. 'apt-get install "
    "fonts-noto-cjk' (Debian, Ubuntu) or 'dnf install google-noto-sans-cjk-fonts' (Fedora)"
)
MISSING_GLYPH = re.compile(r"Glyph (\d+) .*missing from (?:current )?font")


class FontError(ImpactError):
    """No font can draw the report's characters."""


def chinese_font(manager=None, *, search: list[Path] | None = None, cache: Path | None = None):
    """The family name of a font with Chinese glyphs that matplotlib knows.

    ``manager`` is matplotlib's font manager (the process's own by default). When none of
    its fonts has Chinese glyphs, the font files on disk (``search``: folders to look in,
    the system's by default) are read; fonts found with Chinese glyphs are added to the
    manager and the manager is written to ``cache`` (matplotlib's own cache file by
    default). Raises :class:`FontError` when there is no such font at all."""
    from matplotlib import font_manager

    manager = manager or font_manager.fontManager
    found = _known(manager)
    if found:
        return found
    if search is None and os.environ.get("IMPACT_FONT_PATH"):
        search = [Path(p) for p in os.environ["IMPACT_FONT_PATH"].split(os.pathsep) if p]
    known = {entry.fname for entry in manager.ttflist}
    for path in sorted(set(font_manager.findSystemFonts(fontpaths=search)) - known):
        if _has_chinese(path):
            manager.addfont(path)
    found = _known(manager)
    if not found:
        raise FontError(INSTALL)
    font_manager.json_dump(manager, cache or cache_file())
    return found


def cache_file() -> Path:
    """matplotlib's cached font list."""
    import matplotlib
    from matplotlib import font_manager

    return (
        Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
    )


def _known(manager) -> str | None:
    """The first of :data:`FAMILIES` the manager knows whose file holds Chinese glyphs."""
    by_name: dict[str, str] = {}
    for entry in manager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for family in FAMILIES:
        path = by_name.get(family)
        if path and Path(path).exists() and _has_chinese(path):
            return family
    for name, path in sorted(by_name.items()):  # any other font that draws Chinese
        if ("CJK" in name or name.endswith((" SC", " CN"))) and _has_chinese(path):
            return name
    return None


def _has_chinese(path: str) -> bool:
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in PROBE)


@contextmanager
def check_glyphs(font: str) -> Iterator[None]:
    """Draw inside this block: a character missing from the font raises :class:`FontError`
    (matplotlib would draw a box and only warn)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = sorted(
        {chr(int(m.group(1))) for w in caught if (m := MISSING_GLYPH.search(str(w.message)))}
    )
    if missing:
        raise FontError(
            f"the figure's font ({font}) has no glyph for {''.join(missing)!r}: " + INSTALL
        )
    for warning in caught:  # other warnings are not ours to swallow
        if not MISSING_GLYPH.search(str(warning.message)):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
