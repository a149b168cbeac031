"""The mid-term report's sections: how many projects are behind, each project's
indicators behind with plan and value, the risk of not continuing in plain words with how
good the model is, and peers that leave the project itself out.

Everything uses only what was known at the round's mid-term
(:attr:`~impact.report.context.Context.midterm_data`).
"""

from __future__ import annotations

import pandas as pd

from .. import figures
from ..context import Context, Unavailable
from ..writing import Writer


def lagging_text(ctx: Context, lagging) -> str:
    """The indicators behind, in words: ``服务人次 120 / 计划 300（40%）``."""
    if not isinstance(lagging, list) or not lagging:
        return ""
    parts = []
    for indicator, plan, value, share in lagging:
        parts.append(
            ctx.t(
                "lagging_item",
                indicator=ctx.t(indicator),
                value=_number(value),
                plan=_number(plan),
                share=f"{share:.0%}",
            )
        )
    return ctx.t("list_separator").join(parts)


def status_overview(ctx: Context, doc: Writer) -> None:
    """Counts behind / watch / on track, at the top of the mid-term."""
    progress = ctx.progress
    doc.uses("progress")
    frame = progress.frame
    counts = figures.status_counts(frame.status)
    doc.paragraph(ctx.t("status_counts", total=len(frame), **counts))
    if progress.basis == "spending":
        doc.note(ctx.t("progress_by_spending"))
    if counts["unknown"]:
        doc.note(ctx.t("status_unknown", unknown=counts["unknown"]))
    table = pd.DataFrame(
        {
            "light": [ctx.t(f"status_{s}") for s in ("behind", "watch", "on_track")],
            "projects": [counts["behind"], counts["watch"], counts["on_track"]],
        }
    )
    doc.table(table, "status_counts", {"projects": "project_count"}, n=len(frame))


def indicator_performance(ctx: Context, doc: Writer) -> None:
    """One row per project, sorted by need: status, share of plan and the indicators
    not on track with value and plan. Every indicator goes to the downloadable table."""
    progress = ctx.progress
    frame, every = progress.frame, progress.indicators
    spending = progress.basis == "spending"
    full = every.merge(ctx.midterm_projects[["project_id", "title"]], on="project_id", how="left")
    full = full.assign(
        indicator=full.indicator.map(ctx.t),
        status=full.status.map(lambda s: ctx.t(f"status_{s}") if isinstance(s, str) else ""),
    )
    if spending:
        doc.note(ctx.t("progress_by_spending_short"))
    shown = pd.DataFrame(
        {
            "title": frame.get("title", frame.project_id),
            "light": frame.status.map(lambda s: ctx.t(f"status_{s}") if isinstance(s, str) else ""),
            "achieved": frame.achieved,
            "behind": frame.lagging.map(lambda lagging: lagging_text(ctx, lagging)),
        }
    )
    if "spend_rate" in frame and not spending:
        shown["spend_rate"] = frame.spend_rate
    if spending:
        shown = shown.drop(columns="behind").rename(columns={"achieved": "spend_rate"})
    doc.table(
        shown,
        "indicator_summary",
        {"behind": "lagging_header"},
        formats={"achieved": "{:.0%}", "spend_rate": "{:.0%}"},
        n=len(frame),
    )
    if not spending:
        doc.note(ctx.t("indicator_note"))
    doc.table(
        full,
        "indicator_performance",
        sheet=ctx.t("sheet_indicator_performance"),
        shown=False,
    )


def risk_flags(ctx: Context, doc: Writer, top: int = 10) -> None:
    """Projects of this round most at risk of not continuing, why in plain words, and
    how good the model's ranking is (not shown as a ranking when it is no better than
    chance). The model learns only from rounds whose outcome was known at this
    mid-term."""
    projects = ctx.midterm_projects
    try:
        result = ctx.risk
    except Exception as exc:  # noqa: BLE001 - too little history is the usual cause
        raise Unavailable("risk_no_history") from exc
    doc.uses("risk")
    metrics = result.metrics
    quality = figures.auc_quality(metrics.get("auc"))
    doc.paragraph(
        ctx.t(
            f"risk_quality_{quality}",
            auc=metrics.get("auc", float("nan")),
            auc_pct=f"{metrics.get('auc', 0):.0%}",
            n=metrics.get("n"),
            events=metrics.get("events"),
        )
    )
    table = result.table
    table = table[table.project_id.isin(set(projects.project_id))]
    try:
        status = ctx.progress.frame.set_index("project_id")[["status", "achieved"]]
    except Unavailable:
        status = pd.DataFrame(columns=["status", "achieved"])
    table = table.join(status, on="project_id")
    table["reasons_text"] = (
        table.reasons.map(lambda r: reasons_text(ctx, r)) if "reasons" in table else ""
    )
    if quality == "chance":
        table = figures.need_order(table)
        shown = table[["title", "reasons_text"]]
    else:
        table = table.sort_values("risk", ascending=False)
        shown = table[["title", "risk", "reasons_text"]]
    doc.table(
        shown.head(top),
        "risk_flags",
        {"reasons_text": "reasons"},
        formats={"risk": "{:.0%}"},
        n=int(metrics.get("n", 0)),
        unit="project_rounds",
    )
    doc.note(ctx.t("risk_scope"))
    learnt = ctx.midterm_data.projects.programme_id.nunique()
    if learnt > 1:
        doc.note(ctx.t("risk_programmes", programmes=learnt))


def reasons_text(ctx: Context, reasons) -> str:
    """A risk model's reasons in plain words."""
    words = []
    for feature, direction in figures.reason_parts(reasons):
        key = f"reason_{feature}" + (f"_{direction}" if direction else "")
        text = ctx.t(key)
        if text == key:  # no plain sentence for it: name the factor and the direction
            text = ctx.t(feature) + (ctx.t(f"direction_{direction}") if direction else "")
        words.append(text)
    return ctx.t("list_separator").join(words)


def peer_comparison(ctx: Context, doc: Writer) -> None:
    """Each project's share of plan against the median of the other projects of its
    peer group (tier or theme), leaving the project itself out."""
    projects = ctx.midterm_projects
    group = next(
        (
            g
            for g in ("peer_group", "tier", "theme")
            if g in projects and projects[g].notna().sum() >= 2
        ),
        None,
    )
    if group is None:
        raise Unavailable("no_peer_group")
    progress = ctx.progress
    frame = progress.frame.merge(projects[["project_id", group]], on="project_id", how="left")
    frame = frame.dropna(subset=["achieved"])
    frame = figures.peer_medians(frame, group, "achieved").reset_index(drop=True)
    frame["gap"] = frame.achieved - frame.peer_median
    frame = frame.sort_values(["gap", "achieved"], na_position="last")
    shown = pd.DataFrame(
        {
            "title": frame.get("title", frame.project_id),
            "group": frame[group].astype(str).map(ctx.t),
            "achieved": frame.achieved,
            "peer_median": frame.peer_median,
            "peer_count": frame.peers,
        }
    )
    if progress.basis == "spending":
        doc.note(ctx.t("progress_by_spending_short"))
        shown = shown.rename(columns={"achieved": "spend_rate"})
    doc.table(
        shown,
        "peer_comparison",
        formats={"achieved": "{:.0%}", "spend_rate": "{:.0%}", "peer_median": "{:.0%}"},
        n=len(frame),
    )
    doc.note(ctx.t("peers_note"))
    if (frame.peers < 4).any():
        doc.note(ctx.t("small_cell"))


def _number(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.1f}"
