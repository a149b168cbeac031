"""Running report notebooks with papermill in warm kernels, and publishing them.

A run takes the output folder's lock, repairs what an interrupted run left (see
:mod:`.publish`), then works in two phases:

1. **Check everything.** Every parameters file of the batch is read and checked; the data
   it names (and the published figures) are read once, byte for byte, hashed and copied into
   the run's staging folder; the notebook's bytes likewise. A report whose notebook,
   parameters, data, published figures and code are unchanged since its published build is
   skipped. The others are checked against the copied data (programme, round, year). If any
   file has a problem, every problem of every file is reported and no notebook starts.
2. **Build.** ``jobs`` worker threads each keep one kernel alive (started once, with the
   package, matplotlib and the fonts imported) and run report after report in it through
   papermill, resetting the kernel between reports (:mod:`.warm`). The notebook reads the
   copied data, so ``run.json`` records the hashes of exactly the bytes the report used.
   Each build is exported and published atomically; a failing report keeps its previous
   good report and records the failing cell in ``<folder>.failed/run.json``.

Where the time goes: each kernel keeps one connected client (no handshake per report), its
warm-up's objects are frozen out of the garbage collector (a reset takes milliseconds), the
longest reports go first, PDFs are printed by one browser kept open for the run, and a run
of a single report skips the warm-up's imports. ``run.json`` records the seconds of each
phase (reset, execute with the kernel's CPU seconds, export per format) and the kernel's
start; ``bench/reports.py`` compares the batch with papermill plus nbconvert.

Kernel output (its own log lines, warnings) goes to a log file in staging, never to the
terminal; on Ctrl-C the kernels are stopped without a word and the run exits 130.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ImpactError, ParamsError
from . import publish
from .catalogue import t
from .params import (
    ReportParams,
    check_dataset,
    load_data,
    read_params,
    recognised_data,
    usable_part,
)

# jsonschema (imported by nbformat, papermill's and nbconvert's notebook format) compiles a
# grammar for the optional IRI string formats (rfc3987-syntax) when it is imported: a second
# of CPU in every run, for formats nbformat never checks (it validates without a format
# checker). The runner's process does without them; plain papermill and nbconvert are
# untouched.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

STATUSES = ("ok", "skipped", "failed", "invalid", "not-run")
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
QUIET_LOGGERS = ("papermill", "nbclient", "traitlets", "jupyter_client", "asyncio")


class KernelError(ImpactError):
    """No kernel could be started to run the reports."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one report. ``fault`` is ``"output"`` when the output folder could
    not be written (read-only, full, permission denied)."""

    params: str
    status: str  # ok, skipped, failed, invalid, not-run
    folder: str | None = None
    seconds: float = 0.0
    message: str = ""
    fault: str | None = None
    via: str = ""  # on a cluster: the worker, and how the data reached it


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
    names: dict = field(default_factory=dict)  # the programme's names, {"zh": …, "en": …}
    started: float = field(default_factory=time.perf_counter)


# --------------------------------------------------------------------------- inputs


def _sha(raw: bytes) -> str:
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
            files = sorted(_read_by_loader(source)) if source.is_dir() else [source]
            hashes = {}
            try:
                (copy if source.is_dir() else copy.parent).mkdir(parents=True)
            except OSError as exc:
                raise publish.OutputError(publish.describe_os_error(exc)) from None
            for file in files:
                raw = publish.read_regular(file)  # once: hashed and copied from these bytes
                hashes[str(file)] = _sha(raw)
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


def _read_by_loader(folder: Path):
    """The files of a data folder the loader reads (tables, workbooks, its mapping file, old
    Excel files it explains): only these are copied and hashed, so that scans, photos or
    videos kept beside the data cost nothing and do not make a report rebuild."""
    from ..files import OLD_EXCEL_SUFFIXES
    from ..mapping import MAPPING_FILE
    from .params import CSV_SUFFIXES, EXCEL_SUFFIXES, PARQUET_SUFFIXES

    read = CSV_SUFFIXES | PARQUET_SUFFIXES | EXCEL_SUFFIXES | OLD_EXCEL_SUFFIXES
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith((".", "~$")) or not (
            entry.suffix.lower() in read or name == MAPPING_FILE
        ):
            continue
        if entry.is_file():
            yield entry


def _with_data_problems(error: ParamsError, path: Path, inputs: Inputs) -> str:
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


def _prepare(
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
        return None, Outcome(str(path), "invalid", message=_with_data_problems(exc, path, inputs))
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
        "notebook": _sha(notebook_bytes),
        "parameters": settings,
        "parameters_file": _sha(params_bytes),
        "data": data_hashes,
        "published": published_hashes,
        "code": code,
    }
    print_ = _sha(json.dumps(parts, sort_keys=True, default=str).encode())
    if not force and publish.is_current(destination, print_):
        return None, Outcome(str(path), "skipped", str(destination), time.perf_counter() - start)
    if not force and (repeated := _same_failure(destination, print_)):
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


ENVIRONMENT_FAULTS = {
    "OSError",
    "PermissionError",
    "DeadKernelError",
    "CellTimeoutError",
    "KernelError",
    "ClusterError",  # a cluster's worker died or failed the task (see .cluster)
}


def _same_failure(destination: Path, print_: str) -> str:
    """If the last build failed in the notebook with these very inputs, it would fail the
    same way again: say so instead of rebuilding (``--force`` rebuilds). Faults of the
    machine (a full disk, a killed kernel) are retried."""
    failed = destination.with_name(destination.name + ".failed")
    record = publish.read_record(failed)
    if not record or record.get("fingerprint") != print_:
        return ""
    error = record.get("error") or {}
    if error.get("ename") in ENVIRONMENT_FAULTS or not error.get("summary"):
        return ""
    kept = _kept((destination / "report.html").exists())
    return (
        f"{record.get('params_file')}: unchanged since its failed build: {error['summary']}; "
        f"{kept} (details: {failed}/run.json; --force rebuilds it)"
    )


def _check(plan: Plan, inputs: Inputs) -> Outcome | None:
    """Check the plan's programme, round and year against its (copied) data."""
    try:
        data = inputs.dataset(plan.data_source, plan.params, plan.path)
    except ParamsError as exc:
        return Outcome(str(plan.path), "invalid", message=str(exc))
    plan.title = _title(plan.params, data)
    plan.names = _programme_names(plan.params.programme, data)
    return None


