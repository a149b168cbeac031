"""Participation effects (参与): did taking part change anything, beyond what would have
happened anyway?

- :func:`did`: staggered-adoption difference-in-differences with group-time effects
  ATT(g, t) (Callaway & Sant'Anna 2021, *J. Econometrics* 225(2)), for communities joining
  the programme in different rounds, with never- or not-yet-treated communities as controls,
  optionally conditional on covariates by outcome regression, inverse probability
  weighting or doubly robust estimation (Sant'Anna & Zhao 2020); aggregations,
  influence-function standard errors clustered by unit, a multiplier bootstrap for
  simultaneous bands, R ``did``'s pre-trend test, and the two-way fixed-effects estimate
  beside it.
- :func:`sensitivity`: how much parallel trends would have to fail to overturn an
  event-study effect (Rambachan & Roth 2023, R ``HonestDiD``): robust intervals under
  relative-magnitude or smoothness restrictions and the breakdown value;
  :func:`sensitivity_sentence` says it in one sentence (zh/en).
- :func:`att`: the effect of participation at one time point by difference in means,
  regression, inverse probability weighting or augmented IPW, with overlap diagnostics.
- :func:`count_effect`: rate ratios for person-time counts from a Poisson or
  negative-binomial GLM with an exposure offset and cluster-robust errors.

Every function takes a plain DataFrame and column names. The package is laid out as R
``did`` and moderndid are: :mod:`.staggered` (entry point and checks), :mod:`.cells`
(group-time cells and the 2×2 estimators), :mod:`.aggregation`, :mod:`.inference`
(standard errors, bootstrap bands, pre-trend tests, TWFE), :mod:`.results`,
:mod:`.point` (effects at one time point), :mod:`.community` (the workbench's data), and
for the sensitivity analysis :mod:`.sensitivity` (entry point and result), :mod:`.honest`
(the computations), :mod:`.r_random` (R's random numbers) and :mod:`.statement` (its
sentence).
"""

from .aggregation import AGGREGATIONS, OVERALL_MEANING
from .cells import CELL_METHODS
from .community import community_cohorts, dataset_att, dataset_did
from .point import ATT_METHODS, att, count_effect
from .results import DidResult, EffectResult, PretrendTest, TwfeComparison
from .sensitivity import RESTRICTIONS, SensitivityResult, sensitivity
from .staggered import BASE_PERIODS, did
from .statement import SENTENCES, Statement, sensitivity_sentence, sensitivity_statement

__all__ = [
    "did",
    "dataset_did",
    "community_cohorts",
    "sensitivity",
    "sensitivity_sentence",
    "sensitivity_statement",
    "att",
    "dataset_att",
    "count_effect",
    "DidResult",
    "EffectResult",
    "PretrendTest",
    "SensitivityResult",
    "Statement",
    "TwfeComparison",
    "AGGREGATIONS",
    "OVERALL_MEANING",
    "CELL_METHODS",
    "ATT_METHODS",
    "BASE_PERIODS",
    "RESTRICTIONS",
    "SENTENCES",
]


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
