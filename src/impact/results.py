"""What every estimator returns: a small frozen result that shows itself as a table, as
text and as a plot, and records the inputs that produced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


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


def axes(ax=None):
    """The given matplotlib axes, or new ones (imported late: estimators need no display)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(6, 3.5))
    return ax
