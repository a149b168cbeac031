"""What every estimator returns: a small frozen result that shows itself as a table, as
text and as a plot, and records the inputs that produced it.

Shared display pieces live here too, so every result looks alike:

- :class:`Summary`: what ``result.summary()`` returns; prints as text, renders as HTML in
  Jupyter (``_repr_html_``), never a quoted string;
- :class:`StatisticalTest`: a test's name, null hypothesis, statistic, df and p (after
  linearmodels' ``WaldTestStatistic`` and lifelines' ``StatisticalResult``);
- :func:`check_ci`: the one check of a confidence level;
- :func:`yuan`: money as yuan with thousands separators.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from . import style
from .errors import EstimationError
from .inputs import Note
from .tables import display_table, latex_table, markdown_table, short_text

__all__ = [
    "CILevelError",
    "ModelResult",
    "RATIO_COLUMNS",
    "Result",
    "StatisticalTest",
    "Summary",
    "axes",
    "check_ci",
    "check_columns",
    "fit_table",
    "format_table",
    "model_table",
    "yuan",
    "z_value",
]


class CILevelError(EstimationError):
    """A confidence level outside (0, 1), such as ``ci=95`` for 95%."""


def check_ci(ci: Any, name: str = "ci") -> float:
    """Return ``ci`` as a float if it is a level strictly between 0 and 1, else raise
    :class:`CILevelError` (an :class:`~impact.errors.ImpactError` and ``ValueError``) saying
    how to write it. The one place every estimator checks its level."""
    try:
        level = float(ci)
    except (TypeError, ValueError):
        level = math.nan
    if isinstance(ci, bool) or not 0 < level < 1:
        hint = f"; for {ci}% write {name}={level / 100:g}" if 1 < level < 100 else ""
        raise CILevelError(
            f"{name} must be a confidence level strictly between 0 and 1 (e.g. 0.95), "
            f"not {ci!r}{hint}"
        )
    return level


def z_value(ci: float) -> float:
    """Two-sided normal critical value for level ``ci`` (checked)."""
    return float(stats.norm.ppf(0.5 + check_ci(ci) / 2))


def yuan(value: Any, decimals: int | None = None) -> str:
    """Money as yuan with thousands separators: ``3928000 -> "3,928,000 yuan"``,
    ``2.7073 -> "2.71 yuan"`` (two decimals below 100 unless ``decimals`` says otherwise);
    missing as an en dash."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    if math.isinf(number):
        return "not reached" if number > 0 else "–"
    if decimals is None:
        decimals = 2 if abs(number) < 100 else 0
    return f"{number:,.{decimals}f} yuan"


def _number(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "–"
        if math.isinf(value):
            return "not reached" if value > 0 else "–"
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    return str(value)


def _formatters(frame: pd.DataFrame, money: Iterable[str] = ()) -> dict[str, Callable]:
    """Money columns (named ``*_yuan``, or listed in ``money``) as yuan, everything else
    readable."""
    money = set(money)
    return {
        column: (yuan if str(column).endswith("_yuan") or column in money else _number)
        for column in frame.columns
    }


def format_table(frame: pd.DataFrame, money: Iterable[str] = ()) -> pd.DataFrame:
    """A copy of ``frame`` with every cell as display text (yuan, separators, "–")."""
    shown = frame.copy()
    for column, formatter in _formatters(frame, money).items():
        shown[column] = [formatter(v) for v in frame[column]]
    return shown


@dataclass(frozen=True)
class Summary:
    """What ``result.summary()`` returns: a title, then text lines and tables in order.

    ``print(summary)`` and ``str(summary)`` give plain text; Jupyter renders
    :meth:`_repr_html_` (values escaped). ``"text" in summary`` searches the text."""

    title: str
    parts: tuple[str | pd.DataFrame, ...] = ()
    money: tuple[str, ...] = ()  # further money columns, beside those named *_yuan

    def text(self) -> str:
        lines = [self.title] if self.title else []
        for part in self.parts:
            if isinstance(part, pd.DataFrame):
                with pd.option_context("display.width", 160, "display.max_columns", 40):
                    lines.append(format_table(part, self.money).to_string())
            elif part:
                lines.append(str(part))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:  # the console shows the text, not a quoted string
        return self.text()

    def __contains__(self, item: str) -> bool:
        return item in self.text()

    def _repr_html_(self) -> str:
        out = ['<div class="impact-summary">']
        if self.title:
            out.append(f"<p><b>{html.escape(self.title)}</b></p>")
        for part in self.parts:
            if isinstance(part, pd.DataFrame):
                out.append(format_table(part, self.money).to_html(escape=True, border=0))
            elif part:
                out.append(f"<p>{html.escape(str(part))}</p>")
        out.append("</div>")
        return "\n".join(out)


@dataclass(frozen=True, repr=False)
class StatisticalTest:
    """A hypothesis test's outcome: ``name``, ``null`` hypothesis, ``statistic``, degrees of
    freedom ``df``, ``p`` value and the reference ``distribution``.

    Reads like a record (``test.p``) and, for older callers, like the dict it replaces
    (``test["p"]``, ``test["chi2"]`` for the statistic, ``**test``)."""

    __test__ = False  # not a pytest test class

    name: str
    null: str
    statistic: float
    df: float
    p: float
    distribution: str = "chi2"

    def __str__(self) -> str:
        df = f"{self.df:g}" if isinstance(self.df, (int, float, np.number)) else str(self.df)
        return (
            f"{self.name}: {self.distribution}({df}) = {self.statistic:.3f}, "
            f"p = {self.p:.4g}\n  null hypothesis: {self.null}"
        )

    def __repr__(self) -> str:  # the console shows the test, not the fields
        return str(self)

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(str(self))}</pre>"

    def keys(self) -> Iterable[str]:
        return ("statistic", "df", "p", self.distribution)

    def __getitem__(self, key: str):
        if key == self.distribution:
            return self.statistic
        if key in ("name", "null", "statistic", "df", "p", "distribution"):
            return getattr(self, key)
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "null": self.null,
            "statistic": self.statistic,
            "df": self.df,
            "p": self.p,
            "distribution": self.distribution,
        }


