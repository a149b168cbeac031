"""What every report section shares: the :class:`ReportBase` (data, programme, period,
language, typed options), display helpers (headings, notes, tables that state their n and
interval level, figures as SVG), saving tables and figures, and :func:`section`, which
keeps one section's failure from stopping the report.

A section that cannot be computed says why in one sentence in the reader's language:
it raises :class:`Unavailable` with a catalogue key, or, for an unforeseen error, a
generic sentence is shown and the details are written to ``section_errors.json``.
"""

from __future__ import annotations

import functools
import html
import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...dataset import Dataset
from ...errors import EstimationError
from ..catalogue import t
from ..format import columns
from ..page import FIGURE_RC, fit_figure, table_html
from ..params import Options

# How a leverage table's columns are written: whole yuan, ratios and their bounds to 0.01.
LEVERAGE_FORMATS = {
    "grant_yuan": "{:,.0f}",
    "leveraged_yuan": "{:,.0f}",
    "leverage_ratio": "{:.2f}",
    "ci_low": "{:.2f}",
    "ci_high": "{:.2f}",
}

CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "DejaVu Sans",
]


def setup_figures() -> None:
    """SVG figures whose text stays text, in fonts that have Chinese glyphs."""
    import matplotlib

    try:
        from IPython import get_ipython

        in_kernel = get_ipython() is not None
    except ImportError:
        in_kernel = False
    if not in_kernel:  # in a kernel, keep the inline backend so plot() calls display
        matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": CJK_FONTS,
            "axes.unicode_minus": False,
            **FIGURE_RC,
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", "png")  # PNG for the Word document
    except ImportError:  # outside IPython
        pass


class Unavailable(Exception):
    """A section cannot be computed from these data; ``key`` names the catalogue sentence
    that says why (filled with ``values``)."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


def section(heading: str | None):
    """Decorate a section method: show its heading, run it, and turn any failure into one
    sentence in the reader's language instead of a failed report."""

    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            if heading:
                self.heading(heading)
            try:
                return method(self, *args, **kwargs)
            except Unavailable as reason:
                self.note(self.t(reason.key, **reason.values))
            except EstimationError as exc:
                self._record_failure(method.__name__, exc)
                detail = "" if self.language == "zh" else f" ({exc})"
                self.note(self.t("section_not_estimable") + detail)
            except Exception as exc:  # noqa: BLE001 - one section never stops a report
                self._record_failure(method.__name__, exc)
                self.note(self.t("section_failed"))
            return None

        return run

    return wrap


