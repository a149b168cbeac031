"""Report builds on a Dask cluster (``impact run --scheduler ADDRESS``).

The client does what a local run does before and after building: it checks every parameters
file (every problem before any build), holds the output folder's lock, and publishes each
report with the same crash-safe publishing and index. Only the build itself (executing the
notebook with papermill and exporting it) runs on a worker, through the same function a
local run uses (:func:`..build.make`). Workers never see the output folder:

- **A task** carries the checked plan (parameters, notebook bytes, title, run record) and,
  for the data set and the published figures, their original path and the SHA-256 of each
  file the client read.
- **Data by path or as bytes.** A worker first looks for the same files at the same path
  (a shared disk): it reads them once, checks every hash, and copies those very bytes into
  its private temporary folder, where the notebook reads them. If any file is missing or
  differs, the task comes back at once asking for bytes; the client then sends that data
  set's files (the bytes it hashed, scattered to the cluster once) and submits the task
  again. Either way the report reads exactly the bytes ``run.json`` hashes; ``run.json``
  (``cluster``) and the ``--log`` line (``via``) say which way they came. A worker keeps
  verified copies by content hash, so later reports of the same data read nothing again.
- **A warm kernel per worker thread** (one per worker process with ``--nthreads 1``), kept
  for the worker's life and reset between reports exactly as locally (:mod:`.warm`).
- **What comes back**: every file of the built report folder as bytes and its run record, or
  its failure (the failing cell, as locally). The client writes them into its own staging
  folder and gives them to the driver, which publishes them (or keeps the failure beside the
  good report) as it does a local build.

A worker that dies mid-build (killed, out of memory, machine lost) has its task rescheduled
by the Dask scheduler on another worker; each task has one result, so a report is published
once. After the scheduler's ``allowed-failures`` the task fails with ``KilledWorker``: that
report fails with a clear message and its previous report is kept. Ctrl-C cancels the run's
tasks on the cluster, stops the kernels building them, and leaves the output folder as an
interrupted local run does.

This module imports Dask only inside its functions; the driver imports this module only
when a scheduler is given.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ....distributed import connect
from ....errors import ImpactError
from ... import publish
from ...status import recorded
from ..build import BuildFailed, Built, begin, failed_record, make
from ..failure import Failure
from ..kernel import KernelError, WarmKernel, quiet_loggers
from ..plan import Plan

KEY_PREFIX = "impact-report"
CACHED_INPUTS = 64  # verified data sets a worker keeps (by content hash)


# --------------------------------------------------------------------------- client side


def _spec(source: Path, original: Path, hashes: dict[str, str]) -> dict:
    """What a worker needs to find a data set: the client's absolute path, and the name and
    SHA-256 of each file (empty when the client read nothing, e.g. no published figures)."""
    files = {Path(name).name: sha for name, sha in sorted(hashes.items())}
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    return {
        "origin": str(Path(original).resolve()),
        "dir": source.is_dir(),
        "files": files,
        "digest": digest,
        "copy": str(source),  # the client's own verified copy (bytes are read from here)
    }


def _payload(spec: dict) -> dict[str, bytes]:
    """The bytes of a data set as the client read and hashed them, checked again."""
    copy = Path(spec["copy"])
    payload = {}
    for name, sha in spec["files"].items():
        raw = (copy / name if spec["dir"] else copy).read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha:
            raise ImpactError(f"{copy}: the run's copy of the data changed during the run")
        payload[name] = raw
    return payload


@dataclasses.dataclass
class _Source:
    spec: dict
    mode: str = "path"  # or "bytes"
    reason: str = ""
    future: Any = None


class _Batch:
    """One run's reports on the cluster: submit, follow, publish as results arrive."""

    def __init__(self, client, plans: list[Plan], root: Path, run_stage: Path) -> None:
        self.client = client
        self.plans = plans
        self.root = root
        self.run_stage = run_stage
        self.token = f"{KEY_PREFIX}-{uuid.uuid4().hex[:12]}"
        self.address = getattr(client.scheduler, "address", "?")
        self.sources: dict[str, _Source] = {}
        self.tasks: list[dict] = [self._task(plan) for plan in plans]
        self.attempts = [0] * len(plans)
        self.futures: dict[Any, tuple[int, set[str]]] = {}  # task, roles sent as bytes

    def _task(self, plan: Plan) -> dict:
        record = begin(plan)
        roles = {}
        for role, source, original, hashes in (
            ("data", plan.data_source, plan.params.data, plan.record["data"]),
            (
                "published",
                plan.published_source,
                Path(plan.params.options.published),
                plan.record["published"],
            ),
        ):
            spec = _spec(Path(source), original, hashes)
            if spec["files"]:
                self.sources.setdefault(spec["digest"], _Source(spec))
            roles[role] = spec
        # The worker names the data as the user knows it (absolute, from here), not its copy.
        params = plan.params.model_copy(
            update={
                "data": Path(roles["data"]["origin"]),
                "options": plan.params.options.model_copy(
                    update={"published": Path(roles["published"]["origin"])}
                ),
            }
        )
        remote = dataclasses.replace(plan, params=params, record={})
        return {"plan": remote, "record": record, "inputs": roles}

    def submit(self, index: int):
        task = self.tasks[index]
        payloads = {}
        for role, spec in task["inputs"].items():
            source = self.sources.get(spec["digest"]) if spec["files"] else None
            if source is not None and source.mode == "bytes":
                if source.future is None:
                    source.future = self.client.scatter([_payload(spec)], hash=False)[0]
                payloads[role] = source.future
        self.attempts[index] += 1
        future = self.client.submit(
            build_remote,
            {**task, "bytes_reasons": self._reasons(task)},
            payloads,
            key=f"{self.token}-{index:05d}-{self.attempts[index]}",
            pure=False,
        )
        self.futures[future] = (index, set(payloads))
        return future

    def _reasons(self, task: dict) -> dict[str, str]:
        found = {}
        for role, spec in task["inputs"].items():
            source = self.sources.get(spec["digest"]) if spec["files"] else None
            if source is not None and source.mode == "bytes":
                found[role] = source.reason
        return found

    def run(self) -> Generator[Built]:
        from dask.distributed import as_completed

        try:
            pending = as_completed([self.submit(i) for i in range(len(self.plans))])
            for future in pending:
                index, as_bytes = self.futures.pop(future)
                built, again = self._settle(index, future, as_bytes)
                future.release()
                if again:
                    pending.add(self.submit(index))
                    continue
                yield built
        except BaseException:
            self.cancel()
            raise
        finally:
            for source in self.sources.values():
                if source.future is not None:
                    source.future.release()

    def cancel(self) -> None:
        """Stop this run's tasks on the cluster: cancel them and kill their kernels."""
        try:
            self.client.cancel(list(self.futures))
            self.client.run(_stop_builds, self.token, wait=False)
        except Exception:  # noqa: BLE001 - the run is stopping either way
            pass

    def _settle(self, index: int, future, as_bytes: set[str]) -> tuple[Built | None, bool]:
        """One finished task's build, ready to publish; True to submit it again with the data
        as bytes."""
        plan = self.plans[index]
        if future.status == "finished":
            result = future.result()
            if "need" in result:
                if result["need"] in as_bytes:  # the bytes themselves were refused
                    refused = f"the worker refused the data: {result['reason']}"
                    return self._lost(plan, refused), False
                source = self.sources[self.tasks[index]["inputs"][result["need"]]["digest"]]
                if source.mode != "bytes":  # from now on every task of this data gets bytes
                    source.mode, source.reason = "bytes", result["reason"]
                return None, True
            try:
                return self._received(plan, result), False
            except ImpactError as exc:  # a worker's answer that cannot be published
                return self._lost(plan, str(exc)), False
        error = future.exception() if future.status == "error" else None
        return self._lost(plan, _cluster_error(error, future.status)), False

    def _received(self, plan: Plan, result: dict) -> Built:
        """A worker's build written into this run's staging, for the driver to publish."""
        had_previous = (plan.destination / "report.html").exists()
        plan.started = time.perf_counter() - result["seconds"]  # its build, then publishing
        record = result["record"] | {"cluster": result["cluster"] | {"scheduler": self.address}}
        via = _via(result["cluster"])
        stage = None
        try:
            stage = publish.staging_folder(self.run_stage, plan.destination, self.root)
            _write_files(stage, result["files"])
        except OSError as exc:
            return Built(plan, stage, record, had_previous, refused=exc, via=via)
        failure = Failure.from_json(record["error"]) if recorded(record) != "ok" else None
        return Built(plan, stage, record, had_previous, failure, via=via)

    def _lost(self, plan: Plan, summary: str) -> Built:
        """A task that ended without a build (its worker died too often, or the cluster
        failed it): a failed report, recorded beside the good one."""
        had_previous = (plan.destination / "report.html").exists()
        plan.started = time.perf_counter()
        failure = Failure(
            cell=None,
            source="",
            error="ClusterError",
            message=f"on the cluster ({self.address}): {summary}",
            where="cluster",
        )
        record = begin(plan) | {
            "status": "failed",
            "error": failure.to_json(),
            "cluster": {"scheduler": self.address},
        }
        try:
            stage = publish.staging_folder(self.run_stage, plan.destination, self.root)
        except OSError as exc:
            return Built(plan, None, record, had_previous, refused=exc)
        return Built(plan, stage, record, had_previous, failure)


