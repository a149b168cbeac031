"""The exploration report's sections: what the data hold, and each family of estimators
run on the whole data set, each section saying why when the data do not allow it."""

from __future__ import annotations

from ...dataset import funded_projects
from .. import figures, scope
from ..context import Context, Unavailable
from ..writing import Writer
from .annual import participation_effect
from .common import LEVERAGE_FORMATS, not_reached


def tables_overview(ctx: Context, doc: Writer) -> None:
    """The tables of the data set and their rows."""
    counts = ctx.data.counts().rename("rows").reset_index()
    counts.columns = ["table", "rows"]
    counts["table"] = counts.table.map(lambda name: ctx.t(f"table_{name}"))
    doc.table(counts, "tables", n=len(counts), unit="tables")


def explore_leverage(ctx: Context, doc: Writer) -> None:
    """Leverage of each programme, side by side."""
    from ...leverage import dataset_leverage

    projects = ctx.data.projects
    if projects is None or funded_projects(projects).empty:
        raise Unavailable("no_seed_grant")
    result = dataset_leverage(
        ctx.data, by="programme_id", n_boot=ctx.n_boot, seed=ctx.seed, ci=ctx.ci
    )
    doc.uses("leverage")
    table = result.table.reset_index()
    table["programme_id"] = table.programme_id.map(ctx.programme_name)
    doc.table(
        table[
            ["programme_id", "n", "grant_yuan", "leveraged_yuan", "leverage", "ci_low", "ci_high"]
        ].rename(columns={"programme_id": "programme", "leverage": "leverage_ratio"}),
        "leverage_by_programme",
        formats=LEVERAGE_FORMATS,
        n=int(table.n.sum()),
        level=ctx.ci,
        scope=ctx.t("scope_all_rounds"),
    )
    ax = result.plot()
    ax.set_yticks(ax.get_yticks(), table.programme_id.tolist())
    ax.set_xlabel(ctx.t("seed_grant_per_yuan"))
    doc.figure(ax, "leverage_by_programme")


def explore_survival(ctx: Context, doc: Writer) -> None:
    """How long project lines last, programme by programme."""
    from ...sustainability import dataset_survival

    projects = ctx.data.projects
    if projects is None or funded_projects(projects).empty:
        raise Unavailable("no_seed_grant")
    if funded_projects(projects)["round"].nunique() < 2:
        raise Unavailable("one_round_only")
    result = dataset_survival(ctx.data, by="programme_id", ci=ctx.ci)
    doc.uses("survival")
    ax = result.plot()
    for text in ax.get_legend().get_texts() if ax.get_legend() else []:
        text.set_text(ctx.programme_name(text.get_text()))
    ax.set_xlabel(ctx.t("rounds_survived"))
    ax.set_ylabel(ctx.t("share_going"))
    figures.round_ticks(ax.xaxis, ctx.language)
    doc.figure(ax, "survival_by_programme")
    medians = not_reached(result.medians.reset_index(), ctx.t("not_reached"))
    if "group" in medians:
        medians["group"] = medians.group.astype(str).map(ctx.programme_name)
    doc.table(medians, "survival_medians", n=len(medians), unit="programmes", level=ctx.ci)


def explore_participation(ctx: Context, doc: Writer) -> None:
    """One programme at a time, each on its own communities."""
    if ctx.data.projects is None:
        raise Unavailable("no_projects")
    for programme in sorted(set(ctx.data.projects.programme_id.dropna())):
        doc.heading(ctx.programme_name(programme), level=3)
        try:
            participation_effect(
                ctx, doc, scope.for_programme(ctx.data, programme), f"event_study_{programme}"
            )
        except Unavailable as reason:
            doc.note(ctx.t(reason.key, **reason.values))
