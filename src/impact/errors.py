"""Exceptions and the one record every data problem is reported as.

Every user mistake becomes an :class:`Issue` (where, what, which value) collected in a list,
so a user sees every problem in one pass; :class:`DataError` carries that list to Python
callers and the command line turns it into text and exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# A note says what the loader did that a user should know (a title row read, a totals row
# left out); it is neither wrong nor suspicious.
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Issue:
    """One problem found in the data, located by file, row and column.

    ``row`` is the line a user would look at in a spreadsheet or editor: the header is row 1,
    the first data row is row 2. ``None`` means the problem concerns a whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    value: str | None = None
    severity: Severity = "error"
    # Lines for the user's mapping file that would settle it (``impact validate`` prints them).
    suggestion: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        column = f" {self.column}:" if self.column else ""
        value = f" ({self.value})" if self.value is not None else ""
        tag = f"{self.severity}: " if self.severity != "error" else ""
        return f"{where}:{column} {tag}{self.message}{value}"


class ImpactError(Exception):
    """Base class of every error the workbench raises on purpose."""


class DataError(ImpactError):
    """The data cannot be used as it is. ``issues`` lists every problem found, in file order."""

    def __init__(self, issues: list[Issue], context: str = "") -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        head = f"{len(errors)} problem(s) in {context}" if context else f"{len(errors)} problem(s)"
        shown = "\n".join(str(i) for i in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{head}:\n{shown}{more}")

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


class ParamsError(ImpactError):
    """A parameter given by the user (command line, YAML file, function argument) is wrong."""


class EstimationError(ImpactError, ValueError):
    """An estimator cannot run on the data or arguments it was given."""
