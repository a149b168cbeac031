"""The mid-term report's sections: how many projects are behind and why, each project's
indicators against plan (judged against the time gone), spending as a second signal
against the time gone and the project's peers, the risk of not continuing in plain words
with how good the model is, and how each peer group stands.

Where the data hold no indicator values at mid-term, spending is the only measure: the
report says so once and flags only projects clearly off the pace. Everything uses only
what was known at the round's mid-term
(:attr:`~impact.report.context.Context.midterm_data`).
"""

from __future__ import annotations

import pandas as pd

from .. import figures
from ..context import Context, Unavailable
from ..writing import Writer


def lagging_text(ctx: Context, lagging) -> str:
    """The indicators behind, in words: ``服务居民人次 120 / 计划 300（40%）``."""
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


def spending_reason(ctx: Context, row) -> str:
    """Why a project's spending is flagged, in the words an office uses."""
    if row.signal == "normal" or pd.isna(row.spend_rate):
        return ""
    text = ctx.t(
        f"spending_{row.signal}", spent=f"{row.spend_rate:.0%}", expected=f"{row.expected:.0%}"
    )
    if pd.notna(row.peer_median):
        text += ctx.t("spending_peers", median=f"{row.peer_median:.0%}")
    return text


def spending_counts(ctx: Context) -> str:
    """How many projects spend clearly slower or faster than the time gone."""
    signals = ctx.spending.signal.value_counts()
    if not signals.get("slow", 0) and not signals.get("fast", 0):
        return ctx.t("spending_counts_none", total=len(ctx.spending))
    return ctx.t(
        "spending_counts",
        total=len(ctx.spending),
        slow=int(signals.get("slow", 0)),
        fast=int(signals.get("fast", 0)),
        normal=int(signals.get("normal", 0)),
    )


def pace_note(ctx: Context) -> str:
    """What the mid-term is judged against: the share of the round gone by its dates."""
    if ctx.time_gone is None:
        return ctx.t("pace_halfway")
    return ctx.t("pace_dates", share=f"{ctx.time_gone:.0%}")


def status_overview(ctx: Context, doc: Writer) -> None:
    """Counts behind / watch / on track at the top of the mid-term, by indicators against
    plan; where only spending is recorded, said once, with only clear outliers flagged."""
    progress = ctx.progress
    doc.uses("progress" if progress.basis == "indicators" else "spending")
    frame = progress.frame
    counts = figures.status_counts(frame.status)
    if progress.basis == "spending":
        signals = ctx.spending.signal.value_counts()
        # the counts in words open the key findings and the spending section: here, the table
        doc.note(ctx.t("progress_by_spending") + pace_note(ctx))
        table = pd.DataFrame(
            {
                "signal": [ctx.t(f"signal_{s}") for s in ("slow", "fast", "normal")],
                "projects": [int(signals.get(s, 0)) for s in ("slow", "fast", "normal")],
            }
        )
        doc.table(table, "status_counts", {"projects": "project_count"}, n=len(ctx.spending))
        return
    doc.paragraph(ctx.t("status_counts", total=len(frame), **counts))
    doc.note(pace_note(ctx))
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
    """One row per project, sorted by need: status, share of plan, the indicators not on
    track with value and plan, and the median of its peers. Every indicator goes to the
    downloadable table."""
    progress = ctx.progress
    if progress.basis != "indicators":
        raise Unavailable("no_midterm_values")
    frame, every = progress.frame, progress.indicators
    projects = ctx.midterm_projects
    group = ctx.peer_group
    if group is not None:
        with_group = frame.merge(projects[["project_id", group]], on="project_id", how="left")
        medians = figures.peer_medians(with_group, group, "achieved").peer_median
    else:
        medians = pd.Series(float("nan"), index=frame.index)
    shown = pd.DataFrame(
        {
            "title": frame.get("title", frame.project_id).to_numpy(),
            "light": frame.status.map(lambda s: ctx.t(f"status_{s}") if isinstance(s, str) else ""),
            "achieved": frame.achieved.to_numpy(),
            "behind": frame.lagging.map(lambda lagging: lagging_text(ctx, lagging)).to_numpy(),
        }
    )
    if medians.notna().any():
        shown["peer_median"] = medians.to_numpy()
    doc.table(
        shown,
        "indicator_summary",
        {"behind": "lagging_header"},
        formats={"achieved": "{:.0%}", "peer_median": "{:.0%}"},
        n=len(frame),
        scope=ctx.scope_label("round_funded"),
    )
    doc.note(ctx.t("indicator_note"))
    full = every.merge(projects[["project_id", "title"]], on="project_id", how="left")
    full = full.assign(
        indicator=full.indicator.map(ctx.t),
        status=full.status.map(lambda s: ctx.t(f"status_{s}") if isinstance(s, str) else ""),
    )
    doc.table(
        full, "indicator_performance", sheet=ctx.t("sheet_indicator_performance"), shown=False
    )


