"""Sustainability (可持续, 自我造血): does a project live on after its grant?

A project's *line* (lineage) is the chain of projects linked by ``predecessor_id`` across
rounds of one programme. Its duration is the number of rounds it was funded; it *ended* if
the programme ran a later round without it, and is *censored* if it is still funded in the
programme's latest round.

Estimators:

- :func:`kaplan_meier`: survival by rounds, medians with intervals, log-rank test;
- :func:`cox`: proportional hazards with Efron ties and an approximate PH check;
- :func:`round_hazard`: a discrete-time complementary log-log model on project-rounds,
  exact for the grouped-time proportional-hazards process and able to use covariates that
  change from round to round (mid-term progress);
- :func:`self_financing`: own income, registration and activity in the follow-ups.

All take plain DataFrames with column names; :func:`lineages` and :func:`project_rounds`
build those frames from a :class:`~impact.dataset.Dataset`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .dataset import Dataset, funded_projects
from .errors import EstimationError
from .results import ModelResult, Result, axes, check_columns, fit_table, model_table

TITLE_SIMILARITY = 0.8  # difflib ratio above which two titles name the same project
LOW_PROGRESS = 0.4  # mid-term progress below this share of plan counts as lagging
_PHASE = re.compile(r"[（(]第?[0-9一二三四五六七八九十]+期[）)]$")


# ---------------------------------------------------------------------------- lineages


def _base_title(title) -> str:
    return _PHASE.sub("", str(title or "")).strip()


def infer_predecessors(projects: pd.DataFrame) -> pd.Series:
    """Predecessors for funded projects that have none, by the documented matching rule:
    a funded project of the previous round of the same programme, in the same community,
    by the same type of applicant, whose title (without a "（第2期）" suffix) is at least
    80% similar (``difflib`` ratio), and that no other project continues. The best match
    wins. Returns the inferred predecessor_id per project (missing where none)."""
    funded = funded_projects(projects)
    needed = ["project_id", "programme_id", "round", "community_id", "title"]
    if any(c not in funded for c in needed):
        return pd.Series(pd.NA, index=projects.index, dtype="object")
    has_link = funded.get("predecessor_id", pd.Series(pd.NA, index=funded.index)).notna()
    taken = set(funded.loc[has_link, "predecessor_id"]) if "predecessor_id" in funded else set()
    inferred = pd.Series(pd.NA, index=projects.index, dtype="object")
    keys = ["programme_id", "community_id"] + (
        ["applicant_type"] if "applicant_type" in funded else []
    )
    by_place = {k: g for k, g in funded.groupby(keys, observed=True, dropna=False)}
    for index, row in funded[~has_link].sort_values("round").iterrows():
        place = by_place.get(tuple(row[k] for k in keys))
        if place is None:
            continue
        candidates = place[(place["round"] == row["round"] - 1) & ~place.project_id.isin(taken)]
        best, best_score = None, TITLE_SIMILARITY
        for _, candidate in candidates.iterrows():
            score = difflib.SequenceMatcher(
                None, _base_title(row.title), _base_title(candidate.title)
            ).ratio()
            if score >= best_score:
                best, best_score = candidate.project_id, score
        if best is not None:
            inferred.loc[index] = best
            taken.add(best)
    return inferred


def project_rounds(data: Dataset, infer: bool = True) -> pd.DataFrame:
    """One row per funded project-round, with whether its line ended after that round.

    Columns: project_id, programme_id, round, lineage_id, phase (1 for a line's first
    round), continued (a later project names it as predecessor), ended (1 if the programme
    ran a later round and the line did not continue; 0 if it continued; missing in the
    programme's latest round, which is censored), inferred_link, and the project's own
    columns (application_type, team_size …), plus midterm_progress and low_midterm where
    indicators are present.
    """
    data.require("projects")
    projects = data.projects
    check_columns(projects, "project_id", "programme_id", "round", "grant_yuan")
    funded = funded_projects(projects).copy()
    links = funded.get("predecessor_id", pd.Series(pd.NA, index=funded.index)).astype(object)
    funded["inferred_link"] = False
    if infer:
        guessed = infer_predecessors(projects).loc[funded.index]
        use = links.isna() & guessed.notna()
        links = links.where(~use, guessed)
        funded["inferred_link"] = use.to_numpy()
    funded["predecessor_id"] = links.where(links.isin(set(funded.project_id)))
    parent = dict(zip(funded.project_id, funded.predecessor_id, strict=True))

    def root(project_id):
        seen = 0
        while isinstance(parent.get(project_id), str) and seen < 1000:
            project_id, seen = parent[project_id], seen + 1
        return project_id

    funded["lineage_id"] = funded.project_id.map(root)
    funded = funded.sort_values(["lineage_id", "round"])
    funded["phase"] = funded.groupby("lineage_id").cumcount() + 1
    funded["continued"] = funded.project_id.isin(set(funded.predecessor_id.dropna()))
    latest = projects.groupby("programme_id", observed=True)["round"].max()
    last_round = funded.programme_id.map(latest).astype(float)
    funded["ended"] = np.where(
        funded["round"].astype(float) >= last_round, np.nan, (~funded.continued).astype(float)
    )
    funded["line_inferred"] = funded.groupby("lineage_id").inferred_link.transform("any")
    if data.indicators is not None:
        progress = midterm_progress(data)
        funded["midterm_progress"] = funded.project_id.map(progress)
        funded["low_midterm"] = (
            (funded.midterm_progress < LOW_PROGRESS)
            .astype(float)
            .where(funded.midterm_progress.notna())
        )
    return funded.reset_index(drop=True)


def lineages(data: Dataset, infer: bool = True) -> pd.DataFrame:
    """One row per project line: duration in rounds and whether it ended (else censored).

    Covariates are those of the line's first project (baseline). ``inferred`` marks lines
    joined by the fallback rule of :func:`infer_predecessors` rather than by data.
    """
    rounds = project_rounds(data, infer=infer)
    first = rounds.groupby("lineage_id").head(1).set_index("lineage_id")
    last = rounds.groupby("lineage_id").tail(1).set_index("lineage_id")
    table = first.drop(columns=["ended", "phase", "continued", "project_id"])
    table.insert(0, "duration_rounds", rounds.groupby("lineage_id").size())
    table.insert(1, "ended", last.ended.fillna(0).astype(int))
    table.insert(2, "last_round", last["round"])
    table.insert(3, "inferred", rounds.groupby("lineage_id").inferred_link.any())
    return table.reset_index()


def midterm_progress(data: Dataset) -> pd.Series:
    """Per project: the median over its indicators of mid-term value ÷ plan."""
    indicators = data.indicators
    check_columns(indicators, "project_id", "indicator", "period", "value")
    wide = indicators.pivot_table(
        index=["project_id", "indicator"],
        columns="period",
        values="value",
        aggfunc="sum",
        observed=True,
    )
    if not {"plan", "midterm"} <= set(wide.columns):
        return pd.Series(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (wide["midterm"] / wide["plan"]).replace([np.inf, -np.inf], np.nan)
    return share.groupby(level="project_id").median()


# ---------------------------------------------------------------------------- Kaplan–Meier


@dataclass(frozen=True)
class SurvivalResult(Result):
    """Kaplan–Meier curves (``table``), medians (``medians``) and the log-rank test."""

    medians: pd.DataFrame | None = None
    logrank: dict | None = None

    def summary(self) -> str:
        text = [self.title, self.medians.to_string()]
        if self.logrank:
            text.append(
                f"log-rank: chi2 = {self.logrank['chi2']:.3f}, df = "
                f"{self.logrank['df']}, p = {self.logrank['p']:.4g}"
            )
        return "\n".join(text)

    def plot(self, ax=None):
        ax = axes(ax)
        for group, curve in self.table.groupby("group", sort=False):
            ax.step(curve.time, curve.survival, where="post", label=str(group))
            ax.fill_between(curve.time, curve.ci_low, curve.ci_high, step="post", alpha=0.15)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(self.inputs.get("duration", "time"))
        ax.set_ylabel("share still going")
        if self.table.group.nunique() > 1:
            ax.legend()
        return ax


def kaplan_meier(
    df: pd.DataFrame, *, duration: str, event: str, by: str | None = None, ci: float = 0.95
) -> SurvivalResult:
    """Kaplan–Meier survival with pointwise intervals, medians with intervals, and the
    log-rank test across groups (statsmodels ``SurvfuncRight`` and ``survdiff``). Intervals
    use the log transform, as R's ``survfit`` does by default.

    ``event`` is 1 where the line ended, 0 where censored.
    """
    from statsmodels.duration.survfunc import SurvfuncRight, survdiff

    check_columns(df, duration, event, by)
    data = df[[c for c in (duration, event, by) if c]].dropna()
    if data.empty or data[event].sum() == 0:
        raise EstimationError(f"no events in {event!r}: survival cannot be estimated")
    curves, medians = [], []
    groups = data.groupby(by, observed=True, sort=True) if by else [("all", data)]
    for group, part in groups:
        fit = SurvfuncRight(part[duration].to_numpy(float), part[event].to_numpy(float))
        low, high = _pointwise(fit, ci)
        curves.append(
            pd.DataFrame(
                {
                    "group": group,
                    "time": fit.surv_times,
                    "at_risk": fit.n_risk,
                    "events": fit.n_events,
                    "survival": fit.surv_prob,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
        )
        median = fit.quantile(0.5)
        median_low, median_high = fit.quantile_ci(0.5, alpha=1 - ci, method="log")
        medians.append(
            {
                "group": group,
                "n": len(part),
                "events": int(part[event].sum()),
                "median": median,
                "ci_low": median_low,
                "ci_high": median_high,
            }
        )
    logrank = None
    if by and data[by].nunique() > 1:
        chi2, p = survdiff(
            data[duration].to_numpy(float), data[event].to_numpy(float), data[by].to_numpy()
        )
        logrank = {"chi2": float(chi2), "df": int(data[by].nunique() - 1), "p": float(p)}
    return SurvivalResult(
        pd.concat(curves, ignore_index=True),
        title="Kaplan–Meier survival",
        medians=pd.DataFrame(medians).set_index("group"),
        logrank=logrank,
        inputs={"n": len(data), "duration": duration, "event": event, "by": by, "ci": ci},
    )


def _pointwise(fit, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval for S(t) on the log scale with Greenwood's variance, R's
    ``survfit`` default (conf.type = "log"), capped at 1."""
    z = stats.norm.ppf(0.5 + ci / 2)
    survival = fit.surv_prob
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = z * fit.surv_prob_se / survival
        low = np.where(survival > 0, survival * np.exp(-spread), 0.0)
        high = np.where(survival > 0, np.minimum(1.0, survival * np.exp(spread)), 0.0)
    return low, high


# ---------------------------------------------------------------------------- Cox


def cox(
    df: pd.DataFrame,
    *,
    duration: str,
    event: str,
    covariates: Sequence[str],
    ties: str = "efron",
    cluster: str | None = None,
    ci: float = 0.95,
) -> ModelResult:
    """Cox proportional-hazards regression.

    Returns coefficients, hazard ratios with intervals, and in ``ph_test_p`` a check of
    proportional hazards per covariate: the correlation of its Schoenfeld residuals with the
    rank of event times, n_events × r² referred to χ²(1) (after Grambsch & Therneau 1994).
    Small p-values suggest the hazard ratio changes over time.

    The partial likelihood (Efron or Breslow ties) is maximised by a vectorised Newton
    solver: risk-set sums are reverse cumulative sums over sorted times, so 200,000 rows
    take seconds. With ``cluster``, standard errors are cluster-robust, from statsmodels'
    ``PHReg`` (Lin & Wei 1989 sandwich), which is slower on large data.
    """
    covariates = list(covariates)
    check_columns(df, duration, event, *covariates, cluster)
    if ties not in ("efron", "breslow"):
        raise EstimationError(f"ties must be 'efron' or 'breslow', not {ties!r}")
    data = df[[duration, event, *covariates] + ([cluster] if cluster else [])].dropna()
    events = int(data[event].sum())
    if events < len(covariates) + 2:
        raise EstimationError(f"too few events ({events}) for {len(covariates)} covariate(s)")
    time_ = data[duration].to_numpy(float)
    status = data[event].to_numpy(float)
    x = data[covariates].to_numpy(float)
    beta, information, schoenfeld, event_times = _cox_newton(time_, status, x, ties)
    if cluster:
        from statsmodels.duration.hazard_regression import PHReg

        fit = PHReg(time_, x, status=status, ties=ties).fit(
            groups=pd.factorize(data[cluster])[0], start_params=beta
        )
        beta, se = np.asarray(fit.params), np.asarray(fit.bse)
    else:
        se = np.sqrt(np.diag(np.linalg.inv(information)))
    z = stats.norm.ppf(0.5 + ci / 2)
    table = model_table(
        beta,
        se,
        beta - z * se,
        beta + z * se,
        2 * stats.norm.sf(np.abs(beta / se)),
        ratio="hazard_ratio",
    )
    table.index = pd.Index(covariates, name="term")
    table["ph_test_p"] = _ph_test(schoenfeld, event_times)
    return ModelResult(
        table,
        title=f"Cox proportional hazards ({ties} ties)",
        inputs={
            "n": len(data),
            "events": events,
            "duration": duration,
            "event": event,
            "covariates": covariates,
            "cluster": cluster,
            "ties": ties,
            "ci": ci,
        },
        notes=(
            "hazard_ratio > 1: the covariate makes ending sooner; "
            "ph_test_p small: the ratio may change over time",
        ),
    )


def _cox_newton(time_, status, x, ties, tolerance=1e-10, max_iter=50):
    """Maximise the Cox partial likelihood. Returns β, the information matrix at β, the
    Schoenfeld residuals of the events and their times (both in order of event time)."""
    order = np.argsort(time_, kind="stable")
    time_, status, x = time_[order], status[order], x[order] - x.mean(axis=0)
    n, p = x.shape
    # Distinct event times; the risk set of each is every row from its first position on.
    dead = status == 1
    event_times, first_of_time = np.unique(time_, return_index=True)
    group_of_row = np.searchsorted(event_times, time_)
    deaths_in_group = np.bincount(group_of_row[dead], minlength=len(event_times))
    # One entry per death: its group and its rank l = 0 … d − 1 within the tie.
    death_group = group_of_row[dead]
    tie_size = deaths_in_group[death_group].astype(float)
    tie_rank = np.arange(len(death_group)) - np.searchsorted(death_group, death_group)
    fraction = tie_rank / tie_size if ties == "efron" else np.zeros(len(death_group))
    x_dead = x[dead]

    def pieces(beta):
        eta = x @ beta
        risk = np.exp(eta - eta.max())  # a common factor cancels from every ratio
        weighted = x * risk[:, None]
        outer = np.einsum("ni,nj->nij", x, weighted)
        tail = lambda values: np.cumsum(values[::-1], axis=0)[::-1]  # noqa: E731
        s0, s1, s2 = (tail(v)[first_of_time][death_group] for v in (risk, weighted, outer))
        t0 = np.bincount(group_of_row[dead], weights=risk[dead], minlength=len(event_times))[
            death_group
        ]
        t1 = np.zeros((len(event_times), p))
        np.add.at(t1, group_of_row[dead], weighted[dead])
        t2 = np.zeros((len(event_times), p, p))
        np.add.at(t2, group_of_row[dead], outer[dead])
        t1, t2 = t1[death_group], t2[death_group]
        denominator = s0 - fraction * t0
        numerator1 = s1 - fraction[:, None] * t1
        numerator2 = s2 - fraction[:, None, None] * t2
        expected = numerator1 / denominator[:, None]
        loglik = (eta[dead] - eta.max()).sum() - np.log(denominator).sum()
        gradient = x_dead.sum(axis=0) - expected.sum(axis=0)
        information = (numerator2 / denominator[:, None, None]).sum(axis=0) - np.einsum(
            "ki,kj->ij", expected, expected
        )
        return loglik, gradient, information, expected

    beta = np.zeros(p)
    loglik, gradient, information, expected = pieces(beta)
    for _ in range(max_iter):
        step = np.linalg.solve(information, gradient)
        for _halving in range(30):
            candidate = beta + step
            new = pieces(candidate)
            if new[0] >= loglik - 1e-12:
                break
            step /= 2
        change = new[0] - loglik
        beta, (loglik, gradient, information, expected) = candidate, new
        if abs(change) < tolerance and np.abs(step).max() < 1e-8:
            break
    # Schoenfeld residuals: each event's covariates minus the mean over its tie group of
    # the (Efron) expected covariates.
    group_mean = np.zeros((len(event_times), p))
    np.add.at(group_mean, death_group, expected)
    group_mean /= np.maximum(deaths_in_group, 1)[:, None]
    schoenfeld = x_dead - group_mean[death_group]
    return beta, information, schoenfeld, time_[dead]


def _ph_test(schoenfeld: np.ndarray, event_times: np.ndarray) -> np.ndarray:
    times = stats.rankdata(event_times)
    p_values = []
    for column in schoenfeld.T:
        r = np.corrcoef(times, column)[0, 1] if np.std(column) > 0 else 0.0
        p_values.append(stats.chi2.sf(len(times) * r**2, 1))
    return np.array(p_values)


def round_hazard(
    df: pd.DataFrame,
    *,
    event: str,
    covariates: Sequence[str],
    cluster: str | None = None,
    ci: float = 0.95,
) -> ModelResult:
    """Discrete-time hazard of a line ending after a round: a binomial GLM with
    complementary log-log link on project-rounds, with round effects absorbed by
    ``phase`` dummies when a ``phase`` column is present.

    Under the grouped-time proportional-hazards model,
    P(end after a round | x) = 1 − exp(−h0 · exp(x'β)), the cloglog coefficients are the
    log hazard ratios exactly (Prentice & Gloeckler 1978), and covariates may change from
    round to round. Rows with a missing ``event`` (censored rounds) are left out.
    """
    import statsmodels.api as sm

    covariates = list(covariates)
    check_columns(df, event, *covariates, cluster)
    data = df.dropna(subset=[event, *covariates])
    # A covariate that does not vary (no matched project in a programme) makes the design
    # singular: leave it out and say so, rather than fail inside the solver.
    constant = [c for c in covariates if data[c].nunique() < 2]
    notes = tuple(f"{c!r} does not vary in these data and was left out" for c in constant)
    covariates = [c for c in covariates if c not in constant]
    if not covariates:
        raise EstimationError(f"no covariate varies in these data ({', '.join(constant)})")
    if (
        np.linalg.matrix_rank(np.column_stack([np.ones(len(data)), data[covariates].astype(float)]))
        < len(covariates) + 1
    ):
        raise EstimationError(
            f"covariates {covariates} are collinear in these data; leave one of them out"
        )
    if data[event].sum() < len(covariates) + 2:
        raise EstimationError(f"too few events in {event!r} for {len(covariates)} covariates")
    design = data[covariates].astype(float)
    design = sm.add_constant(design, has_constant="add")
    model = sm.GLM(
        data[event].astype(float),
        design,
        family=sm.families.Binomial(link=sm.families.links.CLogLog()),
    )
    if cluster:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data[cluster])[0]})
    else:
        fit = model.fit()
    table = fit_table(fit, ci, ratio="hazard_ratio")
    return ModelResult(
        table,
        title="Per-round hazard of ending (cloglog)",
        inputs={
            "n": len(data),
            "events": int(data[event].sum()),
            "covariates": covariates,
            "cluster": cluster,
            "ci": ci,
        },
        notes=notes,
    )