def _cluster_error(error: BaseException | None, status: str) -> str:
    if error is None:
        return f"the task was {status} (the connection to the scheduler may have been lost)"
    name = type(error).__name__
    text = str(error).splitlines()[0] if str(error) else ""
    if name == "KilledWorker":
        return (
            "its worker died while building it, and again on each retry (killed, out of "
            f"memory, or its machine lost; KilledWorker: {text})"
        )
    hint = (
        "; the scheduler and every worker need the same impact installed as the client"
        if isinstance(error, ImportError) or "deserializ" in text.lower()
        else ""
    )
    return f"{name}: {text}{hint}"


def _via(cluster: dict) -> str:
    """For the log: the worker, and how the data and published figures reached it."""
    inputs = cluster.get("inputs", {})
    ways = [
        f"{role} {'by path' if inputs[role] == 'path' else 'as bytes'}"
        for role in ("data", "published")
        if inputs.get(role)
    ]
    return f"worker {cluster.get('worker', '?')}" + (": " + ", ".join(ways) if ways else "")


def _write_files(stage: Path, files: dict[str, bytes]) -> None:
    """Write a worker's report folder into ``stage``; names must stay inside it."""
    for name, raw in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ImpactError(f"a worker returned a file outside its report folder: {name}")
        target = stage.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)


