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
start; ``bench/reports.py`` compares the batch with papermill plus the export, report by
report.

Kernel output (its own log lines, warnings) goes to a log file in staging, never to the
terminal; on Ctrl-C or SIGTERM the kernels and the browser are stopped without a word
within seconds, nothing more is published, and the run exits 130.

The package, one module per concern (after papermill's): :mod:`.plan` reads, checks and
snapshots each report's inputs; :mod:`.kernel` keeps warm kernels and papermill's engine for
them; :mod:`.build` builds one report and publishes it (or keeps its :mod:`.failure`);
:mod:`.driver` plans, hands the plans to a backend and publishes what comes back. The
backends are peers behind one interface (:class:`.backends.Backend`): threads of this
process (:mod:`.backends.local`) or a Dask cluster (:mod:`.backends.dask`).
"""

from __future__ import annotations

import sys

# jsonschema (imported by nbformat, papermill's and nbconvert's notebook format) compiles a
# grammar for the optional IRI string formats (rfc3987-syntax) when it is imported: a second
# of CPU in every run, for formats nbformat never checks (it validates without a format
# checker). The runner's process does without them; plain papermill and nbconvert are
# untouched.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

from ..status import STATUSES, Status  # noqa: E402
from .driver import run  # noqa: E402
from .failure import Failure  # noqa: E402
from .kernel import KernelError, WarmKernel  # noqa: E402
from .outcome import Outcome  # noqa: E402
from .plan import Inputs, Plan  # noqa: E402

__all__ = [
    "STATUSES",
    "Failure",
    "Inputs",
    "KernelError",
    "Outcome",
    "Plan",
    "Status",
    "WarmKernel",
    "run",
]
