"""A failed build as a record: where it failed, the failing cell, its source, the error's name
and message (after nbclient's ``CellExecutionError``), kept in ``<folder>.failed/run.json``.

``where`` says whose fault it was, and so whether the next run retries the report or says it
would fail the same way again:

- ``notebook``: a cell of the notebook raised (remembered: the same inputs fail the same way);
- ``export``: the report ran but could not be exported (remembered likewise);
- ``kernel``: the kernel would not start, died or timed out (retried);
- ``output``: the output folder refused to be written, full, read-only or denied (retried);
- ``worker``: a cluster's worker could not build it (its disk, its kernel; retried);
- ``cluster``: the cluster lost the task, its worker dying again and again (retried).
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from typing import Literal, get_args

Where = Literal["notebook", "export", "kernel", "output", "worker", "cluster"]
WHERE: tuple[Where, ...] = get_args(Where)
RETRIED: frozenset[Where] = frozenset({"kernel", "output", "worker", "cluster"})
# Errors of the machine, whichever step raised them: a rerun may well succeed (a FontError
# is fixed by installing a font, which no fingerprint sees).
MACHINE_ERRORS = frozenset(
    {
        "OSError",
        "PermissionError",
        "DeadKernelError",
        "CellTimeoutError",
        "KernelError",
        "FontError",
    }
)
OUTPUT_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT)
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


@dataclass(frozen=True)
class Failure:
    """Why one build failed. ``cell`` is the failing cell's execution count (None outside a
    cell), ``source`` its code, ``error`` the exception's name and ``message`` its text."""

    cell: int | None
    source: str
    error: str
    message: str
    where: Where
    traceback: str | None = None

    @property
    def summary(self) -> str:
        """One line for the terminal, the log and the index: ``cell 3: ValueError: …``."""
        at = f"cell {self.cell}: " if self.cell is not None else ""
        first_line = self.message.splitlines()[0] if self.message else ""
        return f"{at}{self.error}: {first_line}".strip()

    @property
    def retried(self) -> bool:
        """A fault of the machine rather than of the report: the next run builds it again."""
        return self.where in RETRIED or self.error in MACHINE_ERRORS

    @classmethod
    def from_exception(cls, exc: BaseException, where: Where) -> Failure:
        """The record of ``exc`` (papermill's ``PapermillExecutionError`` carries the cell,
        its source, the error's name, value and traceback)."""
        trace = getattr(exc, "traceback", None)
        if isinstance(trace, list):
            trace = ANSI.sub("", "\n".join(trace))
        name = getattr(exc, "ename", type(exc).__name__)
        if where == "notebook" and name in {"DeadKernelError", "CellTimeoutError"}:
            where = "kernel"
        return cls(
            cell=getattr(exc, "exec_count", None),
            source=str(getattr(exc, "source", "") or ""),
            error=str(name),
            message=ANSI.sub("", str(getattr(exc, "evalue", str(exc)))),
            where=where,
            traceback=trace if isinstance(trace, str) else None,
        )

    def is_output_fault(self) -> bool:
        """The build could not write its files: the disk full, read-only or denied."""
        text = f"{self.error}: {self.message}"
        return self.error in {"OSError", "PermissionError"} and any(
            f"[Errno {code}]" in text for code in OUTPUT_ERRNOS
        )

    def replace_text(self, old: str, new: str) -> Failure:
        """The same failure with ``old`` written ``new`` in every text (paths of the run's
        copies of the data named as the user knows them)."""

        def swap(text):
            return text.replace(old, new) if isinstance(text, str) else text

        return Failure(
            self.cell,
            swap(self.source),
            self.error,
            swap(self.message),
            self.where,
            swap(self.traceback),
        )

    def to_json(self) -> dict:
        """The ``error`` of ``run.json`` (``ename``, ``evalue`` and ``summary`` as before)."""
        return {
            "cell": self.cell,
            "source": self.source,
            "ename": self.error,
            "evalue": self.message,
            "traceback": self.traceback,
            "summary": self.summary,
            "where": self.where,
        }

    @classmethod
    def from_json(cls, error: dict) -> Failure:
        """A failure read back from ``run.json`` (an older record without ``where``: a
        notebook's error unless it was the output folder's)."""
        where = error.get("where")
        failure = cls(
            cell=error.get("cell"),
            source=error.get("source") or "",
            error=str(error.get("ename") or ""),
            message=str(error.get("evalue") or ""),
            where=where if where in WHERE else "notebook",
            traceback=error.get("traceback"),
        )
        if where not in WHERE and failure.is_output_fault():
            return Failure(**{**vars(failure), "where": "output"})
        return failure


def kept_words(had_previous: bool) -> str:
    """What a failed build left the reader: the words match the index's statuses."""
    return "previous report kept" if had_previous else "no report yet"
