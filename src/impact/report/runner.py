"""Running report notebooks with papermill and publishing them.

Each report is checked (parameters, data, programme and period) before any kernel starts,
executed in its own worker process, exported, and published atomically. A failing report
does not stop the others; its previous good output stays in place and the failing cell,
error and log go into ``run.json`` beside the kept attempt and into the summary. A report
whose notebook, parameters, data and code are unchanged is skipped unless forced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ParamsError
from . import publish
from .catalogue import t
from .params import check_against_data, read_params


@dataclass(frozen=True)
class Outcome:
    """What happened to one report."""

    params: str
    status: str  # ok, skipped, failed, invalid
    folder: str | None = None
    seconds: float = 0.0
    message: str = ""


def build(
    params_path: str,
    root: str,
    notebooks: str,
    force: bool = False,
    language: str | None = None,
    code_hash: str | None = None,
) -> Outcome:
    """Check, execute, export and publish one report. Never raises for a user's mistake or
    a failing notebook: the outcome says what happened."""
    start = time.perf_counter()
    root_path, path = Path(root), Path(params_path)
    try:
        params = read_params(path, language)
        if not params.data.exists():
            raise ParamsError(f"{path}: data: no such file or folder ({params.data})")
    except ParamsError as exc:
        return Outcome(str(path), "invalid", message=str(exc))
    notebook = Path(notebooks) / f"{params.kind}.ipynb"
    if not notebook.exists():
        return Outcome(str(path), "invalid", message=f"{path}: kind: no notebook {notebook}")
    destination = params.output_folder(root_path)
    settings = params.model_dump(mode="json")
    hashes = publish.data_hashes(params.data)
    print_ = publish.fingerprint(notebook, settings, hashes, code_hash or publish.code_hash())
    # Same notebook, parameters, data and code as a published good report: nothing to do.
    # (That report's parameters were checked against the same data when it was built.)
    if not force and publish.is_current(destination, print_):
        return Outcome(str(path), "skipped", str(destination), time.perf_counter() - start)
    try:
        data = check_against_data(params, path)
    except ParamsError as exc:
        return Outcome(str(path), "invalid", message=str(exc))
    stage = publish.staging_folder(root_path, destination)
    record = {
        "params_file": str(path),
        "parameters": settings,
        "notebook": str(notebook),
        "fingerprint": print_,
        "data": hashes,
        "git": publish.git_state(),
        "versions": publish.versions(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    title = _title(params, data)
    try:
        executed = stage / "report.ipynb"
        timings = {}
        began = time.perf_counter()
        _execute(notebook, executed, params, stage, title)
        timings["execute_s"] = round(time.perf_counter() - began, 3)
        began = time.perf_counter()
        from .export import export_report  # nbconvert costs 2 s to import; only now

        notes = export_report(
            executed,
            stage,
            title=title,
            language=params.language,
            record=record,
            pdf=params.options.pdf,
            docx=params.options.docx,
        )
        timings["export_s"] = round(time.perf_counter() - began, 3)
        record |= {"status": "ok", "title": title, "timings": timings, "notes": notes}
        record["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        publish.write_record(stage, record)
        publish.publish(stage, destination)
        return Outcome(
            str(path), "ok", str(destination), time.perf_counter() - start, "\n".join(notes)
        )
    except KeyboardInterrupt:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    except Exception as exc:  # the notebook failed: record it, keep the good report
        record |= {"status": "failed", "title": title, "error": _error(exc)}
        publish.write_record(stage, record)
        kept = publish.keep_failure(stage, destination)
        message = f"{path}: {record['error']['summary']} (details: {kept}/run.json)"
        return Outcome(str(path), "failed", str(destination), time.perf_counter() - start, message)


def _execute(notebook: Path, executed: Path, params, stage: Path, title: str) -> None:
    import papermill
    from traitlets.config import Config

    # Kernels talk over IPC sockets in a private folder of their own: no TCP ports, so
    # parallel reports cannot race for one port, and nothing listens on the network. The
    # folder is short-named because a socket path may not exceed 107 bytes.
    sockets = Path(tempfile.mkdtemp(prefix="impact-"))
    config = Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / "k")}})
    try:
        _papermill(papermill, notebook, executed, params, stage, title, config)
    finally:
        shutil.rmtree(sockets, ignore_errors=True)


def _papermill(papermill, notebook, executed, params, stage, title, config) -> None:
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        cwd=os.getcwd(),
        config=config,
        parameters={
            "data": str(params.data.resolve()),
            "programme": params.programme,
            "round_no": params.round,
            "year": params.year,
            "language": params.language,
            "title": title,
            "options": params.options.model_dump(mode="json"),
            "output_dir": str(stage),
        },
    )


def _error(exc: Exception) -> dict:
    """The failing cell, the error's name and message, for run.json and the summary."""
    cell = getattr(exc, "exec_count", None)
    name = getattr(exc, "ename", type(exc).__name__)
    value = getattr(exc, "evalue", str(exc))
    where = f"cell {cell}: " if cell is not None else ""
    return {
        "cell": cell,
        "ename": name,
        "evalue": value,
        "traceback": getattr(exc, "traceback", None),
        "summary": f"{where}{name}: {value}".strip(),
    }


def _title(params, data) -> str:
    if params.title:
        return params.title
    from .format import round_text

    names = {}
    if data.programmes is not None:
        # the reader's language, else the other one, else the code
        for column in ("name_en", "name_zh") if params.language == "en" else ("name_zh",):
            if column in data.programmes:
                known = data.programmes.dropna(subset=[column])
                names = dict(zip(known.programme_id, known[column], strict=True)) | names
    programme = names.get(params.programme, params.programme)
    return t(
        f"{params.kind}_title",
        params.language,
        programme=programme,
        round=params.round,
        round_label=round_text(params.round, params.language) if params.round else "",
        year=params.year,
        data=Path(params.data).name,
    )


def run(
    params_files: list[Path],
    *,
    root: Path,
    notebooks: Path,
    jobs: int = 1,
    force: bool = False,
    language: str | None = None,
    progress: bool = True,
) -> list[Outcome]:
    """Build every report, ``jobs`` at a time, with a progress bar over the batch."""
    from tqdm.auto import tqdm

    root.mkdir(parents=True, exist_ok=True)
    publish.clean_staging(root)
    code = publish.code_hash()
    arguments = [(str(p), str(root), str(notebooks), force, language, code) for p in params_files]
    outcomes: list[Outcome] = []
    bar = tqdm(total=len(arguments), unit="report", disable=not progress)
    try:
        if jobs <= 1:
            for argument in arguments:
                outcomes.append(build(*argument))
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(build, *argument) for argument in arguments]
                for future in as_completed(futures):
                    outcomes.append(future.result())
                    bar.update()
    finally:
        bar.close()
        publish.clean_staging(root)
    order = {str(p): i for i, p in enumerate(params_files)}
    return sorted(outcomes, key=lambda o: order.get(o.params, 0))
