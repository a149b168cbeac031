"""What one report is about, and everything its sections share: a frozen :class:`Context`.

A context holds the data set, the programme, the period (a mid-term's round or an annual
report's year), the language, the title and the typed options. Every view a section takes
of the data is one of its cached properties, chosen in :mod:`.scope`: the rounds of the
year (:attr:`Context.year_data`), everything up to and including it
(:attr:`Context.to_date_data`), what was known at the round's mid-term
(:attr:`Context.midterm_data`) and the published figures (:attr:`Context.published`).
:class:`Facts` says what a view holds (tables, stages, rounds, indicator periods, money
sources, indicators), so a section can ask before it computes. The estimates several
sections show (leverage, progress at mid-term, survival, the risk model) are computed
once, also as cached properties.

Nothing here draws or writes; sections do, into a :class:`~impact.report.blocks.Document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import pandas as pd

from ..dataset import Dataset, funded_projects
from ..schema import FUNNEL_STAGES as STAGES
from . import figures, scope
from .catalogue import t
from .params import Options

ReportKind = Literal["midterm", "annual", "compare", "explore"]
Language = Literal["zh", "en"]
ProgressBasis = Literal["indicators", "spending"]
FUNNEL_STAGES = (*STAGES, "withdrawn")


class Unavailable(Exception):
    """A section cannot be computed from these data; ``key`` names the catalogue sentence
    that says why (filled with ``values``)."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Facts:
    """What a view of the data holds."""

    tables: frozenset[str]
    rounds: tuple[int, ...]
    stages: tuple[str, ...]
    indicator_periods: frozenset[str]
    indicators: frozenset[str]
    money_sources: frozenset[str]
    projects: int
    funded: int

    @classmethod
    def of(cls, data: Dataset) -> Facts:
        projects = data.projects
        has_projects = projects is not None and not projects.empty
        stages = ()
        if has_projects and "stage" in projects:
            recorded = set(projects.stage.dropna().astype(str))
            stages = tuple(s for s in FUNNEL_STAGES if s in recorded)
        indicators = data.indicators
        funding = data.funding
        return cls(
            tables=frozenset(
                name for name, frame in data.tables.items() if frame is not None and len(frame)
            ),
            rounds=tuple(sorted(int(r) for r in projects["round"].dropna().unique()))
            if has_projects
            else (),
            stages=stages,
            indicator_periods=frozenset(indicators.period.dropna().astype(str))
            if indicators is not None and "period" in indicators
            else frozenset(),
            indicators=frozenset(indicators.indicator.dropna().astype(str))
            if indicators is not None and "indicator" in indicators
            else frozenset(),
            money_sources=frozenset(funding.source.dropna().astype(str))
            if funding is not None and "source" in funding
            else frozenset(),
            projects=len(projects) if has_projects else 0,
            funded=len(funded_projects(projects)) if has_projects else 0,
        )

    def has(self, table: str) -> bool:
        return table in self.tables


@dataclass(frozen=True)
class Published:
    """The published figures a report compares with: the data's own and the reference
    set's, with the programmes' names and the sources."""

    figures: pd.DataFrame
    programmes: pd.DataFrame
    sources: pd.DataFrame | None


@dataclass(frozen=True)
class Progress:
    """Progress at mid-term: one row per project (worst first), every indicator behind it,
    and what progress was measured by."""

    frame: pd.DataFrame
    indicators: pd.DataFrame
    basis: ProgressBasis