# --------------------------------------------------------------------------- kernels


def _quiet_loggers() -> None:
    """Kernel and client chatter goes nowhere (failures are recorded in run.json)."""
    # IPython (imported with papermill and nbconvert) warns when HOME is not writable and
    # works from a temporary folder instead: nothing a scheduler's log needs.
    warnings.filterwarnings("ignore", message=r"IPython (parent|dir) ", category=UserWarning)
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


class WarmKernel:
    """One kernel kept alive for report after report, used from one thread only.

    The kernel keeps one connected client for its whole life (``kc``): resets and the
    notebooks' papermill runs all talk through it, so no report waits for a new client's
    handshake (``wait_for_ready`` costs 0.2 to 0.6 s each time). The client's sockets belong
    to the event loop of the thread that made them (jupyter_core keeps one per thread; used
    from another loop they hang), so the kernel is used by one thread at a time, and a reset
    called from another thread than the last (a pool's task threads) first makes a client
    for that thread. :meth:`kill` may be called from any thread.
    """

    def __init__(self, log: Path, cwd: str) -> None:
        self.log_path = log
        self.cwd = cwd
        self.km = None
        self.kc = None
        self.thread: int | None = None  # the thread whose event loop the client uses
        self.pid: int | None = None
        self.restarts = -1
        self.last_restart = ""
        self.sockets: str | None = None
        self.used = False
        self.reports = 0  # reports begun in this kernel since it started
        # A kernel for a single report imports nothing in advance (the cold report's time
        # is the kernel's imports and the report, one after the other). Such a kernel is
        # never reset: asked for a second report, it is replaced by a warmed-up one.
        self.light = False
        self.started: dict = {}

    def start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.stop()
        self.restarts += 1
        began = time.perf_counter()
        # IPC sockets in a private, short-named folder (a socket path may not exceed 107
        # bytes): no TCP ports, so kernels cannot race for one, and nothing listens on the
        # network.
        self.sockets = tempfile.mkdtemp(prefix="impact-")
        self.km = AsyncKernelManager(
            kernel_name="python3", transport="ipc", ip=str(Path(self.sockets) / "k")
        )
        with open(self.log_path, "ab") as log:
            run_sync(self.km.start_kernel)(
                cwd=self.cwd,
                stdout=log,
                stderr=log,
                extra_arguments=["--HistoryManager.enabled=False"],
            )
        process = getattr(self.km.provisioner, "process", None)
        self.pid = getattr(process, "pid", None)
        self._connect()
        self.run_code(
            "from impact.report import warm as __impact_warm; "
            f"__impact_warm.warm_up(preload={not self.light})"
        )
        self.used = False  # fresh from warm_up: nothing to reset before its first report
        self.reports = 0
        self.started = {"start_s": round(time.perf_counter() - began, 3), "light": self.light}
        if (cpu := self.cpu_seconds()) is not None:
            self.started["start_cpu_s"] = round(cpu, 3)

    def _connect(self) -> None:
        """The kernel's client, made in (and for) the calling thread."""
        from jupyter_core.utils import run_sync

        async def connect():
            client = self.km.client()
            client.allow_stdin = False
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
            except BaseException:
                client.stop_channels()
                raise
            return client

        if self.kc is not None:
            self.kc.stop_channels()
        self.kc = run_sync(connect)()
        self.thread = threading.get_ident()

    def run_code(self, code: str, timeout: float = 120) -> None:
        """Run ``code`` silently through the kernel's client; raise RuntimeError with the
        error if it fails."""
        from jupyter_core.utils import run_sync

        async def go():
            return await self.kc.execute_interactive(
                code,
                silent=True,
                store_history=False,
                allow_stdin=False,
                output_hook=lambda m: None,
                timeout=timeout,
            )

        reply = run_sync(go)()
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def reset(self) -> None:
        """Reset between reports; start afresh if the kernel died or a reset cannot restore
        its state. A kernel fresh from its warm-up needs no reset."""
        try:
            if self.km is None or self.kc is None or not self._alive():
                raise RuntimeError("kernel not running")
            if self.thread != threading.get_ident():
                self._connect()  # another thread: its own event loop needs its own client
            if self.used and self.light:
                self.light = False
                raise RuntimeError("a kernel started for one report is not reset")
            if self.used:
                self.run_code("__import__('impact.report.warm', fromlist=['reset']).reset()")
        except Exception as exc:  # noqa: BLE001 - any doubt: a fresh kernel
            self.last_restart = str(exc)
            self.start()
        self.used = True
        self.reports += 1

    def cpu_seconds(self) -> float | None:
        """CPU seconds the kernel process has used so far (None if unknown)."""
        try:
            import psutil  # ipykernel's own dependency

            times = psutil.Process(self.pid).cpu_times()
        except Exception:  # noqa: BLE001 - a figure for run.json, never a failure
            return None
        return times.user + times.system

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def kill(self) -> None:
        """Stop at once (from any thread)."""
        if self.pid:
            try:
                os.kill(self.pid, 9)
            except OSError:
                pass

    def stop(self) -> None:
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # noqa: BLE001 - closing sockets of a kernel going away
                pass
            self.kc = None
        if self.km is not None:
            from jupyter_core.utils import run_sync

            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - it is going away either way
                self.kill()
            self.km = None
        if self.sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)
            self.sockets = None


