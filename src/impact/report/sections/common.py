"""Sections every report kind has: its title, the data-quality notes, the evaluator's
commentary and recommendations; and small helpers the section modules share."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..context import Context
from ..writing import Writer

# How a leverage table's columns are written: whole yuan, ratios and their bounds to 0.01.
LEVERAGE_FORMATS = {
    "grant_yuan": "{:,.0f}",
    "leveraged_yuan": "{:,.0f}",
    "leverage_ratio": "{:.2f}",
    "ci_low": "{:.2f}",
    "ci_high": "{:.2f}",
}


def title(ctx: Context, doc: Writer) -> None:
    """The report's title."""
    doc.heading(ctx.title, level=1)


def title_meta(ctx: Context) -> dict:
    """What the renderers need to know of the report beyond its blocks."""
    return {
        "title": ctx.title,
        "kind": ctx.kind,
        "language": ctx.language,
        "data_name": Path(str(ctx.data.origin or "")).name,
    }


def data_quality(ctx: Context, doc: Writer) -> None:
    """What the loader noticed in the data, one row each."""
    warnings = [str(w) for w in ctx.data.warnings]
    if not warnings:
        doc.note(ctx.t("no_issues"))
    else:
        doc.table(pd.DataFrame({"warning": warnings}), "data_quality", n=len(warnings), unit="rows")


def commentary(ctx: Context, doc: Writer) -> None:
    """The evaluator's commentary and recommendations from the parameters file."""
    text = (ctx.options.commentary or "").strip()
    recommendations = [r for r in ctx.options.recommendations if str(r).strip()]
    if text:
        doc.heading(ctx.t("commentary"))
        for paragraph in text.split("\n\n"):
            doc.paragraph(paragraph.strip())
    if recommendations:
        doc.heading(ctx.t("recommendations"))
        doc.bullets([str(r) for r in recommendations])


def not_reached(medians: pd.DataFrame, words: str) -> pd.DataFrame:
    """A median (or bound) the survival curve never got down to is "not reached", not a
    blank: the line outlasts the data."""
    medians = medians.copy()
    for column in ("median", "ci_low", "ci_high"):
        if column in medians:
            reached = medians[column].notna()
            medians[column] = medians[column].astype(object).where(reached, words)
    return medians


def integer_ticks(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
