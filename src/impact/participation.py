"""Participation effects (参与): did taking part change anything, beyond what would have
happened anyway?

- :func:`did`: staggered-adoption difference-in-differences with group-time effects
  ATT(g, t) (Callaway & Sant'Anna 2021, *J. Econometrics* 225(2)), for communities joining
  the programme in different rounds, with never- or not-yet-treated communities as controls;
  aggregations, influence-function standard errors clustered by unit, a multiplier
  bootstrap for simultaneous bands, a pre-trend test, and the two-way fixed-effects
  estimate beside it.
- :func:`att`: the effect of participation at one time point by difference in means,
  regression, inverse probability weighting or augmented IPW, with overlap diagnostics.
- :func:`count_effect`: rate ratios for person-time counts from a Poisson or
  negative-binomial GLM with an exposure offset and cluster-robust errors.

Every function takes a plain DataFrame and column names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .dataset import funded_projects
from .errors import EstimationError
from .results import ModelResult, Result, axes, check_columns, model_table

AGGREGATIONS = ("simple", "group", "dynamic", "calendar")


# ---------------------------------------------------------------------------- did


@dataclass(frozen=True)
class DidResult(Result):
    """Group-time effects and what can be made of them.

    ``att_gt`` has one row per cohort and period (cohort, time, att, se, ci_low, ci_high,
    post); ``table`` is the ``simple`` aggregation; ``aggregate(kind)`` gives the others;
    ``pretrend`` is the Wald test that all pre-treatment ATT(g, t) are zero; ``twfe`` is
    the two-way fixed-effects estimate for comparison.
    """

    att_gt: pd.DataFrame = field(default_factory=pd.DataFrame)
    pretrend: dict = field(default_factory=dict)
    twfe: dict = field(default_factory=dict)
    _influence: np.ndarray = field(default=None, repr=False)  # units × cells
    _cohort_of_unit: np.ndarray = field(default=None, repr=False)
    _cluster_codes: np.ndarray = field(default=None, repr=False)

    def aggregate(self, kind: str = "simple", *, n_boot: int = 999, seed: int = 0) -> pd.DataFrame:
        """Aggregate ATT(g, t): ``simple`` (one number), ``group`` (per cohort), ``dynamic``
        (per event time t − g) or ``calendar`` (per period), each with ``att``, ``se``,
        pointwise and simultaneous (multiplier bootstrap) 95% bounds; the first row,
        ``overall``, summarises."""
        if kind not in AGGREGATIONS:
            raise EstimationError(f"kind must be one of {AGGREGATIONS}, not {kind!r}")
        estimates, influence, labels = _aggregate(
            self.att_gt, self._influence, self._cohort_of_unit, kind
        )
        return _with_inference(
            estimates,
            influence,
            labels,
            self._cluster_codes,
            self.inputs["ci"],
            n_boot,
            seed,
            index_name={
                "simple": "",
                "group": "cohort",
                "dynamic": "event_time",
                "calendar": "time",
            }[kind],
        )

    def summary(self) -> str:
        simple = self.aggregate("simple").iloc[0]
        lines = [
            self.title,
            f"overall ATT = {simple.att:.4g} (se {simple.se:.4g}, 95% CI "
            f"{simple.ci_low:.4g} to {simple.ci_high:.4g}); n units = "
            f"{self.inputs['n_units']}, cohorts = {self.inputs['cohorts']}, control = "
            f"{self.inputs['control']}",
        ]
        if self.pretrend:
            lines.append(
                f"pre-trend test: chi2 = {self.pretrend['chi2']:.3f}, df = "
                f"{self.pretrend['df']}, p = {self.pretrend['p']:.4g}"
            )
        if self.twfe:
            lines.append(
                f"two-way fixed effects: {self.twfe['estimate']:.4g} (se {self.twfe['se']:.4g})"
            )
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def plot(self, ax=None, *, n_boot: int = 999, seed: int = 0):
        """Event-study plot: ATT by event time with simultaneous bands."""
        ax = axes(ax)
        table = self.aggregate("dynamic", n_boot=n_boot, seed=seed).drop(index="overall")
        event = table.index.astype(float)
        colours = np.where(event < 0, "tab:grey", "tab:blue")
        ax.vlines(event, table.band_low, table.band_high, colors=colours, alpha=0.5)
        ax.scatter(event, table.att, c=colours, zorder=3)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.axvline(-0.5, color="grey", linestyle=":", linewidth=0.8)
        ax.set_xlabel("periods since joining")
        ax.set_ylabel(f"effect on {self.inputs.get('outcome', 'outcome')}")
        return ax


def did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    control: str = "never",
    anticipation: int = 0,
    cluster: str | None = None,
    ci: float = 0.95,
) -> DidResult:
    """Staggered difference-in-differences: group-time average treatment effects on the
    treated, ATT(g, t), as in Callaway & Sant'Anna (2021), without covariates.

    Parameters
    ----------
    panel
        One row per unit and period (a balanced panel; units missing any period are
        dropped, and the number dropped is recorded).
    outcome, unit, time
        Columns of the outcome, the unit (community) and the period (year).
    cohort
        The period the unit first took part; 0 or missing means never.
    control
        ``"never"``: never-treated units are the comparison; ``"notyet"``: units not yet
        treated by the later of t and the base period (plus anticipation), as well.
    anticipation
        Periods before joining in which units may already respond.
    cluster
        A column constant within units to cluster on; standard errors are always at least
        clustered by unit.

    Assumptions
    -----------
    Parallel trends: without the programme, each cohort's average outcome would have moved
    like the comparison group's. No anticipation beyond ``anticipation`` periods. Treatment
    is absorbing: once joined, a community stays joined.

    Returns
    -------
    DidResult
        ``att_gt`` (cohort, time, att, se …), ``aggregate(kind)``, ``pretrend``, ``twfe``,
        ``plot()`` (event study).

    Notes
    -----
    ATT(g, t) = E[Y_t − Y_b | G = g] − E[Y_t − Y_b | C], with base period b = g − 1 −
    anticipation for t ≥ g − anticipation and b = t − 1 before (R ``did``'s "varying" base
    period). Standard errors come from unit-level influence functions; aggregations add
    the influence of estimating the cohort weights, as R ``did``'s ``aggte`` does.
    """
    if control not in ("never", "notyet"):
        raise EstimationError(f"control must be 'never' or 'notyet', not {control!r}")
    check_columns(panel, outcome, unit, time, cohort, cluster)
    wide, cohorts, dropped = _balanced(panel, outcome, unit, time, cohort)
    periods = wide.columns.to_numpy()
    y = wide.to_numpy(float)
    n = len(wide)
    treated_cohorts = sorted(c for c in np.unique(cohorts) if c > 0)
    never = cohorts == 0
    if not treated_cohorts:
        raise EstimationError(f"no treated units: every {cohort!r} is 0 or missing")
    if control == "never" and not never.any():
        raise EstimationError("no never-treated units to compare with; use control='notyet'")
    period_index = {p: i for i, p in enumerate(periods)}
    rows, influence = [], []
    notes = []
    for g in treated_cohorts:
        if g - anticipation - 1 < periods[0]:
            notes.append(f"cohort {g} has no period before joining and is left out")
            continue
        members = cohorts == g
        for t in periods:
            post = t >= g - anticipation
            base = g - 1 - anticipation if post else t - 1
            if base not in period_index or t == base:
                continue
            if control == "never":
                comparison = never
            else:
                comparison = never | (cohorts > max(t, base) + anticipation)
            comparison = comparison & ~members
            if not comparison.any():
                raise EstimationError(f"cohort {g} in period {t} has no comparison units")
            change = y[:, period_index[t]] - y[:, period_index[base]]
            p_treated, p_comparison = members.mean(), comparison.mean()
            mean_treated = change[members].mean()
            mean_comparison = change[comparison].mean()
            psi = (
                members * (change - mean_treated) / p_treated
                - comparison * (change - mean_comparison) / p_comparison
            )
            rows.append(
                {
                    "cohort": g,
                    "time": t,
                    "att": mean_treated - mean_comparison,
                    "post": bool(t >= g),
                    "event_time": t - g,
                    "n_treated": int(members.sum()),
                    "n_comparison": int(comparison.sum()),
                }
            )
            influence.append(psi)
    if not rows:
        raise EstimationError("no cohort has a period before joining to compare with")
    att_gt = pd.DataFrame(rows)
    psi = np.column_stack(influence)
    cluster_codes = None
    if cluster:
        cluster_of_unit = panel.drop_duplicates(unit).set_index(unit)[cluster]
        cluster_codes = pd.factorize(cluster_of_unit.reindex(wide.index))[0]
    se = _se(psi, cluster_codes)
    z = stats.norm.ppf(0.5 + ci / 2)
    att_gt["se"] = se
    att_gt["ci_low"] = att_gt.att - z * se
    att_gt["ci_high"] = att_gt.att + z * se
    pretrend = _pretrend(att_gt, psi, cohorts, cluster_codes, anticipation)
    twfe = _twfe(y, cohorts, periods, cluster_codes)
    if len(treated_cohorts) > 1:
        notes.append(
            "two-way fixed effects is shown for comparison only: with cohorts "
            "joining at different times and effects that change over time it can "
            "be biased, even in sign (Goodman-Bacon 2021)"
        )
    if dropped:
        notes.append(f"{dropped} unit(s) without every period were dropped (balanced panel needed)")
    return DidResult(
        table=pd.DataFrame(),
        title="Staggered difference-in-differences (Callaway & Sant'Anna 2021)",
        inputs={
            "outcome": outcome,
            "unit": unit,
            "time": time,
            "cohort": cohort,
            "control": control,
            "anticipation": anticipation,
            "cluster": cluster,
            "ci": ci,
            "n_units": n,
            "cohorts": len(treated_cohorts),
            "units_dropped": dropped,
        },
        notes=tuple(notes),
        att_gt=att_gt,
        pretrend=pretrend,
        twfe=twfe,
        _influence=psi,
        _cohort_of_unit=cohorts,
        _cluster_codes=cluster_codes,
    )


def _balanced(panel, outcome, unit, time, cohort):
    data = panel[[unit, time, outcome, cohort]].copy()
    data[cohort] = pd.to_numeric(data[cohort], errors="coerce").fillna(0)
    cohort_count = data.groupby(unit)[cohort].nunique()
    if (cohort_count > 1).any():
        bad = cohort_count[cohort_count > 1].index[0]
        raise EstimationError(
            f"{cohort!r} must be constant within a unit; unit {bad} has several values"
        )
    wide = data.pivot_table(index=unit, columns=time, values=outcome, aggfunc="first")
    complete = wide.notna().all(axis=1)
    dropped = int((~complete).sum())
    wide = wide[complete]
    cohorts = data.drop_duplicates(unit).set_index(unit)[cohort].reindex(wide.index)
    return wide, cohorts.to_numpy(float), dropped


def _se(psi: np.ndarray, cluster_codes: np.ndarray | None) -> np.ndarray:
    n = psi.shape[0]
    if cluster_codes is not None:
        sums = np.zeros((cluster_codes.max() + 1, psi.shape[1]))
        np.add.at(sums, cluster_codes, psi)
        return np.sqrt((sums**2).sum(axis=0)) / n
    return np.sqrt((psi**2).sum(axis=0)) / n


def _weights_influence(cohorts: np.ndarray, cell_cohorts: np.ndarray) -> tuple:
    """Weights proportional to cohort shares over the chosen cells, and the influence of
    estimating those shares (R did's ``wif``)."""
    share = np.array([(cohorts == g).mean() for g in cell_cohorts])
    total = share.sum()
    weights = share / total
    indicator = np.column_stack([(cohorts == g).astype(float) for g in cell_cohorts])
    centred = indicator - share
    influence = centred / total - np.outer(centred.sum(axis=1), share / total**2)
    return weights, influence


def _combine(att_gt, psi, cohorts, cells: np.ndarray):
    weights, weight_influence = _weights_influence(cohorts, att_gt.cohort.to_numpy()[cells])
    estimate = float(weights @ att_gt.att.to_numpy()[cells])
    influence = psi[:, cells] @ weights + weight_influence @ att_gt.att.to_numpy()[cells]
    return estimate, influence


def _aggregate(att_gt, psi, cohorts, kind):
    post = att_gt.post.to_numpy()
    if kind == "simple":
        estimate, influence = _combine(att_gt, psi, cohorts, np.flatnonzero(post))
        return [estimate], influence[:, None], ["overall"]
    if kind == "group":
        keys = sorted(att_gt.cohort[post].unique())
        select = lambda key: np.flatnonzero(post & (att_gt.cohort.to_numpy() == key))  # noqa
    elif kind == "dynamic":
        keys = sorted(att_gt.event_time.unique())
        select = lambda key: np.flatnonzero(att_gt.event_time.to_numpy() == key)  # noqa
    else:
        keys = sorted(att_gt.time[post].unique())
        select = lambda key: np.flatnonzero(post & (att_gt.time.to_numpy() == key))  # noqa
    estimates, influences = [], []
    for key in keys:
        cells = select(key)
        if kind == "group":  # a cohort's own cells: a plain average over its periods
            estimate = float(att_gt.att.to_numpy()[cells].mean())
            influence = psi[:, cells].mean(axis=1)
        else:
            estimate, influence = _combine(att_gt, psi, cohorts, cells)
        estimates.append(estimate)
        influences.append(influence)
    influences = np.column_stack(influences)
    if kind == "group":  # overall: cohorts weighted by their size, with weight influence
        group_table = pd.DataFrame({"cohort": keys, "att": estimates})
        overall, overall_influence = _combine(
            group_table, influences, cohorts, np.arange(len(keys))
        )
    else:  # dynamic: mean over event times ≥ 0; calendar: mean over periods
        chosen = [i for i, k in enumerate(keys) if kind == "calendar" or k >= 0]
        overall = float(np.mean([estimates[i] for i in chosen]))
        overall_influence = influences[:, chosen].mean(axis=1)
    return (
        [overall, *estimates],
        np.column_stack([overall_influence, influences]),
        ["overall", *keys],
    )


def _with_inference(estimates, influence, labels, cluster_codes, ci, n_boot, seed, index_name):
    estimates = np.asarray(estimates, float)
    se = _se(influence, cluster_codes)
    z = stats.norm.ppf(0.5 + ci / 2)
    table = pd.DataFrame(
        {"att": estimates, "se": se, "ci_low": estimates - z * se, "ci_high": estimates + z * se},
        index=pd.Index(labels, name=index_name),
    )
    critical = (
        _simultaneous_critical_value(influence[:, 1:], cluster_codes, ci, n_boot, seed)
        if influence.shape[1] > 1
        else z
    )
    table["band_low"] = estimates - critical * se
    table["band_high"] = estimates + critical * se
    table.loc["overall", ["band_low", "band_high"]] = table.loc[
        "overall", ["ci_low", "ci_high"]
    ].values
    return table


def _simultaneous_critical_value(influence, cluster_codes, ci, n_boot, seed) -> float:
    """Multiplier bootstrap (Mammen weights) of the sup-t statistic over the estimates,
    as in R did: replicate θ* − θ = Σ V_i ψ_i / n, scaled by the analytic standard errors."""
    if n_boot < 1:
        return float("nan")  # no bands asked for
    rng = np.random.default_rng(seed)
    n = influence.shape[0]
    if cluster_codes is not None:
        sums = np.zeros((cluster_codes.max() + 1, influence.shape[1]))
        np.add.at(sums, cluster_codes, influence)
        influence = sums
    golden = np.sqrt(5)
    p = (golden + 1) / (2 * golden)
    draws = rng.random((n_boot, influence.shape[0])) < p
    multipliers = np.where(draws, -(golden - 1) / 2, (golden + 1) / 2)
    replicates = multipliers @ influence / n
    se = np.sqrt((influence**2).sum(axis=0)) / n  # as _se, on units or cluster sums
    se = np.where(se > 0, se, np.inf)
    sup = np.abs(replicates / se).max(axis=1)
    return float(np.quantile(sup, ci))


def _pretrend(att_gt, psi, cohorts, cluster_codes, anticipation) -> dict:
    """Wald test that the event-time effects before joining are all zero.

    Tested on the dynamic aggregation rather than on every pre-period cell: with many
    cohorts and few units the cell-level covariance is nearly singular and the test
    meaningless, while the handful of event-time estimates keep it well-conditioned."""
    estimates, influence, labels = _aggregate(att_gt, psi, cohorts, "dynamic")
    pre = [i for i, label in enumerate(labels) if label != "overall" and label < -anticipation]
    if not pre:
        return {}
    n = psi.shape[0]
    influence = influence[:, pre]
    if cluster_codes is not None:
        sums = np.zeros((cluster_codes.max() + 1, len(pre)))
        np.add.at(sums, cluster_codes, influence)
        influence = sums
    covariance = influence.T @ influence / n**2
    estimate = np.asarray(estimates)[pre]
    chi2 = float(estimate @ np.linalg.pinv(covariance) @ estimate)
    return {"chi2": chi2, "df": len(pre), "p": float(stats.chi2.sf(chi2, len(pre)))}


def _twfe(y, cohorts, periods, cluster_codes) -> dict:
    """y_it = α_i + λ_t + β·D_it + ε on the balanced panel, by two-way demeaning, with
    standard errors clustered by unit (or the given cluster)."""
    treated = ((cohorts[:, None] > 0) & (periods[None, :] >= cohorts[:, None])).astype(float)

    def demean(matrix):
        return matrix - matrix.mean(axis=1, keepdims=True) - matrix.mean(axis=0) + matrix.mean()

    y_dot, d_dot = demean(y), demean(treated)
    if (d_dot**2).sum() == 0:
        return {}
    beta = float((d_dot * y_dot).sum() / (d_dot**2).sum())
    residual = y_dot - beta * d_dot
    scores = (d_dot * residual).sum(axis=1)
    groups = cluster_codes if cluster_codes is not None else np.arange(len(y))
    cluster_scores = np.bincount(groups, weights=scores)
    n_clusters = len(cluster_scores)
    n_obs, n_params = y.size, len(y) + len(periods)
    adjustment = n_clusters / (n_clusters - 1) * (n_obs - 1) / (n_obs - n_params)
    se = float(np.sqrt(adjustment * (cluster_scores**2).sum()) / (d_dot**2).sum())
    return {"estimate": beta, "se": se}


def community_cohorts(data) -> pd.Series:
    """Per community, the year it first had a funded project (0 for never): the cohort of
    the workbench's participation analyses."""
    data.require("projects", "rounds", "communities")
    projects = funded_projects(data.projects)
    years = projects.merge(
        data.rounds[["programme_id", "round", "year"]], on=["programme_id", "round"], how="left"
    )
    first = years.groupby("community_id").year.min()
    communities = data.communities.community_id
    return pd.Series(
        first.reindex(communities).fillna(0).astype(int).to_numpy(),
        index=communities,
        name="cohort",
    )


def dataset_did(data, *, outcome: str, **options) -> DidResult:
    """:func:`did` on a :class:`~impact.dataset.Dataset`: the community panel, with each
    community's cohort the year of its first funded project."""
    data.require("panel")
    cohorts = community_cohorts(data)
    panel = data.panel.assign(cohort=data.panel.community_id.map(cohorts).fillna(0))
    return did(panel, outcome=outcome, unit="community_id", time="year", cohort="cohort", **options)


# ---------------------------------------------------------------------------- att

ATT_METHODS = ("diff", "regression", "ipw", "aipw")


@dataclass(frozen=True)
class EffectResult(ModelResult):
    """An effect at one time point, with overlap diagnostics.

    ``table`` has one row (``effect``); ``balance`` gives each covariate's standardised mean
    difference before and after weighting; ``propensity`` the estimated scores."""

    balance: pd.DataFrame | None = None
    propensity: pd.Series | None = None

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


def att(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str] = (),
    method: str = "aipw",
    estimand: str = "ate",
    propensity_model=None,
    trim: float | None = None,
    se: str = "influence",
    n_boot: int = 999,
    seed: int = 0,
    ci: float = 0.95,
) -> EffectResult:
    """Effect of taking part (``treatment`` 1/0) on ``outcome`` at one time point.

    Methods
    -------
    ``diff``        difference in means (a randomised comparison)
    ``regression``  outcome regression: OLS of the outcome on the covariates in each group
    ``ipw``         inverse probability weighting with normalised (Hájek) weights
    ``aipw``        augmented IPW, doubly robust: consistent if either the propensity or
                    the outcome model is right (Robins, Rotnitzky & Zhao 1994)

    ``estimand`` is ``"ate"`` (everyone) or ``"att"`` (those who took part). Propensity
    scores come from ``propensity_model``, any scikit-learn classifier with
    ``predict_proba`` (default: unpenalised logistic regression). ``trim`` drops units
    whose score is below ``trim`` or above 1 − ``trim``.

    Standard errors come from influence functions (``se="influence"``) that include the
    estimation of the outcome regressions; the estimation of the propensity scores is not
    included (for ``aipw`` it does not matter to first order; for ``ipw`` it can, either
    way). ``se="bootstrap"`` resamples units ``n_boot`` times and refits everything.

    Assumptions: no unmeasured confounding given the covariates, and overlap: every unit
    could have taken part or not. ``balance`` and ``plot()`` show whether overlap holds.
    """
    if method not in ATT_METHODS:
        raise EstimationError(f"method must be one of {ATT_METHODS}, not {method!r}")
    if estimand not in ("ate", "att"):
        raise EstimationError(f"estimand must be 'ate' or 'att', not {estimand!r}")
    if se not in ("influence", "bootstrap"):
        raise EstimationError(f"se must be 'influence' or 'bootstrap', not {se!r}")
    covariates = list(covariates)
    check_columns(df, outcome, treatment, *covariates)
    if method != "diff" and not covariates:
        raise EstimationError(f"method {method!r} needs covariates; use method='diff'")
    data = df[[outcome, treatment, *covariates]].dropna()
    treated = data[treatment].astype(float).to_numpy()
    if not set(np.unique(treated)) <= {0.0, 1.0}:
        raise EstimationError(f"{treatment!r} must be 1 (took part) or 0")
    if treated.sum() < 2 or (1 - treated).sum() < 2:
        raise EstimationError(f"{treatment!r} needs at least two units in each group")
    y = data[outcome].astype(float).to_numpy()
    x = (
        pd.get_dummies(data[covariates], drop_first=True, dtype=float).to_numpy()
        if covariates
        else np.empty((len(data), 0))
    )
    propensity = None
    trimmed = 0
    if method in ("ipw", "aipw") or covariates:
        propensity = _propensity(x, treated, propensity_model)
        if trim:
            keep = (propensity >= trim) & (propensity <= 1 - trim)
            trimmed = int((~keep).sum())
            y, x, treated, propensity = y[keep], x[keep], treated[keep], propensity[keep]
            data = data[keep]
    estimate, influence = _effect(y, x, treated, propensity, method, estimand)
    if se == "bootstrap":
        rng = np.random.default_rng(seed)
        replicates = []
        for _ in range(n_boot):
            draw = rng.integers(0, len(y), len(y))
            if treated[draw].min() == treated[draw].max():
                continue
            score = (
                _propensity(x[draw], treated[draw], propensity_model)
                if propensity is not None
                else None
            )
            replicates.append(_effect(y[draw], x[draw], treated[draw], score, method, estimand)[0])
        standard_error = float(np.std(replicates, ddof=1))
    else:
        standard_error = float(np.sqrt((influence**2).sum()) / len(y))
    z = stats.norm.ppf(0.5 + ci / 2)
    table = pd.DataFrame(
        {
            "estimate": [estimate],
            "se": [standard_error],
            "ci_low": [estimate - z * standard_error],
            "ci_high": [estimate + z * standard_error],
            "p": [2 * stats.norm.sf(abs(estimate / standard_error))],
            "n_treated": [int(treated.sum())],
            "n_control": [int((1 - treated).sum())],
        },
        index=pd.Index(["effect"], name="term"),
    )
    balance = None
    scores = None
    if propensity is not None:
        balance = _balance(data[covariates], treated, propensity, estimand)
        scores = pd.Series(propensity, index=data.index, name="propensity")
        scores.attrs["treated"] = treated.astype(bool)
    notes = []
    if propensity is not None and (propensity.min() < 0.02 or propensity.max() > 0.98):
        notes.append(
            "some propensity scores are near 0 or 1: overlap is weak; consider "
            "trim=0.05 and look at plot()"
        )
    if trimmed:
        notes.append(f"{trimmed} unit(s) outside the trimming bounds were dropped")
    return EffectResult(
        table,
        title=f"Effect of {treatment} on {outcome} ({estimand.upper()}, {method})",
        inputs={
            "n": len(y),
            "method": method,
            "estimand": estimand,
            "covariates": covariates or None,
            "trim": trim,
            "se": se,
            "seed": seed if se == "bootstrap" else None,
            "trimmed": trimmed,
        },
        notes=tuple(notes),
        balance=balance,
        propensity=scores,
    )


