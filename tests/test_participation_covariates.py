"""Staggered DiD with covariates (outcome regression, IPW, doubly robust), R's pre-trend
test, and how a DidResult shows itself.

Truths not produced by this code:
- R ``did``'s own printed output and full-precision reference values on mpdta, kept with
  the R calls in ``tests/reference/did_mpdta/`` (see its README for the sources);
- csdid, the Python port of R ``did``, run live on the same data;
- simulations with planted effects in which trends depend on a covariate.
"""

import contextlib
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact.errors import EstimationError
from impact.participation import DidResult, PretrendTest, TwfeComparison, did
from impact.results import CILevelError, StatisticalTest, Summary

HERE = Path(__file__).parent
REFERENCE = HERE / "reference" / "did_mpdta"
MPDTA = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def mpdta():
    data = pd.read_csv(HERE / "data" / "mpdta.csv")
    # R did's mpdta: 500 counties × 2003–2007, cohorts 2004/2006/2007 and never (0)
    assert data.shape == (2500, 6) and data.countyreal.nunique() == 500
    assert sorted(data["first.treat"].unique()) == [0, 2004, 2006, 2007]
    return data


def r_printed_output() -> dict[str, dict]:
    """The three ``summary(att_gt(...))`` outputs in the reference README, parsed: per
    R call, its ATT(g,t) as printed (4 decimals) and the pre-test p-value."""
    text = (REFERENCE / "README.md").read_text(encoding="utf-8")
    outputs = {}
    for block in re.findall(r"```r\n(.*?)```", text, re.S):
        call = re.search(r"xformla = (\S+?),", block).group(1)
        control = "notyet" if 'control_group = "notyettreated"' in block else "never"
        cells = re.findall(r"#>\s+(\d{4}) (\d{4})\s+(-?\d\.\d{4})\s", block)
        p = float(re.search(r"pre-test of parallel trends assumption:\s+([\d.]+)", block)[1])
        outputs[(call, control)] = {
            "cells": pd.DataFrame(cells, columns=["cohort", "time", "att"]).astype(float),
            "p": p,
        }
    return outputs


@pytest.mark.parametrize(
    "formula, covariates, control",
    [("NULL", [], "never"), ("~lpop", ["lpop"], "never"), ("~lpop", ["lpop"], "notyet")],
)
def test_reproduces_r_did_printed_output(mpdta, formula, covariates, control):
    # R did 2.5.1, man/att_gt.Rd examples (default est_method = "dr"); see the README.
    printed = r_printed_output()[(formula, control)]
    ours = did(mpdta, **MPDTA, covariates=covariates, control=control)
    assert len(printed["cells"]) == len(ours.att_gt) == 12
    np.testing.assert_array_equal(ours.att_gt.cohort, printed["cells"].cohort)
    np.testing.assert_array_equal(ours.att_gt.time, printed["cells"].time)
    np.testing.assert_allclose(ours.att_gt.att.round(4), printed["cells"].att, atol=1e-12)
    # R prints round(1 - pchisq(W, q), 5)
    assert round(ours.pretrend.p, 5) == printed["p"]
    assert ours.pretrend.df == 5  # every pre-treatment cell: 2006×{2004, 2005}, 2007×{…}