@dataclass(frozen=True, eq=False)
class Context:
    """One report: its data and period, language, title and options, and the views and
    estimates its sections share (computed once, on first use)."""

    kind: ReportKind
    data: Dataset
    programme: str | None = None
    round_no: int | None = None
    year: int | None = None
    language: Language = "zh"
    title: str = ""
    options: Options = field(default_factory=Options)
    reference: Dataset | None = None  # the published figures to compare with, as read

    # ------------------------------------------------------------------ options
    @property
    def ci(self) -> float:
        return float(self.options.ci)

    @property
    def n_boot(self) -> int:
        return int(self.options.n_boot)

    @property
    def seed(self) -> int:
        return int(self.options.seed)

    # ------------------------------------------------------------------ words
    def t(self, key: str, **values) -> str:
        """The catalogue's words for ``key`` in the report's language; an indicator code
        without a catalogue entry gets the indicator catalogue's name."""
        text = t(key, self.language, **values)
        if text == key and isinstance(key, str):
            from ..indicators import CATALOGUE

            for indicator in CATALOGUE:
                if indicator.code == key:
                    return indicator.zh if self.language == "zh" else indicator.en
        return text

    def programme_name(self, programme: str | None = None) -> str:
        """A programme's name in the reader's language (from the data, else from the
        published programmes' list), else its Chinese name, else its code."""
        programme = programme or self.programme
        tables = [self.data.programmes, self.reference.programmes if self.reference else None]
        columns = ("name_zh",) if self.language == "zh" else ("name_en", "name_zh")
        for column in columns:
            for programmes in tables:
                if programmes is not None and column in programmes:
                    match = programmes.loc[programmes.programme_id == programme, column]
                    if len(match) and pd.notna(match.iloc[0]) and str(match.iloc[0]).strip():
                        return str(match.iloc[0])
        return str(programme or "")

    @cached_property
    def programme_kind(self) -> str | None:
        programmes = self.data.programmes
        if programmes is None or "kind" not in programmes or self.programme is None:
            return None
        match = programmes.loc[programmes.programme_id == self.programme, "kind"]
        return str(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None

    def round_label(self, round_no, year=None, programme: str | None = None) -> str:
        """How a round is named (:func:`impact.dataset.round_label`): the office's own
        label in Chinese (第四届, 2024年度), 第4届 / round 4, or the year for a programme that
        numbers its rounds by year."""
        from ..dataset import round_label_of

        programme = programme or self.programme
        programmes = self.data.programmes
        numbered = programmes is not None and "round_numbering" in programmes
        if not numbered and self.programme_kind == "fund" and not _missing(year):
            if self.language != "zh" or not self._written_label(programme, round_no):
                return self.t("year_label", year=int(year))
        found = self.round_labels(self.language).get((programme, int(round_no)))
        if found is not None:
            return found
        return round_label_of(self.data, programme, int(round_no), self.language)

    def round_labels(self, language: str) -> dict[tuple, str]:
        """(programme, round) → the round's label in ``language`` (Chinese or the
        report's), as :func:`impact.dataset.round_labels` gives them."""
        return self._round_label_maps[language]

    @cached_property
    def _round_label_maps(self) -> dict[str, dict[tuple, str]]:
        """The rounds' labels in Chinese and in the report's language, read once."""
        from ..dataset import round_labels

        maps = {}
        for language in dict.fromkeys(("zh", self.language)):
            labels = round_labels(self.data, language)
            maps[language] = {
                (programme, int(number)): str(label)
                for programme, number, label in zip(
                    labels.programme_id.astype(object), labels["round"], labels.label, strict=True
                )
            }
        return maps

    def _written_label(self, programme, round_no) -> bool:
        """Whether the data name this round themselves (rounds.label, a project's round
        as written)."""
        label = self.round_labels("zh").get((programme, int(round_no)))
        return label is not None and label not in {f"第{int(round_no)}届", f"{int(round_no)}年"}

    def when(self, round_no, year, programme: str | None = None) -> str:
        """A figure's year and round in words (a published programme's round as its
        figures number it; the data's own as its office names it)."""
        parts = []
        if year is not None and not pd.isna(year):
            parts.append(self.t("year_label", year=int(year)))
        if round_no is not None and not pd.isna(round_no):
            if programme is None:
                from ..dataset import round_label

                label = round_label(int(round_no), self.language)
            else:
                label = self.round_label(int(round_no), year, programme)
            has_year = year is not None and not pd.isna(year)
            if label not in parts and not (has_year and str(int(year)) in label):
                parts.append(label)
        # Chinese runs a year into its round (2022年第四届); English puts a space between
        return ("" if self.language == "zh" else " ").join(parts)

    @cached_property
    def period_label(self) -> str:
        """The report's period as the office names it: 2022年第四届, 2024年度, 第4届 …"""
        if self.kind == "midterm" and self.round_no is not None:
            year = None
            rounds = self.data.rounds
            if rounds is not None and "year" in rounds:
                match = rounds.loc[
                    (rounds.programme_id == self.programme) & (rounds["round"] == self.round_no),
                    "year",
                ]
                year = int(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None
            return self.when(self.round_no, year, self.programme).replace(" ", "")
        if self.year is None:
            return ""
        rounds = (
            scope.rounds_of_year(self.data, self.programme, self.year) if self.programme else []
        )
        labels = [self.when(r, self.year, self.programme) for r in rounds] or [
            self.t("year_label", year=self.year)
        ]
        joined = self.t("list_separator").join(labels)
        return joined.replace(" ", "") if self.language == "zh" else joined

    def stage_name(self, stage: str) -> str:
        """A funnel stage in the programme's words: the first stage is a proposal (提案) in a
        proposal contest, an application (申报) everywhere else."""
        if stage == "idea" and self.programme_kind != "proposal_contest":
            return self.t("stage_applications")
        return self.t(stage)

    def p_value(self, p: float) -> str:
        """A p-value as a report writes it: ``为0.032`` / ``小于0.001``."""
        return self.t("p_small") if p < 0.001 else self.t("p_value", p=f"{p:.3f}")

    def test_words(self, test) -> dict:
        """A statistical test's values for a catalogue sentence: its statistic, df and
        p-value written for the reader."""
        return {"chi2": test.statistic, "df": test.df, "p": self.p_value(test.p)}

    def scope_label(self, scope: str) -> str:
        """What a figure covers, in words the report uses everywhere it shows the figure:
        ``year_all`` (every application of the period), ``year_funded`` (its funded
        projects), ``to_date`` (everything up to the report's year)."""
        return self.t(f"scope_{scope}", period=self.period_label, year=self.year or "")

    def names_of(self, programmes: pd.DataFrame | None) -> dict:
        """Programme names in the reader's language, by id (see :meth:`programme_name`)."""
        if programmes is None or "programme_id" not in programmes:
            return {}
        return {p: self.programme_name(p) for p in programmes.programme_id}

    @cached_property
    def community_rounds(self) -> pd.DataFrame:
        """Ideas and people cultivated per community in the year's rounds: the data's
        ``community_rounds`` with the people a roster lists filling what it lacks
        (:func:`impact.dataset.community_round_counts`); Unavailable with neither."""
        from ..dataset import community_round_counts

        data = self.year_data
        if data.tables.get("community_rounds") is None and data.tables.get("people") is None:
            raise Unavailable("no_table_community_rounds")
        rounds = community_round_counts(data)
        if rounds.empty:
            raise Unavailable("no_table_community_rounds")
        return rounds

    @cached_property
    def community_names(self) -> dict:
        communities = self.data.communities
        if communities is None or "name" not in communities:
            return {}
        return dict(zip(communities.community_id, communities.name, strict=True))

    def caption(self, n: int, unit: str = "projects", level: float | None = None) -> str:
        """``n = 15 projects; 95% intervals``: what every table states."""
        text = self.t("caption_n", n=f"{n:,}", unit=self.t(f"unit_{unit}"))
        if level is not None:
            text += self.t("caption_level", level=f"{level:.0%}")
        return text

    # ------------------------------------------------------------------ views
    @cached_property
    def year_data(self) -> Dataset:
        """The rounds of this report's year (every round for a report without a year)."""
        if self.programme is None:
            return self.data
        if self.year is None:
            return scope.for_programme(self.data, self.programme)
        return scope.for_year(self.data, self.programme, self.year)

    @cached_property
    def to_date_data(self) -> Dataset:
        """Every round up to and including this report's year: for history."""
        if self.programme is None:
            return self.data
        if self.year is None:
            return scope.for_programme(self.data, self.programme)
        return scope.for_year(self.data, self.programme, self.year, True)

    @cached_property
    def midterm_data(self) -> Dataset:
        """What was known at the mid-term of this report's round."""
        return scope.as_of_midterm(self.data, self.programme, self.round_no)

    @cached_property
    def facts(self) -> Facts:
        """What the report's own view holds: the round at mid-term, the year's rounds in an
        annual report, the whole data set otherwise."""
        if self.kind == "midterm":
            return Facts.of(self.midterm_data)
        return Facts.of(self.year_data)

    @cached_property
    def facts_to_date(self) -> Facts:
        return Facts.of(self.to_date_data)

    @property
    def year_projects(self) -> pd.DataFrame:
        """The projects of the year's rounds (Unavailable when there are none)."""
        projects = self.year_data.projects
        if projects is None or projects.empty:
            raise Unavailable("no_projects_year")
        return projects

    @property
    def history(self) -> Dataset:
        """The data up to the report's year, when they hold at least two rounds of funded
        projects (Unavailable otherwise): what continuation needs."""
        data = self.to_date_data
        if data.projects is None or data.projects["round"].nunique() < 2:
            raise Unavailable("one_round_only")
        if funded_projects(data.projects).empty:
            raise Unavailable("no_seed_grant_history")
        if funded_projects(data.projects)["round"].nunique() < 2:
            raise Unavailable("one_round_only")
        return data

    @cached_property
    def published(self) -> Published | None:
        """The data's own published figures and the reference set's, or None when there
        are none to compare with."""
        own = self.data.published
        reference = self.reference
        tables = [x for x in (own, reference.published if reference else None) if x is not None]
        if not tables:
            return None
        published = pd.concat(tables, ignore_index=True).drop_duplicates(
            subset=["programme_id", "round", "year", "indicator", "category", "value"]
        )
        names = [
            x
            for x in (reference.programmes if reference else None, self.data.programmes)
            if x is not None
        ]
        programmes = pd.concat(names, ignore_index=True).drop_duplicates("programme_id")
        sources = [
            x
            for x in (reference.sources if reference else None, self.data.sources)
            if x is not None
        ]
        sources = (
            pd.concat(sources, ignore_index=True).drop_duplicates("source_id") if sources else None
        )
        return Published(published, programmes, sources)

    def own_scope(self) -> list[tuple]:
        """The data set's own figures for this report as (programme, round, year, data):
        the report's year for an annual report, each programme's latest round otherwise."""
        if self.programme is not None and self.year is not None:
            rounds = scope.rounds_of_year(self.data, self.programme, self.year)
            single = rounds[0] if len(rounds) == 1 else None
            return [(self.programme, single, self.year, self.year_data)]
        programmes = (
            [self.programme]
            if self.programme
            else sorted(set(self.data.projects.programme_id.dropna()))
            if self.data.projects is not None
            else []
        )
        out = []
        for programme in programmes:
            data = scope.for_programme(self.data, programme)
            if data.projects is None or data.projects.empty:
                continue
            latest = int(data.projects["round"].max())
            year = None
            if data.rounds is not None and "year" in data.rounds:
                match = data.rounds.loc[data.rounds["round"] == latest, "year"]
                year = int(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None
            out.append((programme, latest, year, scope.for_rounds(self.data, programme, [latest])))
        return out

    # ------------------------------------------------------------------ shared estimates
    def _leverage(self, by: str | None):
        from ..leverage import dataset_leverage

        return dataset_leverage(
            self.year_data, by=by, n_boot=self.n_boot, seed=self.seed, ci=self.ci
        )

    @cached_property
    def leverage_overall(self):
        """Leverage of the year's projects (ratio of sums, bootstrap interval)."""
        return self._leverage(None)

    @cached_property
    def leverage_by_tier(self):
        return self._leverage("tier")

    @cached_property
    def leverage_by_type(self):
        return self._leverage("application_type")

    def leverage_by(self, by: str):
        """Leverage by ``tier`` or ``application_type`` (each computed once)."""
        return self.leverage_by_tier if by == "tier" else self.leverage_by_type

    @cached_property
    def funnel(self):
        """The year's applications through the stages the data record, each project at the
        furthest stage it reached. A stage no project stands at (or withdrew from) is not
        recorded: its count would only repeat the next stage's, a conversion of 100% the
        data never saw, so it is left out. Unavailable with fewer than two stages."""
        from ..dataset import stage_reached
        from ..leverage import funnel

        projects = self.year_projects
        if "stage" not in projects or projects.stage.isna().all():
            raise Unavailable("no_stage")
        known = projects[projects.stage.astype(object).isin(FUNNEL_STAGES)]
        if known.empty:
            raise Unavailable("no_stage")
        reached = known.assign(stage=stage_reached(known))
        recorded = [s for s in FUNNEL_STAGES if s in set(reached.stage) and s != "withdrawn"]
        if len(recorded) < 2:
            raise Unavailable("funnel_one_stage", stage=self.t(recorded[0]) if recorded else "")
        return funnel(reached, stage="stage", stages=recorded, ci=self.ci)

    @cached_property
    def midterm_projects(self) -> pd.DataFrame:
        """The round's funded projects as known at mid-term (every project of a scheme
        without seed grants)."""
        data = self.midterm_data
        if data.projects is None:
            raise Unavailable("no_projects")
        mine = data.projects[
            (data.projects.programme_id == self.programme)
            & (data.projects["round"] == self.round_no)
        ]
        funded = funded_projects(mine)
        if funded.empty:
            funded = mine
        if funded.empty:
            raise Unavailable("no_projects_round")
        return funded

    @cached_property
    def time_gone(self) -> float | None:
        """The share of the round's implementation gone at its mid-term (from its dates)."""
        return figures.time_gone(self.data.rounds, self.programme, self.round_no)

    @property
    def expected(self) -> float:
        """The share of plan the time gone asks for at mid-term (half where the dates do
        not say)."""
        return self.time_gone if self.time_gone is not None else figures.HALFWAY

    @cached_property
    def peer_group(self) -> str | None:
        """The column that groups a round's projects into peers: peer group, tier or
        theme, the first the data fill for two projects or more."""
        projects = self.midterm_projects
        return next(
            (
                g
                for g in ("peer_group", "tier", "theme")
                if g in projects and projects[g].notna().sum() >= 2
            ),
            None,
        )

    @cached_property
    def spending(self) -> pd.DataFrame:
        """Each project's spending at mid-term against the time gone and its peers, with
        its signal (:func:`.figures.spending`); empty when spending is not recorded."""
        projects = self.midterm_projects
        frame = figures.spending(projects, self.expected, self.peer_group)
        return frame.merge(projects[["project_id", "title"]], on="project_id", how="left")

    @cached_property
    def progress(self) -> Progress:
        """Per project of the round: title, status, share of plan, lagging indicators,
        spend rate (where recorded), worst first; by indicators where mid-term values
        exist, judged against the time gone; else by spending, flagging only projects
        clearly off the pace of the time gone."""
        projects = self.midterm_projects
        data = self.midterm_data
        indicators = figures.indicator_progress(
            figures.indicator_codes(data.indicators), projects.project_id, self.expected
        )
        basis: ProgressBasis = "indicators"
        if indicators.achieved.notna().sum():
            per_project = figures.project_progress(indicators, self.expected)
        else:
            spent = self.spending
            if spent.empty:
                raise Unavailable(
                    "no_indicators" if data.indicators is None else "no_midterm_values"
                )
            per_project = pd.DataFrame(
                {
                    "project_id": spent.project_id,
                    "achieved": spent.spend_rate,
                    "status": spent.signal.map(lambda s: "on_track" if s == "normal" else "watch"),
                    "indicators": 0,
                    "lagging": [[] for _ in range(len(spent))],
                }
            )
            basis = "spending"
        keep = [c for c in ("project_id", "title", "grant_yuan") if c in projects]
        frame = projects[keep].merge(per_project, on="project_id", how="left")
        if not self.spending.empty:
            frame = frame.merge(
                self.spending[["project_id", "spend_rate", "signal"]], on="project_id", how="left"
            )
        return Progress(figures.need_order(frame), indicators, basis)

    @cached_property
    def risk(self):
        """The mid-term risk model, learnt only from what was known at the mid-term."""
        from ..sustainability import dataset_risk

        return dataset_risk(self.midterm_data, seed=self.seed)

    @cached_property
    def survival(self):
        """Kaplan–Meier of project lines up to the report's year (by application type
        where the programme has more than one)."""
        from ..sustainability import dataset_survival

        data = self.history
        types = data.projects.get("application_type")
        by = (
            "application_type"
            if types is not None and funded_projects(data.projects).application_type.nunique() > 1
            else None
        )
        return dataset_survival(data, by=by, ci=self.ci)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
