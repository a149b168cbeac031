"""The indicator performance tracking table (IPTT, as M&E platforms such as TolaData give
it): for each indicator of the programme, the target and the actual summed over projects,
by period, the share achieved in the indicator's direction, and the same by tier, theme or
community where the data carry them (:mod:`impact.tracking`)."""

from __future__ import annotations

import pandas as pd

from ...dataset import funded_projects
from ..context import Context, Unavailable
from ..writing import Writer

GROUPS = ("tier", "peer_group", "theme", "community_id")  # the first the data fill is used
MAIN_INDICATORS = 3  # indicators broken down by group: those most projects plan


def tracking(ctx: Context, doc: Writer) -> None:
    """Every indicator against its target: at mid-term in a mid-term report, at mid-term
    and closure in an annual one; then by group, folded."""
    from ...errors import ImpactError
    from ...tracking import indicator_tracking

    if ctx.kind == "midterm":
        projects, periods = ctx.midterm_projects, ("midterm",)
        indicators, scope = ctx.midterm_data.indicators, ctx.scope_label("round_funded")
    else:
        projects = funded_projects(ctx.year_projects)
        periods, scope = ("midterm", "final"), ctx.scope_label("year_funded")
        indicators = ctx.year_data.indicators
    if indicators is None or indicators.empty or projects.empty:
        raise Unavailable("no_indicator_values")
    try:
        overall = indicator_tracking(indicators, projects, periods=periods)
    except ImpactError as exc:
        raise Unavailable("no_indicator_values") from exc
    table = overall.table
    if "target" not in table or table.target.isna().all():
        raise Unavailable("no_indicator_plans")
    periods = tuple(p for p in periods if table[f"{p}_projects"].sum() > 0)
    if not periods:  # plans, but no value reported yet
        raise Unavailable("no_midterm_values" if ctx.kind == "midterm" else "no_final_values")
    doc.uses("tracking")
    doc.table(
        shown(ctx, table, periods),
        "tracking",
        formats=_formats(periods),
        n=len(projects),
        scope=scope,
    )
    counted = ctx.t("enumeration").join(
        ctx.t(f"tracking_counted_{p}", n=int(table[f"{p}_compared"].max())) for p in periods
    )
    doc.note(ctx.t("tracking_counted", counted=counted))
    lower = table[table.direction == "lower"]
    if len(lower):
        doc.note(ctx.t("tracking_lower", names=ctx.t("enumeration").join(_names(ctx, lower))))
    group = next(
        (
            g
            for g in GROUPS
            if g in projects and projects[g].notna().sum() >= 2 and projects[g].nunique() > 1
        ),
        None,
    )
    if group is None:
        return
    by_group = indicator_tracking(indicators, projects, by=group, periods=periods).table
    main = table.sort_values("target_projects", ascending=False).indicator.head(MAIN_INDICATORS)
    by_group = by_group[(by_group[group].astype(str) != "all") & by_group.indicator.isin(main)]
    if by_group.empty:
        return
    names = ctx.community_names if group == "community_id" else {}
    frame = shown(ctx, by_group, periods)
    frame.insert(1, "group", by_group[group].map(lambda g: names.get(g, ctx.t(str(g)))).to_numpy())
    doc.heading(ctx.t("tracking_by", group=ctx.t(f"group_{group}")), level=3)
    doc.table(
        frame,
        f"tracking_by_{group}",
        formats=_formats(periods),
        n=len(projects),
        scope=scope,
        folded=True,
    )


def shown(ctx: Context, table: pd.DataFrame, periods: tuple[str, ...]) -> pd.DataFrame:
    """The columns a reader needs: the indicator, its unit, the target, and per period
    the actual and the share achieved (over the projects that report both, as the note
    under the table says)."""
    frame = pd.DataFrame(
        {
            "indicator": _names(ctx, table),
            "unit": table.unit.map(lambda u: _unit(ctx, u)).to_numpy(),
            "target": table.target.to_numpy(),
        }
    )
    for period in periods:
        frame[f"{period}_actual"] = table[f"{period}_actual"].to_numpy()
        frame[f"{period}_share"] = table[f"{period}_share"].to_numpy()
    return frame


def _formats(periods) -> dict[str, str]:
    found = {"target": "{:,.0f}"}
    for period in periods:
        found |= {f"{period}_actual": "{:,.0f}", f"{period}_share": "{:.0%}"}
    return found


def _names(ctx: Context, table: pd.DataFrame) -> list[str]:
    column = "name_zh" if ctx.language == "zh" else "name_en"
    return [
        str(name) if isinstance(name, str) and name else ctx.t(str(code))
        for code, name in zip(table.indicator, table[column], strict=True)
    ]


def _unit(ctx: Context, unit) -> str:
    if not isinstance(unit, str) or not unit:
        return ""
    words = ctx.t(f"u_{unit}")
    return words if words != f"u_{unit}" else unit
