"""Sustainability estimators against published results on real data shipped offline by
lifelines, against lifelines itself, against simulations with known hazard ratios, and
against hand calculations on the clean fixture."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impact
from impact.errors import EstimationError
from impact.sustainability import (
    cox,
    cox_zph,
    infer_predecessors,
    kaplan_meier,
    km_quantiles,
    lineages,
    project_rounds,
    round_hazard,
    self_financing,
)

lifelines = pytest.importorskip("lifelines")
from lifelines.datasets import load_lung, load_rossi  # noqa: E402


@pytest.fixture(scope="module")
def rossi():
    data = load_rossi()
    # The real data: 432 men released from Maryland prisons, 114 rearrested within a year
    # (Rossi, Berk & Lenihan 1980); not a stand-in.
    assert data.shape == (432, 9) and data.arrest.sum() == 114
    assert data.week.mean() == pytest.approx(45.854, abs=1e-3)
    return data


@pytest.fixture(scope="module")
def lung():
    data = load_lung()
    # NCCTG advanced lung cancer (Loprinzi et al. 1994): 228 patients, 165 deaths.
    assert data.shape[0] == 228 and data.status.sum() == 165
    return data


ROSSI_COVARIATES = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


def test_cox_reproduces_fox_and_weisberg_on_rossi(rossi):
    # Fox & Weisberg (2018), "Cox Proportional-Hazards Regression for Survival Data in R",
    # appendix to An R Companion to Applied Regression (3rd ed.): coxph(Surv(week, arrest)
    # ~ fin + age + race + wexp + mar + paro + prio, data = Rossi), Efron ties. Printed to
    # five decimals, so the tolerance is half a unit in the fifth place.
    published = {
        "fin": (-0.37942, 0.19138),
        "age": (-0.05744, 0.02200),
        "race": (0.31390, 0.30799),
        "wexp": (-0.14980, 0.21222),
        "mar": (-0.43370, 0.38187),
        "paro": (-0.08487, 0.19576),
        "prio": (0.09150, 0.02865),
    }
    table = cox(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES).table
    for term, (coefficient, se) in published.items():
        assert table.loc[term, "estimate"] == pytest.approx(coefficient, abs=5e-6), term
        assert table.loc[term, "se"] == pytest.approx(se, abs=5e-6), term
    assert table.loc["fin", "hazard_ratio"] == pytest.approx(0.6843, abs=5e-5)


def test_cox_agrees_with_lifelines(rossi):
    ours = cox(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES).table
    theirs = lifelines.CoxPHFitter().fit(rossi, "week", "arrest").summary
    np.testing.assert_allclose(ours.estimate, theirs.loc[ROSSI_COVARIATES, "coef"], atol=1e-5)
    np.testing.assert_allclose(ours.se, theirs.loc[ROSSI_COVARIATES, "se(coef)"], atol=1e-5)


def test_ph_check_flags_what_fox_and_weisberg_flag(rossi):
    # Fox & Weisberg's cox.zph finds non-proportional hazards for age and wexp, not fin.
    p = cox(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES).table.ph_test_p
    assert p["age"] < 0.05 and p["wexp"] < 0.05 and p["fin"] > 0.5


def test_cluster_robust_cox_runs_and_differs(rossi):
    clustered = cox(
        rossi.assign(block=np.arange(432) // 4),
        duration="week",
        event="arrest",
        covariates=["fin", "prio"],
        cluster="block",
    ).table
    plain = cox(rossi, duration="week", event="arrest", covariates=["fin", "prio"]).table
    np.testing.assert_allclose(clustered.estimate, plain.estimate)
    assert not np.allclose(clustered.se, plain.se)


def test_kaplan_meier_reproduces_r_survival_on_lung(lung):
    # R, survival package: survfit(Surv(time, status) ~ 1, data = lung) prints median 310,
    # 0.95LCL 285, 0.95UCL 363; by sex: 270 (212, 310) and 426 (348, 550);
    # survdiff(Surv(time, status) ~ sex): Chisq = 10.3 on 1 degree of freedom, p = 0.001.
    overall = kaplan_meier(lung, duration="time", event="status").medians.loc["all"]
    assert (overall["median"], overall.ci_low, overall.ci_high) == (310, 285, 363)
    by_sex = kaplan_meier(lung, duration="time", event="status", by="sex")
    assert by_sex.medians.loc[1, ["median", "ci_low", "ci_high"]].tolist() == [270, 212, 310]
    assert by_sex.medians.loc[2, ["median", "ci_low", "ci_high"]].tolist() == [426, 348, 550]
    assert round(by_sex.logrank["chi2"], 1) == 10.3
    assert round(by_sex.logrank["p"], 3) == 0.001


def test_kaplan_meier_agrees_with_lifelines(lung):
    ours = kaplan_meier(lung, duration="time", event="status").table
    fitter = lifelines.KaplanMeierFitter().fit(lung.time, lung.status)
    theirs = fitter.survival_function_at_times(ours.time.to_numpy())
    np.testing.assert_allclose(ours.survival, theirs.to_numpy(), atol=1e-10)


def test_round_hazard_recovers_planted_hazard_ratios():
    # Known truth: after each round a line ends with probability 1 − exp(−h),
    # h = 0.35 × 0.6^matched × 0.9^(team − 8) × 2^(lagging this round).
    rng = np.random.default_rng(11)
    rows = []
    for line in range(6000):
        matched, team = rng.random() < 0.3, int(rng.integers(3, 15))
        for phase in range(1, 7):
            lagging = rng.random() < 0.25
            hazard = 0.35 * 0.6**matched * 0.9 ** (team - 8) * 2.0**lagging
            ended = rng.random() < 1 - np.exp(-hazard)
            rows.append((line, phase, float(matched), team - 8.0, float(lagging), float(ended)))
            if ended:
                break
    frame = pd.DataFrame(rows, columns=["line", "phase", "matched", "team", "lagging", "ended"])
    table = round_hazard(
        frame, event="ended", covariates=["matched", "team", "lagging"], cluster="line"
    ).table
    assert table.loc["matched", "hazard_ratio"] == pytest.approx(0.6, rel=0.08)
    assert table.loc["team", "hazard_ratio"] == pytest.approx(0.9, rel=0.02)
    assert table.loc["lagging", "hazard_ratio"] == pytest.approx(2.0, rel=0.08)
    assert table.loc["const", "hazard_ratio"] == pytest.approx(0.35, rel=0.08)


def test_cox_recovers_planted_hazard_ratios_in_continuous_time():
    rng = np.random.default_rng(12)
    n = 4000
    matched = (rng.random(n) < 0.4).astype(float)
    team = rng.normal(0, 2, n)
    time = rng.exponential(1 / (0.2 * 0.6**matched * 0.9**team))
    censor = rng.uniform(0, 12, n)
    frame = pd.DataFrame(
        {
            "t": np.minimum(time, censor),
            "e": (time <= censor).astype(int),
            "matched": matched,
            "team": team,
        }
    )
    table = cox(frame, duration="t", event="e", covariates=["matched", "team"]).table
    assert table.loc["matched", "hazard_ratio"] == pytest.approx(0.6, rel=0.06)
    assert table.loc["team", "hazard_ratio"] == pytest.approx(0.9, rel=0.02)
    assert table.loc["matched", "hr_low"] < 0.6 < table.loc["matched", "hr_high"]


def test_lineages_by_hand(clean_dir):
    # P1 (round 1) → P4 (round 2, the latest): one line of 2 rounds, censored.
    # P2 (round 1) not continued while round 2 ran: a line of 1 round that ended.
    # P3 was never funded.
    table = lineages(impact.load(clean_dir)).set_index("lineage_id")
    assert table.loc["P1", ["duration_rounds", "ended", "last_round"]].tolist() == [2, 0, 2]
    assert table.loc["P2", ["duration_rounds", "ended", "last_round"]].tolist() == [1, 1, 1]
    assert "P3" not in table.index and not table.inferred.any()


def test_missing_links_are_inferred_by_the_documented_rule_and_flagged(clean_dir):
    data = impact.load(clean_dir)
    projects = data.projects.copy()
    projects["predecessor_id"] = pd.NA
    inferred = infer_predecessors(projects)
    assert inferred[projects.project_id == "P4"].tolist() == ["P1"]  # same place, title
    assert inferred[projects.project_id != "P4"].isna().all()
    unlinked = impact.Dataset.from_frames(projects=projects)
    table = lineages(unlinked).set_index("lineage_id")
    assert table.loc["P1", "inferred"] and table.loc["P1", "duration_rounds"] == 2
    assert not lineages(unlinked, infer=False).inferred.any()


def test_self_financing_by_hand(clean_dir):
    row = self_financing(impact.load(clean_dir)).loc[("demo", 2022)]
    assert row.projects == 2 and row.active_share == 0.5 and row.registered_share == 0
    assert row.own_income_yuan == 1200 and row.fund_donation_yuan == 180
    assert row.self_financing_share == pytest.approx(1200 / (1200 + 5000 + 8000))


def test_project_rounds_on_the_sample_has_censored_latest_rounds():
    rounds = project_rounds(impact.load("data/sample"))
    latest = rounds.groupby("programme_id")["round"].transform("max")
    assert rounds.loc[rounds["round"] == latest, "ended"].isna().all()
    assert set(rounds.loc[rounds["round"] < latest, "ended"]) == {0.0, 1.0}
    assert rounds.low_midterm.notna().all()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r: cox(r, duration="week", event="arrest", covariates=["nope"]), "unknown column"),
        (
            lambda r: cox(r.assign(arrest=0), duration="week", event="arrest", covariates=["fin"]),
            "too few events",
        ),
        (lambda r: kaplan_meier(r.assign(arrest=0), duration="week", event="arrest"), "no events"),
        (
            lambda r: cox(r, duration="week", event="arrest", covariates=["fin"], ties="exact"),
            "ties",
        ),
    ],
)
def test_bad_arguments(rossi, call, message):
    with pytest.raises(EstimationError, match=message):
        call(rossi)


@pytest.mark.slow
def test_generator_hazard_ratios_recovered_over_pooled_samples():
    # The generator's planted truth (simulate_defaults.yaml): HR matched 0.6, per team
    # member 0.9, lagging at mid-term 2.0. Pooled over 12 seeds to have events enough.
    from impact.simulate import simulate

    frames = []
    for seed in range(12):
        rounds = project_rounds(simulate(seed=seed))
        rounds["line"] = f"{seed}-" + rounds.lineage_id
        frames.append(rounds)
    rounds = pd.concat(frames)
    rounds["matched"] = (rounds.application_type == "matched").astype(float)
    rounds["team"] = rounds.team_size.astype(float) - 8
    table = round_hazard(
        rounds, event="ended", covariates=["matched", "team", "low_midterm"], cluster="line"
    ).table
    for term, truth in (("matched", 0.6), ("team", 0.9), ("low_midterm", 2.0)):
        assert table.loc[term, "hr_low"] < truth < table.loc[term, "hr_high"], term


# ---------------------------------------------------------------- risk model

from impact.sustainability import risk_model  # noqa: E402


def _lagging_projects(seed, programmes=4, per_programme=250):
    # Known truth: a project ends with probability 1 − exp(−0.35 · 0.6^matched ·
    # 3^(progress < 0.4)); progress ~ Beta(5, 5). Only progress and type matter; the
    # noise column does not.
    rng = np.random.default_rng(seed)
    n = programmes * per_programme
    progress = rng.beta(5, 5, n)
    matched = rng.random(n) < 0.3
    hazard = 0.35 * 0.6**matched * 3.0 ** (progress < 0.4)
    return pd.DataFrame(
        {
            "ended": (rng.random(n) < 1 - np.exp(-hazard)).astype(float),
            "midterm_progress": progress,
            "noise": rng.normal(size=n),
            "application_type": np.where(matched, "matched", "standard"),
            "programme_id": np.repeat([f"p{i}" for i in range(programmes)], per_programme),
        }
    )


def test_risk_model_ranks_projects_by_the_planted_risk():
    projects = _lagging_projects(seed=21)
    result = risk_model(
        projects,
        target="ended",
        features=["midterm_progress", "application_type", "noise"],
        groups="programme_id",
    )
    assert result.metrics["grouped_by"] == "programme_id" and result.metrics["folds"] == 4
    # The best possible AUC here, from the true risk itself, is about 0.65.
    assert 0.58 < result.metrics["auc"] < 0.72
    risky = result.table.risk.idxmax()
    assert projects.loc[risky, "midterm_progress"] < 0.4
    assert result.table.loc[risky, "reasons"].startswith("midterm_progress low")
    calibration = result.calibration
    assert calibration.observed.iloc[-1] > calibration.observed.iloc[0]


def test_risk_model_scores_the_current_round():
    history = _lagging_projects(seed=22)
    current = _lagging_projects(seed=23, programmes=1, per_programme=20).assign(ended=np.nan)
    result = risk_model(
        pd.concat([history, current], ignore_index=True),
        target="ended",
        features=["midterm_progress", "application_type"],
        groups="programme_id",
    )
    assert result.metrics["n"] == len(history)  # the current round is not learnt from
    scored = result.score(current)
    assert scored.risk.between(0, 1).all() and len(scored) == 20
    lagging = current.midterm_progress < 0.4
    assert scored.risk[lagging].mean() > scored.risk[~lagging].mean()


def test_risk_model_needs_events_to_learn_from():
    projects = _lagging_projects(seed=24).assign(ended=0.0)
    with pytest.raises(EstimationError, match="at least 5 projects that ended"):
        risk_model(projects, target="ended", features=["midterm_progress"])


# ---------------------------------------------------------------- R survival references
# Each number below is printed by R's survival package in its own test files; the R call
# and output are in tests/reference/ (see its README), the data in tests/data/r_survival/.

R_DATA = Path(__file__).parent / "data" / "r_survival"


def test_cox_zph_reproduces_r_on_ovarian():
    # tests/reference/r_survival_cox_zph_ovarian.txt (survival-Ex.Rout.save lines 604-612):
    # cox.zph(coxph(Surv(futime, fustat) ~ age + ecog.ps, ovarian)), transform "km".
    ovarian = pd.read_csv(R_DATA / "ovarian.csv")
    table = cox_zph(ovarian, duration="futime", event="fustat", covariates=["age", "ecog.ps"])
    table = table.table
    printed = {"age": (0.698, 1, 0.40), "ecog.ps": (2.371, 1, 0.12), "GLOBAL": (3.633, 2, 0.16)}
    for term, (chisq, df, p) in printed.items():
        assert table.loc[term, "chisq"] == pytest.approx(chisq, abs=5e-4), term
        assert table.loc[term, "df"] == df
        assert table.loc[term, "p"] == pytest.approx(p, abs=5e-3), term
    # the same through cox(): per-term p beside the coefficients, global on ph_test
    fit = cox(ovarian, duration="futime", event="fustat", covariates=["age", "ecog.ps"])
    assert fit.table.ph_test_p["ecog.ps"] == pytest.approx(table.loc["ecog.ps", "p"])
    assert fit.ph_test.global_test.statistic == pytest.approx(3.633, abs=5e-4)
    assert "GLOBAL" in str(fit.ph_test.summary())
    age = fit.ph_test.test("age")
    assert (age.df, round(age.statistic, 3)) == (1, 0.698) and "age" in age.null


@pytest.mark.parametrize("ties", ["breslow", "efron"])
@pytest.mark.parametrize("transform", ["identity", "log"])
def test_cox_zph_matches_the_closed_form_score_test(ties, transform):
    # tests/reference/r_survival_zph_by_hand.txt (survival tests/zph.Rout.save): for this
    # data the MLE, the score U and information per death time have closed forms; R checks
    # cox.zph against the score test built from them, written out again here.
    data = pd.DataFrame({"time": [9, 1, 1, 6, 6, 8], "status": [1, 1, 0, 1, 1, 0]})
    data["x"] = [0, 1, 1, 1, 0, 0]
    if ties == "breslow":
        r = (3 + np.sqrt(33)) / 2
        score = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 3), 0])
        info = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 3 * r / (r + 3) ** 2, 0])
    else:
        phi = np.arccos((45 / 23) * np.sqrt(3 / 23))
        r = 2 * np.sqrt(23 / 3) * np.cos(phi / 3)
        score = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 5), 0])
        info = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 5 * r / (r + 5) ** 2, 0])
    death_times = np.array([1.0, 6, 6, 9])
    g = death_times if transform == "identity" else np.log(death_times)
    g = g - g.mean()
    u = np.array([score.sum(), (g * score).sum()])
    i2 = np.array([[info.sum(), (g * info).sum()], [(g * info).sum(), (g**2 * info).sum()]])
    expected = u @ np.linalg.solve(i2, u)
    fit = cox(data, duration="time", event="status", covariates=["x"], ties=ties)
    assert fit.table.estimate["x"] == pytest.approx(np.log(r), abs=1e-8)
    zph = cox_zph(
        data, duration="time", event="status", covariates=["x"], ties=ties, transform=transform
    )
    assert zph.table.chisq["x"] == pytest.approx(expected, rel=1e-7)


def test_cluster_robust_cox_reproduces_r_on_diabetic():
    # tests/reference/r_survival_coxph_cluster_diabetic.txt (survival-Ex.Rout.save lines
    # 782-796): coxph(Surv(time, status) ~ trt + juvenile, cluster = id, diabetic), Efron
    # ties (17 of the 155 event times are tied), two eyes per patient.
    diabetic = pd.read_csv(R_DATA / "diabetic.csv")
    diabetic["juvenile"] = (diabetic.age < 20).astype(float)
    options = dict(duration="time", event="status", covariates=["trt", "juvenile"])
    robust = cox(diabetic, cluster="id", **options).table
    naive = cox(diabetic, **options).table
    printed = {"trt": (-0.77893, 0.16893, 0.14851), "juvenile": (-0.05388, 0.16211, 0.17864)}
    for term, (coefficient, se, robust_se) in printed.items():
        assert robust.loc[term, "estimate"] == pytest.approx(coefficient, abs=5e-6)
        assert naive.loc[term, "se"] == pytest.approx(se, abs=5e-6)
        assert robust.loc[term, "naive_se"] == pytest.approx(se, abs=5e-6)
        assert robust.loc[term, "se"] == pytest.approx(robust_se, abs=5e-6)
    assert robust.loc["trt", "p"] == pytest.approx(1.56e-07, rel=5e-3)


def test_score_residuals_sum_to_zero_and_match_statsmodels_under_breslow(rossi):
    # At the MLE the score residuals of every covariate sum to zero. With Breslow ties
    # statsmodels' PHReg computes the same residuals independently (its residuals are
    # Breslow-type whatever the ties, which is why Efron fits use our own; those are
    # pinned to R above).
    from statsmodels.duration.hazard_regression import PHReg

    from impact.sustainability.coxph import cox_fit

    time_, status = rossi.week.to_numpy(float), rossi.arrest.to_numpy(float)
    x = rossi[["fin", "age", "prio"]].to_numpy(float)
    for ties in ("efron", "breslow"):
        fit = cox_fit(time_, status, x, ties)
        np.testing.assert_allclose(fit.score_residuals.sum(axis=0), 0, atol=1e-8)
    theirs = PHReg(time_, x, status=status, ties="breslow").fit().score_residuals
    np.testing.assert_allclose(fit.score_residuals, theirs, atol=1e-8)


def test_km_quantiles_reproduce_r_quantile_survfit():
    # tests/reference/r_survival_quantile.txt (survival tests/quantile.Rout.save lines
    # 27-48): probabilities chosen to hit the flats of the curve exactly.
    data = pd.DataFrame({"time": [9, 1, 1, 6, 6, 8, 10], "status": [1, 1, 0, 1, 1, 0, 0]})
    qq = np.array([13 / 14, 6 / 7, 2 / 3, 0.5, 9 / 35, 0.1])
    table = km_quantiles(data.time, data.status, 1 - qq)
    np.testing.assert_array_equal(table["quantile"], [1, 3.5, 6, 9, 9.5, np.nan])
    np.testing.assert_array_equal(table.ci_low, [1, 1, 1, 6, 6, 9])
    assert table.ci_high.isna().all()


def test_median_is_the_midpoint_of_a_flat_at_one_half():
    # By hand: durations 1, 2, 3, 4, all ended: S = 0.75, 0.5, 0.25, 0; S = 0.5 on [2, 3),
    # so the median is 2.5, as the sample median of 1, 2, 3, 4.
    frame = pd.DataFrame({"rounds": [1, 2, 3, 4], "ended": [1, 1, 1, 1]})
    result = kaplan_meier(frame, duration="rounds", event="ended")
    assert result.medians["median"].iloc[0] == 2.5
    # With the last two censored at 3 and 4 the curve stops at S = 0.5 from 2 on:
    # (2 + 4) / 2 = 3, R's rule for a flat at the end of the curve.
    frame = pd.DataFrame({"rounds": [1, 2, 3, 4], "ended": [1, 1, 0, 0]})
    assert kaplan_meier(frame, duration="rounds", event="ended").medians["median"].iloc[0] == 3


def test_a_median_not_reached_is_missing_and_says_so():
    frame = pd.DataFrame({"rounds": [1, 2, 3, 3, 3, 3], "ended": [1, 0, 0, 0, 0, 0]})
    result = kaplan_meier(frame, duration="rounds", event="ended")
    medians = result.medians.iloc[0]
    assert np.isnan(medians["median"]) and np.isnan(medians.ci_high)
    assert not np.isinf(result.medians[["median", "ci_low", "ci_high"]].to_numpy()).any()
    assert "not reached" in str(result.summary())


def test_logrank_is_a_statistical_test(lung):
    test = kaplan_meier(lung, duration="time", event="status", by="sex").logrank
    assert test.name == "log-rank" and test.df == 1 and round(test.statistic, 1) == 10.3
    assert "p = 0.001" in str(test) and "null hypothesis" in str(test)


@pytest.mark.parametrize("ci", [95, 0, 1.0])
def test_ci_outside_0_1_is_refused_everywhere(rossi, ci):
    options = dict(duration="week", event="arrest")
    for call in (
        lambda: cox(rossi, covariates=["fin"], ci=ci, **options),
        lambda: kaplan_meier(rossi, ci=ci, **options),
        lambda: round_hazard(rossi, event="arrest", covariates=["fin"], ci=ci),
    ):
        with pytest.raises(EstimationError, match="between 0 and 1"):
            call()


def test_robust_without_cluster_is_each_row_its_own_cluster_and_agrees_with_lifelines(rossi):
    # Without tied times Efron and Breslow coincide, so lifelines' robust=True (Lin & Wei
    # sandwich) is an independent reference for R's coxph(..., robust = TRUE).
    rng = np.random.default_rng(0)
    frame = rossi[["week", "arrest", "fin", "age", "prio"]].assign(
        week=rossi.week + rng.uniform(0, 0.5, len(rossi)), row=np.arange(len(rossi))
    )
    options = dict(duration="week", event="arrest", covariates=["fin", "age", "prio"])
    robust = cox(frame, robust=True, **options).table
    by_row = cox(frame, cluster="row", **options).table
    np.testing.assert_allclose(robust.se, by_row.se, rtol=1e-12)
    theirs = lifelines.CoxPHFitter().fit(frame.drop(columns="row"), "week", "arrest", robust=True)
    np.testing.assert_allclose(robust.se, theirs.standard_errors_[robust.index], rtol=1e-6)
    plain = cox(frame, **options).table
    np.testing.assert_allclose(robust.naive_se, plain.se, rtol=1e-12)


def test_cluster_robust_cox_with_a_factor_reproduces_r_on_retinopathy():
    # tests/reference/r_survival_coxph_cluster_retinopathy.txt (survival-Ex.Rout.save lines
    # 2607-2617): coxph(Surv(futime, status) ~ type + trt, cluster = id, retinopathy); a
    # categorical covariate is coded as R's treatment contrasts, first level the reference.
    retinopathy = pd.read_csv(R_DATA / "retinopathy.csv")
    retinopathy["type"] = pd.Categorical(retinopathy.type, categories=["juvenile", "adult"])
    table = cox(
        retinopathy, duration="futime", event="status", covariates=["type", "trt"], cluster="id"
    ).table
    printed = {"type=adult": (0.05388, 0.16211, 0.17864), "trt": (-0.77893, 0.16893, 0.14851)}
    for term, (coefficient, se, robust_se) in printed.items():
        assert table.loc[term, "estimate"] == pytest.approx(coefficient, abs=5e-6)
        assert table.loc[term, "naive_se"] == pytest.approx(se, abs=5e-6)
        assert table.loc[term, "se"] == pytest.approx(robust_se, abs=5e-6)
    assert table.loc["type=adult", "p"] == pytest.approx(0.763, abs=5e-4)


def test_constant_covariate_is_a_clear_error(rossi):
    with pytest.raises(EstimationError, match="constant or collinear"):
        cox(rossi.assign(one=1.0), duration="week", event="arrest", covariates=["one", "fin"])


def test_cox_zph_tests_a_categorical_term_on_all_its_columns(lung):
    # R's cox.zph(terms = TRUE) tests a factor with k levels as one term with k - 1 df; a
    # two-level factor is the same test as its single indicator column.
    frame = lung.dropna(subset=["ph.ecog"]).query("`ph.ecog` < 3")
    frame = frame.assign(ecog=frame["ph.ecog"].astype(int).astype(str))
    options = dict(duration="time", event="status")
    zph = cox_zph(frame, covariates=["age", "ecog"], **options).table
    assert list(zph.index) == ["age", "ecog", "GLOBAL"] and zph.df.tolist() == [1, 2, 3]
    fit = cox(frame, covariates=["age", "ecog"], **options).table
    assert list(fit.index) == ["age", "ecog=1", "ecog=2"]
    assert fit.ph_test_p["ecog=1"] == fit.ph_test_p["ecog=2"] == zph.p["ecog"]
    two = frame.assign(male=np.where(frame.sex == 1, "yes", "no"))
    as_text = cox_zph(two, covariates=["age", "male"], **options).table
    as_number = cox_zph(
        two.assign(male=(two.sex == 1) * 1.0), covariates=["age", "male"], **options
    )
    np.testing.assert_allclose(as_text.chisq.to_numpy(), as_number.table.chisq.to_numpy())


def test_plot_draws_every_group_from_one_to_its_last_follow_up():
    """A group whose only event is at its first time (here 'b': one line ends after 1
    round, three run on to 3) must still show a curve: from (0, 1), dropping to 3/4 at 1
    and staying there until 3, its last follow-up, as R's plot.survfit draws it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(
        {
            "rounds": [1, 2, 2, 3, 1, 3, 3, 3],
            "ended": [1, 1, 0, 0, 1, 0, 0, 0],
            "group": list("aaaabbbb"),
        }
    )
    result = kaplan_meier(frame, duration="rounds", event="ended", by="group")
    ax = result.plot()
    lines = {line.get_label(): line for line in ax.get_lines()}
    x, y = lines["b"].get_data()
    assert list(x) == [0.0, 1.0, 3.0]
    assert list(y) == [1.0, 0.75, 0.75]
    x, y = lines["a"].get_data()  # 1 - 1/4 at 1, then × (1 - 1/3) at 2, censored at 3
    assert list(x) == [0.0, 1.0, 2.0, 3.0]
    assert np.allclose(y, [1.0, 0.75, 0.5, 0.5])
    plt.close(ax.figure)


