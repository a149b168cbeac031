"""Participation effects against planted truths, an established implementation (csdid, the
Python port of R's did), and published results on real data shipped offline by causaldata."""

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

import impact
from impact.errors import EstimationError
from impact.participation import dataset_did, did

causaldata = pytest.importorskip("causaldata")


def staggered_panel(
    n_units=3000,
    periods=range(2010, 2020),
    cohorts=(2013, 2015, 2017, 0),
    seed=0,
    tau0=3.0,
    slope=1.0,
):
    """Known truth: y = α_i + 0.5·(t − 2010) + shock_t + (τ0 + slope·(t − g))·1[t ≥ g] + ε."""
    rng = np.random.default_rng(seed)
    g = rng.choice(cohorts, n_units)
    alpha = rng.normal(20, 4, n_units)
    shocks = rng.normal(0, 1, len(periods))
    frames = []
    for k, t in enumerate(periods):
        effect = np.where((g > 0) & (t >= g), tau0 + slope * (t - g), 0.0)
        y = alpha + 0.5 * (t - 2010) + shocks[k] + effect + rng.normal(0, 1.5, n_units)
        frames.append(
            pd.DataFrame(
                {
                    "unit": np.arange(n_units),
                    "time": t,
                    "y": y,
                    "g": g,
                    "region": np.arange(n_units) % 40,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def planted():
    return did(staggered_panel(), outcome="y", unit="unit", time="time", cohort="g")


def test_group_time_effects_recover_the_planted_truth(planted):
    cells = planted.att_gt
    post = cells[cells.post]
    truth = 3.0 + (post.time - post.cohort)
    # each cell compares ~750 units; its standard error is about 0.08
    assert np.abs(post.att - truth).max() < 0.3
    assert (np.abs(post.att - truth) < 3 * post.se).mean() > 0.95
    assert np.abs(cells[~cells.post].att).max() < 0.3
    assert list(cells.columns[:3]) == ["cohort", "time", "att"] and "se" in cells


def test_aggregations_recover_the_planted_truth(planted):
    dynamic = planted.aggregate("dynamic")
    for event_time in range(0, 7):
        assert dynamic.loc[event_time, "att"] == pytest.approx(3 + event_time, abs=0.25)
    # simple: post cells weighted by cohort size; cohorts are equally likely, so by hand it
    # is the plain mean of 3 + (t − g) over post cells: 2013 has t−g = 0..6, 2015 0..4,
    # 2017 0..2, i.e. 15 cells with mean (21 + 10 + 3) / 15.
    simple = planted.aggregate("simple").loc["overall"]
    assert simple.att == pytest.approx(3 + 34 / 15, abs=0.15)
    group = planted.aggregate("group")
    assert group.loc[2013, "att"] == pytest.approx(3 + 3, abs=0.2)  # mean of 0..6 is 3
    assert group.loc[2017, "att"] == pytest.approx(3 + 1, abs=0.2)
    calendar = planted.aggregate("calendar")
    assert calendar.loc[2013, "att"] == pytest.approx(3, abs=0.2)  # only 2013 joined, e = 0
    assert planted.pretrend["p"] > 0.01


def test_twfe_is_shown_with_a_warning_when_timing_differs(planted):
    # With effects growing over time, TWFE understates the average effect (Goodman-Bacon).
    assert planted.twfe["estimate"] < planted.aggregate("simple").loc["overall", "att"] - 1
    assert any("Goodman-Bacon" in note for note in planted.notes)


def test_simultaneous_bands_are_wider_than_pointwise_and_reproducible(planted):
    first = planted.aggregate("dynamic", seed=1)
    again = planted.aggregate("dynamic", seed=1)
    pd.testing.assert_frame_equal(first, again)
    rows = first.drop(index="overall")
    assert ((rows.band_high - rows.band_low) > (rows.ci_high - rows.ci_low)).all()


def test_not_yet_treated_controls_and_clustering():
    panel = staggered_panel(n_units=1500, seed=3)
    result = did(
        panel, outcome="y", unit="unit", time="time", cohort="g", control="notyet", cluster="region"
    )
    assert result.aggregate("dynamic").loc[2, "att"] == pytest.approx(5, abs=0.35)
    assert result.inputs["cluster"] == "region"


@pytest.fixture(scope="module")
def castle():
    data = causaldata.castle.load_pandas().data
    # Cheng & Hoekstra (2013) castle-doctrine panel: 50 states × 2000–2010; real data.
    assert data.shape == (550, 139) and data.sid.nunique() == 50
    first = data[data.post > 0].groupby("sid").year.min()
    return data.assign(effyear=data.sid.map(first).fillna(0).astype(int))


@pytest.mark.parametrize(
    "control, theirs", [("never", "nevertreated"), ("notyet", "notyettreated")]
)
def test_agrees_with_csdid_on_castle_doctrine(castle, control, theirs):
    attgt = pytest.importorskip("csdid.att_gt")
    ours = did(
        castle, outcome="l_homicide", unit="sid", time="year", cohort="effyear", control=control
    )
    fitted = attgt.ATTgt(
        yname="l_homicide",
        gname="effyear",
        idname="sid",
        tname="year",
        data=castle,
        control_group=[theirs],
    ).fit(est_method="reg", bstrap=False)
    cells = fitted.summ_attgt().summary2  # printed to 4 decimals
    np.testing.assert_allclose(ours.att_gt.att.round(4), cells["ATT(g, t)"], atol=1e-12)
    np.testing.assert_allclose(ours.att_gt.se.round(4), cells["Std. Error"], atol=1e-12)
    for kind in ("simple", "group", "dynamic", "calendar"):
        with contextlib.redirect_stdout(io.StringIO()):
            fitted.aggte(typec=kind, bstrap=False)
        overall = ours.aggregate(kind).loc["overall"]
        assert overall.att == pytest.approx(fitted.atte["overall_att"], abs=1e-10), kind
        assert overall.se == pytest.approx(fitted.atte["overall_se"], rel=1e-6), kind
        if kind == "dynamic":
            table = ours.aggregate(kind).drop(index="overall")
            np.testing.assert_allclose(table.att, fitted.atte["att_egt"], atol=1e-10)
            np.testing.assert_allclose(table.se, fitted.atte["se_egt"], rtol=1e-6)


def test_twfe_reproduces_the_effect_on_organ_donations():
    # Huntington-Klein (2021), The Effect, ch. 18: Kessler & Roth's organ-donation data,
    # Rate ~ Treated | State + Quarter gives −0.0225 (printed to four decimals).
    data = causaldata.organ_donations.load_pandas().data
    assert data.shape == (162, 4) and data.State.nunique() == 27  # real data, 6 quarters
    data["cohort"] = np.where(data.State == "California", 4, 0)  # from Q3 2011
    result = did(data, outcome="Rate", unit="State", time="Quarter_Num", cohort="cohort")
    assert round(result.twfe["estimate"], 4) == -0.0225


def test_sample_data_participation_effect_is_planted(tmp_path):
    # data/sample plants 3 + 1 × years since joining on volunteers_per_1000 (params.yaml)
    # and nothing on satisfaction. 72 communities: tolerances of about 3 standard errors.
    data = impact.load("data/sample")
    effect = dataset_did(data, outcome="volunteers_per_1000").aggregate("dynamic")
    assert effect.loc[0, "att"] == pytest.approx(3, abs=1.0)
    assert effect.loc[1, "att"] == pytest.approx(4, abs=1.0)
    placebo = dataset_did(data, outcome="satisfaction").aggregate("simple").loc["overall"]
    assert placebo.ci_low < 0 < placebo.ci_high


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p.assign(g=0), "no treated units"),
        (lambda p: p.assign(g=np.where(p.g > 0, 2010, 0)), "no unit joins after the first"),
        (lambda p: p[p.g == 2013], "only one cohort and no unit that never"),
        (lambda p: p.assign(g=np.where(p.time == 2010, 2013, p.g)), "constant within a unit"),
    ],
)
def test_bad_data_raise_clear_errors(change, message):
    panel = staggered_panel(n_units=200, seed=4)
    with pytest.raises(EstimationError, match=message):
        did(change(panel), outcome="y", unit="unit", time="time", cohort="g")


