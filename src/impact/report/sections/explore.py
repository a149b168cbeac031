"""The exploration report's sections: what the data hold, and each family of estimators
run on the whole data set, each section saying why when the data do not allow it."""

from __future__ import annotations

from ...dataset import funded_projects
from .. import figures
from .base import LEVERAGE_FORMATS, Unavailable, _not_reached, section


class ExploreSections:
    """Mixed into :class:`~impact.report.sections.Report`."""

    @section("overview")
    def tables_overview(self) -> None:
        counts = self.data.counts().rename("rows").reset_index()
        counts.columns = ["table", "rows"]
        counts["table"] = counts.table.map(lambda name: self.t(f"table_{name}"))
        self.table(counts, "tables", n=len(counts), unit="tables")

    @section("leverage")
    def explore_leverage(self) -> None:
        from ...leverage import dataset_leverage

        projects = self.data.projects
        if projects is None or funded_projects(projects).empty:
            raise Unavailable("no_seed_grant")
        result = dataset_leverage(
            self.data, by="programme_id", n_boot=self.n_boot, seed=self.seed, ci=self.ci
        )
        table = result.table.reset_index()
        table["programme_id"] = table.programme_id.map(self.programme_name)
        self.table(
            table[
                [
                    "programme_id",
                    "n",
                    "grant_yuan",
                    "leveraged_yuan",
                    "leverage",
                    "ci_low",
                    "ci_high",
                ]
            ].rename(columns={"programme_id": "programme", "leverage": "leverage_ratio"}),
            "leverage_by_programme",
            formats=LEVERAGE_FORMATS,
            n=int(table.n.sum()),
            level=self.ci,
        )
        ax = result.plot()
        ax.set_yticks(ax.get_yticks(), table.programme_id.tolist())
        ax.set_xlabel(self.t("seed_grant_per_yuan"))
        self.figure(ax, "leverage_by_programme")

    @section("sustainability")
    def explore_survival(self) -> None:
        from ...sustainability import dataset_survival

        projects = self.data.projects
        if projects is None or funded_projects(projects).empty:
            raise Unavailable("no_seed_grant")
        if funded_projects(projects)["round"].nunique() < 2:
            raise Unavailable("one_round_only")
        result = dataset_survival(self.data, by="programme_id", ci=self.ci)
        ax = result.plot()
        for text in ax.get_legend().get_texts() if ax.get_legend() else []:
            text.set_text(self.programme_name(text.get_text()))
        ax.set_xlabel(self.t("rounds_survived"))
        ax.set_ylabel(self.t("share_going"))
        figures.round_ticks(ax.xaxis, self.language)
        self.figure(ax, "survival_by_programme")
        medians = _not_reached(result.medians.reset_index(), self.t("not_reached"))
        if "group" in medians:
            medians["group"] = medians.group.astype(str).map(self.programme_name)
        self.table(medians, "survival_medians", n=len(medians), unit="programmes", level=self.ci)

    @section("participation")
    def explore_participation(self) -> None:
        """One programme at a time, each on its own communities."""
        from .. import scope
        from .base import Unavailable as _Unavailable

        if self.data.projects is None:
            raise Unavailable("no_projects")
        for programme in sorted(set(self.data.projects.programme_id.dropna())):
            self.heading(text=self.programme_name(programme), level=3)
            try:
                self._participation(
                    scope.for_programme(self.data, programme), f"event_study_{programme}"
                )
            except _Unavailable as reason:
                self.note(self.t(reason.key, **reason.values))