# ---------------------------------------------------------------------------- money


def self_financing(data: Dataset) -> pd.DataFrame:
    """Per programme and follow-up year: projects followed, share active, share registered
    as an organisation, own income and donations to a community fund, and the
    self-financing share: own income ÷ (own income + the projects' seed grants)."""
    data.require("followups", "projects")
    followups = data.followups.merge(
        data.projects[["project_id", "programme_id", "grant_yuan"]], on="project_id", how="left"
    )
    grouped = followups.groupby(["programme_id", "year"], observed=True)
    table = grouped.agg(
        projects=("project_id", "nunique"),
        active_share=("status", lambda s: (s == "active").mean()),
        registered_share=("registered", "mean"),
        own_income_yuan=("own_income_yuan", "sum"),
        fund_donation_yuan=("fund_donation_yuan", "sum"),
        grant_yuan=("grant_yuan", "sum"),
    )
    table["self_financing_share"] = table.own_income_yuan / (
        table.own_income_yuan + table.grant_yuan
    )
    return table


# ---------------------------------------------------------------------------- risk


@dataclass(frozen=True)
class RiskResult(Result):
    """Per-project risk of not continuing, with the features that push it up.

    ``table``: one row per scored project with ``risk`` and ``reasons``; ``metrics``: AUC,
    Brier score and folds of the grouped cross-validation; ``calibration``: mean predicted
    risk against the observed rate by tenth of predicted risk; ``pipeline``: the fitted
    scikit-learn pipeline, to score new projects with :meth:`score`."""

    metrics: dict | None = None
    calibration: pd.DataFrame | None = None
    pipeline: object = None

    def score(self, df: pd.DataFrame) -> pd.DataFrame:
        """Risk and reasons for new projects (e.g. the current round at mid-term)."""
        return _explain(self.pipeline, df, self.inputs["features"], self.inputs["top"])

    def plot(self, ax=None):
        """Calibration: predicted against observed, by tenth of predicted risk."""
        ax = axes(ax)
        ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8)
        ax.plot(self.calibration.predicted, self.calibration.observed, "o-")
        ax.set_xlabel("predicted risk")
        ax.set_ylabel("observed share ended")
        return ax