def test_inferred_links_follow_the_cells_asked_about():
    """Asking again for the same table gives the same links (in a Series the caller may
    change without effect on the next answer); changing one title so the pair no longer
    matches gives no link; the first table again gives its link again."""
    from impact.sustainability import lines

    projects = pd.DataFrame(
        {
            "project_id": ["a1", "a2"],
            "programme_id": ["p", "p"],
            "round": [1, 2],
            "community_id": ["c", "c"],
            "title": ["社区花园（第1期）", "社区花园（第2期）"],
            "stage": ["completed", "completed"],
            "grant_yuan": [5000.0, 5000.0],
        }
    )
    first = lines.infer_predecessors(projects)
    assert list(first.fillna("-")) == ["-", "a1"]
    first.iloc[1] = "changed by the caller"
    assert list(lines.infer_predecessors(projects).fillna("-")) == ["-", "a1"]
    other = projects.assign(title=["社区花园（第1期）", "老年食堂"])
    assert list(lines.infer_predecessors(other).fillna("-")) == ["-", "-"]
    assert list(lines.infer_predecessors(projects).fillna("-")) == ["-", "a1"]


def _predecessors_row_by_row(projects: pd.DataFrame) -> pd.Series:
    """The documented matching rule written the slow, obvious way with pandas indexing
    (the implementation before it was rewritten for speed): the reference."""
    import difflib

    from impact.dataset import funded_projects
    from impact.sustainability.lines import TITLE_SIMILARITY, _base_title

    funded = funded_projects(projects)
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


