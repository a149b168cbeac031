"""Kernel-side half of the warm workers: what a kept-alive kernel runs before its first
report and between reports.

A fresh kernel per report costs a process start and every import (pandas, matplotlib,
statsmodels, fonts) each time. The runner instead keeps one kernel per worker and, between
reports, calls :func:`reset`, which puts back everything a notebook can change through the
means a report uses: the user namespace and execution count (IPython's ``%reset -f`` with a
new session), matplotlib's settings and open figures, the display formatters (for example
``set_matplotlib_formats``), pandas and NumPy options, warning filters, environment
variables, the working folder, ``sys.path`` and modules a notebook added to ``sys.modules``.
What cannot be put back (a notebook reassigning a name inside the ``impact`` package itself)
is detected, and :func:`reset` then raises so that the runner starts a fresh kernel instead.

Only the runner calls these; a notebook run by plain papermill never does.
"""

from __future__ import annotations

import os
import sys
import warnings

BASELINE_ATTRIBUTE = "impact_baseline"  # where a warm kernel's shell keeps its baseline
PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow.pandas_compat",
    "scipy.stats",
    "statsmodels.genmod.generalized_linear_model",
    "statsmodels.duration.survfunc",
    "statsmodels.stats.proportion",
    "sklearn.linear_model",
    "matplotlib.pyplot",
    "matplotlib_inline.backend_inline",
    "impact",
    "impact.dataset",
    "impact.leverage",
    "impact.participation",
    "impact.sustainability",
    "impact.describe",
    "impact.report.sections",
)


class LeakError(RuntimeError):
    """A report changed state that a reset cannot restore; the kernel must be replaced."""


def warm_up(shell=None, preload: bool = True) -> None:
    """Import what reports use and record the state every report must start from. Without
    ``preload`` (a kernel that runs one report and is never reset) nothing is imported in
    advance: the report imports what it uses, and nothing more."""
    import importlib

    for name in PRELOAD if preload else ():
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    if preload:
        _warm_fonts()
    shell = shell or _shell()
    if shell is None:
        raise RuntimeError("warm_up runs in an IPython kernel: no shell to keep its state on")
    give_store(shell)
    # the state every report starts from, kept on the kernel's shell (never in this module)
    setattr(shell, BASELINE_ATTRIBUTE, _state(shell))
    _freeze()


def give_store(shell) -> None:
    """The kernel's store of data sets already read (:class:`.loaded.Kept`), kept on its
    shell for the kernel's life: a reset clears the notebook's names, not the shell."""
    from .loaded import SHELL_ATTRIBUTE, Kept

    if shell is not None and getattr(shell, SHELL_ATTRIBUTE, None) is None:
        setattr(shell, SHELL_ATTRIBUTE, Kept())


def _freeze() -> None:
    """Move everything the warm-up made (modules, classes, caches: a quarter of a million
    objects) out of the garbage collector's sight. A full collection then looks only at what
    reports made: the collection in :func:`reset` (IPython's ``%reset``) takes milliseconds
    instead of a third of a second, and so do the collections while a report runs. What a
    report frees is still collected; frozen objects are only ever the warm-up's. (No full
    collection first: it would cost a third of a second before the first report, to free
    the little garbage that importing leaves.)"""
    import gc

    gc.freeze()


def _warm_fonts() -> None:
    """Load the font cache and find the Chinese font once, leaving settings untouched."""
    try:
        import matplotlib
        from matplotlib import font_manager

        from ..fonts import chinese_font

        with matplotlib.rc_context():
            font_manager.findfont(chinese_font(), fallback_to_default=True)
    except Exception:  # noqa: BLE001 - warming is an optimisation, never a failure
        pass


def _shell():
    from IPython import get_ipython

    return get_ipython()


def _state(shell) -> dict:
    import matplotlib
    import numpy as np

    state = {
        "rc": dict(matplotlib.rcParams),
        "modules": set(sys.modules),
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "filters": list(warnings.filters),
        "numpy_err": np.geterr(),
        "numpy_print": np.get_printoptions(),
        "impact": _impact_namespaces(),
    }
    state["formatters"] = {
        name: (dict(f.type_printers), dict(f.deferred_printers), f.enabled)
        for name, f in shell.display_formatter.formatters.items()
    }
    return state


def _impact_namespaces() -> dict[str, dict[str, int]]:
    return {
        name: {key: id(value) for key, value in vars(module).items()}
        for name, module in list(sys.modules.items())
        if (name == "impact" or name.startswith("impact.")) and module is not None
    }


def reset(shell=None) -> None:
    """Put the kernel back in the state :func:`warm_up` recorded; raise :class:`LeakError`
    if that is impossible."""
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    shell = shell or _shell()
    base = getattr(shell, BASELINE_ATTRIBUTE, None)
    if base is None:
        raise LeakError("this kernel was never warmed up: nothing to reset to")
    shell.reset(new_session=True)  # %reset -f, and execution counts start at 1 again
    for name, (types, deferred, enabled) in base.get("formatters", {}).items():
        formatter = shell.display_formatter.formatters.get(name)
        if formatter is not None:
            formatter.type_printers = dict(types)
            formatter.deferred_printers = dict(deferred)
            formatter.enabled = enabled
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(base["rc"])
        pd.reset_option("all")
    np.seterr(**base["numpy_err"])
    np.set_printoptions(**base["numpy_print"])
    warnings.filters[:] = base["filters"]
    os.environ.clear()
    os.environ.update(base["environ"])
    os.chdir(base["cwd"])
    sys.path[:] = base["path"]
    top_levels = {name.partition(".")[0] for name in base["modules"]}
    for name in set(sys.modules) - base["modules"]:
        module = sys.modules.get(name)
        if name.partition(".")[0] not in top_levels or getattr(module, "__file__", None) is None:
            del sys.modules[name]  # made or imported by the notebook, not a library's part
    now = _impact_namespaces()
    for name, namespace in base["impact"].items():
        changed = [key for key, ident in namespace.items() if now.get(name, {}).get(key) != ident]
        if changed:
            raise LeakError(f"{name}.{changed[0]} was changed by the previous report")