_ENGINE_LOCK = threading.Lock()


def _engine():
    """papermill's nbclient engine, executing in a kernel it was given and leaving it
    running (registered once as ``impact-warm``)."""
    with _ENGINE_LOCK:
        from papermill.engines import papermill_engines

        if "impact-warm" not in papermill_engines._engines:
            _register_engine()


def _register_engine():
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import remove_args

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            km = kwargs.pop("km")
            kc = kwargs.pop("kc", None)
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            # The kernel's own client: nbclient then neither makes a new one (nor waits
            # for its handshake) nor closes it; it never owns the kernel (``km`` given).
            # Replies and outputs are matched to their request, so nothing a reset left
            # on the channels can be taken for the notebook's.
            client.kc = kc
            try:
                return client.execute()
            finally:
                if kc is None and client.kc is not None:  # a client of its own: close it
                    client.kc.stop_channels()

    papermill_engines.register("impact-warm", WarmEngine)


# --------------------------------------------------------------------------- building


def _execute(
    notebook, executed: Path, params: ReportParams, stage: Path, title: str, **run
) -> None:
    """Parameterise and execute ``notebook`` (a path or a notebook node) with papermill."""
    import papermill

    _engine()
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
            "output_dir": str(stage),
        },
    )


def _build(plan: Plan, kernel: WarmKernel, run_stage: Path, root: Path, printer=None) -> Outcome:
    """Execute, export and publish one checked report. Raises only KeyboardInterrupt.
    ``printer`` (a :class:`.document.Printer`) prints the PDF in a browser kept open."""
    plan.started = time.perf_counter()  # a report's time is its own build, not its wait
    had_previous = (plan.destination / "report.html").exists()
    record = _begin(plan)
    stage = None
    try:
        stage = publish.staging_folder(run_stage, plan.destination, root)
        _make(plan, kernel, stage, record, printer)
    except KeyboardInterrupt:
        raise
    except OSError as exc:
        return _unwritable(plan, stage, exc, had_previous)
    except Exception as exc:  # the notebook failed: record it, keep the good report
        _failed(plan, kernel, record, exc)
    return _settle(plan, stage, record, had_previous)


