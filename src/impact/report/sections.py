"""The content of the reports, called from the notebooks one section per cell.

A :class:`Report` knows the data, the programme and period, the language and where to save
files. Each method displays one section (headings from the catalogue, tables as escaped
HTML, figures as SVG) and saves its tables as ``.xlsx`` and UTF-8-with-BOM ``.csv`` (which
Excel in China opens without garbled text) and its figures as SVG with text kept as text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..dataset import Dataset, funded_projects, load
from ..errors import EstimationError
from .catalogue import t
from .format import period_text, reasons_text
from .page import FIGURE_RC, fit_figure

LOWER_IS_BETTER = {"complaints", "cost_per_person_time"}
GREEN, AMBER = 0.45, 0.30  # share of plan reached at mid-term: on track, watch, behind
CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "DejaVu Sans",
]


def setup_figures() -> None:
    """SVG figures whose text stays text, in fonts that have Chinese glyphs."""
    import matplotlib

    try:
        from IPython import get_ipython

        in_kernel = get_ipython() is not None
    except ImportError:
        in_kernel = False
    if not in_kernel:  # in a kernel, keep the inline backend so plot() calls display
        matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": CJK_FONTS,
            "axes.unicode_minus": False,
            **FIGURE_RC,
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", "png")  # PNG for the Word document
    except ImportError:  # outside IPython
        pass


class AnnualSections:
    """Mixed into :class:`Report`: the annual report's further sections."""

    def matched_vs_standard(self) -> None:
        from ..leverage import compare_leverage, project_resources

        self.heading("matched_vs_standard")
        subset = self._subset()
        projects = subset.projects.assign(
            leveraged_total=project_resources(subset).leveraged_yuan.to_numpy()
        )
        funded = funded_projects(projects)
        if funded.application_type.nunique() < 2:
            self.note(self.t("one_type_only"))
            return
        result = compare_leverage(
            funded,
            leveraged="leveraged_total",
            grant="grant_yuan",
            group="application_type",
            covariates=["team_size"],
            cluster="community_id",
            reference="standard",
        )
        row = result.table.loc[["application_type=matched"]]
        table = row.assign(n=result.inputs["n"])[["ratio", "ratio_low", "ratio_high", "n"]]
        self.table(
            table.rename(
                columns={
                    "ratio": "leverage_relative",
                    "ratio_low": "ci_low",
                    "ratio_high": "ci_high",
                }
            ),
            "matched_vs_standard",
            formats={c: "{:.2f}" for c in ("leverage_relative", "ci_low", "ci_high")},
        )
        self.note(self.t("matched_note"))

    def outputs(self) -> None:
        from ..leverage import cost_per_output

        self.heading("outputs")
        projects = self._projects()
        round_no = self._round_of_year()
        projects = funded_projects(projects[projects["round"] == round_no])
        final = self.data.indicators[
            (self.data.indicators.period == "final")
            & self.data.indicators.project_id.isin(projects.project_id)
        ]
        totals = final.pivot_table(
            index="project_id", columns="indicator", values="value", aggfunc="sum", observed=True
        )
        wanted = [
            c for c in ("residents_served", "activities", "volunteer_person_times") if c in totals
        ]
        if not wanted:
            self.note(self.t("no_final_values"))
            return
        frame = (
            projects.set_index("project_id")[["grant_yuan", "community_id"]]
            .join(totals[wanted])
            .fillna({c: 0 for c in wanted})
        )
        result = cost_per_output(
            frame,
            cost="grant_yuan",
            outputs=wanted,
            cluster="community_id",
            n_boot=int(self.options.get("n_boot", 2000)),
            seed=int(self.options.get("seed", 0)),
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
        )

    def hazard_ratios(self) -> None:
        from ..sustainability import dataset_round_hazard

        try:
            result = dataset_round_hazard(self._subset())
        except EstimationError as exc:
            self.note(str(exc))
            return
        table = result.table.drop(index="const").reset_index()
        table["term"] = table.term.map(self.t)
        table = table[["term", "hazard_ratio", "hr_low", "hr_high"]].rename(
            columns={"hr_low": "ci_low", "hr_high": "ci_high"}
        )  # on the ratio scale
        self.table(
            table,
            "hazard_ratios",
            formats={c: "{:.2f}" for c in ("hazard_ratio", "ci_low", "ci_high")},
        )
        self.note(self.t("hazard_note", n=result.inputs["n"], events=result.inputs["events"]))

    def lineage_table(self, top: int = 15) -> None:
        from ..sustainability import lineages

        table = lineages(self._subset()).sort_values("duration_rounds", ascending=False)
        table = table.head(top)[
            ["lineage_id", "title", "round", "duration_rounds", "ended", "inferred"]
        ]
        table["ended"] = table.ended.map({1: self.t("yes"), 0: self.t("no")})
        table["inferred"] = table.inferred.map({True: self.t("yes"), False: ""})
        self.table(table, "lineages")

    def self_financing(self) -> None:
        from ..sustainability import self_financing

        if self.data.followups is None:
            return
        table = self_financing(self._subset()).reset_index()
        table = table[table.programme_id == self.programme].drop(columns="programme_id")
        table = table.rename(columns={"projects": "n"})
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
        )

    def methods(self) -> None:
        self.heading("methods")
        for key in ("method_leverage", "method_did", "method_survival", "method_risk"):
            self._show(f"<p>{html.escape(self.t(key))}</p>")


