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
        result = self.leverage_result(None)
        row = result.table.iloc[0]
        if not row.grant_yuan:
            return None
        return self.t(
            "finding_leverage",
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
        own = figures.own_figures(self.year_data())
        if not own.get("funded_projects") or "leveraged_yuan" not in own:
            return None
        names = self._name_of(programmes) | self._name_of(self.data.programmes)
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
            if projects is not None:
                rounds = sorted(projects["round"].dropna().unique())
                lines.append(
                    self.t(
                        "finding_scope"
                        if self.programme_kind() != "fund"
                        else "finding_scope_fund",
                        year=self.year,
                        rounds=self.t("list_separator").join(
                            self.round_label(r, self.year) for r in rounds
                        ),
                        applications=len(projects),
                        funded=len(funded_projects(projects)),
                    )
                )
            lines.append(self._finding(self._leverage_sentence))
            lines.append(self._finding(self._continuation_sentence))
            lines.append(self._finding(self._comparison_sentence))
            lines += self._finding(self._kind_sentences) or []
        else:  # compare and explore: the data set as a whole
            lines += self._finding(self._dataset_sentences) or []
            lines.append(self._finding(self._comparison_sentence))
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

    def _kind_sentences(self) -> list[str]:
        """Sentences specific to the kind of programme (see ``kinds.py``)."""
        return []


def _is_missing(value) -> bool:
    return value is None or bool(pd.isna(value))
