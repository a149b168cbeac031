"""impact: a workbench for evaluating community micro-grant programmes.

>>> import impact
>>> data = impact.load("data/sample")      # doctest: +SKIP
>>> impact.leverage.dataset_leverage(data, by="application_type")   # doctest: +SKIP

The estimator modules (``leverage``, ``participation``, ``sustainability``, ``tracking``) and
``describe`` and ``simulate`` load on first use, and so do ``load``, ``validate`` and
``Dataset`` (pandas): ``import impact`` and the command line start quickly, and the command
line handles Ctrl-C or a scheduler's stop from its first instant.
"""

from importlib import import_module

from .errors import DataError, EstimationError, ImpactError, Issue, ParamsError
from .schema import TABLES

_MODULES = (
    "describe",
    "leverage",
    "participation",
    "simulate",
    "sustainability",
    "template",
    "tracking",
)

__all__ = [
    "Dataset",
    "DataError",
    "EstimationError",
    "ImpactError",
    "Issue",
    "ParamsError",
    "TABLES",
    "load",
    "validate",
    *_MODULES,
]
__version__ = "0.1.0"


_LAZY = {"Dataset": "dataset", "load": "dataset", "validate": "dataset"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _MODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'impact' has no attribute {name!r}")
