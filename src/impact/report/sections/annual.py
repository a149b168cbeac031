"""The annual report's sections. Each covers the rounds of the report's year
(:attr:`~impact.report.context.Context.year_data`); the few that need history
(participation, sustainability, self-financing) use everything up to and including the
year and say so.

Options ``ci``, ``n_boot`` and ``seed`` reach every estimate; every table states its n
and interval level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...dataset import Dataset, funded_projects
from ...participation.statement import sensitivity_statement
from .. import figures, headline
from ..context import Context, Unavailable
from ..format import period_text
from ..writing import Writer
from .common import LEVERAGE_FORMATS, integer_ticks, not_reached


def cumulative_note(ctx: Context, doc: Writer) -> None:
    if ctx.year is not None:
        doc.note(ctx.t("cumulative_to", year=ctx.year))


def funnel(ctx: Context, doc: Writer) -> None:
    """Applications through the stages of selection the data record, with each stage's
    conversion."""
    result = ctx.funnel
    doc.uses("funnel")
    table = result.table.reset_index()
    table["stage"] = table.stage.map(ctx.stage_name)
    doc.table(
        table[["stage", "reached", "conversion", "ci_low", "ci_high"]],
        "funnel",
        formats={"conversion": "{:.1%}", "ci_low": "{:.1%}", "ci_high": "{:.1%}"},
        n=int(result.inputs["n"]),
        unit="applications",
        level=ctx.ci,
    )


def leverage(ctx: Context, doc: Writer) -> None:
    """Where the year's money came from (the seed grant by who paid it, what was brought
    in, cash and in kind), then what each seed yuan brought in: overall (always the first
    row) and by tier and application type."""
    projects = ctx.year_projects
    lines = headline.money(ctx.year_data)
    scope = ctx.scope_label("year_funded")
    shown = lines.assign(
        role=lines.role.map(lambda r: ctx.t(f"money_{r}")),
        source=lines.source.map(lambda s: ctx.t(f"source_{s}")),
        form=lines.form.map(lambda f: ctx.t(f"form_{f}")),
    )
    doc.table(
        shown[["role", "source", "form", "amount_yuan", "share"]],
        "money",
        {"role": "money_role", "source": "money_source", "form": "money_form"},
        formats={"share": "{:.0%}"},
        units={"amount_yuan": [headline.yuan_unit(lines.amount_yuan)] * len(lines)},
        n=len(funded_projects(projects)),
        scope=scope,
    )
    split = headline.cofunding(lines)
    if split:
        doc.uses("cofunding")
        doc.note(
            ctx.t(
                "cofunding_note",
                public=f"{split['public']:,.2f}".rstrip("0").rstrip("."),
                other=f"{split['other']:,.2f}".rstrip("0").rstrip("."),
                ratio=f"{split['ratio']:.2f}",
            )
        )
    if not figures.records_leverage(ctx.year_data):
        doc.missing(ctx.t("leverage_ratio"), ctx.t("limit_no_leverage_data"))
        return
    doc.uses("leverage")
    overall = ctx.leverage_overall.table.reset_index(drop=True)
    overall.insert(0, "group", ctx.t("overall"))
    parts = [overall]
    for by in ("tier", "application_type"):
        if by not in projects or funded_projects(projects)[by].notna().sum() == 0:
            continue
        if funded_projects(projects)[by].nunique() < 2:
            continue
        table = ctx.leverage_by(by).table.reset_index()
        table["group"] = table[by].astype(str).map(ctx.t)
        parts.append(table.drop(columns=[by]))
    table = pd.concat(parts, ignore_index=True)
    ratios = table[
        ["group", "n", "grant_yuan", "leveraged_yuan", "leverage", "ci_low", "ci_high"]
    ].rename(columns={"leverage": "leverage_ratio"})
    doc.heading(ctx.t("leverage_ratio_heading"), level=3)
    doc.table(
        ratios,
        "leverage",
        formats=LEVERAGE_FORMATS,
        n=int(overall.n.iloc[0]),
        level=ctx.ci,
        scope=scope,
    )
    if "small" in table and table.small.fillna(False).astype(bool).any():
        doc.note(ctx.t("small_cell"))
    if len(table) > 1 and overall_wider(table):
        doc.note(ctx.t("overall_interval_wider"))
    if len(table) > 1:
        from ...leverage import LeverageResult

        inputs = dict(ctx.leverage_overall.inputs) | {"by": ["group"]}
        ax = LeverageResult(table.set_index("group"), inputs=inputs).plot()
        ax.set_xlabel(ctx.t("seed_grant_per_yuan"))
        doc.figure(ax, "leverage")


def overall_wider(table: pd.DataFrame) -> bool:
    """Whether the overall row's interval reaches below (or above) every group's: possible
    with few projects per group, and puzzling without a word."""
    groups = table.iloc[1:]
    low, high = table.ci_low.iloc[0], table.ci_high.iloc[0]
    if groups.ci_low.isna().all() or pd.isna(low):
        return False
    return bool(low < groups.ci_low.min() or high > groups.ci_high.max())


def participation(ctx: Context, doc: Writer) -> None:
    """Staggered DiD on this programme's own communities up to the report's year."""
    participation_effect(ctx, doc, ctx.to_date_data, "event_study")
    cumulative_note(ctx, doc)


def participation_effect(ctx: Context, doc: Writer, data: Dataset, figure_name: str) -> None:
    """The participation effect of one programme on its own communities: the overall and
    event-time effects, the event-study figure, and what the comparison rests on."""
    from ...participation import community_cohorts, dataset_did
    from ...participation.staggered import MIN_GROUP

    if data.panel is None or data.panel.empty:
        raise Unavailable("no_panel")
    if data.communities is None or data.rounds is None:
        raise Unavailable("no_panel")
    outcome = ctx.options.outcome
    if outcome not in data.panel:
        raise Unavailable("outcome_missing", outcome=outcome)
    cohorts = community_cohorts(data)
    cohorts = cohorts[cohorts.index.isin(set(data.panel.community_id))]
    never = int((cohorts == 0).sum())
    if (cohorts > 0).sum() == 0:
        raise Unavailable("no_joined_communities")
    # Never-joined communities are the comparison only where the estimator accepts them
    # as one (R did's rule: at least MIN_GROUP units); otherwise the not-yet-joined are.
    control = "never" if never >= MIN_GROUP else "notyet"
    result = dataset_did(data, outcome=outcome, control=control, ci=ctx.ci)
    doc.uses("did")
    pretrend = result.pretrend or result.pretrend_event_time
    credible = not (pretrend and pretrend.p < 0.05)
    robust = robustness(ctx, data, outcome, control)
    unreliable = bool(getattr(result.pretrend, "warning", None))
    if not credible:  # the comparison itself is in doubt: the page leads with that
        doc.caution(ctx.t("pretrend_rejects", p=ctx.p_value(pretrend.p)))
        if unreliable:
            doc.note(ctx.t("pretrend_caution"))
    if robust is not None:
        statement = sensitivity_statement(robust)
        doc.paragraph(ctx.t(statement.key, **statement.values))
        if not credible:
            robustness_figure(ctx, doc, robust, f"{figure_name}_sensitivity")
    # The overall row is the result's own headline "simple" aggregation, the one its
    # summary() names first: one meaning of "overall" everywhere.
    simple = result.table.loc[["simple"]] if "simple" in result.table.index else None
    if simple is None:
        simple = result.aggregate("simple", n_boot=ctx.n_boot, seed=ctx.seed).iloc[[0]]
    dynamic = result.aggregate("dynamic", n_boot=ctx.n_boot, seed=ctx.seed)
    dynamic = dynamic.drop(index="overall", errors="ignore")
    rows = [simple.assign(period=ctx.t("overall_simple"))]
    rows.append(
        dynamic.reset_index(drop=False).assign(
            period=lambda f: [period_text(k, ctx.language) for k in f.iloc[:, 0]]
        )
    )
    table = pd.concat(rows, ignore_index=True)
    doc.table(
        table[["period", "att", "se", "ci_low", "ci_high"]],
        figure_name.replace("event_study", "participation"),
        formats={c: "{:.2f}" for c in ("att", "se", "ci_low", "ci_high")},
        n=int(result.inputs["n_units"]),
        unit="communities",
        level=ctx.ci,
    )
    ax = result.plot(n_boot=ctx.n_boot, seed=ctx.seed)
    ax.set_xlabel(ctx.t("periods_since_joining"))
    ax.set_ylabel(ctx.t("effect_on", outcome=ctx.t(outcome)))
    integer_ticks(ax.xaxis)
    doc.figure(ax, figure_name)
    if robust is not None and credible:
        robustness_figure(ctx, doc, robust, f"{figure_name}_sensitivity")
    doc.note(
        ctx.t(
            "did_n_programme" if control == "never" else "did_n_programme_counted",
            units=result.inputs["n_units"],
            cohorts=result.inputs["cohorts"],
            never=never,
        )
    )
    if control == "notyet":
        doc.note(ctx.t("did_notyet"))
    doc.note(ctx.t("overall_simple_note"))
    doc.note(ctx.t("did_assumptions"))
    # R's joint test of every pre-joining cell where it can be computed; otherwise the
    # test of the event-time averages, named as such, so the page never loses the check.
    if result.pretrend:
        doc.note(ctx.t("pretrend", **ctx.test_words(result.pretrend)))
        if unreliable and credible:
            doc.note(ctx.t("pretrend_caution"))
    elif result.pretrend_event_time:
        doc.note(ctx.t("pretrend_event_time", **ctx.test_words(result.pretrend_event_time)))
    if result.twfe:
        doc.note(ctx.t("twfe_estimate", **result.twfe))
        doc.note(ctx.t("twfe_note"))


#: Multiples of the largest pre-joining deviation a robust interval is found for.
ROBUSTNESS_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
ROBUSTNESS_WINDOW = (-5, 4)  # event times the sensitivity analysis looks at


def robustness(ctx: Context, data: Dataset, outcome: str, control: str):
    """How far parallel trends could fail before the effect in the first year after
    joining is no longer supported (Rambachan & Roth 2023): the event study with a
    universal base period, relative magnitudes, or None where the data do not allow it
    (too few periods before or after joining)."""
    from ...errors import ImpactError
    from ...participation import dataset_did, sensitivity

    try:
        universal = dataset_did(
            data, outcome=outcome, control=control, ci=ctx.ci, base_period="universal"
        )
        low, high = ROBUSTNESS_WINDOW
        return sensitivity(universal, grid=ROBUSTNESS_GRID, alpha=1 - ctx.ci, min_e=low, max_e=high)
    except (ImpactError, ValueError, np.linalg.LinAlgError):
        return None


def robustness_figure(ctx: Context, doc: Writer, robust, name: str) -> None:
    """R's sensitivity plot in the report's words: the original interval beside the robust
    one at each multiple of the pre-joining deviation."""
    ax = robust.plot()
    ax.set_xlabel(ctx.t("sensitivity_axis"))
    ax.set_ylabel(ctx.t("sensitivity_effect"))
    legend = ax.get_legend()
    if legend is not None:
        for text, key in zip(
            legend.get_texts(), ("original_interval", "robust_interval"), strict=False
        ):
            text.set_text(ctx.t(key))
    doc.figure(ax, name)


def adjusted_comparison(ctx: Context):
    """Leverage of matched against standard applications, adjusted for team size
    (relative leverage with its interval, and the model's result)."""
    from ...leverage import compare_leverage, project_resources

    data = ctx.year_data
    projects = ctx.year_projects
    if "application_type" not in projects or projects.application_type.isna().all():
        raise Unavailable("no_application_type")
    projects = projects.assign(
        leveraged_total=project_resources(data)
        .set_index("project_id")
        .leveraged_yuan.reindex(projects.project_id)
        .to_numpy()
    )
    funded = funded_projects(projects)
    types = set(funded.application_type.dropna().astype(str))
    if "matched" not in types:
        raise Unavailable("no_matched")
    if len(types) < 2:
        raise Unavailable("one_type_only")
    covariates = [
        c for c in ("team_size",) if c in funded and funded[c].astype(float).nunique() > 1
    ]
    cluster = "community_id" if "community_id" in funded else None
    result = compare_leverage(
        funded.assign(application_type=funded.application_type.astype(str)),
        leveraged="leveraged_total",
        grant="grant_yuan",
        group="application_type",
        covariates=covariates,
        cluster=cluster,
        reference="standard" if "standard" in types else None,
        ci=ctx.ci,
    )
    rows = result.table.loc[[i for i in result.table.index if "matched" in str(i)]]
    table = rows[["ratio", "ratio_low", "ratio_high"]].rename(
        columns={"ratio": "leverage_relative", "ratio_low": "ci_low", "ratio_high": "ci_high"}
    )
    return table, result


def matched_vs_standard(ctx: Context, doc: Writer) -> None:
    """Leverage of matched against standard applications, adjusted for team size, and a
    word where the raw comparison points the other way."""
    table, result = adjusted_comparison(ctx)
    doc.uses("matched")
    doc.table(
        table,
        "matched_vs_standard",
        formats={c: "{:.2f}" for c in ("leverage_relative", "ci_low", "ci_high")},
        n=int(result.inputs["n"]),
        level=ctx.ci,
        scope=ctx.scope_label("year_funded"),
    )
    disagreement = raw_and_adjusted(ctx, table)
    if disagreement:
        doc.caution(disagreement)
    doc.note(ctx.t("matched_note"))


def raw_and_adjusted(ctx: Context, adjusted: pd.DataFrame) -> str | None:
    """One sentence where the raw leverage of matched and standard applications (the
    leverage table, the key findings) and the adjusted comparison point different ways."""
    raw = ctx.leverage_by_type.table
    if not {"matched", "standard"} <= set(raw.index.astype(str)) or adjusted.empty:
        return None
    matched, standard = raw.loc["matched", "leverage"], raw.loc["standard", "leverage"]
    row = adjusted.iloc[0]
    if (
        not standard
        or pd.isna(row.leverage_relative)
        or (matched > standard) == (row.leverage_relative > 1)
    ):
        return None
    uncertain = row.ci_low < 1 < row.ci_high
    return ctx.t(
        "raw_adjusted_differ" + ("_uncertain" if uncertain else ""),
        matched=f"{matched:.2f}",
        standard=f"{standard:.2f}",
        adjusted=f"{row.leverage_relative:.2f}",
    )


def outputs(ctx: Context, doc: Writer) -> None:
    """Outputs at closure and the seed money per unit of each."""
    from ...leverage import cost_per_output

    data = ctx.year_data
    projects = funded_projects(ctx.year_projects)
    if projects.empty:
        raise Unavailable("no_seed_grant")
    if data.indicators is None or "period" not in data.indicators:
        raise Unavailable("no_outputs")
    indicators = figures.indicator_codes(data.indicators)
    final = indicators[
        (indicators.period == "final") & indicators.project_id.isin(projects.project_id)
    ]
    totals = final.assign(indicator=final.indicator.astype(str)).pivot_table(
        index="project_id", columns="indicator", values="value", aggfunc="sum"
    )
    wanted = [
        c for c in ("residents_served", "activities", "volunteer_person_times") if c in totals
    ]
    if not wanted:
        raise Unavailable("no_final_values")
    frame = (
        projects.set_index("project_id")[
            [c for c in ("grant_yuan", "community_id") if c in projects]
        ]
        .join(totals[wanted])
        .fillna({c: 0 for c in wanted})
    )
    result = cost_per_output(
        frame,
        cost="grant_yuan",
        outputs=wanted,
        cluster="community_id" if "community_id" in frame else None,
        n_boot=ctx.n_boot,
        ci=ctx.ci,
        seed=ctx.seed,
    )
    doc.uses("cost")
    table = result.table.reset_index()
    table["output"] = table.output.map(ctx.t)
    doc.table(
        table[["output", "units", "cost_per_unit", "ci_low", "ci_high", "n"]],
        "cost_per_output",
        formats={
            "units": "{:,.0f}",
            "cost_per_unit": "{:.2f}",
            "ci_low": "{:.2f}",
            "ci_high": "{:.2f}",
        },
        n=len(frame),
        level=ctx.ci,
    )


def sustainability(ctx: Context, doc: Writer) -> None:
    """How long project lines last: median rounds and the Kaplan–Meier curve."""
    result = ctx.survival
    doc.uses("survival")
    medians = not_reached(result.medians.reset_index(), ctx.t("not_reached"))
    if "group" in medians:
        medians["group"] = medians.group.astype(str).map(ctx.t)
    doc.table(
        medians,
        "survival_medians",
        n=int(result.inputs.get("n", 0)) or lines_count(ctx),
        unit="lines",
        level=ctx.ci,
    )
    ax = result.plot()
    ax.set_xlabel(ctx.t("rounds_survived"))
    ax.set_ylabel(ctx.t("share_going"))
    figures.round_ticks(ax.xaxis, ctx.language)
    for text in ax.get_legend().get_texts() if ax.get_legend() else []:
        text.set_text(ctx.t(text.get_text()))
    doc.figure(ax, "survival")
    cumulative_note(ctx, doc)


def lines_count(ctx: Context) -> int:
    from ...sustainability import lineages

    return len(lineages(ctx.history))


def hazard_ratios(ctx: Context, doc: Writer) -> None:
    """What goes with a project line ending: hazard ratios per round."""
    from ...sustainability import dataset_round_hazard, varying_covariates

    data = ctx.history
    covariates = varying_covariates(data)
    if not covariates:
        raise Unavailable("hazard_no_covariates")
    result = dataset_round_hazard(data, covariates=covariates, ci=ctx.ci)
    doc.uses("survival")
    table = result.table.drop(index="const", errors="ignore").reset_index()
    table["term"] = table.term.map(ctx.t)
    table = table[["term", "hazard_ratio", "hr_low", "hr_high"]].rename(
        columns={"hr_low": "ci_low", "hr_high": "ci_high"}
    )
    doc.table(
        table,
        "hazard_ratios",
        formats={c: "{:.2f}" for c in ("hazard_ratio", "ci_low", "ci_high")},
        n=int(result.inputs["n"]),
        unit="project_rounds",
        level=ctx.ci,
    )
    doc.note(ctx.t("hazard_note", n=result.inputs["n"], events=result.inputs["events"]))
    dropped = [c for c in ("matched", "team_size", "low_midterm") if c not in covariates]
    if dropped:
        doc.note(
            ctx.t(
                "hazard_dropped",
                factors=ctx.t("list_separator").join(ctx.t(c) for c in dropped),
            )
        )
    cumulative_note(ctx, doc)


def lineage_table(ctx: Context, doc: Writer, top: int = 15) -> None:
    """The longest project lines: first round, rounds lasted, ended or not."""
    from ...sustainability import lineages

    table = lineages(ctx.history).sort_values("duration_rounds", ascending=False)
    doc.uses("survival")
    n = len(table)
    columns = [c for c in ("title", "round", "duration_rounds", "ended", "inferred") if c in table]
    table = table.head(top)[columns].copy()
    table["ended"] = table.ended.map({1: ctx.t("yes"), 0: ctx.t("no")})
    if "inferred" in table:
        table["inferred"] = table.inferred.map({True: ctx.t("yes"), False: ""})
    if "round" in table:
        table["round"] = table["round"].map(lambda r: ctx.round_label(r))
    doc.table(table, "lineages", n=n, unit="lines")
    cumulative_note(ctx, doc)


def self_financing(ctx: Context, doc: Writer) -> None:
    """After the grant: projects still active, registered, their own income and what they
    gave to community funds."""
    from ...sustainability import self_financing as self_financing_of

    data = ctx.to_date_data
    if data.followups is None or data.followups.empty:
        raise Unavailable("no_followups")
    table = self_financing_of(data).reset_index()
    if ctx.programme is not None:
        table = table[table.programme_id == ctx.programme]
    table = table.drop(columns="programme_id").rename(columns={"projects": "n"})
    doc.table(
        table,
        "self_financing",
        formats={
            "active_share": "{:.0%}",
            "registered_share": "{:.0%}",
            "own_income_yuan": "{:,.0f}",
            "fund_donation_yuan": "{:,.0f}",
            "grant_yuan": "{:,.0f}",
            "self_financing_share": "{:.1%}",
        },
        n=int(data.followups.project_id.nunique()),
    )
    cumulative_note(ctx, doc)
