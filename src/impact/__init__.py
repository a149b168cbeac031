"""impact: a workbench for evaluating community micro-grant programmes.

>>> import impact
>>> data = impact.load("data/sample")      # doctest: +SKIP
"""

from . import describe, leverage, participation, simulate, sustainability
from .dataset import Dataset, load, validate
from .errors import DataError, EstimationError, ImpactError, Issue, ParamsError
from .schema import TABLES

__all__ = [
    "Dataset",
    "DataError",
    "EstimationError",
    "ImpactError",
    "Issue",
    "ParamsError",
    "TABLES",
    "describe",
    "leverage",
    "participation",
    "simulate",
    "sustainability",
    "load",
    "validate",
]
__version__ = "0.1.0"