class DaskBackend:
    """Reports built on the Dask cluster at ``scheduler`` (an address or an open client)
    and handed back to be published here, holding the lock the driver took."""

    def __init__(self, scheduler, root: Path, run_stage: Path) -> None:
        self.client, self.own = connect(scheduler)
        self.root = root
        self.run_stage = run_stage

    def build(self, plans: list[Plan]) -> Generator[Built]:
        return _Batch(self.client, plans, self.root, self.run_stage).run()

    def close(self, *, interrupted: bool = False) -> None:
        if self.own:
            self.client.close(timeout=2 if interrupted else None)


# --------------------------------------------------------------------------- worker side

_LOCK = threading.Lock()
_THREAD = threading.local()
_STATE: dict[str, Any] = {"home": None, "kernels": [], "inputs": OrderedDict(), "busy": {}}


def _home() -> Path:
    """This worker process's private temporary folder (removed when it exits)."""
    with _LOCK:
        if _STATE["home"] is None:
            _STATE["home"] = Path(tempfile.mkdtemp(prefix="impact-worker-"))
            atexit.register(_shutdown)
        return _STATE["home"]


def _shutdown() -> None:
    for kernel in _STATE["kernels"]:
        try:
            kernel.stop()
        except Exception:  # noqa: BLE001 - the process is exiting
            kernel.kill()
    if _STATE["home"] is not None:
        shutil.rmtree(_STATE["home"], ignore_errors=True)


def _kernel() -> WarmKernel:
    """This worker thread's warm kernel, started on its first report and kept."""
    kernel = getattr(_THREAD, "kernel", None)
    if kernel is None:
        quiet_loggers()
        home = _home()
        with _LOCK:
            number = len(_STATE["kernels"])
            kernel = WarmKernel(home / f"kernel-{number}.log", str(home))
            _STATE["kernels"].append(kernel)
        kernel.start()
        _THREAD.kernel = kernel
    return kernel


def _stop_builds(token: str) -> None:
    """Kill the kernels building this run's reports (Ctrl-C on the client); they restart
    on their next report."""
    with _LOCK:
        busy = list(_STATE["busy"].items())
    for key, kernel in busy:
        if key.startswith(token):
            kernel.kill()


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _intact(folder: Path, spec: dict) -> bool:
    try:
        return all(
            _sha((folder / name if spec["dir"] else folder).read_bytes()) == sha
            for name, sha in spec["files"].items()
        )
    except OSError:
        return False


def _local_copy(spec: dict, payload: dict[str, bytes] | None) -> tuple[Path | None, str, str]:
    """A verified private copy of a data set: (its path, how it came, why not). Path first
    (the same files at the same path), the client's bytes if given; None if neither."""
    if not spec["files"]:
        return Path(spec["origin"]), "", ""  # the client read nothing: passed as given
    name = Path(spec["origin"]).name or "data"
    with _LOCK:
        cached = _STATE["inputs"].get(spec["digest"])
    if cached is not None and _intact(cached[0], spec):
        with _LOCK:
            _STATE["inputs"].move_to_end(spec["digest"])
        return cached[0], cached[1], ""
    if payload is not None:
        files, how = payload, "bytes"
    else:
        origin, files, how = Path(spec["origin"]), {}, "path"
        for file in spec["files"]:
            try:
                files[file] = (origin / file if spec["dir"] else origin).read_bytes()
            except OSError as exc:
                return None, "", f"{publish.describe_os_error(exc)} on this worker"
    for file, sha in spec["files"].items():
        if _sha(files.get(file, b"")) != sha:
            why = f"{spec['origin']}: {file} differs from the client's (SHA-256) on this worker"
            return None, "", why
    folder = _home() / "inputs" / spec["digest"][:24]
    target = folder / name
    if not _intact(target, spec):
        scratch = Path(tempfile.mkdtemp(dir=_home(), prefix="in-"))
        written = scratch / name
        if spec["dir"]:
            written.mkdir()
        for file in spec["files"]:
            (written / file if spec["dir"] else written).write_bytes(files[file])
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(scratch, folder)
        except OSError:  # another thread made it meanwhile
            shutil.rmtree(scratch, ignore_errors=True)
    with _LOCK:
        _STATE["inputs"][spec["digest"]] = (target, how)
        while len(_STATE["inputs"]) > CACHED_INPUTS:
            _, (old, _how) = _STATE["inputs"].popitem(last=False)
            shutil.rmtree(old.parent, ignore_errors=True)
    return target, how, ""


