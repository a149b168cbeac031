"""A synthetic programme data set with known true effects, for tests, demos and planning.

The generator builds every table of the data model for several programmes run over several
rounds, and plants three truths that the estimators must recover (see
``simulate_defaults.yaml`` for the formulas and values):

- **leverage**: leveraged resources per seed yuan, higher for matched applications, with
  team size confounding the comparison;
- **participation**: a staggered effect on a community outcome, starting in the year a
  community first has a funded project and growing with time since;
- **sustainability**: the per-round hazard that a funded project's line ends, as a grouped-time
  proportional hazards model with known hazard ratios.

The same parameters and seed give byte-identical files: every random draw comes from one
``numpy.random.Generator`` in a fixed order, and the files are written with fixed formats.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .dataset import Dataset
from .errors import ParamsError
from .schema import TABLES

__all__ = [
    "LOW_MIDTERM_PROGRESS",
    "SimulationParams",
    "check_params",
    "default_params",
    "simulate",
    "write",
]

_THEMES = [
    ("社区小花园", "community garden"),
    ("楼道美化", "stairwell beautification"),
    ("邻里会客厅", "neighbourhood living room"),
    ("长者送菜", "vegetables for elders"),
    ("电动车停放", "e-bike parking"),
    ("新市民融入", "newcomer integration"),
    ("青少年足球", "youth football"),
    ("垃圾分类", "waste sorting"),
    ("议事协商", "residents' council"),
    ("公益集市", "charity market"),
]
_APPLICANTS = [
    "committee",
    "social_organisation",
    "service_agency",
    "volunteer_team",
    "resident_group",
    "business",
]
_APPLICANT_WEIGHTS = [0.3, 0.25, 0.15, 0.15, 0.1, 0.05]
_NAME_PARTS = (
    "平安",
    "和美",
    "幸福",
    "康乐",
    "东湖",
    "西苑",
    "南山",
    "北岭",
    "金沙",
    "银河",
    "翠竹",
    "桂花",
    "阳光",
    "春晖",
    "海湾",
    "青云",
    "锦绣",
    "长乐",
    "福田",
    "明珠",
    "荷塘",
    "松涛",
    "新村",
    "石桥",
    "文昌",
    "龙泉",
    "凤凰",
    "梧桐",
    "丰收",
    "永安",
)
_LEVERAGED_SOURCES = [
    "donation",
    "in_kind",
    "business",
    "volunteer_time",
    "crowdfunding",
    "foundation",
]
_INDICATORS = [
    "activities",
    "volunteer_person_times",
    "residents_served",
    "core_team",
    "issues_solved",
    "posts",
    "reads",
]
LOW_MIDTERM_PROGRESS = 0.4  # below this share of plan at mid-term, a project is lagging


@dataclass(frozen=True)
class SimulationParams:
    """Parsed and checked parameters; see ``simulate_defaults.yaml``."""

    raw: dict[str, Any]

    @property
    def seed(self) -> int:
        return int(self.raw["seed"])

    @property
    def truth(self) -> dict[str, float]:
        return self.raw["truth"]

    @property
    def programmes(self) -> list[dict[str, Any]]:
        return self.raw["programmes"]


def default_params() -> dict[str, Any]:
    """The default parameters as a plain dict (a fresh copy each call)."""
    return copy.deepcopy(_default_params())


@functools.cache
def _default_params() -> dict[str, Any]:
    # Parsed once per process: check_params reads the defaults on every call, and a
    # planning run (``impact plan``) simulates thousands of data sets.
    text = resources.files("impact").joinpath("simulate_defaults.yaml").read_text("utf-8")
    return yaml.safe_load(text)


_TOP_KEYS = {"seed", "panel_years", "team_reference", "truth", "programmes"}
_PROGRAMME_KEYS = {
    "programme_id",
    "name_zh",
    "name_en",
    "region",
    "organiser",
    "kind",
    "first_year",
    "rounds",
    "communities",
    "cohorts",
    "applicants",
    "funded",
    "funnel",
    "grant_range",
    "tier_mix",
    "tier_grants",
    "matched_share",
    "match_ratio",
    "calendar",
}


def check_params(raw: dict[str, Any], origin: str = "parameters") -> SimulationParams:
    """Refuse unknown keys and impossible values, naming each problem."""
    problems = []
    defaults = default_params()
    problems += [f"unknown key {k!r}" for k in raw if k not in _TOP_KEYS]
    problems += [f"missing key {k!r}" for k in _TOP_KEYS if k not in raw]
    for key in raw.get("truth", {}) or {}:
        if key not in defaults["truth"]:
            problems.append(f"truth: unknown key {key!r}")
    for index, programme in enumerate(raw.get("programmes") or []):
        where = f"programmes[{index}]"
        problems += [f"{where}: unknown key {k!r}" for k in programme if k not in _PROGRAMME_KEYS]
        if sum(programme.get("cohorts") or []) > programme.get("communities", 0):
            problems.append(f"{where}: cohorts add up to more than its communities")
        if len(programme.get("cohorts") or []) > programme.get("rounds", 0):
            problems.append(f"{where}: more cohorts than rounds")
        if programme.get("funded") is None and not programme.get("funnel"):
            problems.append(f"{where}: give either 'funded' or 'funnel'")
        low, high = programme.get("grant_range", [0, 0])
        if not 0 < low <= high:
            problems.append(f"{where}: grant_range must be two positive amounts, low first")
    if problems:
        raise ParamsError(f"{origin}: " + "; ".join(problems))
    return SimulationParams(raw)


def simulate(params: dict[str, Any] | None = None, seed: int | None = None) -> Dataset:
    """Generate a synthetic data set with planted effects.

    Parameters
    ----------
    params
        Parameters as in ``simulate_defaults.yaml`` (the defaults if None).
    seed
        Overrides ``params['seed']``.

    Returns
    -------
    Dataset
        All tables of the data model except ``sources`` and ``published``.
    """
    raw = copy.deepcopy(params) if params is not None else default_params()
    if seed is not None:
        raw["seed"] = int(seed)
    checked = check_params(raw)
    return _Generator(checked).run()


class _Generator:
    def __init__(self, params: SimulationParams) -> None:
        self.params = params
        self.truth = params.truth
        self.reference = params.raw["team_reference"]
        self.rng = np.random.default_rng(params.seed)
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.year_of: dict[str, int] = {}  # project → year of its round
        self._spent: dict[str, float] = {}  # project → seed grant spent

    # ------------------------------------------------------------------ driver
    def run(self) -> Dataset:
        for number, programme in enumerate(self.params.programmes):
            self._programme(number, programme)
        self._panel()
        for row in self.rows["projects"]:
            row["spent_yuan"] = self._spent.get(row["project_id"])
        frames = {name: pd.DataFrame(rows) for name, rows in self.rows.items() if rows}
        return Dataset.from_frames(**frames)

    def _programme(self, number: int, spec: dict[str, Any]) -> None:
        self.rows["programmes"].append(
            {
                k: spec[k]
                for k in ("programme_id", "name_zh", "name_en", "region", "organiser", "kind")
            }
        )
        communities = self._communities(number, spec)
        lines: list[dict[str, Any]] = []  # lineages still running after the last round
        for round_no in range(1, spec["rounds"] + 1):
            year = spec["first_year"] + round_no - 1
            last_round = round_no == spec["rounds"]
            joining = [c for c in communities if c["cohort_round"] == round_no]
            joined = [c for c in communities if 0 < c["cohort_round"] <= round_no]
            funded = self._round_projects(spec, round_no, year, lines, joining, joined, communities)
            grants = [p["grant_yuan"] for p in funded]
            self._round_row(spec, round_no, year, grants)
            for project in funded:
                self._funding(spec, project, year)
                progress = self._indicators(project, last_round)
                project["low_midterm"] = progress < LOW_MIDTERM_PROGRESS
                # Spending follows progress at mid-term and is complete at closure. No random
                # draw, so every other value of a data set stays what it was.
                share = min(1.0, 0.2 + progress) if last_round else 1.0
                self._spent[project["project_id"]] = float(round(project["grant_yuan"] * share, -1))
            # Which funded lines go on to the next round: the planted hazard.
            lines = []
            for project in funded:
                if last_round:
                    continue
                hazard = self._hazard(project)
                ends = self.rng.random() < 1 - np.exp(-hazard)
                self._followup(project, year, ended=ends)
                if not ends:
                    lines.append(project)

    # ------------------------------------------------------------------ communities
    def _communities(self, number: int, spec: dict[str, Any]) -> list[dict[str, Any]]:
        count = spec["communities"]
        cohort_round = np.zeros(count, dtype=int)
        start = 0
        for round_no, size in enumerate(spec["cohorts"], start=1):
            cohort_round[start : start + size] = round_no
            start += size
        cohort_round = self.rng.permutation(cohort_round)
        population = np.round(np.exp(self.rng.normal(np.log(8000), 0.45, count)), -1)
        communities = []
        for index in range(count):
            community_id = f"{spec['programme_id'][:2].upper()}C{index + 1:02d}"
            name = _NAME_PARTS[(index + 7 * number) % len(_NAME_PARTS)] + (
                "村" if index % 5 == 4 else "社区"
            )
            community = {
                "community_id": community_id,
                "name": name,
                "region": spec["region"],
                "population": int(population[index]),
                "households": int(population[index] / self.rng.uniform(2.4, 3.1)),
                "cohort_round": int(cohort_round[index]),
                "cohort_year": (
                    spec["first_year"] + int(cohort_round[index]) - 1 if cohort_round[index] else 0
                ),
            }
            communities.append(community)
            self.rows["communities"].append(
                {
                    k: community[k]
                    for k in ("community_id", "name", "region", "population", "households")
                }
            )
        return communities

    # ------------------------------------------------------------------ projects
    def _round_projects(self, spec, round_no, year, lines, joining, joined, communities):
        """Create the round's applications; return the funded ones."""
        pid = spec["programme_id"]
        serial = iter(range(1, 10_000))

        def new_id() -> str:
            return f"{pid[:2].upper()}{round_no}-{next(serial):03d}"

        funded = []
        for previous in lines:  # continuing projects are funded again
            project = dict(previous)
            project.update(
                project_id=new_id(),
                round=round_no,
                predecessor_id=previous["project_id"],
                title=_next_phase(previous["title"]),
                team_size=previous["team_size"] + int(self.rng.random() < 0.3),
            )
            project["grant_yuan"] = self._grant(spec, project.get("tier"))
            project["award"] = None
            funded.append(project)
        if spec.get("funnel"):
            new_funded, rejected = self._funnel_round(spec, joining, joined, communities, new_id)
        else:
            new_slots = max(spec["funded"] - len(funded), len(joining))
            new_funded = [
                self._new_project(spec, c, new_id) for c in self._places(joining, joined, new_slots)
            ]
            n_rejected = max(spec["applicants"] - len(funded) - len(new_funded), 0)
            rejected = []
            for _ in range(n_rejected):
                community = communities[self.rng.integers(len(communities))]
                project = self._new_project(spec, community, new_id)
                project["stage"] = "shortlisted" if self.rng.random() < 0.6 else "idea"
                project["grant_yuan"] = None
                rejected.append(project)
        self._assign_tiers(spec, new_funded)
        for project in new_funded:
            project["grant_yuan"] = self._grant(spec, project["tier"])
        funded += new_funded
        last_round = round_no == spec["rounds"]
        for project in funded:
            project["stage"] = "signed" if last_round else "completed"
        if spec["kind"] == "competition" and not last_round:
            self._awards(funded)
        for project in funded + rejected:
            project["round"] = round_no
            self.year_of[project["project_id"]] = year
            self.rows["projects"].append(_project_row(project))
        return funded

    def _awards(self, funded) -> None:
        """Lishui's awards: five by popularity vote, three for the most effective."""
        order = self.rng.permutation(len(funded))
        for rank, index in enumerate(order[:8]):
            funded[index]["award"] = "人气奖" if rank < 5 else "最具成效奖"

    def _places(self, joining, joined, slots):
        """Communities for new funded projects: each newly joining community gets one, the
        rest go to communities that have joined by now."""
        places = list(joining)
        for _ in range(slots - len(places)):
            places.append(joined[self.rng.integers(len(joined))])
        return places

    def _funnel_round(self, spec, joining, joined, communities, new_id):
        to_short, to_approved, to_signed = spec["funnel"]
        ideas = spec["applicants"]
        shortlisted = self.rng.binomial(ideas, to_short)
        approved = self.rng.binomial(shortlisted, to_approved)
        signed = max(self.rng.binomial(approved, to_signed), len(joining))
        approved = max(approved, signed)
        shortlisted = max(shortlisted, approved)
        funded = [self._new_project(spec, c, new_id) for c in self._places(joining, joined, signed)]
        rejected = []
        for stage, count in (
            ("approved", approved - signed),
            ("shortlisted", shortlisted - approved),
            ("idea", max(ideas - shortlisted, 0)),
        ):
            for _ in range(count):
                community = communities[self.rng.integers(len(communities))]
                project = self._new_project(spec, community, new_id)
                project["stage"] = stage
                project["grant_yuan"] = None
                if stage == "idea" and self.rng.random() < 0.03:
                    project["stage"] = "withdrawn"
                rejected.append(project)
        return funded, rejected

    def _new_project(self, spec, community, new_id) -> dict[str, Any]:
        theme_zh, _ = _THEMES[self.rng.integers(len(_THEMES))]
        team_size = 3 + int(self.rng.poisson(5))
        logit = (
            np.log(spec["matched_share"] / (1 - spec["matched_share"]))
            + self.truth["matched_logit_per_team_member"] * (team_size - self.reference)
            if spec["matched_share"] > 0
            else -np.inf
        )
        matched = bool(self.rng.random() < 1 / (1 + np.exp(-logit)))
        return {
            "project_id": new_id(),
            "programme_id": spec["programme_id"],
            "community_id": community["community_id"],
            "title": f"{community['name']}{theme_zh}",
            "theme": theme_zh,
            "applicant_type": _APPLICANTS[self.rng.choice(len(_APPLICANTS), p=_APPLICANT_WEIGHTS)],
            "tier": None,
            "application_type": "matched" if matched else "standard",
            "predecessor_id": None,
            "team_size": team_size,
            "award": None,
        }

    def _assign_tiers(self, spec, new_funded) -> None:
        """Tiers in the programme's mix (Weifang Xincun: 8 / 21 / 26), in random order."""
        mix = spec.get("tier_mix")
        if not mix:
            return
        tiers = [tier for tier, count in mix.items() for _ in range(count)]
        tiers = [str(t) for t in self.rng.permutation(tiers)]
        for index, project in enumerate(new_funded):
            project["tier"] = tiers[index % len(tiers)]

    def _grant(self, spec, tier) -> float:
        low, high = (
            spec["tier_grants"][tier] if tier and spec.get("tier_grants") else spec["grant_range"]
        )
        return float(self.rng.integers(low // 500, high // 500 + 1) * 500)

    # ------------------------------------------------------------------ money
    def _funding(self, spec, project, year) -> None:
        grant = project["grant_yuan"]
        truth = self.truth
        sigma = truth["leverage_sigma"]
        matched = project["application_type"] == "matched"
        expected = (
            truth["leverage_standard"]
            * truth["leverage_matched_ratio"] ** matched
            * truth["leverage_per_team_member"] ** (project["team_size"] - self.reference)
        )
        leverage = expected * np.exp(sigma * self.rng.normal() - sigma**2 / 2)
        leveraged = round(grant * leverage)
        day = pd.Timestamp(f"{year}-{spec['calendar']['start']}")
        lines = [("seed_grant", grant, "cash", day)]
        remaining = leveraged
        if matched and spec.get("match_ratio"):
            # The applicant raises money that the organiser's grant matches.
            raised = min(remaining, round(grant / spec["match_ratio"]))
            lines.append(("match", raised, "cash", day + pd.Timedelta(days=30)))
            remaining -= raised
        if remaining > 0:
            parts = int(self.rng.integers(1, 4))
            sources = self.rng.choice(len(_LEVERAGED_SOURCES), size=parts, replace=False)
            shares = self.rng.dirichlet(np.ones(parts))
            amounts = np.floor(shares * remaining)
            amounts[0] += remaining - amounts.sum()
            for source_index, amount in zip(sources, amounts, strict=True):
                source = _LEVERAGED_SOURCES[source_index]
                form = "in_kind" if source in ("in_kind", "volunteer_time") else "cash"
                offset = int(self.rng.integers(20, 200))
                lines.append((source, float(amount), form, day + pd.Timedelta(days=offset)))
        for source, amount, form, date in lines:
            self.rows["funding"].append(
                {
                    "project_id": project["project_id"],
                    "source": source,
                    "amount_yuan": float(amount),
                    "form": form,
                    "date": date,
                }
            )

    # ------------------------------------------------------------------ outputs
    def _indicators(self, project, last_round) -> float:
        """Plan, mid-term and (unless the round is still running) final values; returns
        the project's mid-term progress as a share of plan."""
        activities = 2 + int(self.rng.poisson(project["grant_yuan"] / 1500))
        plan = {
            "activities": activities,
            "volunteer_person_times": activities * int(self.rng.integers(8, 25)),
            "residents_served": activities * int(self.rng.integers(40, 140)),
            "core_team": project["team_size"],
            "issues_solved": 1 + int(self.rng.poisson(2)),
            "posts": 2 + int(self.rng.poisson(4)),
            "reads": 0,
        }
        plan["reads"] = plan["posts"] * int(self.rng.integers(150, 600))
        progress = float(self.rng.beta(5, 5))
        achievement = float(np.exp(self.rng.normal(0.05, 0.2)))
        for indicator in _INDICATORS:
            planned = plan[indicator]
            values = {"plan": planned, "midterm": round(planned * progress)}
            if not last_round:
                values["final"] = round(planned * achievement * (0.7 if progress < 0.4 else 1))
            if indicator == "core_team":
                values = {k: planned for k in values}
            for period, value in values.items():
                self.rows["indicators"].append(
                    {
                        "project_id": project["project_id"],
                        "indicator": indicator,
                        "period": period,
                        "value": float(value),
                        "unit": "person-times" if indicator.endswith(("times", "served")) else "",
                    }
                )
        return progress

    # ------------------------------------------------------------------ survival
    def _hazard(self, project) -> float:
        truth = self.truth
        return (
            truth["hazard_base"]
            * truth["hazard_ratio_matched"] ** (project["application_type"] == "matched")
            * truth["hazard_ratio_per_team_member"] ** (project["team_size"] - self.reference)
            * truth["hazard_ratio_low_midterm"] ** bool(project["low_midterm"])
        )

    def _followup(self, project, year, ended: bool) -> None:
        rounds_run = _phase(project["title"])
        registered = bool(self.rng.random() < min(0.08 * rounds_run, 0.6))
        if ended:
            status = "dormant" if self.rng.random() < 0.3 else "ended"
            income = 0.0
        else:
            status = "active"
            income = float(
                round(project["grant_yuan"] * self.rng.uniform(0.05, 0.3) * rounds_run, -1)
            )
        self.rows["followups"].append(
            {
                "project_id": project["project_id"],
                "year": year + 1,
                "status": status,
                "own_income_yuan": income,
                "fund_donation_yuan": float(round(0.15 * income, -1)),
                "registered": registered,
            }
        )

    # ------------------------------------------------------------------ rounds, panel
    def _round_row(self, spec, round_no, year, grants) -> None:
        calendar = spec["calendar"]
        end_year = year + 1 if calendar["end"] < calendar["call"] else year
        self.rows["rounds"].append(
            {
                "programme_id": spec["programme_id"],
                "round": round_no,
                "year": year,
                "call_date": pd.Timestamp(f"{year}-{calendar['call']}"),
                "start_date": pd.Timestamp(f"{year}-{calendar['start']}"),
                "midterm_date": pd.Timestamp(f"{year}-{calendar['midterm']}"),
                "end_date": pd.Timestamp(f"{end_year}-{calendar['end']}"),
                "budget_yuan": float(np.ceil(sum(grants) / 10_000) * 10_000),
                "grant_min_yuan": float(spec["grant_range"][0]),
                "grant_max_yuan": float(spec["grant_range"][1]),
                "match_ratio": spec.get("match_ratio"),
            }
        )

    def _panel(self) -> None:
        first, last = self.params.raw["panel_years"]
        years = np.arange(first, last + 1)
        year_shock = self.rng.normal(0, 0.5, len(years))
        satisfaction_shock = self.rng.normal(0, 1.0, len(years))
        cohort_of = self._cohorts()
        for community in self.rows["communities"]:
            level = self.rng.normal(20, 4)
            satisfaction_level = self.rng.normal(72, 5)
            cohort = cohort_of[community["community_id"]]
            for index, year in enumerate(years):
                effect = 0.0
                if cohort and year >= cohort:
                    effect = self.truth["effect_at_join"] + self.truth["effect_growth"] * (
                        year - cohort
                    )
                volunteers = (
                    level
                    + 0.5 * (year - first)
                    + year_shock[index]
                    + effect
                    + self.rng.normal(0, self.truth.get("volunteers_noise_sd", 1.5))
                )
                satisfaction = (
                    satisfaction_level + satisfaction_shock[index] + self.rng.normal(0, 2.0)
                )
                self.rows["panel"].append(
                    {
                        "community_id": community["community_id"],
                        "year": int(year),
                        "volunteers_per_1000": round(max(volunteers, 0.0), 2),
                        "satisfaction": round(float(np.clip(satisfaction, 0, 100)), 1),
                    }
                )

    def _cohorts(self) -> dict[str, int]:
        """Community → first year it had a funded project (0 for never): the cohort that
        the participation effect is planted by, read from the projects actually generated."""
        first: dict[str, int] = {}
        for project in self.rows["projects"]:
            if project["grant_yuan"]:
                year = self.year_of[project["project_id"]]
                community = project["community_id"]
                first[community] = min(first.get(community, year), year)
        return {
            c["community_id"]: first.get(c["community_id"], 0) for c in self.rows["communities"]
        }


def _phase(title: str) -> int:
    """Rounds a project line has run, read from the "（第N期）" suffix of its title."""
    if title.endswith("期）") and "（第" in title:
        return int(title.rsplit("（第", 1)[1][:-2])
    return 1


def _next_phase(title: str) -> str:
    phase = _phase(title)
    base = title.rsplit("（第", 1)[0] if phase > 1 else title
    return f"{base}（第{phase + 1}期）"


# The project columns the simulator draws (spending is filled in at the end); columns the
# data model gained later stay out, so the sample stays byte for byte what it was.
_SIMULATED_PROJECT_COLUMNS = (
    "project_id",
    "programme_id",
    "round",
    "community_id",
    "title",
    "applicant_type",
    "theme",
    "tier",
    "application_type",
    "stage",
    "predecessor_id",
    "team_size",
    "grant_yuan",
    "award",
)


def _project_row(project: dict[str, Any]) -> dict[str, Any]:
    return {name: project.get(name) for name in _SIMULATED_PROJECT_COLUMNS}


def write(dataset: Dataset, out: str | Path, params: dict[str, Any]) -> list[Path]:
    """Write a data set as UTF-8-with-BOM CSV files (which Excel in China opens without
    garbled text), plus the parameters that made it, as ``params.yaml``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in dataset.tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(
            path,
            index=False,
            encoding="utf-8-sig",
            lineterminator="\n",
            date_format="%Y-%m-%d",
            float_format="%.10g",
        )
        written.append(path)
    path = out / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), "utf-8")
    written.append(path)
    return written


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
