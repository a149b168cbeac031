"""The one sentence an office reads about a sensitivity analysis: how far parallel trends
could fail before the participation effect would no longer be supported.

:func:`sensitivity_statement` gives a catalogue key and its values (for a report layer
with its own message catalogue); :func:`sensitivity_sentence` gives the finished
sentence in Chinese (``"zh"``) or English (``"en"``) from the same keys. The Chinese
sentences use no English words and no code names; numbers are written plainly (1.5,
not 1.500).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from ..errors import EstimationError
from .sensitivity import SensitivityResult

Language = Literal["zh", "en"]

#: key → sentence per language; {m} is the breakdown value, {first} the smallest grid value
SENTENCES: dict[str, dict[str, str]] = {
    "sensitivity.not_significant": {
        "zh": "参与项目影响的置信区间本身已包含零：即使平行趋势完全成立，"
        "现有数据也不足以说明参与项目带来了变化。",
        "en": "The effect's confidence interval already includes zero: even if trends were "
        "exactly parallel, the data could not show that taking part made a difference.",
    },
    "sensitivity.relative_magnitude.not_robust": {
        "zh": "结论依赖平行趋势严格成立：参与后只要出现任何趋势偏差，结论就可能不成立。",
        "en": "The conclusion rests on parallel trends holding exactly: any deviation from "
        "them after joining could overturn it.",
    },
    "sensitivity.relative_magnitude.not_robust_below": {
        "zh": "参与后的趋势偏差只要达到参与前最大偏差的{first}倍，结论就已不成立。",
        "en": "The conclusion no longer holds once the trend deviation after joining reaches "
        "{first} times the largest deviation before joining.",
    },
    "sensitivity.relative_magnitude.breaks_within_grid": {
        "zh": "即使参与后的趋势偏差达到参与前最大偏差的{m}倍，结论仍然成立；再大则不然。",
        "en": "The conclusion holds if the trend deviation after joining is at most {m} times the "
        "largest deviation before joining, but not beyond.",
    },
    "sensitivity.relative_magnitude.breaks_within_grid_below_one": {
        "zh": "即使参与后的趋势偏差达到参与前最大偏差的{m}倍，结论仍然成立；再大则不然。",
        "en": "The conclusion holds if the trend deviation after joining is at most {m} "
        "times the largest deviation before joining, but not beyond.",
    },
    "sensitivity.relative_magnitude.robust_on_grid": {
        "zh": "即使参与后的趋势偏差达到参与前最大偏差的{m}倍（所检验的最大倍数），结论仍然成立。",
        "en": "The conclusion holds even if the trend deviation after joining reaches {m} times "
        "the largest deviation before joining (the largest multiple examined).",
    },
    "sensitivity.smoothness.not_robust": {
        "zh": "结论依赖参与前的线性趋势原样延续：趋势的斜率稍有变化，结论就可能不成立。",
        "en": "The conclusion rests on the pre-period trend continuing as a straight line: "
        "any change in its slope could overturn it.",
    },
    "sensitivity.smoothness.not_robust_below": {
        "zh": "趋势的斜率每期只要变化{first}（按结果指标的单位），结论就已不成立。",
        "en": "The conclusion no longer holds once the trend's slope may change by {first} "
        "per period (in units of the outcome).",
    },
    "sensitivity.smoothness.breaks_within_grid": {
        "zh": "即使趋势的斜率每期变化多达{m}（按结果指标的单位），结论仍然成立。",
        "en": "The conclusion holds even if the trend's slope changed by up to {m} per "
        "period (in units of the outcome).",
    },
    "sensitivity.smoothness.robust_on_grid": {
        "zh": "即使趋势的斜率每期变化多达{m}（按结果指标的单位，所检验的最大值），结论仍然成立。",
        "en": "The conclusion holds even if the trend's slope changed by up to {m} per "
        "period (in units of the outcome; the largest value examined).",
    },
}


@dataclass(frozen=True)
class Statement:
    """A catalogue ``key`` (see :data:`SENTENCES`) and the ``values`` its sentence needs,
    already formatted as text."""

    key: str
    values: dict[str, str] = field(default_factory=dict)


def _number(value: float, restriction: str) -> str:
    if restriction == "relative_magnitude":
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    return text


def sensitivity_statement(result: SensitivityResult) -> Statement:
    """What the breakdown value of ``result`` says, as a key and values:

    - ``sensitivity.not_significant`` (no values): the original interval includes zero;
    - ``sensitivity.<restriction>.not_robust`` (no values): the conclusion fails at 0;
    - ``sensitivity.<restriction>.not_robust_below`` (``first``): it fails already at
      the smallest grid value examined, which is above 0;
    - ``sensitivity.<restriction>.breaks_within_grid`` (``m``): it holds up to ``m``
      (for relative magnitudes below 1: ``..._below_one``, since "deviation 0.5 times
      larger" would misread);
    - ``sensitivity.<restriction>.robust_on_grid`` (``m``): it holds over the whole grid,
      whose largest value is ``m``.

    ``<restriction>`` is ``relative_magnitude`` or ``smoothness``.

    Parameters
    ----------
    result
        A :func:`~impact.participation.sensitivity` result.

    Returns
    -------
    Statement
        The catalogue key and its values, already formatted as text.

    Examples
    --------
    >>> sensitivity_statement(result).key   # doctest: +SKIP
    'sensitivity.relative_magnitude.breaks_within_grid'
    """
    if not isinstance(result, SensitivityResult):
        raise EstimationError(f"expected a SensitivityResult, not {type(result).__name__}")
    status = result.breakdown_status
    if status == "not_significant":
        return Statement("sensitivity.not_significant")
    restriction = result.restriction
    if status == "not_robust":
        first = float(result.table["m"].iloc[0])
        if first == 0 or math.isnan(first):
            return Statement(f"sensitivity.{restriction}.not_robust")
        return Statement(
            f"sensitivity.{restriction}.not_robust_below",
            {"first": _number(first, restriction)},
        )
    key = f"sensitivity.{restriction}.{status}"
    if status == "breaks_within_grid" and restriction == "relative_magnitude":
        key += "_below_one" if result.breakdown < 1 else ""
    return Statement(key, {"m": _number(result.breakdown, restriction)})


def sensitivity_sentence(result: SensitivityResult, language: Language = "zh") -> str:
    """The sentence of :func:`sensitivity_statement` in ``"zh"`` or ``"en"``.

    Parameters
    ----------
    result
        A :func:`~impact.participation.sensitivity` result.
    language
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        One sentence an office reads.

    Examples
    --------
    >>> sensitivity_sentence(result, "zh")   # doctest: +SKIP
    '即使参与后的趋势偏差达到参与前最大偏差的1.5倍，结论仍然成立；再大则不然。'
    """
    if language not in ("zh", "en"):
        raise EstimationError(f"language must be 'zh' or 'en', not {language!r}")
    statement = sensitivity_statement(result)
    return SENTENCES[statement.key][language].format(**statement.values)