def _begin(plan: Plan) -> dict:
    """The run record of a build about to start."""
    return plan.record | {
        "title": plan.title,
        "programme_names": plan.names,
        "data_path": str(plan.params.data),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _make(plan: Plan, kernel: WarmKernel, stage: Path, record: dict, printer=None) -> None:
    """Execute and export one report into ``stage`` (here, or on a cluster's worker);
    ``record`` gains the kernel's state, timings and notes. Raises if anything fails.
    ``printer`` (a :class:`.document.Printer`) prints the PDF in a browser kept open."""
    import nbformat

    executed = stage / "report.ipynb"
    # Where the time went, phase by phase, in seconds of the clock, and the kernel's own
    # CPU seconds (the clock depends on what else the machine runs; CPU less so).
    timings: dict = {}
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
    began, cpu = time.perf_counter(), kernel.cpu_seconds()
    notebook = nbformat.reads(plan.notebook_bytes.decode("utf-8"), as_version=4)
    _execute(
        notebook,
        executed,
        plan.params,
        stage,
        plan.title,
        kernel=kernel,
        data=plan.data_source,
        published=plan.published_source,
    )
    _show_original_paths(executed, plan)
    timings["execute_s"] = round(time.perf_counter() - began, 3)
    if cpu is not None and (after := kernel.cpu_seconds()) is not None:
        timings["execute_kernel_cpu_s"] = round(after - cpu, 3)
    began = time.perf_counter()
    from .export import export_report  # nbconvert costs 2 s to import; only now

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


def _failed(plan: Plan, kernel: WarmKernel, record: dict, exc: Exception) -> None:
    """Record a failed build: the failing cell and error (naming the original data)."""
    error = {
        k: _original_paths(v, plan) if isinstance(v, str) else v for k, v in _error(exc).items()
    }
    record |= {"status": "failed", "error": error, "kernel_log": _tail(kernel.log_path)}
    record["finished"] = datetime.now(UTC).isoformat(timespec="seconds")


def _settle(plan: Plan, stage: Path, record: dict, had_previous: bool) -> Outcome:
    """Publish a built report, or keep a failed build beside the good report, from
    ``stage`` (a folder of this run's staging, holding the lock)."""
    path, destination = plan.path, plan.destination
    if record.get("status") == "ok":
        try:
            publish.write_record(stage, record)
            publish.publish(stage, destination)
        except OSError as exc:
            return _unwritable(plan, stage, exc, had_previous)
        return Outcome(
            str(path),
            "ok",
            str(destination),
            time.perf_counter() - plan.started,
            "\n".join(record.get("notes") or []),
        )
    error = record["error"]
    # a build on a cluster's worker never wrote the output folder (error["where"])
    fault = "output" if "where" not in error and _is_output_fault(error) else None
    try:
        publish.write_record(stage, record)
        kept_at = publish.keep_failure(stage, destination)
        details = f" (details: {kept_at}/run.json)"
    except OSError:
        shutil.rmtree(stage, ignore_errors=True)
        details = ""
    kept = _kept(had_previous)
    message = f"{path}: {error['summary']}; {kept}{details}"
    return Outcome(
        str(path),
        "failed",
        str(destination),
        time.perf_counter() - plan.started,
        message,
        fault,
    )


def _unwritable(plan: Plan, stage: Path | None, exc: OSError, had_previous: bool) -> Outcome:
    """The output folder could not be written: nothing published, the good report kept."""
    if stage is not None:
        shutil.rmtree(stage, ignore_errors=True)
    kept = _kept(had_previous)
    message = f"{plan.path}: cannot write the report: {publish.describe_os_error(exc)}; {kept}"
    return Outcome(
        str(plan.path),
        "failed",
        str(plan.destination),
        time.perf_counter() - plan.started,
        message,
        "output",
    )


def _kept(had_previous: bool) -> str:
    """What a failed build left the reader: the words match the index's statuses."""
    return "previous report kept" if had_previous else "no report yet"


def _original_paths(text: str, plan: Plan) -> str:
    """``text`` naming the data as the user knows it rather than the run's copies (which
    are gone after the run)."""
    for copy, original in (
        (plan.data_source, plan.params.data),
        (plan.published_source, Path(plan.params.options.published)),
    ):
        if copy != original:
            text = text.replace(str(copy), str(Path(original).resolve()))
    return text


def _show_original_paths(executed: Path, plan: Plan) -> None:
    """The report read the run's copies of the data; what it shows names the originals."""
    text = executed.read_text("utf-8")
    replaced = _original_paths(text, plan)
    if replaced != text:
        executed.write_text(replaced, "utf-8")


def _is_output_fault(error: dict) -> bool:
    text = f"{error.get('ename')}: {error.get('evalue')}"
    return error.get("ename") in {"OSError", "PermissionError"} and any(
        f"[Errno {code}]" in text
        for code in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT)
    )


