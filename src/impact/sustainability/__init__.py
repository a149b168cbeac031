"""Sustainability (可持续, 自我造血): does a project live on after its grant?

A project's *line* (lineage) is the chain of projects linked by ``predecessor_id`` across
rounds of one programme. Its duration is the number of rounds it was funded; it *ended* if
the programme ran a later round without it, and is *censored* if it is still funded in the
programme's latest round.

Estimators, one module each:

- :func:`kaplan_meier` (``km``): survival by rounds, medians by R's rule with intervals,
  the log-rank test;
- :func:`cox` (``coxph``): proportional hazards with Efron ties, cluster-robust variance as
  R's ``coxph``; :func:`cox_zph` (``zph``): R's ``cox.zph`` test of proportional hazards;
- :func:`round_hazard` (``hazard``): a discrete-time complementary log-log model on
  project-rounds, exact for the grouped-time proportional-hazards process and able to use
  covariates that change from round to round (mid-term progress);
- :func:`self_financing` (``financing``): own income, registration and activity in the
  follow-ups;
- :func:`risk_model` (``risk``): flags at mid-term.

All take plain DataFrames with column names; :func:`lineages` and :func:`project_rounds`
(``lines``) build those frames from a :class:`~impact.dataset.Dataset`, and the
``dataset_*`` functions (``forms``) run the estimators on one.
"""

from .coxph import CoxResult, cox
from .financing import self_financing
from .forms import (
    dataset_cox,
    dataset_risk,
    dataset_round_hazard,
    dataset_survival,
    varying_covariates,
)
from .hazard import round_hazard
from .km import SurvivalResult, kaplan_meier, km_quantiles
from .lines import (
    LOW_PROGRESS,
    TITLE_SIMILARITY,
    infer_predecessors,
    lineages,
    midterm_progress,
    project_rounds,
)
from .risk import RiskResult, risk_model
from .zph import ZphResult, cox_zph

__all__ = [
    "lineages",
    "project_rounds",
    "infer_predecessors",
    "midterm_progress",
    "kaplan_meier",
    "km_quantiles",
    "dataset_survival",
    "cox",
    "dataset_cox",
    "cox_zph",
    "round_hazard",
    "dataset_round_hazard",
    "varying_covariates",
    "risk_model",
    "dataset_risk",
    "self_financing",
    "SurvivalResult",
    "CoxResult",
    "ZphResult",
    "RiskResult",
    "LOW_PROGRESS",
    "TITLE_SIMILARITY",
]

#: Old short names, kept with a DeprecationWarning: each module's name stood beside its
#: function's (``km`` beside ``kaplan_meier``, ``coxph`` beside ``cox``), two names for one
#: thing. The modules stay importable by their full path (``impact.sustainability.km``).
_OLD_NAMES = {
    "km": "kaplan_meier",
    "coxph": "cox",
    "zph": "cox_zph",
    "hazard": "round_hazard",
    "risk": "risk_model",
    "financing": "self_financing",
}
for _old in _OLD_NAMES:
    globals().pop(_old, None)


def __getattr__(name: str):
    if name in _OLD_NAMES:
        import warnings

        new = _OLD_NAMES[name]
        warnings.warn(
            f"impact.sustainability.{name} is an old name; use impact.sustainability.{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[new]
    raise AttributeError(f"module 'impact.sustainability' has no attribute {name!r}")


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