def risk_model(
    df: pd.DataFrame,
    *,
    target: str,
    features: Sequence[str],
    groups: str | None = None,
    model=None,
    top: int = 3,
    seed: int = 0,
) -> RiskResult:
    """Predict which projects will not continue, to flag them at mid-term.

    A scikit-learn pipeline (imputation, scaling, one-hot coding, then ``model``: by
    default an L2-penalised logistic regression) is assessed by cross-validation grouped
    by ``groups`` (programme), so every fold predicts programmes it has not seen: the AUC
    is what a new programme can expect. It is then fitted on every row whose ``target`` is
    known and scores every row. ``reasons`` lists up to ``top`` features whose values push
    a project's risk up most (coefficient × standardised value, for linear models).

    ``target`` is 1 for a project whose line ended, 0 if it continued; rows where it is
    missing (the current round) are scored but not learnt from.
    """
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    features = list(features)
    check_columns(df, target, *features, groups)
    known = df[df[target].notna()]
    outcome = known[target].astype(int).to_numpy()
    if len(np.unique(outcome)) < 2 or min(outcome.sum(), (1 - outcome).sum()) < 5:
        raise EstimationError(
            f"{target!r} needs at least 5 projects that ended and 5 that continued to learn from"
        )
    n_groups = known[groups].nunique() if groups else 0
    if groups and n_groups >= 2:
        splitter = GroupKFold(n_splits=min(5, n_groups))
        splits = splitter.split(known, outcome, known[groups])
    else:
        splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        splits = splitter.split(known, outcome)
    predicted = np.full(len(known), np.nan)
    folds = 0
    for train, test in splits:
        if len(np.unique(outcome[train])) < 2:
            continue
        fitted = _pipeline(known, features, model, seed).fit(
            known.iloc[train][features], outcome[train]
        )
        predicted[test] = fitted.predict_proba(known.iloc[test][features])[:, 1]
        folds += 1
    scored = ~np.isnan(predicted)
    auc = (
        roc_auc_score(outcome[scored], predicted[scored])
        if len(np.unique(outcome[scored])) == 2
        else np.nan
    )
    metrics = {
        "auc": float(auc),
        "brier": float(brier_score_loss(outcome[scored], predicted[scored])),
        "folds": folds,
        "grouped_by": groups if n_groups >= 2 else None,
        "n": int(len(known)),
        "events": int(outcome.sum()),
    }
    tenths = pd.qcut(predicted[scored], q=min(10, scored.sum() // 5 or 1), duplicates="drop")
    calibration = (
        pd.DataFrame({"predicted": predicted[scored], "observed": outcome[scored]})
        .groupby(tenths, observed=True)
        .agg(predicted=("predicted", "mean"), observed=("observed", "mean"), n=("observed", "size"))
    )
    pipeline = _pipeline(known, features, model, seed).fit(known[features], outcome)
    table = _explain(pipeline, df, features, top)
    return RiskResult(
        table,
        title="Risk of not continuing (grouped cross-validation)",
        inputs={"target": target, "features": features, "groups": groups, "top": top, "seed": seed},
        metrics=metrics,
        calibration=calibration.reset_index(drop=True),
        pipeline=pipeline,
    )


def _pipeline(df, features, model, seed):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [
        f
        for f in features
        if pd.api.types.is_numeric_dtype(df[f]) and not pd.api.types.is_bool_dtype(df[f])
    ]
    categorical = [f for f in features if f not in numeric]
    prepare = ColumnTransformer(
        [
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
                ),
                categorical,
            ),
        ],
        verbose_feature_names_out=False,
    )
    classifier = (
        model if model is not None else LogisticRegression(max_iter=2000, random_state=seed)
    )
    return Pipeline([("prepare", prepare), ("model", classifier)])


