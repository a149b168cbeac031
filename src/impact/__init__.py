"""impact: a workbench for evaluating community micro-grant programmes.

>>> import impact
>>> data = impact.load("data/sample")      # doctest: +SKIP
>>> impact.leverage.dataset_leverage(data, by="application_type")   # doctest: +SKIP

The estimator modules (``leverage``, ``participation``, ``sustainability``, ``tracking``),
``describe``, ``simulate``, ``style`` and ``etable`` load on first use, and so do ``load``,
``validate`` and ``Dataset`` (pandas): ``import impact`` and the command line start quickly,
and the command line handles Ctrl-C or a scheduler's stop from its first instant.
``dir(impact)`` and tab completion list them all.
"""

from importlib import import_module as _import_module

from .errors import DataError, EstimationError, ImpactError, Issue, ParamsError
from .schema import TABLES

_MODULES = (
    "describe",
    "leverage",
    "participation",
    "simulate",
    "style",
    "sustainability",
    "template",
    "tracking",
)

__all__ = [
    "Dataset",
    "DataError",
    "EstimationError",
    "ImpactError",
    "InputError",
    "Issue",
    "ParamsError",
    "TABLES",
    "etable",
    "load",
    "validate",
    *_MODULES,
]
__version__ = "0.1.0"


_LAZY = {
    "Dataset": "dataset",
    "load": "dataset",
    "validate": "dataset",
    "InputError": "inputs",
    "etable": "tables",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(_import_module(f".{_LAZY[name]}", __name__), name)
    if name in _MODULES:
        return _import_module(f".{name}", __name__)
    raise AttributeError(f"module 'impact' has no attribute {name!r}")


def __dir__() -> list[str]:
    """What ``dir(impact)`` and tab completion offer: the public names, including those
    loaded on first use (``load``, ``Dataset``, the estimator modules)."""
    return sorted([*__all__, "__version__"])