def _propensity(x, treated, model) -> np.ndarray:
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # Unpenalised logistic regression is the textbook propensity model; scaling does not
    # change its fit but lets the solver reach it when covariates are yuan and years.
    model = (
        clone(model)
        if model is not None
        else make_pipeline(
            StandardScaler(), LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-12)
        )
    )
    model.fit(x, treated)
    return np.clip(model.predict_proba(x)[:, 1], 1e-12, 1 - 1e-12)


def _ols_influence(x, y, in_group, n):
    """Fitted values of OLS on one group and each unit's influence on the coefficients."""
    design = np.column_stack([np.ones(len(y)), x])
    chosen = design[in_group]
    coefficients, *_ = np.linalg.lstsq(chosen, y[in_group], rcond=None)
    fitted = design @ coefficients
    bread = np.linalg.pinv(chosen.T @ chosen / n)
    score = design * ((y - fitted) * in_group)[:, None]
    return fitted, design, score @ bread.T


def _effect(y, x, treated, propensity, method, estimand):
    n = len(y)
    t = treated
    p = t.mean()
    if method == "diff":
        mean1, mean0 = y[t == 1].mean(), y[t == 0].mean()
        influence = t * (y - mean1) / p - (1 - t) * (y - mean0) / (1 - p)
        return mean1 - mean0, influence
    if method == "regression":
        fitted0, design, influence0 = _ols_influence(x, y, t == 0, n)
        if estimand == "att":
            estimate = float(((y - fitted0) * t).sum() / t.sum())
            mean_design = design[t == 1].mean(axis=0)
            influence = t * (y - fitted0 - estimate) / p - influence0 @ mean_design
            return estimate, influence
        fitted1, _, influence1 = _ols_influence(x, y, t == 1, n)
        estimate = float((fitted1 - fitted0).mean())
        mean_design = design.mean(axis=0)
        influence = (
            fitted1 - fitted0 - estimate + influence1 @ mean_design - influence0 @ mean_design
        )
        return estimate, influence
    e = propensity
    if method == "ipw":
        if estimand == "att":
            w1, w0 = t, (1 - t) * e / (1 - e)
        else:
            w1, w0 = t / e, (1 - t) / (1 - e)
        mean1 = (w1 * y).sum() / w1.sum()
        mean0 = (w0 * y).sum() / w0.sum()
        influence = w1 * (y - mean1) / w1.mean() - w0 * (y - mean0) / w0.mean()
        return float(mean1 - mean0), influence
    fitted0, _, _ = _ols_influence(x, y, t == 0, n)
    if estimand == "att":
        weight0 = (1 - t) * e / (1 - e)
        estimate = float(((t - weight0) * (y - fitted0)).sum() / t.sum())
        influence = ((t - weight0) * (y - fitted0) - t * estimate) / p
        return estimate, influence
    fitted1, _, _ = _ols_influence(x, y, t == 1, n)
    terms = fitted1 - fitted0 + t * (y - fitted1) / e - (1 - t) * (y - fitted0) / (1 - e)
    estimate = float(terms.mean())
    return estimate, terms - estimate