def test_bad_arguments():
    panel = staggered_panel(n_units=100, seed=5)
    with pytest.raises(EstimationError, match="control must be"):
        did(panel, outcome="y", unit="unit", time="time", cohort="g", control="later")
    with pytest.raises(EstimationError, match="unknown column"):
        did(panel, outcome="yy", unit="unit", time="time", cohort="g")
    result = did(panel, outcome="y", unit="unit", time="time", cohort="g")
    with pytest.raises(EstimationError, match="kind must be"):
        result.aggregate("weekly")


def test_unbalanced_units_are_dropped_and_counted():
    panel = staggered_panel(n_units=300, seed=6)
    panel = panel.drop(index=panel.index[(panel.unit < 3) & (panel.time == 2012)])
    result = did(panel, outcome="y", unit="unit", time="time", cohort="g")
    assert result.inputs["units_dropped"] == 3 and result.inputs["n_units"] == 297
    assert any("dropped" in note for note in result.notes)


def test_result_shows_itself(planted):
    import matplotlib

    matplotlib.use("Agg")
    summary = planted.summary()
    assert "simple" in summary and "dynamic" in summary and "pre-trend" in summary
    assert planted.plot(n_boot=99) is not None


# ---------------------------------------------------------------- att and count_effect

from impact.participation import att, count_effect  # noqa: E402

