"""The driver: one run of a batch. It takes the output folder's lock, tidies what an
interrupted run left, plans every report (every problem of every file before any build),
hands the plans to a backend (:mod:`.backends`), and publishes each build as it comes back.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .. import publish
from . import build as building
from .backends import Backend
from .outcome import Outcome
from .plan import Inputs, Plan, check, prepare

HELD = (signal.SIGINT, signal.SIGTERM)  # held while a report is published


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
    that cluster and are published here (:mod:`.backends.dask`; ``jobs`` is then unused).
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
            outcomes = run_batch(
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


def run_batch(
    params_files, root, notebooks, jobs, force, language, progress, run_stage, scheduler=None
) -> list[Outcome]:
    """Plan, check, build and publish a batch (holding the lock, in ``run_stage``)."""
    inputs = Inputs(run_stage / "inputs")
    plans, outcomes = _plan(params_files, root, notebooks, language, force, inputs)
    # Local kernels warm up while the data is checked (unless the batch is already refused);
    # no notebook starts before every file has been checked.
    refused = any(o.status == "invalid" for o in outcomes)
    backend = None
    if plans and not refused and scheduler is None:
        backend = _local(plans, jobs, root, run_stage)
    interrupted = False
    try:
        for plan in list(plans):
            problem = check(plan, inputs)
            if problem is not None:
                outcomes.append(problem)
                plans.remove(plan)
        if any(o.status == "invalid" for o in outcomes):
            return outcomes + _held(plans)
        if not plans:
            return outcomes
        if backend is None:
            from .backends.dask import DaskBackend  # imports Dask; only for a run on a cluster

            backend = DaskBackend(scheduler, root, run_stage)
        return outcomes + _build(backend, plans, progress)
    except BaseException:
        interrupted = True
        raise
    finally:
        if backend is not None:
            backend.close(interrupted=interrupted)


def _plan(params_files, root, notebooks, language, force, inputs):
    code = publish.code_hash()
    provenance: dict = {}
    plans: list[Plan] = []
    outcomes: list[Outcome] = []
    for path in params_files:
        plan, outcome = prepare(
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
    return plans, outcomes


def _local(plans: list[Plan], jobs: int, root: Path, run_stage: Path) -> Backend:
    from .backends.local import LocalBackend

    return LocalBackend(
        min(jobs, len(plans)),
        root,
        run_stage,
        pdf=any(p.params.options.pdf for p in plans),
        light=len(plans) == 1,
    )


def _build(backend: Backend, plans: list[Plan], progress: bool) -> list[Outcome]:
    """Publish each build as the backend gives it back (here, holding the lock)."""
    from tqdm.auto import tqdm

    outcomes: list[Outcome] = []
    bar = tqdm(total=len(plans), unit="report", disable=not progress)
    builds = backend.build(plans)
    try:
        for built in builds:
            with _signals_held():
                outcomes.append(building.settle(built))
            bar.update()
    finally:
        bar.close()
        builds.close()  # an interrupted batch stops its builds (a cluster cancels its tasks)
    return outcomes


@contextmanager
def _signals_held() -> Iterator[None]:
    """Publish one report whole: Ctrl-C or SIGTERM during the few renames of publishing takes
    effect once they are done (in the main thread; elsewhere signals never arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda number, _frame: caught.append(number)) for sig in HELD
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            raise KeyboardInterrupt


def _held(plans: list[Plan]) -> list[Outcome]:
    held = "not run: another parameters file of this batch has problems (see above)"
    return [Outcome(str(p.path), "not-run", message=held) for p in plans]


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