@pytest.mark.parametrize("seed", range(6))
def test_fast_predecessor_matching_equals_the_row_by_row_rule(seed):
    """Random project lists with repeated places, near-identical titles competing for one
    predecessor, given links that take candidates, missing communities and unfunded
    projects: the fast matching gives exactly the reference's links."""
    from impact.sustainability import lines

    rng = np.random.default_rng(seed)
    n = 300
    stems = ["社区花园", "社区花园角", "老年食堂", "儿童之家", "邻里议事厅", "垃圾分类"]
    frame = pd.DataFrame(
        {
            "project_id": [f"p{i}" for i in range(n)],
            "programme_id": rng.choice(["a", "b"], n),
            "round": rng.integers(1, 5, n),
            "community_id": rng.choice(["c1", "c2", "c3", None], n, p=[0.3, 0.3, 0.3, 0.1]),
            "applicant_type": rng.choice(["resident_group", "social_org"], n),
            "title": [
                f"{rng.choice(stems)}（第{rng.integers(1, 4)}期）"
                if rng.random() < 0.7
                else rng.choice(stems)
                for _ in range(n)
            ],
            "stage": rng.choice(["completed", "approved", "shortlisted"], n, p=[0.5, 0.3, 0.2]),
            "grant_yuan": rng.choice([5000.0, 8000.0, np.nan], n, p=[0.45, 0.45, 0.1]),
        }
    )
    given = rng.random(n) < 0.15
    frame["predecessor_id"] = np.where(given, rng.choice(frame.project_id, n), None)
    frame["predecessor_id"] = frame.predecessor_id.astype(object).where(given, pd.NA)
    expected = _predecessors_row_by_row(frame)
    got = lines.infer_predecessors(frame)
    assert expected.notna().sum() > 5  # the case has matches to get right
    pd.testing.assert_series_equal(got, expected)


def test_fast_predecessor_matching_on_the_sample_and_programmes():
    from impact.sustainability import lines

    root = Path(__file__).resolve().parents[1] / "data"
    for folder in [root / "sample", *sorted((root / "programmes").iterdir())]:
        if not folder.is_dir():
            continue
        projects = impact.load(folder).projects
        if projects is None:
            continue
        expected = _predecessors_row_by_row(projects)
        pd.testing.assert_series_equal(lines.infer_predecessors(projects), expected)
