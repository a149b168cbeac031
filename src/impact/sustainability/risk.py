"""Which projects will not continue: a cross-validated classifier for mid-term flags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import EstimationError
from ..inputs import event_indicator, require_columns
from ..results import Result, Summary, axes


@dataclass(frozen=True, repr=False)
class RiskResult(Result):
    """Per-project risk of not continuing, with the features that push it up.

    ``table``: one row per scored project with ``risk`` and ``reasons``; ``metrics``: AUC,
    Brier score and folds of the grouped cross-validation; ``calibration``: mean predicted
    risk against the observed rate by tenth of predicted risk; ``pipeline``: the fitted
    scikit-learn pipeline, to score new projects with :meth:`score`."""

    metrics: dict | None = None
    calibration: pd.DataFrame | None = None
    pipeline: object = None

    def summary(self) -> Summary:
        """The cross-validated metrics and the ten projects most at risk."""
        metrics = pd.DataFrame([self.metrics or {}], index=["cross-validation"])
        top = self.table.sort_values("risk", ascending=False).head(10)
        return Summary(
            self.title, (metrics, "highest risk:", top, *(f"note: {n}" for n in self.notes))
        )

    def _repr_table(self) -> pd.DataFrame:
        return pd.DataFrame([self.metrics or {}], index=["cross-validation"])

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

    Parameters
    ----------
    df
        One row per project-round.
    target
        Column: 1 for a project whose line ended, 0 if it continued; rows where it is
        missing (the current round) are scored but not learnt from.
    features
        Columns the model uses (numbers or categories; missing values imputed).
    groups
        Column the cross-validation keeps together (the programme).
    model
        A scikit-learn classifier with ``predict_proba``, in place of the logistic
        regression.
    top
        How many reasons to give per project.
    seed
        Seed of the folds and the model.

    Returns
    -------
    RiskResult
        ``table`` (risk and reasons per row), ``metrics``, ``calibration``, ``pipeline``.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> rounds = project_rounds(data)
    >>> risk = risk_model(rounds, target="ended", features=["team_size", "application_type"],
    ...                   groups="programme_id")
    >>> 0 <= risk.metrics["auc"] <= 1
    True
    """
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    features = list(features)
    require_columns(df, "risk_model", target=target, features=features, groups=groups)
    df = df.assign(
        **{target: event_indicator(df, target, argument="target", function="risk_model")}
    )
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
