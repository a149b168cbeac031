"""Building one report: its notebook executed by papermill in a warm kernel, exported into a
staging folder (here, or on a cluster's worker), then published by the driver, or its
failure kept beside the good report as a :class:`.failure.Failure`.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import publish
from ..params import ReportParams
from .failure import Failure, Where, kept_words
from .kernel import WarmKernel, use_warm_engine
from .outcome import Outcome
from .plan import Plan

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


class BuildFailed(Exception):
    """A build stopped at one of its steps: ``failure`` says where and why, ``cause`` is what
    was raised."""

    def __init__(self, failure: Failure, cause: BaseException) -> None:
        super().__init__(failure.summary)
        self.failure = failure
        self.cause = cause


@dataclass
class Built:
    """One finished build waiting to be published (or its failure kept): the staging folder
    holding it, its run record, and whether a good report was published before it.
    ``refused`` is the error of an output folder that would not take the build's files."""

    plan: Plan
    stage: Path | None
    record: dict
    had_previous: bool
    failure: Failure | None = None
    refused: OSError | None = None
    via: str = ""  # on a cluster: the worker, and how the data reached it


def _execute(notebook, executed: Path, params: ReportParams, title: str, **run) -> None:
    """Parameterise and execute ``notebook`` (a path or a notebook node) with papermill."""
    import papermill

    use_warm_engine()
    papermill.execute_notebook(
        notebook,
        str(executed),
        kernel_name="python3",
        engine_name="impact-warm",
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        km=run["kernel"].km,
        kc=run["kernel"].kc,
        parameters={
            "data": str(run["data"]),
            "programme": params.programme,
            "round_no": params.round,
            "year": params.year,
            "language": params.language,
            "title": title,
            "options": {
                **params.options.model_dump(mode="json"),
                "published": str(run["published"]),
            },
        },
    )


