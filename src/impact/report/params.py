"""Report parameters: one YAML file per report, checked before any kernel starts.

papermill on its own only warns about unknown parameters; the workbench refuses them, and
every problem (unknown key, wrong type, missing data path, a programme, round or year absent
from the data) is reported at once, one line each, naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import DataError, ParamsError

KINDS = ("midterm", "annual", "explore", "compare")


class Options(BaseModel):
    """Analysis options; every one has a stated default."""

    model_config = ConfigDict(extra="forbid")

    n_boot: int = Field(2000, ge=0, le=100_000, description="bootstrap replicates")
    seed: int = Field(0, description="seed of every resampling")
    outcome: str = Field("volunteers_per_1000", description="panel outcome for participation")
    ci: float = Field(0.95, gt=0, lt=1, description="confidence level")
    published: Path = Field(Path("data/published"), description="published figures to compare")
    pdf: bool = Field(True, description="print the page to report.pdf (needs Chromium)")
    docx: bool = Field(True, description="write report.docx, an editable Word document")
    commentary: str | None = Field(
        None, description="the evaluator's commentary, shown after the key findings (escaped)"
    )
    recommendations: list[str] = Field(
        default_factory=list, description="the evaluator's recommendations, one per item"
    )


class ReportParams(BaseModel):
    """What one report is about. ``programme`` and ``round`` (mid-term) or ``year`` (annual)
    must exist in the data."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["midterm", "annual", "explore", "compare"]
    data: Path
    programme: str | None = None
    round: int | None = Field(None, ge=1)
    year: int | None = Field(None, ge=1990, le=2100)
    language: Literal["zh", "en"] = "zh"
    title: str | None = None
    options: Options = Field(default_factory=Options)

    @model_validator(mode="after")
    def _needs(self) -> ReportParams:
        needed = {"midterm": ("programme", "round"), "annual": ("programme", "year")}
        missing = [name for name in needed.get(self.kind, ()) if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} report needs {' and '.join(missing)}")
        return self

    @property
    def period(self) -> str:
        """The folder a report of this period is published in: round-4, 2024, or all."""
        if self.kind == "midterm":
            return f"round-{self.round}"
        if self.kind == "annual":
            return str(self.year)
        return "all"

    def output_folder(self, root: Path) -> Path:
        """Where the report is published. A comparison without a programme is keyed by
        its data (name and a short hash of the resolved path), so that comparisons of
        different data never overwrite each other."""
        subject = self.programme or "all"
        if self.kind == "compare" and self.programme is None:
            subject = data_key(self.data)
        return root / self.kind / subject / self.period / self.language


def data_key(path: Path) -> str:
    """A folder name for a data set: its own name and 6 hex digits of its resolved path."""
    import hashlib

    resolved = Path(path).resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:6]
    name = resolved.stem if resolved.is_file() else resolved.name
    return f"{name or 'data'}-{digest}"


def read_params(path: Path, language: str | None = None) -> ReportParams:
    """Read and check one parameters file; raise :class:`ParamsError` listing every problem
    (``file: key: message (value)``)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParamsError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of parameters, found {type(raw).__name__}")
    if language:
        raw["language"] = language
    try:
        params = ReportParams.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"]) or "(file)"
            message = error["msg"].replace("Value error, ", "")
            if error["type"] == "extra_forbidden":
                message = "unknown key; allowed: " + ", ".join(_allowed(error["loc"]))
            value = error.get("input")
            shown = "" if isinstance(value, dict) or value is None else f" ({value})"
            lines.append(f"{path}: {key}: {message}{shown}")
        raise ParamsError("\n".join(lines)) from None
    return params


def _allowed(location: tuple) -> list[str]:
    model = Options if location and location[0] == "options" else ReportParams
    return list(model.model_fields)


def check_against_data(params: ReportParams, path: Path):
    """Load the data the report names and check that its programme, round or year exist.
    Returns the loaded :class:`~impact.dataset.Dataset`."""
    from ..dataset import load

    if not params.data.exists():
        raise ParamsError(f"{path}: data: no such file or folder ({params.data})")
    try:
        data = load(params.data)
    except DataError as exc:
        raise ParamsError(
            f"{path}: data: {params.data} has problems; run `impact validate "
            f"{params.data}`:\n" + "\n".join(map(str, exc.errors[:20]))
        ) from None
    problems = []
    if params.programme is not None:
        known = set()
        for table in (data.programmes, data.projects, data.published):
            if table is not None and "programme_id" in table:
                known |= set(table.programme_id.dropna())
        if params.programme not in known:
            problems.append(
                f"{path}: programme: not in {params.data} (known: "
                f"{', '.join(sorted(known))}) ({params.programme})"
            )
    if params.round is not None and params.programme is not None and data.rounds is not None:
        rounds = data.rounds[data.rounds.programme_id == params.programme]["round"]
        if params.round not in set(rounds):
            problems.append(
                f"{path}: round: programme {params.programme} has rounds "
                f"{sorted(int(r) for r in rounds)} ({params.round})"
            )
    if params.year is not None and params.programme is not None and data.rounds is not None:
        years = data.rounds[data.rounds.programme_id == params.programme]["year"]
        if params.year not in set(years):
            problems.append(
                f"{path}: year: programme {params.programme} ran in "
                f"{sorted(int(y) for y in years)} ({params.year})"
            )
    if problems:
        raise ParamsError("\n".join(problems))
    return data