def _reason(name: str, standardised: float, numeric: set) -> str:
    """A reason a person can read: "midterm_progress low", "application_type_standard"."""
    if name in numeric:
        return f"{name} {'low' if standardised < 0 else 'high'}"
    return name


def _explain(pipeline, df, features, top) -> pd.DataFrame:
    data = df[features]
    risk = pipeline.predict_proba(data)[:, 1]
    table = pd.DataFrame({"risk": risk}, index=df.index)
    model = pipeline.named_steps["model"]
    if hasattr(model, "coef_"):
        prepared = pipeline.named_steps["prepare"].transform(data)
        prepared = prepared.toarray() if hasattr(prepared, "toarray") else prepared
        names = pipeline.named_steps["prepare"].get_feature_names_out()
        contribution = prepared * model.coef_[0]
        numeric = set(pipeline.named_steps["prepare"].transformers_[0][2])
        reasons = []
        for values, row in zip(prepared, contribution, strict=True):
            order = np.argsort(row)[::-1][:top]
            reasons.append(
                "; ".join(
                    f"{_reason(names[i], values[i], numeric)} (+{row[i]:.2f})"
                    for i in order
                    if row[i] > 0
                )
            )
        table["reasons"] = reasons
    return table


# ---------------------------------------------------------------------------- Dataset forms