def begin(plan: Plan) -> dict:
    """The run record of a build about to start."""
    return plan.record | {
        "title": plan.title,
        "period_label": plan.period,
        "programme_names": plan.names,
        "data_path": str(plan.params.data),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def make(plan: Plan, kernel: WarmKernel, stage: Path, record: dict, printer=None) -> None:
    """Execute and export one report into ``stage`` (here, or on a cluster's worker);
    ``record`` gains the kernel's state, timings and notes. Raises :class:`BuildFailed`
    naming the step that failed (``kernel``, ``notebook`` or ``export``).
    ``printer`` (a :class:`.render.pdf.Printer`) prints the PDF in a browser kept open."""
    step: Where = "kernel"
    try:
        _make(plan, kernel, stage, record, printer, steps := [])
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        step = steps[-1] if steps else step
        raise BuildFailed(Failure.from_exception(exc, step), exc) from exc


def _make(
    plan: Plan, kernel: WarmKernel, stage: Path, record: dict, printer, steps: list[Where]
) -> None:
    import nbformat

    executed = stage / "report.ipynb"
    # Where the time went, phase by phase, in seconds of the clock, and the kernel's own
    # CPU seconds (the clock depends on what else the machine runs; CPU less so).
    timings: dict = {}
    steps.append("kernel")
    began = time.perf_counter()
    kernel.reset()
    timings["reset_s"] = round(time.perf_counter() - began, 3)
    record["kernel"] = {
        "reset_s": timings["reset_s"],
        "starts": kernel.restarts + 1,
        "last_restart": kernel.last_restart,
        "reports_before": kernel.reports - 1,  # run in this kernel before this one
        **kernel.started,  # the kernel's start: seconds, CPU seconds, warmed up or not
    }
    steps.append("notebook")
    began, cpu = time.perf_counter(), kernel.cpu_seconds()
    notebook = nbformat.reads(plan.notebook_bytes.decode("utf-8"), as_version=4)
    _execute(
        notebook,
        executed,
        plan.params,
        plan.title,
        kernel=kernel,
        data=plan.data_source,
        published=plan.published_source,
    )
    _show_original_paths(executed, plan)
    timings["execute_s"] = round(time.perf_counter() - began, 3)
    if cpu is not None and (after := kernel.cpu_seconds()) is not None:
        timings["execute_kernel_cpu_s"] = round(after - cpu, 3)
    steps.append("export")
    began = time.perf_counter()
    from ..export import export_report  # nbconvert costs 2 s to import; only now

    notes = export_report(
        executed,
        stage,
        title=plan.title,
        language=plan.params.language,
        record=record,
        pdf=plan.params.options.pdf,
        docx=plan.params.options.docx,
        printer=printer,
        timings=(export_steps := {}),
    )
    timings["export_s"] = round(time.perf_counter() - began, 3)
    timings |= {f"export_{step}": seconds for step, seconds in export_steps.items()}
    record |= {"status": "ok", "timings": timings, "notes": notes}
    record["finished"] = datetime.now(UTC).isoformat(timespec="seconds")


def build_here(plan: Plan, kernel: WarmKernel, run_stage: Path, root: Path, printer=None) -> Built:
    """Execute and export one checked report into this run's staging, ready to publish.
    Raises only KeyboardInterrupt."""
    plan.started = time.perf_counter()  # a report's time is its own build, not its wait
    had_previous = (plan.destination / "report.html").exists()
    record = begin(plan)
    stage = None
    try:
        stage = publish.staging_folder(run_stage, plan.destination, root)
        make(plan, kernel, stage, record, printer)
    except OSError as exc:  # the staging folder could not be made
        return Built(plan, stage, record, had_previous, refused=exc)
    except BuildFailed as failed:
        if isinstance(failed.cause, OSError) and failed.failure.where != "kernel":
            return Built(plan, stage, record, had_previous, refused=failed.cause)
        failure = failed.failure
        if failure.where == "notebook" and failure.is_output_fault():
            failure = dataclasses.replace(failure, where="output")
        record = failed_record(plan, kernel, record, failure)
        return Built(plan, stage, record, had_previous, failure)
    return Built(plan, stage, record, had_previous)


def failed_record(plan: Plan, kernel, record: dict, failure: Failure) -> dict:
    """The run record of a failed build (naming the original data), with the kernel's last
    log lines."""
    record |= {
        "status": "failed",
        "error": original_paths(failure, plan).to_json(),
        "kernel_log": _tail(kernel.log_path) if kernel is not None else "",
    }
    record["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return record


def settle(built: Built) -> Outcome:
    """Publish a built report, or keep a failed build beside the good report, from its
    staging folder (in this run's staging, holding the lock)."""
    plan, stage, record = built.plan, built.stage, built.record
    if built.refused is not None:
        return unwritable(plan, stage, built.refused, built.had_previous)
    path, destination = plan.path, plan.destination
    if built.failure is None:
        try:
            publish.write_record(stage, record)
            publish.publish(stage, destination)
        except OSError as exc:
            return unwritable(plan, stage, exc, built.had_previous)
        return Outcome(
            str(path),
            "ok",
            str(destination),
            time.perf_counter() - plan.started,
            "\n".join(record.get("notes") or []),
            via=built.via,
        )
    record.setdefault("error", built.failure.to_json())
    record.setdefault("status", "failed")
    try:
        publish.write_record(stage, record)
        kept_at = publish.keep_failure(stage, destination)
        details = f" (details: {kept_at}/run.json)"
    except OSError:
        shutil.rmtree(stage, ignore_errors=True)
        details = ""
    kept = kept_words(built.had_previous)
    message = f"{path}: {record['error'].get('summary')}; {kept}{details}"
    return Outcome(
        str(path),
        "failed",
        str(destination),
        time.perf_counter() - plan.started,
        message,
        "output" if built.failure.where == "output" else None,
        built.via,
    )


def unwritable(plan: Plan, stage: Path | None, exc: OSError, had_previous: bool) -> Outcome:
    """The output folder could not be written: nothing published, the good report kept."""
    if stage is not None:
        shutil.rmtree(stage, ignore_errors=True)
    kept = kept_words(had_previous)
    message = f"{plan.path}: cannot write the report: {publish.describe_os_error(exc)}; {kept}"
    return Outcome(
        str(plan.path),
        "failed",
        str(plan.destination),
        time.perf_counter() - plan.started,
        message,
        "output",
    )


def original_paths(failure: Failure, plan: Plan) -> Failure:
    """``failure`` naming the data as the user knows it rather than the run's copies (which
    are gone after the run)."""
    for copy, original in _copies(plan):
        failure = failure.replace_text(str(copy), str(Path(original).resolve()))
    return failure


def _copies(plan: Plan):
    for copy, original in (
        (plan.data_source, plan.params.data),
        (plan.published_source, Path(plan.params.options.published)),
    ):
        if copy != original:
            yield copy, original


def _show_original_paths(executed: Path, plan: Plan) -> None:
    """The report read the run's copies of the data; what it shows names the originals."""
    text = executed.read_text("utf-8")
    replaced = text
    for copy, original in _copies(plan):
        replaced = replaced.replace(str(copy), str(Path(original).resolve()))
    if replaced != text:
        executed.write_text(replaced, "utf-8")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        text = Path(log).read_text("utf-8", errors="replace")
    except OSError:
        return ""
    return ANSI.sub("", "\n".join(text.splitlines()[-lines:]))
