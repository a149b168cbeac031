"""The annual report's sections. Each covers the rounds of the report's year
(:func:`..scope.for_year`); the few that need history (participation, sustainability,
self-financing) use everything up to and including the year and say so.

Options ``ci``, ``n_boot`` and ``seed`` reach every estimate; every table states its n
and interval level.
"""

from __future__ import annotations

import html

import pandas as pd

from ...dataset import funded_projects
from .. import figures, scope
from ..format import period_text
from .base import LEVERAGE_FORMATS, Unavailable, _not_reached, section

FUNNEL_STAGES = ("idea", "shortlisted", "approved", "signed", "completed", "withdrawn")


class AnnualSections:
    """Mixed into :class:`~impact.report.sections.Report`."""

    # ------------------------------------------------------------------ scope
    def year_data(self):
        """The rounds of this report's year (every round for a report without a year)."""
        if self.programme is None:
            return self.data
        if self.year is None:
            return scope.for_programme(self.data, self.programme)
        return self.cached("year", lambda: scope.for_year(self.data, self.programme, self.year))

    def to_date_data(self):
        """Every round up to and including this report's year: for history."""
        if self.programme is None:
            return self.data
        if self.year is None:
            return scope.for_programme(self.data, self.programme)
        return self.cached(
            "to_date", lambda: scope.for_year(self.data, self.programme, self.year, True)
        )

    def _cumulative_note(self) -> None:
        if self.year is not None:
            self.note(self.t("cumulative_to", year=self.year))

    def _year_projects(self) -> pd.DataFrame:
        data = self.year_data()
        if data.projects is None or data.projects.empty:
            raise Unavailable("no_projects_year")
        return data.projects

    # ------------------------------------------------------------------ sections
    @section("funnel")
    def funnel(self) -> None:
        from ...leverage import funnel

        projects = self._year_projects()
        if "stage" not in projects or projects.stage.isna().all():
            raise Unavailable("no_stage")
        unknown = ~projects.stage.astype(object).isin(FUNNEL_STAGES)
        if unknown.all():
            raise Unavailable("no_stage")
        from ...dataset import stage_reached

        # a project that withdrew counts at the furthest stage it had reached
        reached = projects[~unknown].assign(stage=lambda f: stage_reached(f))
        result = funnel(reached, stage="stage", ci=self.ci)
        table = result.table.reset_index()
        table["stage"] = table.stage.map(self.t)
        self.table(
            table[["stage", "reached", "conversion", "ci_low", "ci_high"]],
            "funnel",
            formats={"conversion": "{:.1%}", "ci_low": "{:.1%}", "ci_high": "{:.1%}"},
            n=int(result.inputs["n"]),
            unit="applications",
            level=self.ci,
        )

    def leverage_result(self, by=None):
        from ...leverage import dataset_leverage

        data = self.year_data()

        def compute():
            return dataset_leverage(data, by=by, n_boot=self.n_boot, seed=self.seed, ci=self.ci)

        return self.cached(("leverage", by), compute)

    @section("leverage")
    def leverage(self) -> None:
        """Leverage overall (always the first row) and by tier and application type."""
        projects = self._year_projects()
        if funded_projects(projects).empty:
            raise Unavailable("no_seed_grant")
        if not figures.records_leverage(self.year_data()):
            raise Unavailable("no_leverage_data")
        overall = self.leverage_result(None).table.reset_index(drop=True)
        overall.insert(0, "group", self.t("overall"))
        parts = [overall]
        for by in ("tier", "application_type"):
            if by not in projects or funded_projects(projects)[by].notna().sum() == 0:
                continue
            if funded_projects(projects)[by].nunique() < 2:
                continue
            table = self.leverage_result(by).table.reset_index()
            table["group"] = table[by].astype(str).map(self.t)
            parts.append(table.drop(columns=[by]))
        table = pd.concat(parts, ignore_index=True)
        shown = table[
            ["group", "n", "grant_yuan", "leveraged_yuan", "leverage", "ci_low", "ci_high"]
        ].rename(columns={"leverage": "leverage_ratio"})
        self.table(
            shown,
            "leverage",
            formats=LEVERAGE_FORMATS,
            n=int(overall.n.iloc[0]),
            level=self.ci,
        )
        if "small" in table and table.small.fillna(False).astype(bool).any():
            self.note(self.t("small_cell"))
        if len(table) > 1:
            from ...leverage import LeverageResult

            inputs = dict(self.leverage_result(None).inputs) | {"by": ["group"]}
            ax = LeverageResult(table.set_index("group"), inputs=inputs).plot()
            ax.set_xlabel(self.t("seed_grant_per_yuan"))
            self.figure(ax, "leverage")

    @section("participation")
    def participation(self) -> None:
        """Staggered DiD on this programme's own communities up to the report's year."""
        self._participation(self.to_date_data(), "event_study")
        self._cumulative_note()

    def _participation(self, data, figure_name: str) -> None:
        from ...participation import community_cohorts, dataset_did
        from ...participation.staggered import MIN_GROUP

        if data.panel is None or data.panel.empty:
            raise Unavailable("no_panel")
        if data.communities is None or data.rounds is None:
            raise Unavailable("no_panel")
        outcome = self.options.outcome
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
        result = dataset_did(data, outcome=outcome, control=control, ci=self.ci)
        # The overall row is the result's own headline "simple" aggregation, the one its
        # summary() names first: one meaning of "overall" everywhere.
        simple = result.table.loc[["simple"]] if "simple" in result.table.index else None
        if simple is None:
            simple = result.aggregate("simple", n_boot=self.n_boot, seed=self.seed).iloc[[0]]
        dynamic = result.aggregate("dynamic", n_boot=self.n_boot, seed=self.seed)
        dynamic = dynamic.drop(index="overall", errors="ignore")
        rows = [simple.assign(period=self.t("overall_simple"))]
        rows.append(
            dynamic.reset_index(drop=False).assign(
                period=lambda f: [period_text(k, self.language) for k in f.iloc[:, 0]]
            )
        )
        table = pd.concat(rows, ignore_index=True)
        self.table(
            table[["period", "att", "se", "ci_low", "ci_high"]],
            figure_name.replace("event_study", "participation"),
            formats={c: "{:.2f}" for c in ("att", "se", "ci_low", "ci_high")},
            n=int(result.inputs["n_units"]),
            unit="communities",
            level=self.ci,
        )
        ax = result.plot(n_boot=self.n_boot, seed=self.seed)
        ax.set_xlabel(self.t("periods_since_joining"))
        ax.set_ylabel(self.t("effect_on", outcome=self.t(outcome)))
        _integer_ticks(ax.xaxis)
        self.figure(ax, figure_name)
        self.note(
            self.t(
                "did_n_programme",
                units=result.inputs["n_units"],
                cohorts=result.inputs["cohorts"],
                never=never,
            )
        )
        if control == "notyet":
            self.note(self.t("did_notyet"))
        self.note(self.t("overall_simple_note"))
        self.note(self.t("did_assumptions"))
        # R's joint test of every pre-joining cell where it can be computed; otherwise the
        # test of the event-time averages, named as such, so the page never loses the check.
        if result.pretrend:
            self.note(self.t("pretrend", **result.pretrend))
            if getattr(result.pretrend, "warning", None):
                self.note(self.t("pretrend_caution"))
        elif result.pretrend_event_time:
            self.note(self.t("pretrend_event_time", **result.pretrend_event_time))
        if result.twfe:
            self.note(self.t("twfe_estimate", **result.twfe))
            self.note(self.t("twfe_note"))

    @section("matched_vs_standard")
    def matched_vs_standard(self) -> None:
        from ...leverage import compare_leverage, project_resources

        data = self.year_data()
        projects = self._year_projects()
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
            ci=self.ci,
        )
        rows = result.table.loc[[i for i in result.table.index if "matched" in str(i)]]
        table = rows[["ratio", "ratio_low", "ratio_high"]].rename(
            columns={"ratio": "leverage_relative", "ratio_low": "ci_low", "ratio_high": "ci_high"}
        )
        self.table(
            table,
            "matched_vs_standard",
            formats={c: "{:.2f}" for c in ("leverage_relative", "ci_low", "ci_high")},
            n=int(result.inputs["n"]),
            level=self.ci,
        )
        self.note(self.t("matched_note"))

    @section("outputs")
    def outputs(self) -> None:
        from ...leverage import cost_per_output

        data = self.year_data()
        projects = funded_projects(self._year_projects())
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
            n_boot=self.n_boot,
            ci=self.ci,
            seed=self.seed,
        )
        table = result.table.reset_index()
        table["output"] = table.output.map(self.t)
        self.table(
            table[["output", "units", "cost_per_unit", "ci_low", "ci_high", "n"]],
            "cost_per_output",
            formats={
                "units": "{:,.0f}",
                "cost_per_unit": "{:.2f}",
                "ci_low": "{:.2f}",
                "ci_high": "{:.2f}",
            },
            n=len(frame),
            level=self.ci,
        )

    def _history(self):
        data = self.to_date_data()
        if data.projects is None or data.projects["round"].nunique() < 2:
            raise Unavailable("one_round_only")
        if funded_projects(data.projects).empty:
            raise Unavailable("no_seed_grant_history")
        if funded_projects(data.projects)["round"].nunique() < 2:
            raise Unavailable("one_round_only")
        return data

    def survival_result(self):
        from ...sustainability import dataset_survival

        def compute():
            data = self._history()
            types = data.projects.get("application_type")
            by = (
                "application_type"
                if types is not None
                and funded_projects(data.projects).application_type.nunique() > 1
                else None
            )
            return dataset_survival(data, by=by, ci=self.ci)

        return self.cached("survival", compute)

    @section("sustainability")
    def sustainability(self) -> None:
        result = self.survival_result()
        medians = _not_reached(result.medians.reset_index(), self.t("not_reached"))
        if "group" in medians:
            medians["group"] = medians.group.astype(str).map(self.t)
        self.table(
            medians,
            "survival_medians",
            n=int(result.inputs.get("n", 0)) or int(self._lines_count()),
            unit="lines",
            level=self.ci,
        )
        ax = result.plot()
        ax.set_xlabel(self.t("rounds_survived"))
        ax.set_ylabel(self.t("share_going"))
        figures.round_ticks(ax.xaxis, self.language)
        for text in ax.get_legend().get_texts() if ax.get_legend() else []:
            text.set_text(self.t(text.get_text()))
        self.figure(ax, "survival")
        self._cumulative_note()

    def _lines_count(self) -> int:
        from ...sustainability import lineages

        return len(lineages(self._history()))

    @section("hazard_ratios")
    def hazard_ratios(self) -> None:
        from ...sustainability import dataset_round_hazard, project_rounds
        from ...sustainability.forms import _with_indicators

        data = self._history()
        frame = _with_indicators(project_rounds(data))
        covariates = [
            c
            for c in ("matched", "team_size", "low_midterm")
            if c in frame and frame[c].dropna().nunique() > 1
        ]
        if not covariates:
            raise Unavailable("hazard_no_covariates")
        result = dataset_round_hazard(data, covariates=covariates, ci=self.ci)
        table = result.table.drop(index="const", errors="ignore").reset_index()
        table["term"] = table.term.map(self.t)
        table = table[["term", "hazard_ratio", "hr_low", "hr_high"]].rename(
            columns={"hr_low": "ci_low", "hr_high": "ci_high"}
        )
        self.table(
            table,
            "hazard_ratios",
            formats={c: "{:.2f}" for c in ("hazard_ratio", "ci_low", "ci_high")},
            n=int(result.inputs["n"]),
            unit="project_rounds",
            level=self.ci,
        )
        self.note(self.t("hazard_note", n=result.inputs["n"], events=result.inputs["events"]))
        dropped = [c for c in ("matched", "team_size", "low_midterm") if c not in covariates]
        if dropped:
            self.note(
                self.t(
                    "hazard_dropped",
                    factors=self.t("list_separator").join(self.t(c) for c in dropped),
                )
            )
        self._cumulative_note()

    @section("lineages")
    def lineage_table(self, top: int = 15) -> None:
        from ...sustainability import lineages

        table = lineages(self._history()).sort_values("duration_rounds", ascending=False)
        n = len(table)
        columns = [
            c for c in ("title", "round", "duration_rounds", "ended", "inferred") if c in table
        ]
        table = table.head(top)[columns].copy()
        table["ended"] = table.ended.map({1: self.t("yes"), 0: self.t("no")})
        if "inferred" in table:
            table["inferred"] = table.inferred.map({True: self.t("yes"), False: ""})
        if "round" in table:
            table["round"] = table["round"].map(lambda r: self.round_label(r))
        self.table(table, "lineages", n=n, unit="lines")
        self._cumulative_note()

    @section("self_financing")
    def self_financing(self) -> None:
        from ...sustainability import self_financing

        data = self.to_date_data()
        if data.followups is None or data.followups.empty:
            raise Unavailable("no_followups")
        table = self_financing(data).reset_index()
        if self.programme is not None:
            table = table[table.programme_id == self.programme]
        table = table.drop(columns="programme_id").rename(columns={"projects": "n"})
        self.table(
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
        self._cumulative_note()

    @section("methods")
    def methods(self) -> None:
        for key in ("method_leverage", "method_did", "method_survival", "method_risk"):
            self._show(f"<p>{html.escape(self.t(key))}</p>")
        self.note(
            self.t("method_options", level=f"{self.ci:.0%}", n_boot=self.n_boot, seed=self.seed)
        )


def _integer_ticks(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