def _balance(covariates: pd.DataFrame, treated, propensity, estimand) -> pd.DataFrame:
    """Standardised mean differences (pooled SD, unweighted) before and after weighting."""
    x = pd.get_dummies(covariates, drop_first=True, dtype=float)
    if estimand == "att":
        w1, w0 = treated, (1 - treated) * propensity / (1 - propensity)
    else:
        w1, w0 = treated / propensity, (1 - treated) / (1 - propensity)
    rows = []
    for name in x.columns:
        values = x[name].to_numpy()
        pooled = np.sqrt((values[treated == 1].var(ddof=1) + values[treated == 0].var(ddof=1)) / 2)
        before = values[treated == 1].mean() - values[treated == 0].mean()
        after = (w1 * values).sum() / w1.sum() - (w0 * values).sum() / w0.sum()
        rows.append(
            {
                "covariate": name,
                "smd_before": before / pooled if pooled else 0.0,
                "smd_after": after / pooled if pooled else 0.0,
            }
        )
    return pd.DataFrame(rows).set_index("covariate")


# ---------------------------------------------------------------------------- counts


def count_effect(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    exposure: str | None = None,
    family: str = "poisson",
    ci: float = 0.95,
) -> ModelResult:
    """Rate ratio of a count (person-times, activities) between those who took part and
    those who did not, from a Poisson or negative-binomial GLM with log link.

    ``exposure`` (e.g. population) enters as an offset, log(exposure), so the model is one
    of rates per resident. Standard errors are cluster-robust when ``cluster`` is given and
    heteroskedasticity-robust otherwise, so the Poisson fit stays valid for over-dispersed
    counts; ``family="negbin"`` estimates the dispersion and weights accordingly.
    """
    import statsmodels.api as sm

    if family not in ("poisson", "negbin"):
        raise EstimationError(f"family must be 'poisson' or 'negbin', not {family!r}")
    covariates = list(covariates)
    check_columns(df, outcome, treatment, *covariates, cluster, exposure)
    columns = [outcome, treatment, *covariates] + [c for c in (cluster, exposure) if c]
    data = df[columns].dropna()
    counts = data[outcome].astype(float)
    if (counts < 0).any():
        raise EstimationError(f"{outcome!r} must be a count, not negative")
    design = sm.add_constant(
        pd.get_dummies(data[[treatment, *covariates]], drop_first=True, dtype=float),
        has_constant="add",
    )
    offset = None
    if exposure:
        if (data[exposure] <= 0).any():
            raise EstimationError(f"{exposure!r} must be positive to serve as exposure")
        offset = np.log(data[exposure].astype(float))
    cov = (
        {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(data[cluster])[0]}}
        if cluster
        else {"cov_type": "HC1"}
    )
    if family == "poisson":
        fit = sm.GLM(counts, design, family=sm.families.Poisson(), offset=offset).fit(**cov)
        params, bse, bounds, pvalues = fit.params, fit.bse, fit.conf_int(1 - ci), fit.pvalues
    else:
        model = sm.NegativeBinomial(counts, design, offset=offset)
        fit = model.fit(disp=0, maxiter=500, **cov)
        keep = [name for name in fit.params.index if name != "alpha"]
        params, bse = fit.params[keep], fit.bse[keep]
        bounds, pvalues = fit.conf_int(1 - ci).loc[keep], fit.pvalues[keep]
    table = model_table(params, bse, bounds[0], bounds[1], pvalues, ratio="rate_ratio")
    return ModelResult(
        table,
        title=f"Rate ratio of {outcome} ({family} GLM, log link)",
        inputs={
            "n": len(data),
            "treatment": treatment,
            "family": family,
            "covariates": covariates or None,
            "cluster": cluster,
            "exposure": exposure,
            "ci": ci,
        },
    )


def dataset_att(
    data, *, outcome: str, year: int, covariates: Sequence[str] = ("population",), **options
) -> EffectResult:
    """:func:`att` for communities in one ``year``: the effect of having joined by then (a
    funded project in that year or before) on a panel ``outcome``, adjusting for community
    ``covariates`` (from the communities table, or the panel)."""
    data.require("panel", "communities")
    cohorts = community_cohorts(data)
    frame = data.panel[data.panel.year == year].merge(
        data.communities, on="community_id", how="left"
    )
    if frame.empty:
        raise EstimationError(f"the panel has no rows for year {year}")
    cohort = frame.community_id.map(cohorts).fillna(0)
    frame["joined"] = ((cohort > 0) & (cohort <= year)).astype(int)
    return att(frame, outcome=outcome, treatment="joined", covariates=covariates, **options)
