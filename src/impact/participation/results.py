"""What the participation estimators return: :class:`DidResult` (group-time effects and
what can be made of them) and :class:`EffectResult` (an effect at one time point), and
the small test objects they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .. import style
from ..errors import EstimationError
from ..results import ModelResult, Result, Summary, axes
from .aggregation import AGGREGATIONS, INDEX_NAMES, OVERALL_MEANING, aggregate_cells
from .inference import PretrendTest, TwfeComparison, with_inference

__all__ = ["DidResult", "EffectResult", "PretrendTest", "TwfeComparison"]


@dataclass(frozen=True, repr=False)
class DidResult(Result):
    """Group-time effects and what can be made of them.

    ``att_gt`` has one row per cohort and period (cohort, time, att, se, ci_low, ci_high,
    post, …). ``table`` holds the headline figures: one row per aggregation (``simple``
    first, the cohort-size weighted mean of every post-treatment ATT(g, t); then the
    ``group``, ``dynamic`` and ``calendar`` overall effects), each named by its
    aggregation. ``aggregate(kind)`` gives each aggregation in full. ``pretrend`` is R
    ``did``'s Wald test that every pre-treatment ATT(g, t) is zero; ``pretrend_event_time``
    tests the event-time averages instead; ``twfe`` is the two-way fixed-effects estimate
    for comparison.
    """

    att_gt: pd.DataFrame = field(default_factory=pd.DataFrame)
    pretrend: PretrendTest | None = None
    pretrend_event_time: PretrendTest | None = None
    twfe: TwfeComparison | None = None
    _influence: np.ndarray = field(default=None, repr=False)  # units × cells
    _cohort_of_unit: np.ndarray = field(default=None, repr=False)
    _cluster_codes: np.ndarray = field(default=None, repr=False)

    def aggregate(
        self,
        kind: str = "simple",
        *,
        n_boot: int = 999,
        seed: int = 0,
        min_e: float | None = None,
        max_e: float | None = None,
    ) -> pd.DataFrame:
        """Aggregate ATT(g, t): ``simple`` (one number), ``group`` (per cohort), ``dynamic``
        (per event time t − g) or ``calendar`` (per period), each with ``att``, ``se``,
        pointwise interval, p and simultaneous (multiplier bootstrap) bands; the first
        row, ``overall``, summarises (see :data:`OVERALL_MEANING`). ``min_e`` and
        ``max_e`` keep the event times of ``dynamic`` within a window (R ``aggte``'s).

        ``band_low``/``band_high`` come from ``n_boot`` multiplier-bootstrap draws: for
        the rows, a simultaneous band; for ``overall``, the bootstrap interval of that
        one number (estimate ± z × the bootstrap standard error, as R ``aggte``). The
        ``band`` column says which: ``simultaneous``, ``bootstrap``, or ``pointwise``
        when ``n_boot=0`` (the band is then the pointwise interval)."""
        if kind not in AGGREGATIONS:
            raise EstimationError(f"kind must be one of {AGGREGATIONS}, not {kind!r}")
        if kind != "dynamic" and (min_e is not None or max_e is not None):
            raise EstimationError("min_e and max_e apply to kind='dynamic' only")
        window = {
            "min_e": -np.inf if min_e is None else min_e,
            "max_e": np.inf if max_e is None else max_e,
        }
        estimates, influence, labels = aggregate_cells(
            self.att_gt, self._influence, self._cohort_of_unit, kind, **window
        )
        if len(labels) < 2 and kind == "dynamic":
            raise EstimationError(f"no event time between min_e={min_e} and max_e={max_e}")
        table = with_inference(
            estimates,
            influence,
            labels,
            self._cluster_codes,
            self.inputs["ci"],
            n_boot,
            seed,
            index_name=INDEX_NAMES[kind],
        )
        table.attrs["aggregation"] = kind
        table.attrs["overall"] = OVERALL_MEANING[kind]
        return table

    def summary(self) -> Summary:
        """The headline table (each row named by its aggregation), the design, the
        pre-trend tests, the two-way fixed-effects comparison and the notes."""
        inputs = self.inputs
        covariates = inputs.get("covariates")
        method = (
            f"{inputs['method']} with covariates {', '.join(covariates)}"
            if covariates
            else "no covariates"
        )
        parts: list = [
            f"n units = {inputs['n_units']}, cohorts = {inputs['cohorts']}, control = "
            f"{inputs['control']}, {method}, {inputs['ci']:.0%} intervals",
            "overall effect, by aggregation:",
            self.table,
            "\n".join(f"  {kind}: {OVERALL_MEANING[kind]}" for kind in AGGREGATIONS),
        ]
        parts += [str(test) for test in (self.pretrend, self.pretrend_event_time) if test]
        if self.twfe:
            parts.append(str(self.twfe))
        parts += [f"note: {n}" for n in self.notes]
        return Summary(self.title, tuple(parts))

    def plot(
        self,
        ax=None,
        *,
        n_boot: int = 999,
        seed: int = 0,
        band: Literal["simultaneous", "pointwise"] = "simultaneous",
    ):
        """Event-study plot: ATT by event time (whole periods) with bands, labelled as
        simultaneous (a multiplier-bootstrap band that covers every event time at once,
        ``n_boot`` draws from ``seed``) or pointwise (each interval on its own)."""
        if band not in ("simultaneous", "pointwise"):
            raise EstimationError(f"band must be 'simultaneous' or 'pointwise', not {band!r}")
        ax = axes(ax)
        table = self.aggregate("dynamic", n_boot=n_boot, seed=seed).drop(index="overall")
        event = table.index.astype(float)
        low, high = (
            (table.band_low, table.band_high)
            if band == "simultaneous"
            else (table.ci_low, table.ci_high)
        )
        level = self.inputs.get("ci", 0.95)
        for chosen, colour in ((event < 0, "tab:grey"), (event >= 0, "tab:blue")):
            if chosen.any():
                ax.vlines(event[chosen], low[chosen], high[chosen], colors=colour, alpha=0.5)
                ax.scatter(event[chosen], table.att[chosen], color=colour, zorder=3)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.axvline(-0.5, color="grey", linestyle=":", linewidth=0.8)
        style.integer_ticks(ax.xaxis)
        ax.set_xlabel("periods since joining (grey: before joining)")
        bars = "simultaneous band" if band == "simultaneous" else "pointwise intervals"
        ax.set_ylabel(
            f"effect on {self.inputs.get('outcome', 'outcome')}\n(bars: {level:.0%} {bars})"
        )
        return ax


def headline_table(att_gt, psi, cohorts, cluster_codes, ci) -> pd.DataFrame:
    """The overall effect of each aggregation, one row each, ``simple`` first."""
    rows = []
    for kind in AGGREGATIONS:
        estimates, influence, labels = aggregate_cells(att_gt, psi, cohorts, kind)
        table = with_inference(
            estimates[:1], influence[:, :1], labels[:1], cluster_codes, ci, 0, 0, ""
        )
        row = table.iloc[0].drop(["band_low", "band_high", "band"]).rename(kind)
        rows.append(pd.concat([row, pd.Series({"interval": "pointwise"}, name=kind)]))
    table = pd.DataFrame(rows)
    table.index.name = "aggregation"
    return table


@dataclass(frozen=True, repr=False)
class EffectResult(ModelResult):
    """An effect at one time point, with overlap diagnostics.

    ``table`` has one row (``effect``); ``balance`` gives each covariate's standardised mean
    difference before and after weighting; ``propensity`` the estimated scores."""

    balance: pd.DataFrame | None = None
    propensity: pd.Series | None = None
    #: Bootstrap replicates (``att(..., se="bootstrap", keep_draws=True)``).
    draws: pd.DataFrame | None = None

    def summary(self) -> Summary:
        """The effect, the covariate balance before and after weighting, inputs, notes."""
        base = super().summary()
        if self.balance is None:
            return base
        parts = list(base.parts)
        parts[1:1] = ["covariate balance (standardised mean differences):", self.balance]
        return Summary(base.title, tuple(parts))

    def plot(self, ax=None):
        """Propensity distributions of the two groups: the overlap the estimate rests on."""
        ax = axes(ax)
        if self.propensity is None:
            raise EstimationError("no propensity scores: method 'diff' or 'regression'")
        treated = self.propensity.attrs.get("treated")
        for value, label in ((True, "took part"), (False, "did not")):
            scores = self.propensity[treated == value]
            ax.hist(scores, bins=20, range=(0, 1), alpha=0.5, label=label)
        ax.set_xlabel("propensity score")
        ax.legend()
        return ax