def build_remote(task: dict, payloads: dict[str, dict[str, bytes]]) -> dict:
    """Build one report on a worker: (dict) the report folder's files and run record, its
    failure in the record, or ``{"need": role}`` if this worker cannot see the data."""
    from dask.distributed import get_worker

    started = time.perf_counter()
    try:
        worker = get_worker().address
    except ValueError:
        worker = "?"
    copies, ways = {}, {}
    for role, spec in task["inputs"].items():
        path, how, why = _local_copy(spec, payloads.get(role))
        if path is None:
            return {"need": role, "reason": why, "worker": worker}
        copies[role], ways[role] = path, how
    plan = dataclasses.replace(
        task["plan"], data_source=copies["data"], published_source=copies["published"]
    )
    record = task["record"] | {"started": datetime.now(UTC).isoformat(timespec="seconds")}
    cluster = {
        "worker": worker,
        "host": socket.gethostname(),
        "inputs": {"data": ways["data"], "published": ways["published"], "notebook": "bytes"},
    }
    if task.get("bytes_reasons"):
        cluster["why_bytes"] = task["bytes_reasons"]
    stage = Path(tempfile.mkdtemp(dir=_home(), prefix="build-"))
    key = _task_key()
    kernel = None
    try:
        kernel = _kernel()
        with _LOCK:
            _STATE["busy"][key] = kernel
        (Path(kernel.log_path)).write_bytes(b"")  # this report's kernel log only
        make(plan, kernel, stage, record)
    except Exception as exc:  # noqa: BLE001 - the notebook or this worker failed: recorded
        failed_record(plan, kernel, record, _worker_failure(exc, kernel, worker))
    finally:
        with _LOCK:
            _STATE["busy"].pop(key, None)
    try:
        files = {
            path.relative_to(stage).as_posix(): path.read_bytes()
            for path in sorted(stage.rglob("*"))
            if path.is_file() and not path.is_symlink()
        }
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    cluster["seconds"] = round(time.perf_counter() - started, 3)
    cluster["bytes"] = sum(len(raw) for raw in files.values())
    return {
        "record": record,
        "files": files,
        "cluster": cluster,
        "seconds": time.perf_counter() - started,
    }


def _worker_failure(exc: Exception, kernel: WarmKernel | None, worker: str) -> Failure:
    """What failed on this worker: the notebook or its export as locally; this worker's own
    fault (its disk, no kernel) named as the worker's, never the client's output folder."""
    if kernel is None:
        exc = KernelError(f"cannot start a Python kernel (python3) on {worker}: {exc}")
        return Failure.from_exception(exc, "worker")
    failure = exc.failure if isinstance(exc, BuildFailed) else Failure.from_exception(exc, "kernel")
    cause = exc.cause if isinstance(exc, BuildFailed) else exc
    if isinstance(cause, OSError | KernelError) or failure.is_output_fault():
        message = f"on worker {worker}: {failure.message}"
        return dataclasses.replace(failure, where="worker", message=message)
    return failure


def _task_key() -> str:
    try:
        from distributed.worker import thread_state

        return str(thread_state.key)
    except (ImportError, AttributeError):
        return ""


def _warm() -> int:
    """Start this worker thread's kernel (a task, so it is the thread that builds)."""
    _kernel()
    return os.getpid()


def warm_workers(client) -> dict[str, int]:
    """Start a warm kernel on every worker of ``client``'s cluster now rather than with its
    first report (for benchmarks, or before a batch on a fresh cluster). Returns each
    worker's process id."""
    workers = list(client.scheduler_info()["workers"])
    futures = [
        client.submit(_warm, key=f"{KEY_PREFIX}-warm-{uuid.uuid4().hex[:8]}", workers=[w])
        for w in workers
    ]
    return dict(zip(workers, client.gather(futures), strict=True))
