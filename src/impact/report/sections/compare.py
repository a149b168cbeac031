"""Comparison with the published programmes: the user's own figures beside every
published figure in the same unit, each with its year, round and source, and every
published figure of the programmes (headline and detail) listed with its source.

Figures are stored as numbers (a share as a fraction, a count as a whole number); the
text shown keeps what the source wrote where it was not exact (“100余”, “约300”)."""

from __future__ import annotations

import pandas as pd

from .. import figures
from ..context import Context, Unavailable
from ..writing import Writer


def source_names(ctx: Context, sources: pd.DataFrame | None, with_title: bool) -> dict:
    """Each source as the reader can look it up: publisher and title (《》 in Chinese).
    A publisher not written in Chinese (e.g. "unknown") is left out of a Chinese page,
    which then names the article by its title."""
    if sources is None:
        return {}
    out = {}
    for row in sources.itertuples():
        publisher = str(row.publisher) if isinstance(row.publisher, str) else ""
        title = str(row.title) if isinstance(row.title, str) else ""
        if ctx.language == "zh":
            if not _has_chinese(publisher):
                publisher = ""
            text = f"{publisher}《{title}》" if with_title or not publisher else publisher
        else:
            text = f"{publisher}, “{title}”" if with_title else publisher
        out[row.source_id] = text.strip(", ") or row.source_id
    return out


def unit_name(ctx: Context, unit) -> str:
    """A unit as the reader says it (个, 元, 人次), or the unit itself."""
    if not isinstance(unit, str):
        return ""
    text = ctx.t(f"u_{unit}")
    return text if text != f"u_{unit}" else ctx.t(unit)


def comparison_rows(ctx: Context) -> pd.DataFrame:
    """One row per comparable figure: the data's own and every published one in the
    same unit, grouped by indicator."""
    published = ctx.published
    names = ctx.names_of(published.programmes if published else None) | ctx.names_of(
        ctx.data.programmes
    )
    source_of = source_names(ctx, published.sources if published else None, with_title=True)
    rows = []
    own_indicators = set()
    for programme, round_no, year, data in ctx.own_scope():
        for indicator, value in figures.own_figures(data).items():
            own_indicators.add(indicator)
            rows.append(
                {
                    "indicator": indicator,
                    "programme": names.get(programme, programme),
                    "when": ctx.when(round_no, year, programme),
                    "value": value,
                    "unit": figures.COMPARABLE_UNITS.get(indicator, ""),
                    "source": ctx.t("this_data"),
                    "own": True,
                    "qualifier": "exact",
                }
            )
    if published is not None:
        table = published.figures
        headline = table[table.category.isna()] if "category" in table else table
        for row in headline.itertuples():
            unit = figures.COMPARABLE_UNITS.get(row.indicator)
            if row.indicator not in own_indicators or unit != row.unit:
                continue
            rows.append(
                {
                    "indicator": row.indicator,
                    "programme": names.get(row.programme_id, row.programme_id),
                    "when": ctx.when(row.round, row.year),
                    "value": row.value,
                    "unit": row.unit,
                    "source": source_of.get(row.source_id, row.source_id),
                    "own": False,
                    "qualifier": getattr(row, "qualifier", "exact"),
                }
            )
    table = pd.DataFrame(
        rows,
        columns=["indicator", "programme", "when", "value", "unit", "source", "own", "qualifier"],
    )
    order = {name: i for i, name in enumerate(figures.COMPARABLE_UNITS)}
    table["_order"] = table.indicator.map(order)
    return table.sort_values(["_order", "own"], ascending=[True, False], kind="stable").drop(
        columns="_order"
    )


def published_comparison(ctx: Context, doc: Writer) -> None:
    """The data's own figures beside every published figure in the same unit."""
    if ctx.published is None:
        raise Unavailable("no_published", path=str(ctx.options.published))
    table = comparison_rows(ctx)
    if table.empty or not (~table.own).any():
        raise Unavailable("nothing_comparable")
    shown = pd.DataFrame(
        {
            "indicator": table.indicator.map(ctx.t).to_numpy(),
            "programme": table.programme.to_numpy(),
            "when": table.when.to_numpy(),
            "value": written(ctx, table.value, table.unit, table.qualifier),
            "unit": table.unit.map(lambda u: unit_name(ctx, u)).to_numpy(),
            "source": table.source.to_numpy(),
        }
    )
    doc.table(
        shown,
        "published_comparison",
        {"when": "period"},
        units={"value": value_units(table.value, table.unit)},
        n=int((~table.own).sum()),
        unit="published_figures",
    )
    doc.note(ctx.t("published_note"))


def published_figures(ctx: Context, doc: Writer) -> None:
    """Every figure the published programmes report (headline and detail), with its
    year, round and source: nothing in the embedded set is left out."""
    if ctx.published is None:
        raise Unavailable("no_published", path=str(ctx.options.published))
    published = ctx.published.figures
    if ctx.programme is not None:
        if not (published.programme_id == ctx.programme).any():
            raise Unavailable("no_published_for_programme")
        published = published[published.programme_id == ctx.programme]
    names = ctx.names_of(ctx.published.programmes) | ctx.names_of(ctx.data.programmes)
    source_of = source_names(ctx, ctx.published.sources, with_title=False)
    qualifier = published["qualifier"] if "qualifier" in published else None
    table = pd.DataFrame(
        {
            "programme": published.programme_id.map(lambda p: names.get(p, p)).to_numpy(),
            "when": [
                ctx.when(r, y) for r, y in zip(published["round"], published.year, strict=True)
            ],
            "indicator": published.indicator.map(ctx.t).to_numpy(),
            "category": published.category.map(
                lambda c: ctx.t(c) if isinstance(c, str) else ""
            ).to_numpy(),
            "value": written(ctx, published.value, published.unit, qualifier),
            "unit": published.unit.map(lambda u: unit_name(ctx, u)).to_numpy(),
            "source": published.source_id.map(lambda s: source_of.get(s, s)).to_numpy(),
        }
    )
    doc.table(
        table,
        "published",
        {"when": "period"},
        units={"value": value_units(published.value, published.unit)},
        n=len(table),
        unit="published_figures",
    )


def value_units(values, units) -> list[str | None]:
    """How each figure is written: shares as percentages, whole numbers without decimals,
    others with two."""
    found = []
    for value, unit in zip(values, units, strict=True):
        if value is None or pd.isna(value):
            found.append(None)
        elif unit == "share":
            found.append("percent")
        elif float(value).is_integer():
            found.append("count")
        else:
            found.append("number")
    return found


def written(ctx: Context, values, units, qualifiers) -> list:
    """The figures as the page writes them: numbers, except where the source gave a lower
    bound or an approximation, which keep their words (100余, 约300; 100+, about 300)."""
    from ..blocks import Written

    qualifiers = list(qualifiers) if qualifiers is not None else ["exact"] * len(values)
    out = []
    for value, unit, qualifier in zip(values, units, qualifiers, strict=True):
        if value is None or pd.isna(value) or qualifier not in ("at_least", "about"):
            out.append(value)
            continue
        number = f"{value:.0%}" if unit == "share" else f"{value:,.0f}"
        out.append(Written(float(value), ctx.t(f"written_{qualifier}", number=number)))
    return out


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