def styled_plot(draw: Callable) -> Callable:
    """Wrap a result's ``plot(ax=None, ...)``: it draws inside :func:`impact.style.context`
    (over the settings nobody changed: a report's own sizes win) and accepts ``title=``,
    ``xlabel=`` and ``ylabel=`` to replace its own."""

    @functools.wraps(draw)
    def plot(self, ax=None, *args, title=None, xlabel=None, ylabel=None, **kwargs):
        with style.context(keep_settings=True):
            ax = draw(self, ax, *args, **kwargs)
            style.labels(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        return ax

    plot._styled = True
    plot.__doc__ = (draw.__doc__ or "Plot the result.") + (
        "\n\n        ``title``, ``xlabel`` and ``ylabel`` replace the figure's own; "
        "returns the matplotlib axes."
    )
    return plot


@dataclass(frozen=True, repr=False)
class Result:
    """Base of all results. ``table`` is tidy (one row per estimate); ``inputs`` records
    n, columns, options and seed so that a figure can be traced to how it was made;
    ``notes`` are :class:`~impact.inputs.Note` records (a stable ``key``, ``values`` and
    the English text) of what the estimator left out, changed or warns about.

    The notes also travel with the table: ``table.attrs`` holds ``title``, ``notes`` and
    ``caption`` (the title and the notes as one text), which :meth:`to_latex` and
    :meth:`to_markdown` print under the table.

    Subclasses are declared ``@dataclass(frozen=True, repr=False)`` so that the console
    shows the short text of :meth:`__repr__`, not the fields."""

    table: pd.DataFrame
    inputs: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    notes: tuple[Note, ...] = ()
    #: Columns shown as yuan in summaries beyond those named ``*_yuan``.
    money_columns: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        # Every ``plot`` draws in the shared style and takes title/xlabel/ylabel.
        super().__init_subclass__(**kwargs)
        plot = cls.__dict__.get("plot")
        if plot is not None and not getattr(plot, "_styled", False):
            cls.plot = styled_plot(plot)

    def __post_init__(self) -> None:
        notes = tuple(Note.of(n) for n in self.notes)
        object.__setattr__(self, "notes", notes)
        if isinstance(self.table, pd.DataFrame):
            self.table.attrs["title"] = self.title
            self.table.attrs["notes"] = [str(n) for n in notes]
            self.table.attrs["caption"] = self.caption

    @property
    def caption(self) -> str:
        """The title and the notes, as a table's caption."""
        return " ".join(
            [self.title.rstrip(".") + "." if self.title else ""]
            + [f"Note: {n.rstrip('.')}." for n in self.notes]
        ).strip()

    def summary(self) -> Summary:
        """The title, the table (money in yuan), the inputs and the notes."""
        settings = ", ".join(f"{k}={v}" for k, v in self.inputs.items())
        parts: list[str | pd.DataFrame] = [self.table]
        if settings:
            parts.append(f"inputs: {settings}")
        parts += [f"note: {n}" for n in self.notes]
        return Summary(self.title, tuple(parts), money=self.money_columns)

    def __str__(self) -> str:
        return str(self.summary())

    def __repr__(self) -> str:
        """A few lines: the kind and title, the table's first rows, n and the notes."""
        return short_text(self)

    def _repr_table(self) -> pd.DataFrame:
        """The table a short view shows (curves show their medians instead)."""
        return self.table

    def _repr_html_(self) -> str:  # notebooks show the summary, escaped
        return self.summary()._repr_html_()

    def to_markdown(self, *, digits: int = 3) -> str:
        """The table as a Markdown (pipe) table, the title above and the notes below."""
        return markdown_table(
            display_table(self.table, digits, self.money_columns),
            title=self.title,
            notes=self.notes,
        )

    def to_latex(self, *, digits: int = 3, label: str | None = None) -> str:
        """The table as a LaTeX ``table`` environment (booktabs rules), captioned with
        the title and the notes."""
        return latex_table(
            display_table(self.table, digits, self.money_columns), caption=self.caption, label=label
        )


@dataclass(frozen=True, repr=False)
class ModelResult(Result):
    """A result whose rows are model terms with ``estimate``, ``se``, ``ci_low`` and
    ``ci_high`` columns."""

    @property
    def params(self) -> pd.Series:
        return self.table["estimate"]

    @property
    def se(self) -> pd.Series:
        return self.table["se"]

    def conf_int(self) -> pd.DataFrame:
        return self.table[["ci_low", "ci_high"]]

    def plot(self, ax=None):
        """Coefficient plot with intervals; on the ratio scale (hazard, rate or leverage
        ratio) when the table has one, with the line of no effect at 1."""
        ax = axes(ax)
        table = self.table.drop(index=[t for t in ("const",) if t in self.table.index])
        ratio = next((c for c in ("hazard_ratio", "rate_ratio", "ratio") if c in table), None)
        if ratio:
            _, low, high = RATIO_COLUMNS[ratio]
            centre, lower, upper, null = table[ratio], table[low], table[high], 1.0
            ax.set_xscale("log")
        else:
            centre, lower, upper, null = (table.estimate, table.ci_low, table.ci_high, 0.0)
        centre, lower, upper = (np.asarray(v, dtype=float) for v in (centre, lower, upper))
        y = range(len(table))
        level = self.inputs.get("ci", 0.95)
        ax.errorbar(
            centre,
            y,
            xerr=[centre - lower, upper - centre],
            fmt="o",
            capsize=3,
            label=f"estimate, {level:.0%} pointwise interval",
        )
        ax.set_yticks(list(y), [str(t) for t in table.index])
        ax.invert_yaxis()  # the first term on top, as in the table
        ax.axvline(null, color="grey", linewidth=0.8)
        if ratio:
            finite = np.concatenate([lower, upper, [null]])
            finite = finite[np.isfinite(finite) & (finite > 0)]
            style.ratio_ticks(ax.xaxis, finite.min(), finite.max())
        ax.set_xlabel(
            f"{ratio.replace('_', ' ')}, {level:.0%} interval"
            if ratio
            else f"estimate, {level:.0%} interval"
        )
        return ax


def check_columns(df: pd.DataFrame, *columns: str | None) -> None:
    """Raise :class:`EstimationError` naming every requested column absent from ``df``."""
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise EstimationError(
            f"unknown column(s) {', '.join(map(repr, missing))}; the data "
            f"have {', '.join(map(str, df.columns))}"
        )


#: Ratio columns of model tables: name, lower bound, upper bound (exp of the estimate).
RATIO_COLUMNS = {
    "ratio": ("ratio", "ratio_low", "ratio_high"),
    "hazard_ratio": ("hazard_ratio", "hr_low", "hr_high"),
    "rate_ratio": ("rate_ratio", "rr_low", "rr_high"),
}


def model_table(estimate, se, ci_low, ci_high, p, *, ratio: str | None = None) -> pd.DataFrame:
    """The tidy table of a model, one row per term; with ``ratio`` (a key of
    :data:`RATIO_COLUMNS`) also the exponentiated estimate and bounds."""
    table = pd.DataFrame(
        {"estimate": estimate, "se": se, "ci_low": ci_low, "ci_high": ci_high, "p": p}
    )
    if ratio:
        name, low, high = RATIO_COLUMNS[ratio]
        table[name] = np.exp(table.estimate)
        table[low] = np.exp(table.ci_low)
        table[high] = np.exp(table.ci_high)
    table.index.name = "term"
    return table


def fit_table(fit, ci: float, ratio: str | None = None) -> pd.DataFrame:
    """:func:`model_table` of a fitted statsmodels model."""
    bounds = np.asarray(fit.conf_int(alpha=1 - check_ci(ci)))
    return model_table(fit.params, fit.bse, bounds[:, 0], bounds[:, 1], fit.pvalues, ratio=ratio)


def axes(ax=None):
    """The given matplotlib axes, or new ones (imported late: estimators need no display)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()  # the size of impact.style (6.4 × 4 in) inside a plot
    return ax


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