def _tail(log: Path, lines: int = 40) -> str:
    try:
        text = Path(log).read_text("utf-8", errors="replace")
    except OSError:
        return ""
    return ANSI.sub("", "\n".join(text.splitlines()[-lines:]))


def _error(exc: Exception) -> dict:
    """The failing cell, the error's name and message (plain text), for run.json and the
    summary."""
    cell = getattr(exc, "exec_count", None)
    name = getattr(exc, "ename", type(exc).__name__)
    value = ANSI.sub("", str(getattr(exc, "evalue", str(exc))))
    where = f"cell {cell}: " if cell is not None else ""
    trace = getattr(exc, "traceback", None)
    if isinstance(trace, list):
        trace = ANSI.sub("", "\n".join(trace))
    first_line = value.splitlines()[0] if value else ""
    return {
        "cell": cell,
        "ename": name,
        "evalue": value,
        "traceback": trace,
        "summary": f"{where}{name}: {first_line}".strip(),
    }


def _programme_names(programme: str | None, data) -> dict[str, str]:
    """The programme's Chinese and English names from the data (for the index), those it has."""
    import pandas as pd

    programmes = data.programmes
    if not programme or programmes is None or "programme_id" not in programmes:
        return {}
    row = programmes.loc[programmes.programme_id.astype(str) == programme]
    return {
        language: str(row[column].iloc[0])
        for language, column in (("zh", "name_zh"), ("en", "name_en"))
        if column in row and len(row) and pd.notna(row[column].iloc[0])
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


# --------------------------------------------------------------------------- the batch


def _log(log: Path | None, outcome: Outcome) -> None:
    if log is None:
        return
    line = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "params": outcome.params,
        "status": outcome.status,
        "folder": outcome.folder,
        "seconds": round(outcome.seconds, 3),
        "message": outcome.message,
        "fault": outcome.fault,
    }
    if outcome.via:
        line["via"] = outcome.via
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def run(
    params_files: list[Path],
    *,
    root: Path,
    notebooks: Path,
    jobs: int = 1,
    force: bool = False,
    language: str | None = None,
    progress: bool = True,
    wait: float = 0.0,
    log: Path | None = None,
    scheduler=None,
    after=None,
) -> list[Outcome]:
    """Check every report, then build those that changed, ``jobs`` at a time, holding the
    output folder's lock. Raises :class:`~.publish.BusyError` if another run holds it past
    ``wait`` seconds and :class:`~.publish.OutputError` if the folder cannot be written.
    With ``scheduler`` (a Dask scheduler's address or an open client) the builds run on
    that cluster and are published here (:mod:`.cluster`; ``jobs`` is then unused).
    ``after()`` is called still holding the lock (the command line writes the index there)."""
    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise publish.OutputError(
            f"cannot make the output folder: {publish.describe_os_error(exc)}"
        ) from None
    with publish.locked(root, wait):
        try:
            publish.recover(root)
        except OSError as exc:
            raise publish.OutputError(
                f"cannot tidy the output folder: {publish.describe_os_error(exc)}"
            ) from None
        run_stage = publish.run_staging(root)
        try:
            outcomes = _run_batch(
                params_files, root, notebooks, jobs, force, language, progress, run_stage, scheduler
            )
        finally:
            publish.clean_staging(run_stage)
        if after is not None:  # under the lock, so the index matches what is published
            after()
    for outcome in outcomes:
        _log(log, outcome)
    order = {str(p): i for i, p in enumerate(params_files)}
    return sorted(outcomes, key=lambda o: order.get(o.params, 0))


