"""Report parameters: one YAML file per report, checked before any kernel starts.

papermill on its own only warns about unknown parameters; the workbench refuses them, and
every problem (unknown key, wrong type, missing data path, a programme, round or year absent
from the data) is reported at once, one line each, naming the file and the key.

Parameters files come from people and schedulers, so reading them cannot hurt: a file is read
only up to :data:`MAX_BYTES`, in UTF-8 (with or without a byte-order mark) or GBK, and YAML is
parsed without anchors or aliases (a few hundred bytes of nested aliases expand to gigabytes)
and to a nesting depth of at most :data:`MAX_DEPTH`. Names that become folders (the programme)
are refused unless they are plain names, and every output folder is proven to stay under the
output root. ``data`` must be a folder or a workbook the loader recognises.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import DataError, ParamsError

KINDS = ("midterm", "annual", "explore", "compare")
MAX_BYTES = 64 * 1024
MAX_DEPTH = 20
ENCODINGS = ("utf-8-sig", "gbk")  # utf-8-sig also reads plain UTF-8
# A name that becomes a folder: letters (any script), digits, _ and -, not starting with -.
# What the loader reads (impact.io's lists, repeated so that checking parameters does not
# import pandas; a test keeps them equal).
CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SAFE_NAME = re.compile(r"^\w[\w-]{0,63}$")
# Control characters (NUL, escape …) cannot be shown, printed or saved in a Word document;
# tab and line breaks are allowed in the evaluator's free text only.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")


def _printable(value: str | None, *, lines: bool = False) -> str | None:
    if value is not None and (CONTROL if lines else CONTROL_LINE).search(value):
        raise ValueError(
            "contains a control character (NUL, escape"
            + ("" if lines else ", line break")
            + " …); write plain text"
        )
    return value


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

    @field_validator("commentary", "recommendations")
    @classmethod
    def _text(cls, value):
        for item in value if isinstance(value, list) else [value]:
            _printable(item, lines=True)
        return value

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: str) -> str:
        return _printable(value)


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

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return _printable(value)

    @field_validator("programme")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        if value is not None and not SAFE_NAME.match(value):
            raise ValueError(
                "must be a plain name (letters, digits, _ or -, at most 64), because it names "
                "the report's folder"
            )
        return value

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
        """The report's folder under ``root``. A comparison without a programme is keyed by
        its data (name and a short hash of the resolved path), so that comparisons of
        different data never overwrite each other. Raises :class:`ParamsError` if the folder
        would not stay under ``root`` (it cannot with checked names; this proves it)."""
        subject = self.programme or "all"
        if self.kind == "compare" and self.programme is None:
            subject = data_key(self.data)
        folder = root / self.kind / subject / self.period / self.language
        base = Path(root).resolve()
        resolved = base.joinpath(*folder.relative_to(root).parts).resolve()
        if resolved == base or not resolved.is_relative_to(base):
            raise ParamsError(f"output folder {folder} would not stay under {root}")
        return folder


def data_key(path: Path) -> str:
    """A folder name for a data set: its own name and 6 hex digits of its resolved path."""
    import hashlib

    resolved = Path(path).resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8")).hexdigest()[:6]
    name = resolved.stem if resolved.is_file() else resolved.name
    return f"{name or 'data'}-{digest}"


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader without anchors or aliases and with a nesting limit."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (& and *) are not allowed in parameters",
                problem_mark=mark,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    problem=f"nested deeper than {MAX_DEPTH} levels",
                    problem_mark=self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_text(path: Path) -> str:
    """A parameters file's text, in UTF-8 (with or without BOM) or GBK, at most
    :data:`MAX_BYTES`; raises :class:`ParamsError` saying what is wrong."""
    try:
        # O_NONBLOCK: a FIFO (or a device) named like a parameters file must not hang the run
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise ParamsError(f"{path}: is a folder, not a parameters file") from None
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        if os.path.isdir(path):
            raise ParamsError(f"{path}: is a folder, not a parameters file")
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ParamsError(f"{path}: not a regular file (a pipe or device); not read")
        raw = b""
        while len(raw) <= MAX_BYTES and (block := os.read(handle, MAX_BYTES + 1 - len(raw))):
            raw += block
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(handle)
    if len(raw) > MAX_BYTES:
        raise ParamsError(f"{path}: larger than {MAX_BYTES // 1024} KiB; not a parameters file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\0" in raw[:200]:
        raise ParamsError(f"{path}: UTF-16 text (or binary); save it as UTF-8")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParamsError(f"{path}: not text in UTF-8 or GBK; save it as UTF-8")


def load_yaml(text: str):
    """Parse YAML with the limits above (raises ``yaml.YAMLError``)."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def recognised_data(data: Path) -> str | None:
    """Why ``data`` is not something the loader reads (a folder holding at least one known
    table, or a single workbook or table file), or None if it is. Looks only at the names of
    the folder's own files, so ``/`` or ``/etc`` are refused at once."""
    from ..schema import table_for_name

    suffixes = CSV_SUFFIXES | PARQUET_SUFFIXES | EXCEL_SUFFIXES
    expected = "expected a folder with projects.csv, funding.csv … or an .xlsx workbook"
    try:
        if not data.exists():
            return "no such file or folder"
        if data.is_file():
            return None if data.suffix.lower() in suffixes else f"not a data file ({expected})"
        if not data.is_dir():
            return f"not a file or folder ({expected})"
        found = False
        for entry in data.iterdir():
            if entry.name.startswith((".", "~$")) or entry.suffix.lower() not in suffixes:
                continue
            if entry.suffix.lower() in EXCEL_SUFFIXES or table_for_name(entry.stem):
                if not entry.is_file():  # a pipe, device or broken link would hang or vanish
                    return f"{entry.name} is not a regular file (a pipe, device or broken link)"
                found = True
        if found:
            return None
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return f"not a data folder impact recognises ({expected})"


