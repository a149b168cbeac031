"""Planning a batch: every parameters file read and checked, its inputs copied and hashed
once, and a :class:`Plan` for each report to build (or its outcome: skipped as current,
invalid, or failed as before with the very same inputs).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ImpactError, ParamsError
from .. import publish
from ..params import (
    ReportParams,
    check_dataset,
    load_data,
    read_params,
    recognised_data,
    usable_part,
)
from .failure import Failure, kept_words
from .outcome import Outcome
from .titles import period_label, programme_names, title


@dataclass
class Plan:
    """One checked report, ready to build."""

    path: Path
    params: ReportParams
    notebook: Path
    notebook_bytes: bytes
    destination: Path
    settings: dict
    record: dict
    fingerprint: str
    data_source: Path
    published_source: Path
    title: str = ""
    period: str = ""  # the report's round or year as its data name it (the index shows it)
    names: dict = field(default_factory=dict)  # the programme's names, {"zh": …, "en": …}
    started: float = field(default_factory=time.perf_counter)


# --------------------------------------------------------------------------- inputs


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class Inputs:
    """Data sets read once per run: their bytes hashed and copied into staging, so that the
    check, the notebook and ``run.json`` all see the same bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._copies: dict[Path, tuple[Path, dict[str, str]]] = {}
        self._loaded: dict[Path, object] = {}

    def snapshot(self, source: Path) -> tuple[Path, dict[str, str]]:
        """The copy of ``source`` (a data folder's own files, or one file) and the SHA-256 of
        each file, keyed by its path as given. Raises OSError (reading) or
        :class:`~.publish.OutputError` (writing the copy)."""
        key = source.resolve()
        if key not in self._copies:
            copy = self.folder / f"{len(self._copies)}" / (key.name or "data")
            files = sorted(read_by_loader(source)) if source.is_dir() else [source]
            hashes = {}
            try:
                (copy if source.is_dir() else copy.parent).mkdir(parents=True)
            except OSError as exc:
                raise publish.OutputError(publish.describe_os_error(exc)) from None
            for file in files:
                raw = publish.read_regular(file)  # once: hashed and copied from these bytes
                hashes[str(file)] = sha256(raw)
                target = copy / file.name if source.is_dir() else copy
                try:
                    target.write_bytes(raw)
                except OSError as exc:
                    raise publish.OutputError(publish.describe_os_error(exc)) from None
            self._copies[key] = (copy, hashes)
        return self._copies[key]

    def dataset(self, copy: Path, params: ReportParams, path: Path):
        """The data set loaded from the copy (once per copy), checked for this report."""
        if copy not in self._loaded:
            try:
                self._loaded[copy] = load_data(params, path, copy)
            except ParamsError as exc:
                self._loaded[copy] = exc
        loaded = self._loaded[copy]
        if isinstance(loaded, ParamsError):
            raise ParamsError(load_error(loaded, path))
        return check_dataset(params, path, loaded)


def read_by_loader(folder: Path):
    """The files of a data folder the loader reads (tables, workbooks, its mapping file, old
    Excel files it explains): only these are copied and hashed, so that scans, photos or
    videos kept beside the data cost nothing and do not make a report rebuild."""
    from ...files import OLD_EXCEL_SUFFIXES
    from ...mapping import MAPPING_FILE
    from ..params import CSV_SUFFIXES, EXCEL_SUFFIXES, PARQUET_SUFFIXES

    read = CSV_SUFFIXES | PARQUET_SUFFIXES | EXCEL_SUFFIXES | OLD_EXCEL_SUFFIXES
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith((".", "~$")) or not (
            entry.suffix.lower() in read or name == MAPPING_FILE
        ):
            continue
        if entry.is_file():
            yield entry


def with_data_problems(error: ParamsError, path: Path, inputs: Inputs) -> str:
    """A refused file's problems and, if the rest of it still names a report, what its data
    says of its programme, round and year: every problem of the file at once (faults)."""
    lines = str(error)
    part = usable_part(path)
    if part is None:
        return lines
    try:
        copy, _hashes = inputs.snapshot(Path(part.data))
        inputs.dataset(copy, part, path)
    except ParamsError as more:
        known = set(lines.splitlines())
        lines += "".join(f"\n{line}" for line in str(more).splitlines() if line not in known)
    except (OSError, ImpactError):
        pass  # reading the data is reported when the file is fixed
    return lines


