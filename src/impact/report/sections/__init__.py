"""The content of the reports, called from the notebooks one section per cell.

One module per report kind (``midterm``, ``annual``, ``compare``, ``explore``), the key
findings every report opens with (``findings``), sections chosen by the kind of programme
(``kinds``), and what they share (``base``: display helpers, typed options, and the
:func:`~.base.section` wrapper that turns a section's failure into one sentence). The
numbers shown are computed in :mod:`impact.report.figures` and the data each section may
see is chosen in :mod:`impact.report.scope`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .annual import AnnualSections
from .base import ReportBase, Unavailable, section, setup_figures
from .compare import CompareSections
from .explore import ExploreSections
from .findings import FindingSections
from .kinds import KindSections
from .midterm import MidtermSections


@dataclass
class Report(
    FindingSections,
    KindSections,
    MidtermSections,
    AnnualSections,
    CompareSections,
    ExploreSections,
    ReportBase,
):
    """One report: ``Report.open(data, programme=…, round_no=…, year=…, language=…,
    options=…)``, then one method per section."""


__all__ = ["Report", "Unavailable", "section", "setup_figures"]
