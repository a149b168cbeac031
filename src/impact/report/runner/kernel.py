"""Warm kernels: one Jupyter kernel kept alive for report after report, and the papermill
engine that executes a notebook in it.

A kernel is started once (with the package, matplotlib and the fonts imported, see
:mod:`..warm`), keeps one connected client for its life, and is reset between reports; a
reset that cannot put the kernel back starts a fresh one. Both backends (local threads and a
Dask cluster's workers) use the same :class:`WarmKernel`.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from pathlib import Path

from ...errors import ImpactError

QUIET_LOGGERS = ("papermill", "nbclient", "traitlets", "jupyter_client", "asyncio")


class KernelError(ImpactError):
    """No kernel could be started to run the reports."""


def quiet_loggers() -> None:
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


def use_warm_engine() -> None:
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


def preimport() -> None:
    """Import papermill and nbconvert (seconds) while the kernels start."""
    try:
        use_warm_engine()
        from .. import export  # noqa: F401
    except Exception:  # noqa: BLE001 - the build imports them again and reports any error
        pass
