"""Published figures: the programme's own, checked against its data first; then
programmes of the same kind, only where the measure is the same, each with its year,
round and source, in one compact table.

Figures are stored as numbers (a share as a fraction, a count as a whole number); the
text shown keeps what the source wrote where it was not exact (“100余”, “约300”)."""

from __future__ import annotations

import pandas as pd

from .. import figures
from ..context import Context, Unavailable
from ..published import check
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


def published_check(ctx: Context, doc: Writer) -> None:
    """The programme's own published figures against its data: each with the value the
    data give and the verdict (one table per programme of the data that has published
    figures)."""
    if ctx.published is None:
        raise Unavailable("no_published", path=str(ctx.options.published))
    scopes = ctx.own_scope()
    shown = 0
    for programme, round_no, year, data in scopes:
        rows = _own_rows(ctx, programme, year, round_no)
        if rows.empty:
            continue
        if len(scopes) > 1:
            doc.heading(ctx.programme_name(programme), level=3)
        _check_table(ctx, doc, programme, rows, check(data, rows))
        shown += 1
    if not shown:
        raise Unavailable("no_published_for_programme")


def _own_rows(ctx: Context, programme: str, year, round_no) -> pd.DataFrame:
    table = ctx.published.figures
    mine = table[table.programme_id == programme]
    if year is not None and "year" in mine:
        same = mine.year.isna() | (mine.year == year)
        if round_no is not None and "round" in mine:
            same |= mine["round"] == round_no
        mine = mine[same]
    return mine


def _check_table(ctx: Context, doc: Writer, programme, rows, checked) -> None:
    sources = source_names(ctx, ctx.published.sources, with_title=False)
    names = [
        _with_category(ctx, indicator, category)
        for indicator, category in zip(checked.indicator, checked.category, strict=True)
    ]
    units = value_units(checked.published, checked.unit)
    table = pd.DataFrame(
        {
            "indicator": names,
            "published_value": written(ctx, checked.published, checked.unit, checked.qualifier),
            "own_value": checked.own.to_numpy(),
            "unit": checked.unit.map(lambda u: unit_name(ctx, u)).to_numpy(),
            "check": [
                verdict_text(ctx, v, d, u, p)
                for v, d, u, p in zip(
                    checked.verdict, checked.difference, units, checked.published, strict=True
                )
            ],
            "source": rows.source_id.map(lambda s: sources.get(s, s)).to_numpy(),
        }
    )
    counts = checked.verdict.value_counts()
    doc.paragraph(
        ctx.t(
            "check_summary",
            agree=int(counts.get("agrees", 0)),
            differ=int(counts.get("differs", 0)),
            absent=int(counts.get("not_recorded", 0)),
        )
    )
    doc.table(
        table,
        "published_check" if ctx.programme else f"published_check_{programme}",
        units={"published_value": units, "own_value": units},
        n=len(table),
        unit="published_figures",
        scope=ctx.scope_label("year_funded") if ctx.year else None,
    )


def _with_category(ctx: Context, indicator: str, category) -> str:
    if not category:
        return ctx.t(indicator)
    return ctx.t("with_category", name=ctx.t(indicator), category=ctx.t(category))


def verdict_text(ctx: Context, verdict, difference, unit, published) -> str:
    """一致 / 相差2,619（-4%） / 本数据不含."""
    from ..format import number_text

    if verdict == "agrees":
        return ctx.t("verdict_agrees")
    if verdict == "differs":
        share = f"{difference / published:+.0%}" if published else ""
        amount = number_text(abs(difference), unit or "number")
        return ctx.t("verdict_differs", difference=amount, share=share)
    return ctx.t("verdict_not_recorded")