@dataclass
class ReportBase:
    data: Dataset
    programme: str | None
    round_no: int | None
    year: int | None
    language: str
    title: str
    options: Options = field(default_factory=Options)
    output_dir: Path | None = None
    failures: list = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)
    _heading: str = field(default="", repr=False)  # names the workbook sheet of a table

    @classmethod
    def open(
        cls,
        data: str | Dataset,
        *,
        programme=None,
        round_no=None,
        year=None,
        language="zh",
        title=None,
        options=None,
        output_dir=None,
    ):
        """The report of ``data`` (a path or a :class:`Dataset`) with ``options`` (a dict
        as papermill passes it, or :class:`~impact.report.params.Options`)."""
        from ..loaded import load_kept

        setup_figures()
        if not isinstance(options, Options):
            options = Options.model_validate(dict(options or {}))
        return cls(
            data if isinstance(data, Dataset) else load_kept(data),
            programme,
            int(round_no) if round_no is not None else None,
            int(year) if year is not None else None,
            language,
            title or "",
            options,
            Path(output_dir) if output_dir else None,
        )

    # ------------------------------------------------------------------ options
    @property
    def ci(self) -> float:
        return float(self.options.ci)

    @property
    def n_boot(self) -> int:
        return int(self.options.n_boot)

    @property
    def seed(self) -> int:
        return int(self.options.seed)

    # ------------------------------------------------------------------ display helpers
    def t(self, key: str, **values) -> str:
        text = t(key, self.language, **values)
        if text == key and isinstance(key, str):  # an indicator code: its catalogue name
            from ...indicators import CATALOGUE

            for indicator in CATALOGUE:
                if indicator.code == key:
                    return indicator.zh if self.language == "zh" else indicator.en
        return text

    def _show(self, markup: str) -> None:
        from IPython.display import HTML, display

        display(HTML(markup))

    def heading(self, key: str | None = None, level: int = 2, text: str | None = None) -> None:
        words = text if text is not None else self.t(key)
        if level <= 2 or not self._heading:
            self._heading = words
        self._show(f"<h{level}>{html.escape(words)}</h{level}>")

    def note(self, text: str) -> None:
        self._show(f'<p class="note">{html.escape(text)}</p>')

    def paragraph(self, text: str) -> None:
        self._show(f"<p>{html.escape(text)}</p>")

    def bullets(self, lines: list[str]) -> None:
        if lines:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            self._show(f"<ul>{items}</ul>")

    def caption(self, n: int, unit: str = "projects", level: float | None = None) -> str:
        """``n = 15 projects; 95% intervals``: what every table states."""
        text = self.t("caption_n", n=n, unit=self.t(f"unit_{unit}"))
        if level is not None:
            text += self.t("caption_level", level=f"{level:.0%}")
        return text

    def table(
        self,
        frame: pd.DataFrame,
        name: str,
        headers: dict[str, str] | None = None,
        formats: dict[str, str] | None = None,
        *,
        n: int | None = None,
        unit: str = "projects",
        level: float | None = None,
    ) -> None:
        """Show a table (headers from the catalogue, values escaped and formatted for their
        unit, rows stacking into cards on a phone), a caption stating its n and interval
        level, and save it."""
        frame = _lists_as_text(frame, self.t("list_separator"))
        self._show(
            table_html(frame, columns(frame, self.language, formats, headers), self.language)
        )
        if n is not None:
            self.note(self.caption(n, unit, level))
        self.save_table(frame, name, headers=headers, formats=formats)

    def save_table(
        self,
        frame: pd.DataFrame,
        name: str,
        headers: dict[str, str] | None = None,
        formats: dict[str, str] | None = None,
    ) -> None:
        """A named sheet of the report's workbook and ``tables/<name>.csv`` (see ``files``)."""
        if self.output_dir is None:
            return
        from .. import files

        frame = _lists_as_text(frame, self.t("list_separator"))
        shown = columns(frame, self.language, formats, headers)
        files.write_csv(self.output_dir / "tables" / f"{name}.csv", frame, shown)
        sheet = self.t(f"sheet_{name}")
        files.add_sheet(
            self.output_dir,
            frame,
            shown,
            self._heading if sheet == f"sheet_{name}" else sheet,
            report_title=self.title,
            data_name=Path(str(self.data.origin or "")).name,
            language=self.language,
            kept=self._cache,
        )

    def figure(self, ax, name: str) -> None:
        """Show a figure inline as SVG (text kept as text, at body size on a phone) and save
        it as SVG and PNG (the PNG goes into the Word document)."""
        import base64
        import io

        import matplotlib.pyplot as plt
        from IPython.display import display

        figure = ax.figure
        fit_figure(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        picture = io.BytesIO()
        figure.savefig(picture, format="png", dpi=200)
        plt.close(figure)
        svg = buffer.getvalue()
        svg = svg[svg.index("<svg") :]
        png = picture.getvalue()
        display({"image/svg+xml": svg, "image/png": base64.b64encode(png).decode()}, raw=True)
        if self.output_dir is not None:
            folder = self.output_dir / "figures"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.svg").write_text(svg, "utf-8")
            (folder / f"{name}.png").write_bytes(png)

    def _record_failure(self, name: str, exc: BaseException) -> None:
        entry = {
            "section": name,
            "error": type(exc).__name__,
            "message": str(exc),
            "traceback": traceback.format_exception(exc),
        }
        self.failures.append(entry)
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            (self.output_dir / "section_errors.json").write_text(
                json.dumps(self.failures, ensure_ascii=False, indent=1), "utf-8"
            )

    # ------------------------------------------------------------------ shared pieces
    def title_block(self) -> None:
        self._show(f"<h1>{html.escape(self.title)}</h1>")

    def programme_name(self, programme: str | None = None) -> str:
        programme = programme or self.programme
        programmes = self.data.programmes
        # the reader's language, else the programme's Chinese name, else its code
        for column in ("name_zh",) if self.language == "zh" else ("name_en", "name_zh"):
            if programmes is not None and column in programmes:
                match = programmes.loc[programmes.programme_id == programme, column]
                if len(match) and pd.notna(match.iloc[0]):
                    return str(match.iloc[0])
        return str(programme or "")

    def programme_kind(self) -> str | None:
        programmes = self.data.programmes
        if programmes is None or "kind" not in programmes or self.programme is None:
            return None
        match = programmes.loc[programmes.programme_id == self.programme, "kind"]
        return str(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None

    def round_label(self, round_no, year=None, programme: str | None = None) -> str:
        """How a round is named (:func:`impact.dataset.round_label`): the office's own
        label in Chinese (第四届, 2024年度), 第4届 / round 4, or the year for a programme that
        numbers its rounds by year."""
        from ... import dataset

        programme = programme or self.programme
        numbering = label = None
        programmes, rounds = self.data.programmes, self.data.rounds
        if programmes is not None and "round_numbering" in programmes:
            match = programmes.loc[programmes.programme_id == programme, "round_numbering"]
            numbering = match.iloc[0] if len(match) and not _missing(match.iloc[0]) else None
        elif self.programme_kind() == "fund" and year is not None and not _missing(year):
            return self.t("year_label", year=int(year))
        if self.language == "zh" and rounds is not None and "label" in rounds:
            match = rounds.loc[
                (rounds.programme_id == programme) & (rounds["round"] == round_no), "label"
            ]
            label = match.iloc[0] if len(match) and not _missing(match.iloc[0]) else None
        return dataset.round_label(int(round_no), self.language, numbering=numbering, label=label)

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @section("data_quality")
    def data_quality(self) -> None:
        warnings = [str(w) for w in self.data.warnings]
        if not warnings:
            self.note(self.t("no_issues"))
        else:
            self.table(
                pd.DataFrame({"warning": warnings}), "data_quality", n=len(warnings), unit="rows"
            )

    @section(None)
    def commentary(self) -> None:
        """The evaluator's commentary and recommendations from the parameters file."""
        text = (self.options.commentary or "").strip()
        recommendations = [r for r in self.options.recommendations if str(r).strip()]
        if text:
            self.heading("commentary")
            for paragraph in text.split("\n\n"):
                self.paragraph(paragraph.strip())
        if recommendations:
            self.heading("recommendations")
            self.bullets([str(r) for r in recommendations])


def _not_reached(medians: pd.DataFrame, words: str) -> pd.DataFrame:
    """A median (or bound) the survival curve never got down to is "not reached", not a
    blank: the line outlasts the data."""
    medians = medians.copy()
    for column in ("median", "ci_low", "ci_high"):
        if column in medians:
            reached = medians[column].notna()
            medians[column] = medians[column].astype(object).where(reached, words)
    return medians


def _lists_as_text(frame: pd.DataFrame, separator: str) -> pd.DataFrame:
    """Lists in cells (lagging indicators) as words joined, not as Python lists."""
    # a plain loop: .map(...).any() fails on Arrow-backed string columns
    listed = [c for c in frame.columns if any(isinstance(v, list | tuple) for v in frame[c])]
    if not listed:
        return frame
    frame = frame.copy()
    for column in listed:
        frame[column] = frame[column].map(
            lambda v: separator.join(map(str, v)) if isinstance(v, list | tuple) else v
        )
    return frame


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