def load_error(error: ParamsError, path: Path) -> str:
    """A data set's loading error, named for the parameters file ``path``."""
    first, _, rest = str(error).partition(": data: ")
    return f"{path}: data: {rest}" if rest else str(error)


def prepare(
    path: Path,
    *,
    root: Path,
    notebooks: Path,
    language: str | None,
    code: str,
    inputs: Inputs,
    force: bool,
) -> tuple[Plan | None, Outcome | None]:
    """Check one parameters file and snapshot its inputs; a plan to build, or an outcome
    (skipped or invalid)."""
    start = time.perf_counter()
    problems: list[str] = []
    try:
        params = read_params(path, language)
    except ParamsError as exc:
        return None, Outcome(str(path), "invalid", message=with_data_problems(exc, path, inputs))
    notebook = Path(notebooks) / f"{params.kind}.ipynb"
    try:
        notebook_bytes = notebook.read_bytes()
    except OSError as exc:
        problems.append(f"{path}: kind: cannot read notebook {notebook} ({exc.strerror})")
    try:
        destination = params.output_folder(root)
    except ParamsError as exc:
        problems.append(f"{path}: {exc}")
    try:
        data_source, data_hashes = inputs.snapshot(params.data)
    except OSError as exc:
        problems.append(f"{path}: data: cannot read {publish.describe_os_error(exc)}")
    published = Path(params.options.published)
    published_source, published_hashes = published, {}
    if recognised_data(published) is None:
        try:
            published_source, published_hashes = inputs.snapshot(published)
        except OSError as exc:
            problems.append(
                f"{path}: options.published: cannot read {publish.describe_os_error(exc)}"
            )
    if problems:
        return None, Outcome(str(path), "invalid", message="\n".join(problems))
    settings = params.model_dump(mode="json")
    try:
        params_bytes = path.read_bytes()
    except OSError:
        params_bytes = b""
    parts = {
        "notebook": sha256(notebook_bytes),
        "parameters": settings,
        "parameters_file": sha256(params_bytes),
        "data": data_hashes,
        "published": published_hashes,
        "code": code,
    }
    print_ = sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    if not force and publish.is_current(destination, print_):
        _clear_stale_failure(destination)
        return None, Outcome(str(path), "skipped", str(destination), time.perf_counter() - start)
    if not force and (repeated := same_failure(destination, print_)):
        return None, Outcome(
            str(path), "failed", str(destination), time.perf_counter() - start, repeated
        )
    record = {
        "params_file": str(path),
        "parameters": settings,
        "parameters_sha256": parts["parameters_file"],
        "notebook": str(notebook),
        "notebook_sha256": parts["notebook"],
        "fingerprint": print_,
        "data": data_hashes,
        "published": published_hashes,
        "code_sha256": code,
    }
    plan = Plan(
        path,
        params,
        notebook,
        notebook_bytes,
        destination,
        settings,
        record,
        print_,
        data_source,
        published_source,
        started=start,
    )
    return plan, None


def _clear_stale_failure(destination: Path) -> None:
    """A report found current has no failure to show: a failure kept from a build since
    undone (the notebook put back as the published build had it) is stale."""
    try:
        publish.clear_failure(destination)
    except OSError:
        pass  # the index shows the old failure until a run can write the folder


def same_failure(destination: Path, print_: str) -> str:
    """If the last build failed in the notebook with these very inputs, it would fail the
    same way again: say so instead of rebuilding (``--force`` rebuilds). Faults of the
    machine (a full disk, a killed kernel) are retried."""
    failed = destination.with_name(destination.name + ".failed")
    record = publish.read_record(failed)
    if not record or record.get("fingerprint") != print_:
        return ""
    if not record.get("error"):
        return ""
    failure = Failure.from_json(record["error"])
    if failure.retried or not failure.summary:
        return ""
    kept = kept_words((destination / "report.html").exists())
    return (
        f"{record.get('params_file')}: unchanged since its failed build: {failure.summary}; "
        f"{kept} (details: {failed}/run.json; --force rebuilds it)"
    )


def check(plan: Plan, inputs: Inputs) -> Outcome | None:
    """Check the plan's programme, round and year against its (copied) data."""
    try:
        data = inputs.dataset(plan.data_source, plan.params, plan.path)
    except ParamsError as exc:
        return Outcome(str(plan.path), "invalid", message=str(exc))
    plan.title = title(plan.params, data)
    plan.period = period_label(plan.params, data)
    plan.names = programme_names(plan.params.programme, data)
    return None