def spending(ctx: Context, doc: Writer) -> None:
    """Spending at mid-term against the time gone and against peers: a second signal
    beside the indicators (the only one where there are none), flagging only projects
    clearly off the pace, each with its reason."""
    frame = ctx.spending
    if frame.empty:
        raise Unavailable("no_spending")
    flagged = frame[frame.signal != "normal"]
    doc.uses("spending")
    doc.paragraph(
        ctx.t(
            "spending_summary" if len(flagged) else "spending_summary_none",
            total=len(frame),
            flagged=len(flagged),
            median=f"{frame.spend_rate.median():.0%}",
            expected=f"{ctx.expected:.0%}",
        )
    )
    order = {"slow": 0, "fast": 1, "normal": 2}
    frame = frame.assign(_order=frame.signal.map(order)).sort_values(["_order", "spend_rate"])
    shown = pd.DataFrame(
        {
            "title": frame.title.fillna(frame.project_id).to_numpy(),
            "spend_rate": frame.spend_rate.to_numpy(),
            "expected": frame.expected.to_numpy(),
            "peer_median": frame.peer_median.to_numpy(),
            "reason": [spending_reason(ctx, row) for row in frame.itertuples()],
        }
    )
    if shown.peer_median.isna().all():
        shown = shown.drop(columns="peer_median")
    doc.table(
        shown,
        "spending",
        {"expected": "expected_by_time", "reason": "signal_reason"},
        formats={"spend_rate": "{:.0%}", "expected": "{:.0%}", "peer_median": "{:.0%}"},
        n=len(frame),
        scope=ctx.scope_label("round_funded"),
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
    """How each peer group (tier, peer group or theme) stands at mid-term: its projects,
    their median progress, and how many are behind or on watch; each project's own place
    against its peers is in the table of indicators."""
    group = ctx.peer_group
    if group is None:
        raise Unavailable("no_peer_group")
    progress = ctx.progress
    frame = progress.frame.merge(
        ctx.midterm_projects[["project_id", group]], on="project_id", how="left"
    )
    frame = frame.dropna(subset=["achieved"])
    if frame.empty:
        raise Unavailable("no_midterm_values")
    grouped = frame.groupby(frame[group].astype(str), sort=True)
    table = pd.DataFrame(
        {
            "group": [ctx.t(g) for g in grouped.groups],
            "projects": grouped.size().to_numpy(),
            "median_progress": grouped.achieved.median().to_numpy(),
            "behind_or_watch": grouped.status.agg(
                lambda s: int(s.isin(["behind", "watch"]).sum())
            ).to_numpy(),
        }
    )
    measure = "median_spend" if progress.basis == "spending" else "median_progress"
    doc.table(
        table.rename(columns={"median_progress": measure}),
        "peer_comparison",
        {"projects": "project_count"},
        formats={measure: "{:.0%}"},
        n=len(frame),
        scope=ctx.scope_label("round_funded"),
    )
    if (grouped.size() < 4).any():
        doc.note(ctx.t("small_cell"))


def _number(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.1f}"
