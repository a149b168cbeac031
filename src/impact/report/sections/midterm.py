"""The mid-term report's sections: how many projects are behind, each project's
indicators behind with plan and value, the risk of not continuing in plain words with how
good the model is, and peers that leave the project itself out.

Everything uses only what was known at the round's mid-term (:func:`..scope.as_of_midterm`).
"""

from __future__ import annotations

import pandas as pd

from ...dataset import funded_projects
from .. import figures, scope
from .base import Unavailable, section


class MidtermSections:
    """Mixed into :class:`~impact.report.sections.Report`."""

    # ------------------------------------------------------------------ data
    def midterm_data(self):
        return self.cached(
            "midterm_data", lambda: scope.as_of_midterm(self.data, self.programme, self.round_no)
        )

    def midterm_projects(self) -> pd.DataFrame:
        data = self.midterm_data()
        if data.projects is None:
            raise Unavailable("no_projects")
        mine = data.projects[
            (data.projects.programme_id == self.programme)
            & (data.projects["round"] == self.round_no)
        ]
        funded = funded_projects(mine)
        if funded.empty:
            funded = mine  # a scheme without seed grants: its projects are still followed
        if funded.empty:
            raise Unavailable("no_projects_round")
        return funded

    def midterm_progress_table(self) -> pd.DataFrame:
        """Per project of the round: title, status, share of plan, lagging indicators,
        spend rate (where recorded), worst first. Cached: the key findings use it too."""

        def compute():
            projects = self.midterm_projects()
            data = self.midterm_data()
            progress = figures.indicator_progress(
                figures.indicator_codes(data.indicators), projects.project_id
            )
            if progress.achieved.notna().sum():
                per_project = figures.project_progress(progress)
                self._cache["progress_basis"] = "indicators"
            else:  # no indicator values at mid-term: spending is the measure there is
                per_project = figures.spend_progress(projects)
                if per_project.empty:
                    raise Unavailable(
                        "no_indicators" if data.indicators is None else "no_midterm_values"
                    )
                self._cache["progress_basis"] = "spending"
            spent = next((c for c in ("spent_midterm_yuan", "spent_yuan") if c in projects), None)
            keep = [c for c in ("project_id", "title", "grant_yuan", spent) if c in projects]
            frame = projects[keep].merge(per_project, on="project_id", how="left")
            if spent and "grant_yuan" in frame:
                grant = frame.grant_yuan.astype(float).where(frame.grant_yuan > 0)
                frame["spend_rate"] = frame[spent].astype(float) / grant
            return figures.need_order(frame), progress

        return self.cached("midterm_progress", compute)

    def _lagging_text(self, lagging) -> str:
        if not isinstance(lagging, list) or not lagging:
            return ""
        parts = []
        for indicator, plan, value, share in lagging:
            parts.append(
                self.t(
                    "lagging_item",
                    indicator=self.t(indicator),
                    value=_number(value),
                    plan=_number(plan),
                    share=f"{share:.0%}",
                )
            )
        return self.t("list_separator").join(parts)

    # ------------------------------------------------------------------ sections
    @section("status_overview")
    def status_overview(self) -> None:
        """Counts behind / watch / on track, at the top of the mid-term."""
        frame, _ = self.midterm_progress_table()
        counts = figures.status_counts(frame.status)
        self.paragraph(self.t("status_counts", total=len(frame), **counts))
        if self._cache.get("progress_basis") == "spending":
            self.note(self.t("progress_by_spending"))
        if counts["unknown"]:
            self.note(self.t("status_unknown", unknown=counts["unknown"]))
        table = pd.DataFrame(
            {
                "light": [self.t(f"status_{s}") for s in ("behind", "watch", "on_track")],
                "projects": [counts["behind"], counts["watch"], counts["on_track"]],
            }
        )
        self.table(table, "status_counts", {"projects": "project_count"}, n=len(frame))

    @section("indicators")
    def indicator_performance(self) -> pd.DataFrame:
        """One row per project, sorted by need: status, share of plan and the indicators
        not on track with value and plan. Every indicator goes to the downloadable table."""
        frame, progress = self.midterm_progress_table()
        full = progress.merge(
            self.midterm_projects()[["project_id", "title"]], on="project_id", how="left"
        )
        full = full.assign(
            indicator=full.indicator.map(self.t),
            status=full.status.map(lambda s: self.t(f"status_{s}") if isinstance(s, str) else ""),
        )
        self.save_table(full, "indicator_performance")
        if self._cache.get("progress_basis") == "spending":
            self.note(self.t("progress_by_spending_short"))
        shown = pd.DataFrame(
            {
                "title": frame.get("title", frame.project_id),
                "light": frame.status.map(
                    lambda s: self.t(f"status_{s}") if isinstance(s, str) else ""
                ),
                "achieved": frame.achieved,
                "behind": frame.lagging.map(self._lagging_text),
            }
        )
        if "spend_rate" in frame and self._cache.get("progress_basis") != "spending":
            shown["spend_rate"] = frame.spend_rate
        if self._cache.get("progress_basis") == "spending":
            shown = shown.drop(columns="behind").rename(columns={"achieved": "spend_rate"})
        self.table(
            shown,
            "indicator_summary",
            {"behind": "lagging_header"},
            formats={"achieved": "{:.0%}", "spend_rate": "{:.0%}"},
            n=len(frame),
        )
        if self._cache.get("progress_basis") != "spending":
            self.note(self.t("indicator_note"))
        return full

    def risk_result(self):
        from ...sustainability import dataset_risk

        return self.cached("risk", lambda: dataset_risk(self.midterm_data(), seed=self.seed))

    @section("at_risk")
    def risk_flags(self, top: int = 10) -> None:
        """Projects of this round most at risk of not continuing, why in plain words, and
        how good the model's ranking is (not shown as a ranking when it is no better than
        chance). The model learns only from rounds whose outcome was known at this
        mid-term."""
        projects = self.midterm_projects()
        try:
            result = self.risk_result()
        except Exception as exc:  # noqa: BLE001 - too little history is the usual cause
            raise Unavailable("risk_no_history") from exc
        metrics = result.metrics
        quality = figures.auc_quality(metrics.get("auc"))
        self.paragraph(
            self.t(
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
            progress, _ = self.midterm_progress_table()
            status = progress.set_index("project_id")[["status", "achieved"]]
        except Unavailable:
            status = pd.DataFrame(columns=["status", "achieved"])
        table = table.join(status, on="project_id")
        table["reasons_text"] = table.reasons.map(self._reasons_text) if "reasons" in table else ""
        if quality == "chance":
            table = figures.need_order(table)
            shown = table[["title", "reasons_text"]]
        else:
            table = table.sort_values("risk", ascending=False)
            shown = table[["title", "risk", "reasons_text"]]
        self.table(
            shown.head(top),
            "risk_flags",
            {"reasons_text": "reasons"},
            formats={"risk": "{:.0%}"},
            n=int(metrics.get("n", 0)),
            unit="project_rounds",
        )
        self.note(self.t("risk_scope"))
        learnt = self.midterm_data().projects.programme_id.nunique()
        if learnt > 1:
            self.note(self.t("risk_programmes", programmes=learnt))

    def _reasons_text(self, reasons) -> str:
        words = []
        for feature, direction in figures.reason_parts(reasons):
            key = f"reason_{feature}" + (f"_{direction}" if direction else "")
            text = self.t(key)
            if text == key:  # no plain sentence for it: name the factor and the direction
                text = self.t(feature) + (self.t(f"direction_{direction}") if direction else "")
            words.append(text)
        return self.t("list_separator").join(words)

    @section("peers")
    def peer_comparison(self) -> None:
        """Each project's share of plan against the median of the other projects of its
        peer group (tier or theme), leaving the project itself out."""
        projects = self.midterm_projects()
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
        frame, _ = self.midterm_progress_table()
        frame = frame.merge(projects[["project_id", group]], on="project_id", how="left")
        frame = frame.dropna(subset=["achieved"])
        frame = figures.peer_medians(frame, group, "achieved").reset_index(drop=True)
        frame["gap"] = frame.achieved - frame.peer_median
        frame = frame.sort_values(["gap", "achieved"], na_position="last")
        shown = pd.DataFrame(
            {
                "title": frame.get("title", frame.project_id),
                "group": frame[group].astype(str).map(self.t),
                "achieved": frame.achieved,
                "peer_median": frame.peer_median,
                "peer_count": frame.peers,
            }
        )
        if self._cache.get("progress_basis") == "spending":
            self.note(self.t("progress_by_spending_short"))
            shown = shown.rename(columns={"achieved": "spend_rate"})
        self.table(
            shown,
            "peer_comparison",
            formats={"achieved": "{:.0%}", "spend_rate": "{:.0%}", "peer_median": "{:.0%}"},
            n=len(frame),
        )
        self.note(self.t("peers_note"))
        if (frame.peers < 4).any():
            self.note(self.t("small_cell"))


def _number(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:,.1f}"
