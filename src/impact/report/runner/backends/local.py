"""Reports built on this machine: ``count`` threads, each keeping one warm kernel, and one
browser for the batch's PDFs. The longest reports go first, so that no thread is left with
a long report while the others have finished.

On Ctrl-C (or SIGTERM) the kernels are killed at once, the threads are told to stop, the
browser is closed with a short timeout, and any process this run started that is still
there (a kernel, Playwright's driver, Chromium) is killed: the run ends within seconds.
Nothing a thread built is published by the thread: the driver publishes.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Generator
from pathlib import Path

from ... import publish
from ..build import Built, build_here
from ..kernel import KernelError, WarmKernel, preimport, quiet_loggers
from ..plan import Plan

# What a report of each kind took to execute on the embedded data, relative to the others:
# the order of a batch whose reports have not been built before.
EXPECTED_SECONDS = {"explore": 1.6, "annual": 1.3, "midterm": 0.95, "compare": 0.4}
STOP_SECONDS = 1.0  # how long an interrupted run waits for its threads and browser in all


class LocalBackend:
    """``count`` threads, each keeping one warm kernel, building the plans they are given."""

    def __init__(
        self, count: int, root: Path, run_stage: Path, *, pdf: bool = False, light: bool = False
    ) -> None:
        quiet_loggers()
        # The processes this one had already started (a notebook's or a test's browser, when
        # the run is called from Python): an interrupted run kills only the ones it started.
        self.before = _children()
        self.work: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        self.stopping = threading.Event()
        cwd = os.getcwd()
        # One browser for the batch's PDFs, started now so that it is ready when the first
        # report is (it starts while the kernels warm up).
        self.printer = None
        if pdf:
            from ...render.pdf import Printer, find_chromium

            if browser := find_chromium():
                self.printer = Printer(browser).start()
        self.kernels = [WarmKernel(run_stage / f"kernel-{n}.log", cwd) for n in range(count)]
        for kernel in self.kernels:
            kernel.light = light  # one report in all: no warm-up imports (see WarmKernel)
        self.threads = [
            threading.Thread(
                target=self._serve,
                args=(kernel, run_stage, root),
                daemon=True,
                name=f"impact-report-{n}",
            )
            for n, kernel in enumerate(self.kernels)
        ]
        for thread in self.threads:
            thread.start()
        # papermill and nbconvert take seconds to import: load them while the kernels start.
        threading.Thread(target=preimport, daemon=True).start()

    def build(self, plans: list[Plan]) -> Generator[Built]:
        for plan in sorted(plans, key=expected_seconds, reverse=True):
            self.work.put(plan)
        for _ in plans:
            while True:
                try:
                    kind, value = self.results.get(timeout=0.2)
                    break
                except queue.Empty:
                    if not any(t.is_alive() for t in self.threads) and self.results.empty():
                        raise RuntimeError("the report workers stopped early") from None
            if kind == "bug":
                raise value
            yield value

    def close(self, *, interrupted: bool = False) -> None:
        self.stopping.set()
        if interrupted:
            for kernel in self.kernels:
                kernel.kill()
        for _ in self.threads:
            self.work.put(None)
        deadline = time.monotonic() + (STOP_SECONDS if interrupted else 30)
        for thread in self.threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0.05))
        if self.printer is not None:
            self.printer.close(timeout=max(deadline - time.monotonic(), 0.05))
        if interrupted:
            _kill_children(self.before)

    def _serve(self, kernel: WarmKernel, run_stage: Path, root: Path) -> None:
        try:
            kernel.start()
            while not self.stopping.is_set():  # (an interrupted run's kernels are killed)
                plan = self.work.get()
                if plan is None or self.stopping.is_set():
                    break
                try:
                    built = build_here(plan, kernel, run_stage, root, self.printer)
                except BaseException as exc:  # noqa: BLE001 - a bug: raised in the main thread
                    self.results.put(("bug", exc))
                    break
                self.results.put(("built", built))
        except Exception as exc:  # noqa: BLE001 - the kernel would not start
            if not self.stopping.is_set():
                error = KernelError(f"cannot start a Python kernel (python3): {exc}")
                self.results.put(("bug", error))
        finally:
            if self.stopping.is_set():
                kernel.kill()
            kernel.stop()


def expected_seconds(plan: Plan) -> float:
    """How long the report should take to execute: its last build's time, else its kind's."""
    last = publish.read_record(plan.destination) or {}
    seconds = (last.get("timings") or {}).get("execute_s")
    if isinstance(seconds, int | float):
        return float(seconds)
    return EXPECTED_SECONDS.get(plan.params.kind, 1.0)


def _psutil():
    try:
        import psutil  # ipykernel's own dependency
    except ImportError:
        return None
    return psutil


def _children() -> set[int]:
    """The process ids of this process's descendants (imports psutil now: an interrupted run
    has no second to spare for it)."""
    psutil = _psutil()
    if psutil is None:
        return set()
    try:
        return {child.pid for child in psutil.Process().children(recursive=True)}
    except psutil.Error:
        return set()


def _kill_children(before: set[int]) -> None:
    """Kill every process the run started that is still there (a kernel being started, a
    browser, Playwright's driver), sparing those that were there before it began: an
    interrupted run leaves none of its own behind."""
    psutil = _psutil()
    if psutil is None:
        return
    try:
        children = [
            child for child in psutil.Process().children(recursive=True) if child.pid not in before
        ]
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(children, timeout=1)