def other_programmes(ctx: Context, doc: Writer) -> None:
    """Programmes of the same kind beside this one, only where the measure is the same
    (same indicator, same unit): one compact table, a row per measure and a column per
    programme with its year, the sources named under it, folded on a phone."""
    if ctx.published is None:
        raise Unavailable("no_published", path=str(ctx.options.published))
    rows = comparison_rows(ctx)
    if rows.empty or not (~rows.own).any():
        raise Unavailable("no_same_kind")
    rows = rows.assign(
        column=[f"{p}（{w}）" if w else p for p, w in zip(rows.programme, rows.when, strict=True)]
    )
    columns = list(dict.fromkeys(rows.column))  # this programme's first
    table = pd.DataFrame({"indicator": list(dict.fromkeys(rows.indicator))})
    table["unit"] = table.indicator.map(
        lambda i: unit_name(ctx, rows.loc[rows.indicator == i, "unit"].iloc[0])
    )
    units = {}
    for column in columns:
        mine = rows[rows.column == column].drop_duplicates("indicator").set_index("indicator")
        values = mine.reindex(table.indicator)
        table[column] = written(ctx, values.value, values.unit, values.qualifier)
        units[column] = value_units(values.value, values.unit)
    table["indicator"] = table.indicator.map(ctx.t)
    doc.paragraph(ctx.t("same_kind_note", n=len(columns) - 1))
    doc.table(
        table,
        "other_programmes",
        {c: c for c in columns},
        units=units,
        n=int((~rows.own).sum()),
        unit="published_figures",
        folded=True,
    )
    sources = list(dict.fromkeys(rows.loc[~rows.own, "source"]))
    doc.note(ctx.t("sources_named", sources=ctx.t("list_separator").join(sources)))


def comparison_rows(ctx: Context) -> pd.DataFrame:
    """One row per comparable figure: the data's own, then each published figure of a
    programme of the same kind in the same unit, grouped by indicator."""
    published = ctx.published
    names = ctx.names_of(published.programmes) | ctx.names_of(ctx.data.programmes)
    kinds = _kinds(published.programmes) | _kinds(ctx.data.programmes)
    source_of = source_names(ctx, published.sources, with_title=True)
    rows = []
    headline = published.figures[published.figures.category.isna()]
    for programme, round_no, year, data in ctx.own_scope():
        kind = kinds.get(programme)
        others = headline[
            (headline.programme_id != programme) & headline.programme_id.map(kinds).eq(kind)
        ]
        if kind is None or others.empty:
            continue
        for indicator, value in figures.own_figures(data).items():
            unit = figures.COMPARABLE_UNITS.get(indicator)
            same = others[(others.indicator == indicator) & (others.unit == unit)]
            if same.empty:
                continue
            when = ctx.when(round_no, year, programme)
            name = names.get(programme, programme)
            rows.append(_row(indicator, name, when, value, unit, ctx.t("this_data"), True))
            for other in same.itertuples():
                rows.append(
                    _row(
                        indicator,
                        names.get(other.programme_id, other.programme_id),
                        ctx.when(other.round, other.year, other.programme_id),
                        other.value,
                        other.unit,
                        source_of.get(other.source_id, other.source_id),
                        False,
                        getattr(other, "qualifier", "exact"),
                    )
                )
    columns = ["indicator", "programme", "when", "value", "unit", "source", "own", "qualifier"]
    table = pd.DataFrame(rows, columns=columns)
    order = {name: i for i, name in enumerate(figures.COMPARABLE_UNITS)}
    table["_order"] = table.indicator.map(order)
    return table.sort_values(["_order", "own"], ascending=[True, False], kind="stable").drop(
        columns="_order"
    )


def _row(indicator, programme, when, value, unit, source, own, qualifier="exact") -> dict:
    return {
        "indicator": indicator,
        "programme": programme,
        "when": when,
        "value": value,
        "unit": unit,
        "source": source,
        "own": own,
        "qualifier": qualifier,
    }


def _kinds(programmes: pd.DataFrame | None) -> dict:
    if programmes is None or "kind" not in programmes:
        return {}
    return dict(zip(programmes.programme_id, programmes.kind.astype(str), strict=True))


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