def _with_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Model-ready columns from the workbench's own: matched as 0/1, team size centred."""
    frame = frame.copy()
    if "application_type" in frame:
        frame["matched"] = (frame.application_type == "matched").astype(float)
    if "team_size" in frame:
        frame["team_size"] = frame.team_size.astype(float)
    return frame


def dataset_survival(
    data: Dataset, *, by: str | None = "programme_id", **options
) -> SurvivalResult:
    """:func:`kaplan_meier` of project lines in rounds, from a :class:`Dataset`."""
    return kaplan_meier(lineages(data), duration="duration_rounds", event="ended", by=by, **options)


def dataset_cox(
    data: Dataset, *, covariates: Sequence[str] = ("matched", "team_size"), **options
) -> ModelResult:
    """:func:`cox` on project lines (baseline covariates of a line's first project;
    ``matched`` is 1 for the matched application type), clustered by community."""
    frame = _with_indicators(lineages(data))
    options.setdefault("cluster", "community_id" if "community_id" in frame else None)
    return cox(frame, duration="duration_rounds", event="ended", covariates=covariates, **options)


def dataset_round_hazard(
    data: Dataset, *, covariates: Sequence[str] = ("matched", "team_size", "low_midterm"), **options
) -> ModelResult:
    """:func:`round_hazard` on funded project-rounds, clustered by line."""
    frame = _with_indicators(project_rounds(data))
    options.setdefault("cluster", "lineage_id")
    return round_hazard(frame, event="ended", covariates=covariates, **options)


def dataset_risk(
    data: Dataset,
    *,
    features: Sequence[str] = ("midterm_progress", "application_type", "team_size", "phase"),
    **options,
) -> RiskResult:
    """:func:`risk_model` on funded project-rounds: learnt from rounds whose outcome is
    known, scoring every project including the current round's; grouped by programme."""
    frame = project_rounds(data)
    features = [f for f in features if f in frame]
    result = risk_model(frame, target="ended", features=features, groups="programme_id", **options)
    keep = [
        c for c in ("project_id", "programme_id", "round", "title", "community_id") if c in frame
    ]
    table = frame[keep].join(result.table)
    return RiskResult(
        table,
        title=result.title,
        inputs=result.inputs,
        notes=result.notes,
        metrics=result.metrics,
        calibration=result.calibration,
        pipeline=result.pipeline,
    )