NSW_COVARIATES = ["age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75"]


@pytest.fixture(scope="module")
def nsw():
    data = causaldata.nsw_mixtape.load_pandas().data
    # LaLonde's NSW experimental sample as in Dehejia & Wahba (1999): 185 treated men and
    # 260 controls; real data, not a stand-in.
    assert (data.treat == 1).sum() == 185 and (data.treat == 0).sum() == 260
    return data


def test_difference_in_means_reproduces_dehejia_wahba(nsw):
    # Dehejia & Wahba (1999, JASA 94:448), Table 3: experimental estimate $1,794.
    result = att(nsw, outcome="re78", treatment="treat", method="diff")
    assert round(result.table.loc["effect", "estimate"]) == 1794


@pytest.mark.parametrize(
    "method, estimand, theirs, effect_group",
    [
        ("regression", "ate", "ra", "all"),
        ("regression", "att", "ra", 1),
        ("ipw", "ate", "ipw", "all"),
        ("ipw", "att", "ipw", 1),
        ("aipw", "ate", "aipw", None),
    ],
)
def test_agrees_with_statsmodels_treatment_effect(nsw, method, estimand, theirs, effect_group):
    # statsmodels' TreatmentEffect (a port of Stata's teffects) on the same data and models.
    import statsmodels.api as sm
    from statsmodels.treatment.treatment_effects import TreatmentEffect

    design = sm.add_constant(nsw[NSW_COVARIATES].astype(float))
    treatment = nsw.treat.to_numpy().astype(int)
    select = sm.Logit(treatment, design).fit(disp=0)
    effect = TreatmentEffect(
        sm.OLS(nsw.re78.astype(float), design), treatment, results_select=select
    )
    kwargs = {} if effect_group is None else {"effect_group": effect_group}
    reference = getattr(effect, theirs)(**kwargs).summary_frame().iloc[0]
    ours = att(
        nsw,
        outcome="re78",
        treatment="treat",
        covariates=NSW_COVARIATES,
        method=method,
        estimand=estimand,
    ).table.loc["effect"]
    if method == "regression":  # same estimator and same sandwich: identical
        assert ours.estimate == pytest.approx(reference.iloc[0], rel=1e-8)
        assert ours.se == pytest.approx(reference.iloc[1], rel=1e-6)
    else:  # propensity fitted by scikit-learn rather than statsmodels' Logit
        assert ours.estimate == pytest.approx(reference.iloc[0], rel=1e-3)
        assert ours.se == pytest.approx(reference.iloc[1], rel=0.12)


def test_weighting_balances_the_covariates(nsw):
    result = att(
        nsw,
        outcome="re78",
        treatment="treat",
        covariates=NSW_COVARIATES,
        method="ipw",
        estimand="att",
    )
    assert result.balance.smd_before.abs().max() > 0.25  # nodegree, by chance
    assert result.balance.smd_after.abs().max() < 0.05
    assert result.propensity.between(0, 1).all()


def _confounded(n, seed):
    # Known truth: y = 2 + x + T·(1.5 + 0.5·x) + ε with P(T | x) = logistic(0.8·x − 0.3).
    # ATE = 1.5 because E[x] = 0; ATT = 1.5 + 0.5·E[x | T = 1], got from the same design.
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    treated = (rng.random(n) < 1 / (1 + np.exp(-(0.8 * x - 0.3)))).astype(int)
    y = 2 + x + treated * (1.5 + 0.5 * x) + rng.normal(size=n)
    return pd.DataFrame({"y": y, "t": treated, "x": x})


