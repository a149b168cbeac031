"""Key findings: the few sentences every report opens with, written from the numbers with
their uncertainty (catalogue sentences in zh and en), followed by the evaluator's
commentary and recommendations from the parameters file."""

from __future__ import annotations

import pandas as pd

from ...dataset import funded_projects
from .. import figures
from .base import Unavailable, section


class FindingSections:
    """Mixed into :class:`~impact.report.sections.Report`."""

    def _finding(self, compute) -> str | None:
        """One sentence, or None when the data do not allow it (the section that would
        show it says why)."""
        try:
            return compute()
        except Exception:  # noqa: BLE001 - a finding that cannot be made is left out
            return None

    def _leverage_sentence(self) -> str | None:
        if not figures.records_leverage(self.year_data()):
            return None
        result = self.leverage_result(None)
        row = result.table.iloc[0]
        if not row.grant_yuan:
            return None
        no_interval = _is_missing(row.ci_low) or _is_missing(row.ci_high)
        return self.t(
            "finding_leverage_point" if no_interval else "finding_leverage",
            n=int(row.n),
            grant=f"{row.grant_yuan:,.0f}",
            leveraged=f"{row.leveraged_yuan:,.0f}",
            ratio=f"{row.leverage:.2f}",
            level=f"{self.ci:.0%}",
            low=f"{row.ci_low:.2f}",
            high=f"{row.ci_high:.2f}",
        )

    def _continuation_sentence(self) -> str | None:
        from ...sustainability import project_rounds

        data = self._history()
        rate = figures.continuation(project_rounds(data), ci=self.ci)
        if rate is None:
            return None
        return self.t(
            "finding_continuation",
            continued=rate["continued"],
            known=rate["known"],
            share=f"{rate['share']:.0%}",
            level=f"{self.ci:.0%}",
            low=f"{rate['low']:.0%}",
            high=f"{rate['high']:.0%}",
            year=self.year or "",
        )

    def _comparison_sentence(self) -> str | None:
        published, programmes, _ = self.published_data()
        if published is None:
            return None
        others = figures.published_per_project(published, "leveraged_yuan")
        if others.empty:
            return None
        if self.programme is None:
            return None
        own = figures.own_figures(self.year_data())
        if not own.get("funded_projects") or "leveraged_yuan" not in own:
            return None
        names = self._name_of(programmes) | self._name_of(self.data.programmes)
        mine = others[others.programme_id == self.programme]
        if len(mine):  # the programme's own published figure: does the data agree?
            first = mine.iloc[0]
            return self.t(
                "finding_comparison_self",
                own=f"{own['leveraged_yuan'] / own['funded_projects']:,.0f}",
                when=self._when(first["round"], first.year),
                published=f"{first.per_project:,.0f}",
                total=f"{first.value:,.0f}",
            )
        first = others.iloc[0]
        return self.t(
            "finding_comparison",
            own=f"{own['leveraged_yuan'] / own['funded_projects']:,.0f}",
            other=names.get(first.programme_id, first.programme_id),
            when=self._when(first["round"], first.year),
            published=f"{first.per_project:,.0f}",
        )

    def _midterm_sentences(self) -> list[str]:
        frame, _ = self.midterm_progress_table()
        counts = figures.status_counts(frame.status)
        lines = [self.t("status_counts", total=len(frame), **counts)]
        worst = frame[frame.status == "behind"].head(3)
        if len(worst):
            lines.append(
                self.t(
                    "finding_worst",
                    titles=self.t("list_separator").join(
                        str(t) for t in worst.get("title", worst.project_id)
                    ),
                )
            )
        return lines

    def _risk_sentence(self) -> str | None:
        metrics = self.risk_result().metrics
        quality = figures.auc_quality(metrics.get("auc"))
        return self.t(
            f"finding_risk_{quality}",
            auc=metrics.get("auc", float("nan")),
        )

    @section("key_findings")
    def key_findings(self) -> None:
        """The opening summary, by report kind, then the evaluator's own words."""
        lines: list[str | None] = []
        if self.round_no is not None and self.programme is not None:  # mid-term
            lines += self._finding(self._midterm_sentences) or []
            lines.append(self._finding(self._risk_sentence))
        elif self.programme is not None:  # annual
            projects = self._finding(self._year_projects)
            if projects is not None and self.programme_kind() != "partnership":
                rounds = sorted(projects["round"].dropna().unique())
                labels = [self.round_label(r, self.year) for r in rounds]
                by_year = all(str(self.year) in label for label in labels)
                lines.append(
                    self.t(
                        "finding_scope_fund" if by_year else "finding_scope",
                        year=self.year,
                        rounds=self.t("list_separator").join(labels),
                        applications=f"{len(projects):,}",
                        funded=f"{len(funded_projects(projects)):,}",
                    )
                )
            lines.append(self._finding(self._leverage_sentence))
            lines.append(self._finding(self._continuation_sentence))
            lines.append(self._finding(self._comparison_sentence))
            lines += self._finding(self._kind_sentences) or []
        else:  # compare and explore: the data set as a whole, then each programme
            lines += self._finding(self._dataset_sentences) or []
            lines += self._finding(self._programme_lines) or []
        lines = [line for line in lines if line]
        if not lines:
            raise Unavailable("no_findings")
        self.bullets(lines)
        self.commentary()

    def _dataset_sentences(self) -> list[str]:
        projects = self.data.projects
        if projects is None:
            raise Unavailable("no_projects")
        programmes = projects.programme_id.nunique()
        funded = funded_projects(projects)
        lines = [
            self.t(
                "finding_dataset",
                programmes=programmes,
                projects=len(projects),
                funded=len(funded),
                grant=f"{funded.grant_yuan.sum():,.0f}" if len(funded) else "0",
            )
        ]
        return lines

    def _programme_lines(self) -> list[str]:
        """Per programme of the data (its latest round): funded projects, seed money and
        leverage, the figures the comparison sets beside the published ones."""
        lines = []
        for programme, round_no, year, data in self.own_scope():
            own = figures.own_figures(data)
            if not own.get("funded_projects"):
                continue
            key = "finding_programme_leverage" if "leveraged_yuan" in own else "finding_programme"
            lines.append(
                self.t(
                    key,
                    programme=self.programme_name(programme),
                    when=self._when(round_no, year),
                    funded=f"{own['funded_projects']:,.0f}",
                    grant=f"{own.get('paid_out_yuan', 0):,.0f}",
                    leveraged=f"{own.get('leveraged_yuan', 0):,.0f}",
                    ratio=f"{own.get('leveraged_yuan', 0) / own['paid_out_yuan']:.2f}"
                    if own.get("paid_out_yuan")
                    else "–",
                )
            )
        return lines

    def _kind_sentences(self) -> list[str]:
        """Sentences specific to the kind of programme (see ``kinds.py``)."""
        kind = self.programme_kind()
        makers = {
            "competition": (self._matched_sentence,),
            "fund": (self._tier_sentence,),
            "incubator": (self._people_sentence, self._fund_balance_sentence),
            "proposal_contest": (self._funnel_sentence, self._organisation_sentence),
            "partnership": (self._partner_sentence, self._fund_balance_sentence),
        }.get(kind or "", ())
        return [line for line in (self._finding(make) for make in makers) if line]

    def _matched_sentence(self) -> str | None:
        table = self.leverage_result("application_type").table
        if not {"matched", "standard"} <= set(table.index.astype(str)):
            return None
        return self.t(
            "finding_matched",
            matched=f"{table.loc['matched', 'leverage']:.2f}",
            standard=f"{table.loc['standard', 'leverage']:.2f}",
            n_matched=int(table.loc["matched", "n"]),
        )

    def _tier_sentence(self) -> str | None:
        projects = funded_projects(self._year_projects())
        if "tier" not in projects or projects.tier.isna().all():
            return None
        counts = projects.tier.astype(str).value_counts()
        parts = self.t("list_separator").join(
            f"{self.t(tier)} {count}" for tier, count in counts.items()
        )
        groups = projects.peer_group.nunique() if "peer_group" in projects else 0
        return self.t("finding_tiers", tiers=parts, groups=groups)

    def _people_sentence(self) -> str | None:
        rounds = self.year_data().tables.get("community_rounds")
        if rounds is None or rounds.empty:
            return None
        total = {
            c: rounds[c].sum()
            for c in rounds
            if c in ("ideas_proposed", "ideas_selected", "active_residents", "leaders")
        }
        return self.t(
            "finding_people",
            communities=rounds.community_id.nunique(),
            residents=f"{total.get('active_residents', 0):,.0f}",
            leaders=f"{total.get('leaders', 0):,.0f}",
            ideas=f"{total.get('ideas_proposed', 0):,.0f}",
            selected=f"{total.get('ideas_selected', 0):,.0f}",
        )

    def _fund_balance_sentence(self) -> str | None:
        flows = self.to_date_data().tables.get("fund_flows")
        if flows is None or flows.empty:
            return None
        money_in = flows.loc[flows.direction == "in", "amount_yuan"].sum()
        money_out = flows.loc[flows.direction == "out", "amount_yuan"].sum()
        return self.t(
            "finding_fund",
            funds=flows.fund_id.nunique(),
            money_in=f"{money_in:,.0f}",
            money_out=f"{money_out:,.0f}",
            balance=f"{money_in - money_out:,.0f}",
        )

    def _funnel_sentence(self) -> str | None:
        from ...dataset import stage_reached
        from ...leverage import funnel

        projects = self._year_projects()
        result = funnel(projects.assign(stage=stage_reached(projects)), stage="stage")
        reached = result.table.reached
        chain = " → ".join(
            f"{self.t(stage)} {int(reached[stage]):,}"
            for stage in ("idea", "shortlisted", "approved", "signed")
            if stage in reached.index
        )
        return self.t("finding_funnel", chain=chain)

    def _organisation_sentence(self) -> str | None:
        own = figures.own_figures(self.year_data())
        if "organisations_formed" not in own:
            return None
        formed = own["organisations_formed"]
        registered = own.get("organisations_registered", 0)
        return self.t(
            "finding_organisations",
            formed=f"{formed:,.0f}",
            registered=f"{registered:,.0f}",
            share=f"{registered / formed:.0%}" if formed else "–",
        )

    def _partner_sentence(self) -> str | None:
        projects = self._year_projects()
        if "service_income_yuan" not in projects:
            return None
        income = projects.service_income_yuan.sum()
        donated = projects.get("fund_donation_yuan", pd.Series(dtype=float)).sum()
        return self.t(
            "finding_partners",
            partners=len(projects),
            earning=int((projects.service_income_yuan.fillna(0) > 0).sum()),
            income=f"{income:,.0f}",
            donated=f"{donated:,.0f}",
            share=f"{donated / income:.0%}" if income else "–",
        )


def _is_missing(value) -> bool:
    return value is None or bool(pd.isna(value))