def _run_batch(
    params_files, root, notebooks, jobs, force, language, progress, run_stage, scheduler=None
):
    inputs = Inputs(run_stage / "inputs")
    code = publish.code_hash()
    provenance: dict = {}
    plans: list[Plan] = []
    outcomes: list[Outcome] = []
    for path in params_files:
        plan, outcome = _prepare(
            Path(path),
            root=root,
            notebooks=notebooks,
            language=language,
            code=code,
            inputs=inputs,
            force=force,
        )
        if plan is not None:
            if not provenance:  # once per run, and only when something is to be built
                provenance = {"git": publish.git_state(), "versions": publish.versions()}
            plan.record |= provenance
            plans.append(plan)
        else:
            outcomes.append(outcome)
    seen: dict[Path, Path] = {}
    for plan in list(plans):
        if plan.destination in seen:
            outcomes.append(
                Outcome(
                    str(plan.path),
                    "invalid",
                    message=f"{plan.path}: writes the same report folder as "
                    f"{seen[plan.destination]} ({plan.destination})",
                )
            )
            plans.remove(plan)
        seen.setdefault(plan.destination, plan.path)
    # Kernels warm up while the data is checked (unless the batch is already refused); no
    # notebook starts before every file has been checked.
    refused = any(o.status == "invalid" for o in outcomes)
    local = plans and not refused and scheduler is None
    workers = (
        Workers(
            min(jobs, len(plans)),
            root,
            run_stage,
            pdf=any(p.params.options.pdf for p in plans),
            light=len(plans) == 1,
        )
        if local
        else None
    )
    try:
        for plan in list(plans):
            problem = _check(plan, inputs)
            if problem is not None:
                outcomes.append(problem)
                plans.remove(plan)
        if any(o.status == "invalid" for o in outcomes):
            return outcomes + _held(plans, outcomes)
        if plans and scheduler is not None:
            from . import cluster  # imports Dask; only for a run on a cluster

            built = cluster.build(
                plans, scheduler=scheduler, root=root, run_stage=run_stage, progress=progress
            )
            return outcomes + built
        return outcomes + (workers.build(plans, progress) if plans else [])
    finally:
        if workers is not None:
            workers.close()