def test_adjusted_methods_recover_the_planted_effects():
    data = _confounded(20000, seed=7)
    big = _confounded(2_000_000, seed=8)
    true_att = 1.5 + 0.5 * big.x[big.t == 1].mean()
    naive = att(data, outcome="y", treatment="t", method="diff").table.estimate.iloc[0]
    assert naive > 1.5 + 0.5  # confounded: treated units have higher x
    for method in ("regression", "ipw", "aipw"):
        for estimand, truth in (("ate", 1.5), ("att", true_att)):
            row = att(
                data, outcome="y", treatment="t", covariates=["x"], method=method, estimand=estimand
            ).table.iloc[0]
            assert abs(row.estimate - truth) < 3 * row.se, (method, estimand)


def test_bootstrap_standard_errors_match_influence_ones():
    data = _confounded(3000, seed=9)
    analytic = att(data, outcome="y", treatment="t", covariates=["x"], method="aipw")
    resampled = att(
        data,
        outcome="y",
        treatment="t",
        covariates=["x"],
        method="aipw",
        se="bootstrap",
        n_boot=300,
        seed=1,
    )
    assert resampled.se.iloc[0] == pytest.approx(analytic.se.iloc[0], rel=0.15)
    assert resampled.params.iloc[0] == analytic.params.iloc[0]


def test_trimming_drops_extreme_scores_and_says_so():
    data = _confounded(4000, seed=10)
    data["x"] *= 4  # push scores towards 0 and 1
    result = att(data, outcome="y", treatment="t", covariates=["x"], method="ipw", trim=0.05)
    assert result.inputs["trimmed"] > 0
    assert any("trimming" in note for note in result.notes)
    assert result.propensity.between(0.05, 0.95).all()


def test_count_effect_recovers_a_planted_rate_ratio():
    # Known truth: person-times ~ negative binomial with mean population × 0.02 × 1.4^T ×
    # exp(0.3·z), communities in 60 clusters.
    rng = np.random.default_rng(11)
    n = 3000
    population = rng.integers(2000, 20000, n)
    treated = rng.integers(0, 2, n)
    z = rng.normal(size=n)
    mean = population * 0.02 * 1.4**treated * np.exp(0.3 * z)
    counts = rng.negative_binomial(2, 2 / (2 + mean))
    frame = pd.DataFrame(
        {
            "served": counts,
            "joined": treated,
            "z": z,
            "pop": population,
            "town": rng.integers(0, 60, n),
        }
    )
    for family in ("poisson", "negbin"):
        table = count_effect(
            frame,
            outcome="served",
            treatment="joined",
            covariates=["z"],
            exposure="pop",
            cluster="town",
            family=family,
        ).table
        assert table.loc["joined", "rate_ratio"] == pytest.approx(1.4, rel=0.05), family
        assert table.loc["joined", "rr_low"] < 1.4 < table.loc["joined", "rr_high"]
        assert table.loc["const", "rate_ratio"] == pytest.approx(0.02, rel=0.08)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "magic"}, "method must be"),
        ({"estimand": "atc"}, "estimand must be"),
        ({"method": "ipw", "covariates": []}, "needs covariates"),
        ({"treatment": "y"}, "must be 1"),
    ],
)
def test_att_bad_arguments(kwargs, message):
    data = _confounded(200, seed=12)
    arguments = {"outcome": "y", "treatment": "t", "covariates": ["x"]} | kwargs
    with pytest.raises(EstimationError, match=message):
        att(data, **arguments)


def test_no_bootstrap_means_no_bands(planted):
    table = planted.aggregate("dynamic", n_boot=0)
    assert table.drop(index="overall").band_low.isna().all()
    assert table.att.notna().all() and table.se.notna().all()


@pytest.mark.parametrize("function", ["att", "count_effect"])
def test_ci_given_in_percent_is_a_clear_error(function):
    from impact.results import CILevelError

    data = _confounded(200, seed=13).assign(count=lambda d: (d.y > 2).astype(int))
    call = {
        "att": lambda: att(data, outcome="y", treatment="t", method="diff", ci=95),
        "count_effect": lambda: count_effect(data, outcome="count", treatment="t", ci=95),
    }[function]
    with pytest.raises(CILevelError, match="ci=0.95"):
        call()


def test_effect_result_summary_is_text_and_html_with_balance():
    from impact.results import Summary

    result = att(_confounded(500, seed=14), outcome="y", treatment="t", covariates=["x"])
    summary = result.summary()
    assert isinstance(summary, Summary)
    assert "balance" in summary and "smd_after" in summary
    assert "<table" in summary._repr_html_() and "\\n" not in repr(result)
    assert str(result) == str(summary)
    assert repr(result).startswith("EffectResult: ") and "effect" in repr(result)