@dataclass
class Report(AnnualSections):
    data: Dataset
    programme: str | None
    round_no: int | None
    year: int | None
    language: str
    title: str
    options: dict = field(default_factory=dict)
    output_dir: Path | None = None
    _figures: int = 0
    _heading: str = ""

    @classmethod
    def open(
        cls,
        data: str,
        *,
        programme=None,
        round_no=None,
        year=None,
        language="zh",
        title=None,
        options=None,
        output_dir=None,
    ) -> Report:
        setup_figures()
        return cls(
            load(data),
            programme,
            round_no,
            year,
            language,
            title or "",
            dict(options or {}),
            Path(output_dir) if output_dir else None,
        )

    # ------------------------------------------------------------------ display helpers
    def t(self, key: str, **values) -> str:
        return t(key, self.language, **values)

    def _show(self, markup: str) -> None:
        from IPython.display import HTML, display

        display(HTML(markup))

    def heading(self, key: str | None = None, level: int = 2, text: str | None = None) -> None:
        words = text if text is not None else self.t(key)
        self._heading = words  # names the workbook sheet of the tables that follow
        self._show(f"<h{level}>{html.escape(words)}</h{level}>")

    def note(self, text: str) -> None:
        self._show(f'<p class="note">{html.escape(text)}</p>')

    def table(
        self,
        frame: pd.DataFrame,
        name: str,
        headers: dict[str, str] | None = None,
        formats: dict[str, str] | None = None,
    ) -> None:
        """Show a table (headers from the catalogue, values escaped and formatted for their
        unit, rows stacking into cards on a phone) and save it."""
        from .format import columns
        from .page import table_html

        shown = columns(frame, self.language, formats, headers)
        self._show(table_html(frame, shown, self.language))
        self.save_table(frame, name, headers=headers, formats=formats)

    def save_table(
        self,
        frame: pd.DataFrame,
        name: str,
        headers: dict[str, str] | None = None,
        formats: dict[str, str] | None = None,
    ) -> None:
        """A sheet of the report's workbook and ``tables/<name>.csv`` (see ``files``)."""
        if self.output_dir is None:
            return
        from . import files
        from .format import columns

        shown = columns(frame, self.language, formats, headers)
        files.write_csv(self.output_dir / "tables" / f"{name}.csv", frame, shown)
        title = self.t(f"table_{name}")
        files.add_sheet(
            self.output_dir,
            frame,
            shown,
            self._heading if title == f"table_{name}" else title,
            report_title=self.title,
            data_name=Path(str(self.data.origin or "")).name,
            language=self.language,
        )

    def figure(self, ax, name: str) -> None:
        """Show a figure inline as SVG (text kept as text) and save it as SVG and PNG (the
        PNG goes into the Word document)."""
        import base64
        import io

        import matplotlib.pyplot as plt
        from IPython.display import display

        figure = ax.figure
        fit_figure(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        picture = io.BytesIO()
        figure.savefig(picture, format="png", dpi=200)
        plt.close(figure)
        svg = buffer.getvalue()
        svg = svg[svg.index("<svg") :]
        png = picture.getvalue()
        display(
            {"image/svg+xml": svg, "image/png": base64.b64encode(png).decode()},
            raw=True,
            metadata={"image/png": {"name": name}},
        )
        if self.output_dir is not None:
            folder = self.output_dir / "figures"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.svg").write_text(svg, "utf-8")
            (folder / f"{name}.png").write_bytes(png)

    # ------------------------------------------------------------------ shared pieces
    def title_block(self) -> None:
        self._show(f"<h1>{html.escape(self.title)}</h1>")

    def _projects(self) -> pd.DataFrame:
        projects = self.data.projects
        if self.programme is not None:
            projects = projects[projects.programme_id == self.programme]
        return projects

    def _round_of_year(self) -> int | None:
        rounds = self.data.rounds
        if rounds is None or self.year is None:
            return None
        chosen = rounds[(rounds.programme_id == self.programme) & (rounds.year == self.year)]
        return int(chosen["round"].iloc[0]) if len(chosen) else None

    def overview(self) -> None:
        """The tables of the data set and their rows (no file paths: they are the machine's)."""
        self.heading("overview")
        counts = pd.DataFrame(
            [
                {"data_table": self.t(f"dataset_{name}"), "rows": len(frame)}
                for name, frame in self.data.tables.items()
            ]
        )
        self.table(counts, "overview")

    def data_quality(self) -> None:
        self.heading("data_quality")
        warnings = [str(w) for w in self.data.warnings]
        if not warnings:
            self.note(self.t("no_issues"))
        else:
            self.table(pd.DataFrame({"warning": warnings}), "data_quality")

    # ------------------------------------------------------------------ mid-term
    def indicator_performance(self) -> pd.DataFrame:
        """Per project and indicator: plan, mid-term value, share of plan reached (inverted
        for indicators where lower is better) and a traffic light."""
        self.heading("indicators")
        projects = self._projects()
        projects = funded_projects(projects[projects["round"] == self.round_no])
        indicators = self.data.indicators
        wide = (
            indicators[indicators.project_id.isin(projects.project_id)]
            .pivot_table(
                index=["project_id", "indicator"],
                columns="period",
                values="value",
                aggfunc="sum",
                observed=True,
            )
            .reset_index()
        )
        if "midterm" not in wide:
            wide["midterm"] = np.nan
        lower = wide.indicator.isin(LOWER_IS_BETTER)
        with np.errstate(divide="ignore", invalid="ignore"):
            achieved = np.where(
                lower, wide["plan"] / wide["midterm"], wide["midterm"] / wide["plan"]
            )
        wide["achieved"] = achieved
        wide["light"] = np.select(
            [wide.achieved >= GREEN, wide.achieved >= AMBER],
            [self.t("green"), self.t("amber")],
            self.t("red"),
        )
        wide.loc[wide.achieved.isna(), "light"] = ""
        wide = wide.merge(projects[["project_id", "title"]], on="project_id")
        wide["indicator"] = wide.indicator.map(self.t)
        table = wide[["project_id", "title", "indicator", "plan", "midterm", "achieved", "light"]]
        # The page shows one row per project, readable on a phone; every indicator of every
        # project goes to the downloadable table.
        self.save_table(table, "indicator_performance")
        summary = (
            table.groupby(["project_id", "title"], sort=False)
            .agg(
                achieved=("achieved", "median"),
                behind=(
                    "indicator",
                    lambda s: "、".join(s[table.loc[s.index, "achieved"] < AMBER]),
                ),
            )
            .reset_index()
        )
        summary["light"] = np.select(
            [summary.achieved >= GREEN, summary.achieved >= AMBER],
            [self.t("green"), self.t("amber")],
            self.t("red"),
        )
        if "spent_yuan" in projects:  # spend rate: share of the grant spent to date
            spend = projects.set_index("project_id")
            summary["spend_rate"] = summary.project_id.map(spend.spent_yuan / spend.grant_yuan)
        columns = ["project_id", "title", "achieved", "light", "spend_rate", "behind"]
        summary = summary.sort_values("achieved")
        self.table(
            summary[[c for c in columns if c in summary]],
            "indicator_summary",
            formats={"achieved": "{:.0%}", "spend_rate": "{:.0%}"},
        )
        self.note(self.t("indicator_note"))
        return table

    def risk_flags(self, top: int = 10) -> None:
        """Projects of this round most at risk of not continuing, and why."""
        from ..sustainability import dataset_risk

        self.heading("at_risk")
        try:
            result = dataset_risk(self.data, seed=int(self.options.get("seed", 0)))
        except EstimationError as exc:
            self.note(str(exc))
            return
        table = result.table
        table = table[(table.programme_id == self.programme) & (table["round"] == self.round_no)]
        table = table.sort_values("risk", ascending=False).head(top)
        table = table.assign(reasons=table.reasons.map(lambda r: reasons_text(r, self.language)))
        self.table(
            table[["project_id", "title", "risk", "reasons"]],
            "risk_flags",
            formats={"risk": "{:.0%}"},
        )
        self.note(f"AUC = {result.metrics['auc']:.2f} (n = {result.metrics['n']})")

    def peer_comparison(self) -> None:
        """Each project's median share of plan reached against its tier or theme."""
        self.heading("peers")
        projects = self._projects()
        projects = projects[projects["round"] == self.round_no]
        group = "tier" if "tier" in projects and projects.tier.notna().any() else "theme"
        from ..sustainability import midterm_progress

        share = midterm_progress(self.data)
        if share.empty:
            self.note("-")
            return
        frame = (
            projects[["project_id", "title", group]]
            .assign(achieved=lambda f: f.project_id.map(share))
            .dropna(subset=["achieved"])
        )
        frame["peer_median"] = frame.groupby(group, observed=True).achieved.transform("median")
        frame["n"] = frame.groupby(group, observed=True).achieved.transform("size")
        frame[group] = frame[group].astype(str).map(self.t)
        self.table(
            frame.rename(columns={group: "group"}),
            "peer_comparison",
            formats={"achieved": "{:.0%}", "peer_median": "{:.0%}"},
        )
        if (frame["n"] < 5).any():
            self.note(self.t("small_cell"))

    # ------------------------------------------------------------------ annual
    def funnel(self) -> None:
        from ..leverage import funnel

        self.heading("funnel")
        projects = self._projects()
        round_no = self._round_of_year()
        if round_no is not None:
            projects = projects[projects["round"] == round_no]
        result = funnel(projects, stage="stage")
        table = result.table.reset_index()
        table["stage"] = table.stage.map(self.t)
        self.table(
            table[["stage", "reached", "conversion", "ci_low", "ci_high"]],
            "funnel",
            formats={"conversion": "{:.1%}", "ci_low": "{:.1%}", "ci_high": "{:.1%}"},
        )

    def leverage(self) -> None:
        from ..leverage import dataset_leverage

        self.heading("leverage")
        subset = self._subset()
        for by in ("tier", "application_type"):
            if by not in subset.projects or subset.projects[by].notna().sum() == 0:
                continue
            result = dataset_leverage(
                subset,
                by=by,
                n_boot=int(self.options.get("n_boot", 2000)),
                seed=int(self.options.get("seed", 0)),
            )
            table = result.table.reset_index()
            table[by] = table[by].astype(str).map(self.t)
            self.table(
                table[
                    [
                        by,
                        "n",
                        "grant_yuan",
                        "leveraged_yuan",
                        "leverage",
                        "ci_low",
                        "ci_high",
                        "small",
                    ]
                ].rename(columns={by: "group", "leverage": "leverage_ratio"}),
                f"leverage_by_{by}",
                formats={
                    "grant_yuan": "{:,.0f}",
                    "leveraged_yuan": "{:,.0f}",
                    "leverage_ratio": "{:.2f}",
                    "ci_low": "{:.2f}",
                    "ci_high": "{:.2f}",
                },
            )
            if table.small.any():
                self.note(self.t("small_cell"))
            ax = result.plot()
            ax.set_xlabel(self.t("seed_grant_per_yuan"))
            ax.set_yticks(ax.get_yticks(), table[by].tolist())
            self.figure(ax, f"leverage_by_{by}")

    def participation(self) -> None:
        from ..participation import dataset_did

        self.heading("participation")
        outcome = self.options.get("outcome", "volunteers_per_1000")
        try:
            result = dataset_did(self._subset(keep_panel=True), outcome=outcome)
        except EstimationError as exc:
            self.note(str(exc))
            return
        table = result.aggregate("dynamic", n_boot=999, seed=int(self.options.get("seed", 0)))
        table = table.reset_index().rename(columns={"event_time": "period"})
        table["period"] = [period_text(p, self.language) for p in table.period]
        self.table(
            table[["period", "att", "se", "ci_low", "ci_high"]],
            "participation",
            formats={c: "{:.2f}" for c in ("att", "se", "ci_low", "ci_high")},
        )
        ax = result.plot()
        ax.set_xlabel(self.t("periods_since_joining"))
        ax.set_ylabel(self.t("effect_on", outcome=self.t(outcome)))
        _integer_ticks(ax.xaxis)
        self.figure(ax, "event_study")
        self.note(self.t("did_n", units=result.inputs["n_units"], cohorts=result.inputs["cohorts"]))
        self.note(self.t("did_assumptions"))
        if result.pretrend:
            self.note(self.t("pretrend", **result.pretrend))
        if result.twfe:
            self.note(self.t("twfe_estimate", **result.twfe))
            self.note(self.t("twfe_note"))

    def sustainability(self) -> None:
        from ..sustainability import dataset_survival

        self.heading("sustainability")
        try:
            result = dataset_survival(self._subset(), by="application_type")
        except EstimationError as exc:
            self.note(str(exc))
            return
        medians = result.medians.reset_index()
        medians["group"] = medians.group.astype(str).map(self.t)
        self.table(medians, "survival_medians")
        ax = result.plot()
        ax.set_xlabel(self.t("rounds_survived"))
        ax.set_ylabel(self.t("share_going"))
        _integer_ticks(ax.xaxis)
        for text in ax.get_legend().get_texts() if ax.get_legend() else []:
            text.set_text(self.t(text.get_text()))
        self.figure(ax, "survival")

    def published_comparison(self) -> None:
        """The five published programmes' headline figures beside this data set's own."""
        self.heading("published")
        published_path = str(self.options.get("published", "data/published"))
        try:
            published = load(published_path).published
        except Exception:  # noqa: BLE001 - a missing comparison set is not fatal
            self.note(f"{published_path}: -")
            return
        keep = published[
            published.indicator.isin(
                ["funded_projects", "leveraged_yuan", "residents_served", "activities"]
            )
        ]
        names = load(published_path).programmes
        column = "name_zh" if self.language == "zh" else "name_en"
        name_of = dict(zip(names.programme_id, names[column], strict=True))
        keep = keep.assign(
            indicator=keep.indicator.map(self.t),
            unit=keep.unit.map(self.t),
            programme_id=keep.programme_id.map(name_of),
        )
        self.table(
            keep[["programme_id", "indicator", "category", "value", "unit"]],
            "published",
            formats={"value": "{:,.0f}"},
        )

    def _subset(self, keep_panel: bool = False) -> Dataset:
        """The data of this report's programme (all of it for the panel, whose controls are
        the never-treated communities of every programme)."""
        if self.programme is None:
            return self.data
        tables = dict(self.data.tables)
        projects = tables["projects"]
        tables["projects"] = projects[projects.programme_id == self.programme]
        if "funding" in tables:
            tables["funding"] = tables["funding"][
                tables["funding"].project_id.isin(tables["projects"].project_id)
            ]
        if keep_panel:
            tables["projects"] = projects
        return Dataset(**tables, origin=self.data.origin)


def _integer_ticks(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
