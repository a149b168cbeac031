"""What every estimator returns: a small frozen result that shows itself as a table, as
text and as a plot, and records the inputs that produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import EstimationError


@dataclass(frozen=True)
class Result:
    """Base of all results. ``table`` is tidy (one row per estimate); ``inputs`` records
    n, columns, options and seed so that a figure can be traced to how it was made."""

    table: pd.DataFrame
    inputs: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        with pd.option_context(
            "display.width",
            120,
            "display.max_columns",
            30,
            "display.float_format",
            "{:,.4g}".format,
        ):
            body = self.table.to_string()
        settings = ", ".join(f"{k}={v}" for k, v in self.inputs.items())
        lines = [self.title, body]
        if settings:
            lines.append(f"inputs: {settings}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(line for line in lines if line)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:  # notebooks show the table, escaped by pandas
        return f"<p><b>{self.title}</b></p>" + self.table.to_html(escape=True)


@dataclass(frozen=True)
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
        ax.errorbar(centre, y, xerr=[centre - lower, upper - centre], fmt="o", capsize=3)
        ax.set_yticks(list(y), [str(t) for t in table.index])
        ax.axvline(null, color="grey", linewidth=0.8)
        ax.set_xlabel(ratio.replace("_", " ") if ratio else "estimate")
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
    bounds = np.asarray(fit.conf_int(alpha=1 - ci))
    return model_table(fit.params, fit.bse, bounds[:, 0], bounds[:, 1], fit.pvalues, ratio=ratio)


def axes(ax=None):
    """The given matplotlib axes, or new ones (imported late: estimators need no display)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(6, 3.5))
    return ax