SCENARIOS = {
    "mpdta_nev_dr": dict(covariates=[], est_method="dr", control="never"),
    "mpdta_nyt_dr": dict(covariates=[], est_method="dr", control="notyet"),
    "mpdta_nev_reg_cov": dict(covariates=["lpop"], est_method="reg", control="never"),
    "mpdta_nev_ipw": dict(covariates=[], est_method="ipw", control="never"),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_matches_r_did_reference_values(mpdta, scenario):
    # R did 2.5.0, bstrap = FALSE: ref_*.csv written by generate_reference.R (README §2).
    ours = did(mpdta, **MPDTA, **SCENARIOS[scenario])
    cells = pd.read_csv(REFERENCE / "ref_attgt.csv").query("scenario == @scenario")
    np.testing.assert_array_equal(ours.att_gt.cohort, cells.group)
    np.testing.assert_array_equal(ours.att_gt.time, cells.t)
    np.testing.assert_allclose(ours.att_gt.att, cells.att, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.att_gt.se, cells.se, rtol=1e-7, atol=0)
    aggregates = pd.read_csv(REFERENCE / "ref_aggte.csv").query("scenario == @scenario")
    for kind, theirs in aggregates.groupby("type"):
        table = ours.aggregate(kind, n_boot=0)
        assert table.loc["overall", "att"] == pytest.approx(theirs.overall_att.iloc[0], abs=1e-9)
        assert table.loc["overall", "se"] == pytest.approx(theirs.overall_se.iloc[0], rel=1e-7)
        assert ours.table.loc[kind, "att"] == pytest.approx(theirs.overall_att.iloc[0], abs=1e-9)
        if kind != "simple":
            rows = table.drop(index="overall")
            np.testing.assert_array_equal(rows.index.astype(float), theirs.egt)
            np.testing.assert_allclose(rows.att, theirs.att_egt, rtol=0, atol=1e-9)
            np.testing.assert_allclose(rows.se, theirs.se_egt, rtol=1e-7)
    pretest = pd.read_csv(REFERENCE / "ref_pretest.csv").set_index("scenario").loc[scenario]
    assert ours.pretrend.statistic == pytest.approx(pretest.W, rel=1e-8)
    assert round(ours.pretrend.p, 5) == pretest.Wpval


@pytest.mark.parametrize("est_method", ["dr", "ipw", "reg"])
@pytest.mark.parametrize(
    "control, theirs", [("never", "nevertreated"), ("notyet", "notyettreated")]
)
def test_agrees_with_csdid_with_a_covariate(mpdta, est_method, control, theirs):
    # csdid (port of R did 2.5, itself checked against R): every ATT(g,t), SE, aggregate
    # and the Wald pre-test, conditional on log population, to 1e-6 (in fact ~1e-12).
    attgt = pytest.importorskip("csdid.att_gt")
    ours = did(mpdta, **MPDTA, covariates=["lpop"], est_method=est_method, control=control)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = attgt.ATTgt(
            yname="lemp",
            gname="first.treat",
            idname="countyreal",
            tname="year",
            data=mpdta,
            xformla="lemp~lpop",
            control_group=[theirs],
        ).fit(est_method=est_method, bstrap=False)
    cells = fitted.results
    np.testing.assert_array_equal(ours.att_gt.cohort, cells["group"])
    np.testing.assert_array_equal(ours.att_gt.time, cells["year"])
    np.testing.assert_allclose(ours.att_gt.att, cells["att"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.att_gt.se, cells["se"], rtol=0, atol=1e-6)
    assert ours.pretrend.statistic == pytest.approx(fitted.MP["W"], abs=1e-6)
    assert round(ours.pretrend.p, 5) == fitted.MP["Wpval"]
    for kind in ("simple", "group", "dynamic", "calendar"):
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.aggte(typec=kind, bstrap=False)
        table = ours.aggregate(kind, n_boot=0)
        assert table.loc["overall", "att"] == pytest.approx(fitted.atte["overall_att"], abs=1e-6)
        assert table.loc["overall", "se"] == pytest.approx(fitted.atte["overall_se"], abs=1e-6)
        if kind != "simple":
            rows = table.drop(index="overall")
            np.testing.assert_allclose(rows.att, fitted.atte["att_egt"], rtol=0, atol=1e-6)
            np.testing.assert_allclose(rows.se, fitted.atte["se_egt"], rtol=0, atol=1e-6)


# ------------------------------------------------------------------ planted truths


def covariate_trends(n=4000, seed=0, nonlinear=False):
    """Known truth: y_it = α_i + (t − 2010)·(0.5 + m(x)) + (2 + (t − g))·1[t ≥ g] + ε, with
    m(x) = x (or x² when ``nonlinear``). Units with high x join more often (a multinomial
    logit in x over never, 2012 and 2014, so each cohort against the never-treated is a
    logit in x: the propensity model is right). Their trends are steeper, so the
    unconditional comparison is biased; conditional on x, trends are parallel."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    score = np.exp(np.column_stack([np.zeros(n), -0.5 + x, -0.5 + 0.5 * x]))
    probability = score / score.sum(axis=1, keepdims=True)
    cohort = np.array([0, 2012, 2014])[
        (probability.cumsum(axis=1) > rng.random(n)[:, None]).argmax(axis=1)
    ]
    alpha = rng.normal(size=n) + x
    slope = 0.5 + (x**2 if nonlinear else x)
    frames = []
    for t in range(2010, 2016):
        effect = np.where((cohort > 0) & (t >= cohort), 2.0 + (t - cohort), 0.0)
        y = alpha + (t - 2010) * slope + effect + rng.normal(size=n)
        frames.append(pd.DataFrame({"unit": np.arange(n), "t": t, "y": y, "g": cohort, "x": x}))
    return pd.concat(frames, ignore_index=True)


PLANTED = dict(outcome="y", unit="unit", time="t", cohort="g")


def planted_simple(panel):
    # simple aggregation, by hand: post cells weighted by cohort size. Cohort 2012 has
    # event times 0..3 (effects 2, 3, 4, 5; sum 14), cohort 2014 has 0..1 (2, 3; sum 5).
    sizes = panel[panel.t == 2010].g.value_counts()
    return (sizes[2012] * 14 + sizes[2014] * 5) / (sizes[2012] * 4 + sizes[2014] * 2)


@pytest.fixture(scope="module")
def linear_trends():
    return covariate_trends()


@pytest.mark.parametrize("est_method", ["dr", "ipw", "reg"])
def test_covariates_remove_the_bias_of_covariate_dependent_trends(linear_trends, est_method):
    result = did(linear_trends, **PLANTED, covariates=["x"], est_method=est_method)
    post = result.att_gt[result.att_gt.post]
    z = (post.att - (2 + post.event_time)) / post.se
    assert np.abs(z).max() < 4, z.round(2).tolist()
    pre = result.att_gt[~result.att_gt.post]
    assert np.abs(pre.att / pre.se).max() < 4
    simple = result.table.loc["simple"]
    assert abs(simple.att - planted_simple(linear_trends)) < 3 * simple.se
    assert result.pretrend.p > 0.001


def test_without_covariates_the_same_data_are_biased_and_the_pretest_says_so(linear_trends):
    result = did(linear_trends, **PLANTED)
    simple = result.table.loc["simple"]
    assert simple.att - planted_simple(linear_trends) > 10 * simple.se
    assert result.pretrend.p < 1e-6


def test_doubly_robust_survives_a_wrong_outcome_model():
    # Trends in x² but covariates enter linearly: the outcome regression is wrong, the
    # propensity model right. DR and IPW stay unbiased; regression alone does not.
    panel = covariate_trends(seed=1, nonlinear=True)
    truth = planted_simple(panel)
    for est_method in ("dr", "ipw"):
        simple = did(panel, **PLANTED, covariates=["x"], est_method=est_method).table.loc["simple"]
        assert abs(simple.att - truth) < 3 * simple.se, est_method
    wrong = did(panel, **PLANTED, covariates=["x"], est_method="reg").table.loc["simple"]
    assert abs(wrong.att - truth) > 4 * wrong.se


@pytest.mark.slow
def test_influence_standard_errors_match_the_sampling_spread():
    # 300 data sets: the sampling SD of the DR simple aggregate against the mean of the
    # influence-function SEs, and 95% coverage of the planted truth.
    estimates, errors, covered = [], [], []
    for seed in range(300):
        panel = covariate_trends(n=800, seed=100 + seed)
        row = did(panel, **PLANTED, covariates=["x"]).table.loc["simple"]
        estimates.append(row.att)
        errors.append(row.se)
        covered.append(row.ci_low <= planted_simple(panel) <= row.ci_high)
    assert np.mean(errors) == pytest.approx(np.std(estimates, ddof=1), rel=0.12)
    assert 0.92 <= np.mean(covered) <= 0.98


# ------------------------------------------------------------------ showing itself


def test_table_holds_each_aggregations_overall_effect_by_name(mpdta):
    result = did(mpdta, **MPDTA, covariates=["lpop"])
    assert list(result.table.index) == ["simple", "group", "dynamic", "calendar"]
    assert result.table.index.name == "aggregation"
    for kind in result.table.index:
        overall = result.aggregate(kind, n_boot=0).loc["overall"]
        assert result.table.loc[kind, "att"] == pytest.approx(overall.att, rel=1e-12)
        assert result.table.loc[kind, "se"] == pytest.approx(overall.se, rel=1e-12)
    summary = result.summary()
    assert isinstance(summary, Summary)
    for kind in ("simple", "dynamic"):
        assert kind in summary
    assert "lpop" in summary and "dr" in summary
    assert "<table" in summary._repr_html_() and "<table" in result._repr_html_()
    assert str(result) == str(summary)
    # the console shows a short text, not the fields
    assert repr(result).startswith("DidResult: ") and "att_gt=" not in repr(result)
    assert all(kind in repr(result) for kind in ("simple", "group", "dynamic", "calendar"))


def test_pretrend_tests_are_small_frozen_objects(mpdta):
    result = did(mpdta, **MPDTA)
    r_test, event_time = result.pretrend, result.pretrend_event_time
    assert isinstance(r_test, PretrendTest) and isinstance(r_test, StatisticalTest)
    assert "R did" in r_test.name and "event-time" in event_time.name
    assert r_test.df == 5 and event_time.df == 3  # every cell vs event times −3, −2, −1
    # the example: on mpdta the two tests give p = 0.17 and p = 0.06
    assert round(r_test.p, 2) == 0.17 and round(event_time.p, 2) == 0.06
    assert "p = 0.168" in str(r_test) and "null hypothesis" in str(r_test)
    with pytest.raises(AttributeError):
        r_test.p = 0.5
    # reports written against the old dicts keep working
    assert "{chi2:.1f} {df} {p:.3f}".format(**r_test) == f"{r_test.statistic:.1f} 5 0.168"
    twfe = result.twfe
    assert isinstance(twfe, TwfeComparison)
    assert twfe["estimate"] == twfe.estimate and "{estimate} {se}".format(**twfe)
    assert "two-way fixed effects" in str(twfe)


@pytest.mark.parametrize("level", [95, 0, 1, -0.5, "high"])
def test_ci_outside_zero_and_one_is_a_clear_error(mpdta, level):
    with pytest.raises(CILevelError, match="between 0 and 1"):
        did(mpdta, **MPDTA, ci=level)


def test_ci_95_points_to_0_95(mpdta):
    with pytest.raises(CILevelError, match="ci=0.95"):
        did(mpdta, **MPDTA, ci=95)
    narrow = did(mpdta, **MPDTA, ci=0.5).att_gt
    assert ((narrow.ci_high - narrow.ci_low) / narrow.se).round(6).eq(1.34898).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"est_method": "aipw"}, "est_method must be"),
        ({"covariates": ["size"]}, "unknown column"),
        ({"control": "later"}, "control must be"),
        ({"anticipation": -1}, "anticipation must be"),
    ],
)
def test_bad_arguments_are_named(mpdta, kwargs, message):
    with pytest.raises(EstimationError, match=message):
        did(mpdta, **MPDTA, **kwargs)


def test_r_names_for_the_control_groups_are_accepted(mpdta):
    ours = did(mpdta, **MPDTA, control="notyettreated")
    assert ours.inputs["control"] == "notyet"


def test_collinear_or_separating_covariates_say_which_cell(mpdta):
    with pytest.raises(EstimationError, match="cohort 2004, period 2004: .*collinear"):
        did(mpdta.assign(lpop2=2 * mpdta.lpop), **MPDTA, covariates=["lpop", "lpop2"])
    separating = mpdta.assign(marker=(mpdta["first.treat"] > 0).astype(float))
    with pytest.raises(EstimationError, match="separates"):
        did(separating, **MPDTA, covariates=["marker"], est_method="ipw")


def test_units_missing_a_covariate_are_dropped_and_counted(mpdta):
    gappy = mpdta.copy()
    gappy.loc[gappy.countyreal.isin([8001, 13013]) & (gappy.year == 2005), "lpop"] = np.nan
    result = did(gappy, **MPDTA, covariates=["lpop"])
    assert result.inputs["units_dropped"] == 2 and result.inputs["n_units"] == 498
    assert any("covariate" in note for note in result.notes)


def test_result_is_a_did_result_with_covariates_recorded(mpdta):
    result = did(mpdta, **MPDTA, covariates="lpop", est_method="ipw")
    assert isinstance(result, DidResult)
    assert result.inputs["covariates"] == ["lpop"] and result.inputs["method"] == "ipw"


def many_cohorts_few_units(seed):
    """72 units, 8 joining cohorts over 10 years and no pre-trend at all (the truth):
    y = α_i + 0.5·k + shock_k + (3 + (t − g))·1[t ≥ g] + ε."""
    rng = np.random.default_rng(seed)
    periods = range(2014, 2024)
    cohort = rng.choice([*range(2016, 2024), 0, 0], 72)
    alpha, shocks = rng.normal(20, 4, 72), rng.normal(0, 1, len(periods))
    frames = []
    for k, t in enumerate(periods):
        effect = np.where((cohort > 0) & (t >= cohort), 3.0 + (t - cohort), 0.0)
        y = alpha + 0.5 * k + shocks[k] + effect + rng.normal(0, 1.5, 72)
        frames.append(pd.DataFrame({"unit": np.arange(72), "t": t, "y": y, "g": cohort}))
    return pd.concat(frames, ignore_index=True)


def test_r_pretest_is_flagged_when_cells_outnumber_units(mpdta):
    assert did(mpdta, **MPDTA).pretrend.warning is None  # 5 cells, 500 counties
    result = did(many_cohorts_few_units(0), **PLANTED)
    assert result.pretrend.df > 30 and "rejects true parallel trends too often" in (
        result.pretrend.warning
    )
    assert "caution" in str(result.pretrend)
    assert any(note.startswith("pre-trend test:") for note in result.notes)


@pytest.mark.slow
def test_why_the_flag_r_pretest_size_with_few_units_per_cell():
    # Under a true null, R's joint test over ~44 cells with 72 units rejects far more
    # often than 5%; the event-time test, with 9 restrictions, much less.
    cell_rejections, event_rejections = [], []
    for seed in range(60):
        result = did(many_cohorts_few_units(seed), **PLANTED)
        if result.pretrend is not None:
            cell_rejections.append(result.pretrend.p < 0.05)
        event_rejections.append(result.pretrend_event_time.p < 0.05)
    assert np.mean(cell_rejections) > 0.5
    assert np.mean(event_rejections) < 0.3


@pytest.mark.parametrize(
    "theirs, ours",
    [
        ({"anticipation": 1}, {"anticipation": 1}),
        ({"clustervars": ["countyreal", "state"]}, {"cluster": "state"}),
    ],
)
def test_agrees_with_csdid_with_anticipation_and_clusters(mpdta, theirs, ours):
    attgt = pytest.importorskip("csdid.att_gt")
    data = mpdta.assign(state=mpdta.countyreal // 1000)  # county FIPS: state × 1000 + county
    result = did(data, **MPDTA, covariates=["lpop"], control="notyet", **ours)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        fitted = attgt.ATTgt(
            yname="lemp",
            gname="first.treat",
            idname="countyreal",
            tname="year",
            data=data,
            xformla="lemp~lpop",
            control_group=["notyettreated"],
            **theirs,
        ).fit(est_method="dr", bstrap=False)
    np.testing.assert_allclose(result.att_gt.att, fitted.results["att"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(result.att_gt.se, fitted.results["se"], rtol=0, atol=1e-6)
    if "cluster" in ours:  # R's cluster-robust Wald pre-test (analytic, bstrap = FALSE)
        assert result.pretrend.statistic == pytest.approx(fitted.MP["W"], abs=1e-6)
    else:
        # R tests every cell with t < g (att_gt.R: pre <- which(group > tt)), the
        # anticipation window included; csdid only t < g − 1, so the df differ.
        assert result.pretrend.df == int((result.att_gt.cohort > result.att_gt.time).sum()) == 5


def test_agrees_with_csdid_with_time_varying_and_text_covariates(mpdta):
    # A covariate that changes every year is taken in each comparison's base period, and
    # a text covariate enters as indicators of every level but the first (R's
    # model.matrix), as in R did / csdid.
    attgt = pytest.importorskip("csdid.att_gt")
    rng = np.random.default_rng(0)
    data = mpdta.assign(
        lpop=mpdta.lpop + rng.normal(0, 0.3, len(mpdta)),
        region=np.array(["a", "b", "c"])[mpdta.countyreal % 3],
    )
    for control, theirs in (("never", "nevertreated"), ("notyet", "notyettreated")):
        result = did(data, **MPDTA, covariates=["lpop", "region"], control=control)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            fitted = attgt.ATTgt(
                yname="lemp",
                gname="first.treat",
                idname="countyreal",
                tname="year",
                data=data,
                xformla="lemp~lpop+C(region)",
                control_group=[theirs],
            ).fit(est_method="dr", bstrap=False)
        np.testing.assert_allclose(result.att_gt.att, fitted.results["att"], rtol=0, atol=1e-6)
        np.testing.assert_allclose(result.att_gt.se, fitted.results["se"], rtol=0, atol=1e-6)


def _first_period_treated(data):
    never = data.countyreal[data["first.treat"] == 0].unique()[:25]
    return data.assign(
        **{"first.treat": data["first.treat"].mask(data.countyreal.isin(never), 2003)}
    )


SAMPLES = {
    # 25 counties already treated in 2003, the first year: R drops them (pre_process_did)
    "treated in the first period": _first_period_treated,
    # no never-treated county: R uses the 2007 cohort as comparison and drops 2007 on
    "no never-treated": lambda data: data[data["first.treat"] > 0],
    # R's other code for never-treated
    "Inf for never": lambda data: data.assign(
        **{"first.treat": data["first.treat"].replace(0, np.inf)}
    ),
}


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize(
    "control, theirs", [("never", "nevertreated"), ("notyet", "notyettreated")]
)
def test_samples_are_shaped_as_r_did_shapes_them(mpdta, sample, control, theirs):
    attgt = pytest.importorskip("csdid.att_gt")
    data = SAMPLES[sample](mpdta)
    result = did(data, **MPDTA, covariates=["lpop"], control=control)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        fitted = attgt.ATTgt(
            yname="lemp",
            gname="first.treat",
            idname="countyreal",
            tname="year",
            data=data,
            xformla="lemp~lpop",
            control_group=[theirs],
        ).fit(est_method="dr", bstrap=False)
        fitted.aggte(typec="dynamic", bstrap=False)
    np.testing.assert_array_equal(result.att_gt.cohort, fitted.results["group"])
    np.testing.assert_array_equal(result.att_gt.time, fitted.results["year"])
    np.testing.assert_allclose(result.att_gt.att, fitted.results["att"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(result.att_gt.se, fitted.results["se"], rtol=0, atol=1e-6)
    overall = result.aggregate("dynamic", n_boot=0).loc["overall"]
    assert overall.se == pytest.approx(fitted.atte["overall_se"], abs=1e-6)
    assert result.pretrend.statistic == pytest.approx(fitted.MP["W"], abs=1e-6)
    if sample != "Inf for never":
        assert any("as R did does" in note for note in result.notes)


def test_small_groups_are_named_and_a_tiny_never_group_refused(mpdta):
    # R did (pre_process_did): groups under 5 + number of covariates draw a warning, and
    # a never-treated group that small stops estimation with control "nevertreated".
    cohort_2004 = mpdta.countyreal[mpdta["first.treat"] == 2004].unique()
    few_2004 = mpdta[~mpdta.countyreal.isin(cohort_2004[3:])]  # 3 of its 20 counties
    sizes = few_2004.drop_duplicates("countyreal")["first.treat"].value_counts()
    assert sizes[2004] == 3
    result = did(few_2004, **MPDTA, covariates=["lpop"])
    assert result.inputs["small_cohorts"] == [2004]
    assert any(f"cohort 2004 ({sizes[2004]})" in note for note in result.notes)
    never = mpdta.countyreal[mpdta["first.treat"] == 0].unique()
    tiny_never = mpdta[(mpdta["first.treat"] > 0) | mpdta.countyreal.isin(never[:4])]
    with pytest.raises(EstimationError, match="only 4 unit.* never take part"):
        did(tiny_never, **MPDTA)
    assert did(tiny_never, **MPDTA, control="notyet").inputs["small_cohorts"] is None


def test_public_names_stay_where_users_import_them():
    from impact import participation

    for name in (
        "did",
        "att",
        "count_effect",
        "dataset_did",
        "dataset_att",
        "community_cohorts",
        "DidResult",
        "EffectResult",
    ):
        assert callable(getattr(participation, name)), name
    assert participation.did.__module__ == "impact.participation.staggered"
