"""A planning design: what to simulate, at which design points, how often, from which seed.

A design file is YAML with four keys, each optional (``impact plan --help`` shows an example):

- ``design``: the base design. Every knob has a default taken from the sample's generator
  parameters (``simulate_defaults.yaml``: the Lishui-like competition and the planted truth).
- ``grid``: knobs to vary, each a list of values; the design points are every combination,
  in the order written.
- ``replicates``: data sets simulated and estimated per design point.
- ``seed`` and ``alpha`` (test level; intervals are 1 − alpha).

Each replicate's random seed is derived from (seed, design point index, replicate index) by
``numpy.random.SeedSequence`` spawning, never from which worker runs it, so a plan gives the
same numbers on one process, a process pool or a cluster.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ParamsError
from ..simulate import default_params

MAX_FILE_BYTES = 1_000_000
MAX_POINTS = 500
MAX_DATASETS = 10_000_000
_PROGRAMME = "lishui_like"  # the sample programme whose settings are the defaults


def _sample() -> tuple[dict[str, Any], dict[str, Any]]:
    raw = default_params()
    programme = next(p for p in raw["programmes"] if p["programme_id"] == _PROGRAMME)
    return raw, programme


_RAW, _SAMPLE = _sample()


class Design(BaseModel):
    """One design point's knobs. Defaults are the sample's (``simulate_defaults.yaml``)."""

    model_config = ConfigDict(extra="forbid")

    communities: int = Field(_SAMPLE["communities"], ge=4, le=5000, description="communities")
    rounds: int = Field(_SAMPLE["rounds"], ge=1, le=20, description="rounds (one a year)")
    joining: Literal["even", "early", "late"] | list[float] = Field(
        "early",
        description="when communities join: 'even' (same number each round), 'early' "
        "(weights rounds, …, 2, 1; the sample's 6, 4, 3, 3 is near it), 'late', or one "
        "weight per round",
    )
    joined_share: float = Field(
        round(sum(_SAMPLE["cohorts"]) / _SAMPLE["communities"], 4),
        gt=0,
        lt=1,
        description="share of communities that join by the last round; the rest never "
        "join and are the comparison group",
    )
    projects_per_round: int = Field(
        _SAMPLE["funded"], ge=1, le=5000, description="funded projects per round"
    )
    matched_share: float = Field(
        _SAMPLE["matched_share"],
        ge=0,
        lt=1,
        description="share of new projects choosing the matched type (at the reference team size)",
    )
    years_before: int = Field(
        _SAMPLE["first_year"] - _RAW["panel_years"][0],
        ge=1,
        le=50,
        description="panel years observed before the first round",
    )
    years_after: int = Field(
        _RAW["panel_years"][1] - _SAMPLE["first_year"] - _SAMPLE["rounds"] + 1,
        ge=0,
        le=50,
        description="panel years observed after the last round",
    )
    effect_at_join: float = Field(
        _RAW["truth"]["effect_at_join"],
        ge=-1000,
        le=1000,
        description="participation effect in the joining year (volunteers per 1,000)",
    )
    effect_growth: float = Field(
        _RAW["truth"]["effect_growth"],
        ge=-1000,
        le=1000,
        description="further effect per year since joining",
    )
    volunteers_noise_sd: float = Field(
        _RAW["truth"]["volunteers_noise_sd"],
        ge=0,
        le=1000,
        description="community-year noise of the outcome (sd)",
    )
    leverage_matched_ratio: float = Field(
        _RAW["truth"]["leverage_matched_ratio"],
        gt=0,
        le=1000,
        description="true leverage of matched ÷ standard projects, same team size",
    )
    leverage_sigma: float = Field(
        _RAW["truth"]["leverage_sigma"],
        ge=0,
        le=10,
        description="log-normal project noise of leverage (sd)",
    )

    @field_validator("joining")
    @classmethod
    def _weights(cls, value):
        if isinstance(value, list) and (not value or any(not w >= 0 for w in value)):
            raise ValueError("weights must be a non-empty list of numbers ≥ 0")
        if isinstance(value, list) and not sum(value) > 0:
            raise ValueError("weights must not all be 0")
        return value

    def cohort_sizes(self) -> list[int]:
        """Communities joining in rounds 1, 2, …: ``joined_share`` of them, split by the
        joining weights with largest-remainder rounding (so the sizes add up)."""
        rounds = self.rounds
        if self.joining == "even":
            weights = [1.0] * rounds
        elif self.joining == "early":
            weights = [float(rounds - r) for r in range(rounds)]
        elif self.joining == "late":
            weights = [float(r + 1) for r in range(rounds)]
        else:
            weights = [float(w) for w in self.joining]
        joined = round(self.joined_share * self.communities)
        exact = [joined * w / sum(weights) for w in weights]
        sizes = [math.floor(x) for x in exact]
        order = sorted(range(rounds), key=lambda i: (sizes[i] - exact[i], i))
        for i in order[: joined - sum(sizes)]:
            sizes[i] += 1
        return sizes

    def problems(self) -> list[str]:
        """What makes this point impossible to estimate, one sentence each."""
        out = []
        if isinstance(self.joining, list) and len(self.joining) != self.rounds:
            out.append(
                f"joining: {len(self.joining)} weights for {self.rounds} rounds; give one "
                "weight per round or a pattern (even, early, late)"
            )
            return out
        sizes = self.cohort_sizes()
        never = self.communities - sum(sizes)
        if sum(sizes) < 2:
            out.append(
                f"joined_share: only {sum(sizes)} of {self.communities} communities would "
                "join; at least 2 are needed"
            )
        if never < 2:
            out.append(
                f"joined_share: only {never} of {self.communities} communities would never "
                "join; at least 2 are needed as the comparison group"
            )
        return out

    def generator_params(self) -> dict[str, Any]:
        """Parameters for :func:`impact.simulate.simulate`: the sample's, with one programme
        shaped by this design. Rejected applications are not generated: neither estimate
        uses them."""
        raw = default_params()
        programme = dict(_SAMPLE)
        first_year = programme["first_year"]
        programme.update(
            communities=self.communities,
            rounds=self.rounds,
            cohorts=self.cohort_sizes(),
            applicants=self.projects_per_round,
            funded=self.projects_per_round,
            matched_share=self.matched_share,
        )
        raw["programmes"] = [programme]
        raw["panel_years"] = [
            first_year - self.years_before,
            first_year + self.rounds - 1 + self.years_after,
        ]
        raw["truth"].update(
            effect_at_join=self.effect_at_join,
            effect_growth=self.effect_growth,
            volunteers_noise_sd=self.volunteers_noise_sd,
            leverage_matched_ratio=self.leverage_matched_ratio,
            leverage_sigma=self.leverage_sigma,
        )
        return raw

    def true_participation_effect(self) -> float:
        """The true value of the estimand: the ``simple`` aggregation of ATT(g, t), the
        average over every cohort's post-joining years, cohorts weighted by size
        (Callaway & Sant'Anna 2021, eq. 3.10 with cell weights ∝ cohort share).

        Worked out from the design, not from any simulated data: cohort g (joining year)
        has ATT(g, t) = effect_at_join + effect_growth × (t − g) for t = g … last panel
        year."""
        first_year = _SAMPLE["first_year"]
        last = first_year + self.rounds - 1 + self.years_after
        total, weight = 0.0, 0.0
        for round_index, size in enumerate(self.cohort_sizes()):
            g = first_year + round_index
            for t in range(g, last + 1):
                total += size * (self.effect_at_join + self.effect_growth * (t - g))
                weight += size
        return total / weight

    def true_leverage_log_ratio(self) -> float:
        """log(matched ÷ standard leverage) at equal team size: the planted coefficient."""
        return math.log(self.leverage_matched_ratio)


class PlanSpec(BaseModel):
    """A whole plan: base design, grid, replicates, seed and test level."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(_RAW["seed"], ge=0, lt=2**63, description="seed of the whole plan")
    replicates: int = Field(200, ge=1, le=1_000_000, description="data sets per design point")
    alpha: float = Field(0.05, gt=0, lt=0.5, description="test level; intervals are 1 − alpha")
    design: Design = Field(default_factory=Design)
    grid: dict[str, list[Any]] = Field(default_factory=dict, description="knobs to vary")

    @field_validator("grid")
    @classmethod
    def _grid(cls, grid):
        problems = []
        for key, values in grid.items():
            if key not in Design.model_fields:
                problems.append(
                    f"{key}: not a design knob; knobs are {', '.join(Design.model_fields)}"
                )
            elif not values:
                problems.append(f"{key}: give at least one value")
            elif len(values) != len({yaml.safe_dump(v) for v in values}):
                problems.append(f"{key}: a value is repeated")
        if problems:
            raise ValueError("; ".join(problems))
        return grid

    def points(self) -> list[Design]:
        """Every combination of the grid's values over the base design, in written order."""
        base = self.design.model_dump()
        keys = list(self.grid)
        return [
            Design.model_validate({**base, **dict(zip(keys, combo, strict=True))})
            for combo in itertools.product(*(self.grid[k] for k in keys))
        ]


@dataclass(frozen=True)
class Task:
    """Replicates ``first`` … ``first + count − 1`` of one design point: one unit of work.
    Small (a dict of parameters and a few integers), so it travels cheaply to a worker."""

    point: int
    first: int
    count: int
    seed: int
    generator_params: dict
    alpha: float


def replicate_seed(seed: int, point: int, replicate: int) -> int:
    """The seed of one replicate: ``SeedSequence(seed).spawn(…)[point].spawn(…)[replicate]``
    (a child's spawn key is its position, so the same child is made directly), as one
    64-bit integer for the generator."""
    child = np.random.SeedSequence(seed, spawn_key=(point, replicate))
    return int(child.generate_state(1, dtype=np.uint64)[0])


def tasks(spec: PlanSpec, chunk: int) -> list[Task]:
    """The plan cut into tasks of at most ``chunk`` replicates (results do not depend on
    the cut: each replicate has its own seed)."""
    out = []
    for index, point in enumerate(spec.points()):
        params = point.generator_params()
        for first in range(0, spec.replicates, chunk):
            count = min(chunk, spec.replicates - first)
            out.append(Task(index, first, count, spec.seed, params, spec.alpha))
    return out


def read_plan(path: str | Path | None, **overrides: Any) -> PlanSpec:
    """Read and check a design file (or the defaults when ``path`` is None).

    Every problem is reported at once, one line each (``file: key: message (value)``), as
    :class:`~impact.errors.ParamsError`. ``overrides`` (``seed``, ``replicates``) replace
    the file's values when not None."""
    origin = str(path) if path is not None else "defaults"
    raw: Any = {}
    if path is not None:
        path = Path(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ParamsError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes; not a design")
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise ParamsError(f"{path}: cannot read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ParamsError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ParamsError(f"{path}: not valid YAML{where}: {problem}") from None
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise ParamsError(f"{path}: expected a mapping of keys, found {type(raw).__name__}")
    raw = dict(raw)
    raw.update({k: v for k, v in overrides.items() if v is not None})
    try:
        spec = PlanSpec.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError("\n".join(_lines(origin, exc))) from None
    problems = []
    size = math.prod(len(v) for v in spec.grid.values())
    if size > MAX_POINTS:
        problems.append(f"{origin}: grid: {size:,} design points; at most {MAX_POINTS}")
    elif size * spec.replicates > MAX_DATASETS:
        problems.append(
            f"{origin}: replicates: {size * spec.replicates:,} data sets in all; at most "
            f"{MAX_DATASETS:,}"
        )
    else:
        try:
            points = spec.points()
        except ValidationError as exc:
            raise ParamsError("\n".join(_lines(origin, exc, prefix="grid"))) from None
        seen = set()
        for point in points:
            for problem in point.problems():
                label = _label(spec, point)
                if (label, problem) not in seen:
                    seen.add((label, problem))
                    problems.append(f"{origin}: design point {label}: {problem}")
    if problems:
        raise ParamsError("\n".join(problems))
    return spec


def _label(spec: PlanSpec, point: Design) -> str:
    return ", ".join(f"{k}={getattr(point, k)}" for k in spec.grid) or "(base design)"


def _lines(origin: str, exc: ValidationError, prefix: str = "") -> list[str]:
    lines = []
    for error in exc.errors():
        parts = [
            str(p)
            for p in error["loc"]
            if p not in ("list[float]", "literal['even','early','late']")
        ]
        key = ".".join(([prefix] if prefix else []) + parts) or "(file)"
        message = error["msg"].replace("Value error, ", "")
        if error["type"] == "extra_forbidden":
            model = Design if parts and parts[0] == "design" else PlanSpec
            message = "unknown key; allowed: " + ", ".join(model.model_fields)
        value = error.get("input")
        shown = "" if isinstance(value, dict | list) or value is None else f" ({value!r})"
        lines.append(f"{origin}: {key}: {message}{shown}")
    return list(dict.fromkeys(lines))