def read_params(path: Path, language: str | None = None) -> ReportParams:
    """Read and check one parameters file; raise :class:`ParamsError` listing every problem
    (``file: key: message (value)``)."""
    path = Path(path)
    try:
        raw = load_yaml(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParamsError(f"{path}: not valid YAML{where}: {problem}") from None
    if raw is None:
        raise ParamsError(f"{path}: the file is empty; expected kind, data and the report's keys")
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of parameters, found {type(raw).__name__}")
    if language:
        raw["language"] = language
    lines = []
    data = raw.get("data")
    if isinstance(data, str) and data:
        why = recognised_data(Path(data))
        if why:
            lines.append(f"{path}: data: {why} ({Path(data)})")
    options = raw.get("options")
    published = options.get("published") if isinstance(options, dict) else None
    if isinstance(published, str) and published:  # given, so meant: must be there
        why = recognised_data(Path(published))
        if why:
            lines.append(f"{path}: options.published: {why} ({Path(published)})")
    try:
        params = ReportParams.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"]) or "(file)"
            message = error["msg"].replace("Value error, ", "")
            if error["type"] == "extra_forbidden":
                message = "unknown key; allowed: " + ", ".join(_allowed(error["loc"]))
            value = error.get("input")
            shown = "" if isinstance(value, dict) or value is None else f" ({_shown(value)})"
            lines.append(f"{path}: {key}: {message}{shown}")
    if lines:
        raise ParamsError("\n".join(lines)) from None
    return params


def usable_part(path: Path, language: str | None = None) -> ReportParams | None:
    """The parameters of a file that :func:`read_params` refused, without the keys it
    refused, if what is left is still a report (so that its programme, round and year can be
    checked against the data too, and every problem of the file reported at once)."""
    try:
        raw = load_yaml(read_text(Path(path)))
    except (ParamsError, yaml.YAMLError):
        return None
    if not isinstance(raw, dict):
        return None
    if language:
        raw["language"] = language
    data = raw.get("data")
    if not isinstance(data, str) or recognised_data(Path(data)):
        return None
    try:
        ReportParams.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            if error["loc"]:
                raw.pop(error["loc"][0], None)
    try:
        return ReportParams.model_validate(raw)
    except ValidationError:
        return None


def _shown(value, limit: int = 80) -> str:
    """A refused value for a one-line message: control characters escaped (a newline or
    NUL would break the line or the terminal), long values cut."""
    text = CONTROL_LINE.sub(lambda m: repr(m.group())[1:-1], str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _allowed(location: tuple) -> list[str]:
    model = Options if location and location[0] == "options" else ReportParams
    return list(model.model_fields)


def check_against_data(params: ReportParams, path: Path, source: Path | None = None):
    """Load the data the report names and check that its programme, round or year exist.
    Returns the loaded :class:`~impact.dataset.Dataset`."""
    return check_dataset(params, path, load_data(params, path, source or params.data))


def load_data(params: ReportParams, path: Path, source: Path):
    """Load the report's data from ``source`` (``data`` itself or a copy of it); raise
    :class:`ParamsError` naming the parameters file if it cannot be used."""
    from ..dataset import load

    why = recognised_data(Path(source))
    if why:
        raise ParamsError(f"{path}: data: {why} ({params.data})")
    try:
        return load(source)
    except DataError as exc:
        raise ParamsError(
            f"{path}: data: {params.data} has problems; run `impact validate "
            f"{params.data}`:\n" + "\n".join(map(str, exc.errors[:20]))
        ) from None


def check_dataset(params: ReportParams, path: Path, data):
    """Check that the report's programme, round and year exist in ``data``; returns it."""
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