def _held(plans: list[Plan], outcomes: list[Outcome]) -> list[Outcome]:
    if not any(o.status == "invalid" for o in outcomes):
        return []
    held = "not run: another parameters file of this batch has problems (see above)"
    return [Outcome(str(p.path), "not-run", message=held) for p in plans]


class Workers:
    """``count`` threads, each keeping one warm kernel, building the plans they are given."""

    def __init__(
        self, count: int, root: Path, run_stage: Path, *, pdf: bool = False, light: bool = False
    ) -> None:
        _quiet_loggers()
        self.work: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        cwd = os.getcwd()
        # One browser for the batch's PDFs, started now so that it is ready when the first
        # report is (it starts while the kernels warm up).
        self.printer = None
        if pdf:
            from .render.pdf import Printer, find_chromium

            if browser := find_chromium():
                self.printer = Printer(browser).start()
        self.kernels = [WarmKernel(run_stage / f"kernel-{n}.log", cwd) for n in range(count)]
        for kernel in self.kernels:
            kernel.light = light  # one report in all: no warm-up imports (see WarmKernel)
        self.threads = [
            threading.Thread(
                target=_worker,
                args=(kernel, self.work, self.results, run_stage, root, self.printer),
                daemon=True,
                name=f"impact-report-{n}",
            )
            for n, kernel in enumerate(self.kernels)
        ]
        for thread in self.threads:
            thread.start()
        # papermill and nbconvert take seconds to import: load them while the kernels start.
        threading.Thread(target=_preimport, daemon=True).start()

    def build(self, plans: list[Plan], progress: bool) -> list[Outcome]:
        from tqdm.auto import tqdm

        # Longest first, so that no worker is left with a long report while the others
        # have finished (the outcomes are put back in the batch's order afterwards).
        for plan in sorted(plans, key=_expected_seconds, reverse=True):
            self.work.put(plan)
        outcomes: list[Outcome] = []
        bar = tqdm(total=len(plans), unit="report", disable=not progress)
        try:
            while len(outcomes) < len(plans):
                try:
                    kind, value = self.results.get(timeout=0.2)
                except queue.Empty:
                    if not any(t.is_alive() for t in self.threads) and self.results.empty():
                        raise RuntimeError("the report workers stopped early") from None
                    continue
                if kind == "interrupt":
                    raise KeyboardInterrupt
                if kind == "bug":
                    raise value
                outcomes.append(value)
                bar.update()
        except BaseException:
            for kernel in self.kernels:
                kernel.kill()
            raise
        finally:
            bar.close()
        return outcomes

    def close(self) -> None:
        for _ in self.threads:
            self.work.put(None)
        for thread in self.threads:
            thread.join(timeout=30)
        if self.printer is not None:
            self.printer.close()


# What a report of each kind took to execute on the embedded data, relative to the others:
# the order of a batch whose reports have not been built before.
EXPECTED_SECONDS = {"annual": 1.4, "midterm": 1.0, "explore": 0.9, "compare": 0.4}


def _expected_seconds(plan: Plan) -> float:
    """How long the report should take to execute: its last build's time, else its kind's."""
    last = publish.read_record(plan.destination) or {}
    seconds = (last.get("timings") or {}).get("execute_s")
    if isinstance(seconds, int | float):
        return float(seconds)
    return EXPECTED_SECONDS.get(plan.params.kind, 1.0)


def _preimport() -> None:
    try:
        _engine()
        from . import export  # noqa: F401
    except Exception:  # noqa: BLE001 - the build imports them again and reports any error
        pass


def _worker(
    kernel: WarmKernel, work: queue.Queue, results: queue.Queue, run_stage, root, printer=None
) -> None:
    try:
        kernel.start()
        while True:
            plan = work.get()
            if plan is None:
                break
            try:
                results.put(("done", _build(plan, kernel, run_stage, root, printer)))
            except KeyboardInterrupt:
                results.put(("interrupt", None))
                break
            except BaseException as exc:  # noqa: BLE001 - a bug: report it in the main thread
                results.put(("bug", exc))
                break
    except Exception as exc:  # noqa: BLE001 - the kernel would not start
        results.put(("bug", KernelError(f"cannot start a Python kernel (python3): {exc}")))
    finally:
        kernel.stop()
