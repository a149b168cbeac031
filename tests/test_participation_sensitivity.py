"""The Rambachan–Roth sensitivity analysis (impact.participation.sensitivity) against R
HonestDiD's own numbers, an independent Python implementation, a hand calculation and
HiGHS; the universal base period of participation.did against R did.

Sources (see tests/reference/honestdid/README.md for the R calls and printed output):

- R HonestDiD's README (github.com/asheshrambachan/HonestDiD), Medicaid expansion on the
  public ehec data (tests/data/ehec.csv): the printed tables, and the full-precision R
  objects of its knitr cache (r_sensitivity_tables.csv and friends);
- moderndid 0.2.0's ``didhonest`` for targets the README does not print
  (moderndid_other_targets.csv);
- R ``did``'s universal-base event study on ehec (knitr cache of the same README) and
  csdid 0.4.3 / moderndid 0.2.0 on mpdta (tests/reference/did_mpdta/universal_*.csv).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from impact.errors import EstimationError
from impact.participation import (
    SENTENCES,
    did,
    honest,
    sensitivity,
    sensitivity_sentence,
    sensitivity_statement,
)
from impact.participation.r_random import rnorm

HERE = Path(__file__).parent
REFERENCE = HERE / "reference" / "honestdid"
MPDTA = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


def readme_event_study(ehec, with_control: bool = False):
    """The README's TWFE event study, written out: dins on year × D (2013 left out),
    state and year fixed effects, by two-way demeaning of the balanced panel; standard
    errors clustered by state with fixest's default small-sample factor, G/(G − 1) ×
    (n − 1)/(n − K), K = coefficients + year effects (state effects are nested in the
    clusters and not counted). ``with_control`` adds the README's fake control
    ``set.seed(0); rnorm(n)`` and returns the event-study part, as the README does."""
    data = ehec[(ehec.year < 2016) & (ehec.yexp2.isna() | (ehec.yexp2 != 2015))].copy()
    data["D"] = (data.yexp2 == 2014).astype(float)
    years = sorted(data.year.unique())
    columns = [((data.year == y) * data.D).to_numpy(float) for y in years if y != 2013]
    if with_control:
        columns.append(rnorm(len(data)))
    x = np.column_stack(columns)

    def demean(values):
        s = pd.Series(values, index=data.index)
        by_state, by_year = s.groupby(data.stfips), s.groupby(data.year)
        return (s - by_state.transform("mean") - by_year.transform("mean") + s.mean()).values

    xd = np.column_stack([demean(c) for c in x.T])
    yd = demean(data.dins.to_numpy())
    bread = np.linalg.inv(xd.T @ xd)
    beta = bread @ xd.T @ yd
    residual = yd - xd @ beta
    codes = pd.factorize(data.stfips)[0]
    scores = np.zeros((codes.max() + 1, x.shape[1]))
    np.add.at(scores, codes, xd * residual[:, None])
    g, n, k = codes.max() + 1, len(data), x.shape[1] + len(years)
    sigma = bread @ scores.T @ scores @ bread * g / (g - 1) * (n - 1) / (n - k)
    return beta[:7], sigma[:7, :7]


@pytest.fixture(scope="module")
def readme(ehec):
    return readme_event_study(ehec)


@pytest.fixture(scope="module")
def r_tables() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "r_sensitivity_tables.csv")


def r_table(r_tables, chunk):
    return r_tables[r_tables.chunk == chunk].reset_index(drop=True)


def printed(value: float) -> str:
    """R's tibble print: three significant digits."""
    return f"{float(f'{value:.3g}'):g}"


# ------------------------------------------------------------------------- R's numbers


def test_r_random_numbers_are_rs():
    # set.seed(0); rnorm(20) as R prints it (README of github.com/mitchelloharawild/vecvec
    # and many others)
    r_printed = [1.262954285, -0.326233361, 1.329799263, 1.272429321, 0.414641434,
                 -1.539950042, -0.928567035, -0.294720447, -0.005767173, 2.404653389,
                 0.763593461, -0.799009249, -1.147657009, -0.289461574, -0.299215118,
                 -0.411510833, 0.252223448, -0.891921127, 0.435683299, -1.237538422]  # fmt: skip
    assert rnorm(20) == pytest.approx(r_printed, abs=5e-10)


def test_event_study_reproduces_rs_fixest(ehec):
    """R's betahat and sigma (fixest, README chunk with the fake control, from its knitr
    cache) to 1e-12: the data, the regression and R's random control are R's."""
    reference = pd.read_csv(REFERENCE / "r_twfe_with_control.csv")
    beta, sigma = readme_event_study(ehec, with_control=True)
    assert beta == pytest.approx(reference.betahat.to_numpy(), abs=1e-14)
    r_sigma = reference.filter(like="sigma_").to_numpy()
    assert np.abs(sigma - r_sigma).max() < 1e-12 * np.abs(r_sigma).max()


def test_readme_event_study_is_the_one_the_references_used(readme):
    stored = pd.read_csv(REFERENCE / "twfe_event_study.csv")
    assert readme[0] == pytest.approx(stored.betahat.to_numpy(), rel=1e-12)
    assert readme[1] == pytest.approx(stored.filter(like="sigma_").to_numpy(), rel=1e-10)


def test_smoothness_reproduces_r_readme(readme, r_tables):
    """README: createSensitivityResults(Mvec = seq(0, 0.05, by = 0.01)), FLCI. R's full
    precision for M > 0; at M = 0 R's own solver stops 1e-5 short of the optimum (the
    minimum-variance estimator, checked by hand below), and R prints 0.0259 where the
    optimum gives 0.02595."""
    betahat, sigma = readme
    reference = r_table(r_tables, 6)
    result = sensitivity(
        betahat=betahat, sigma=sigma, num_pre=5, num_post=2,
        restriction="smoothness", grid=reference.m,
    )  # fmt: skip
    table = result.table
    assert (table.method == "FLCI").all()
    positive = reference.m > 0
    assert table.ci_low[positive].to_numpy() == pytest.approx(
        reference.lb[positive].to_numpy(), abs=1e-9
    )
    assert table.ci_high[positive].to_numpy() == pytest.approx(
        reference.ub[positive].to_numpy(), abs=1e-9
    )
    assert table.ci_low[0] == pytest.approx(reference.lb[0], abs=2e-5)
    assert table.ci_high[0] == pytest.approx(reference.ub[0], abs=2e-5)
    # R's printed table, M > 0
    r_printed = {0.01: ("0.0132", "0.0787"), 0.02: ("0.00286", "0.0907"),
                 0.03: ("-0.00714", "0.101"), 0.04: ("-0.0171", "0.111"),
                 0.05: ("-0.0271", "0.121")}  # fmt: skip
    for _, row in table[positive].iterrows():
        assert (printed(row.ci_low), printed(row.ci_high)) == r_printed[round(row.m, 2)]
    # README: "the breakdown value for a significant effect is M ≈ 0.03"
    assert result.breakdown == pytest.approx(0.02)
    assert result.breakdown_status == "breaks_within_grid"


def test_smoothness_at_zero_is_the_minimum_variance_estimator(readme):
    """At M = 0 the FLCI is the unbiased estimator with the smallest variance: by hand,
    weights w on the pre-period changes with Σw = Σ t·l_t minimising the variance (a
    linear KKT system), half-length z₀.₉₇₅·sd (cv_α(0) is the normal quantile, up to
    R's simulated one)."""
    betahat, sigma = readme
    k = 5
    to_l = np.eye(k) - np.eye(k, k=-1)
    l_post = np.array([1.0, 0.0])
    quadratic = to_l.T @ sigma[:k, :k] @ to_l
    linear = 2 * to_l.T @ sigma[:k, k:] @ l_post
    system = np.block([[2 * quadratic, np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
    w = np.linalg.solve(system, np.append(-linear, 1.0))[:k]
    weights = np.concatenate([to_l @ w, l_post])
    sd = np.sqrt(weights @ sigma @ weights)
    result = sensitivity(
        betahat=betahat, sigma=sigma, num_pre=5, num_post=2, restriction="smoothness", grid=[0]
    )
    centre = weights @ betahat
    assert (result.table.ci_low[0] + result.table.ci_high[0]) / 2 == pytest.approx(centre, 1e-9)
    half = (result.table.ci_high[0] - result.table.ci_low[0]) / 2
    assert half == pytest.approx(1.959964 * sd, rel=2e-3)


def test_smoothness_with_a_control_reproduces_r_readme_print(ehec):
    """README, "Regressions with controls": the same call on the regression with the fake
    control; R prints (M = 0.01 … 0.05) the values below."""
    betahat, sigma = readme_event_study(ehec, with_control=True)
    result = sensitivity(
        betahat=betahat, sigma=sigma, num_pre=5, num_post=2,
        restriction="smoothness", grid=[0.01, 0.02, 0.03, 0.04, 0.05],
    )  # fmt: skip
    r_printed = [("0.0128", "0.0788"), ("0.00186", "0.0908"), ("-0.00814", "0.101"),
                 ("-0.0181", "0.111"), ("-0.0281", "0.121")]  # fmt: skip
    ours = [(printed(a), printed(b)) for a, b in result.table[["ci_low", "ci_high"]].values]
    assert ours == r_printed


def test_relative_magnitudes_reproduce_r_to_full_precision(readme, r_tables):
    """README: createSensitivityResults_relativeMagnitudes(Mbarvec = seq(0.5, 2, by =
    0.5)), C-LF: R's printed table, and R's full precision (its knitr cache) to 1e-12.
    "The breakdown value for a significant effect is Mbar = 2": significant up to 1.5."""
    betahat, sigma = readme
    reference = r_table(r_tables, 4)
    result = sensitivity(betahat=betahat, sigma=sigma, num_pre=5, num_post=2, grid=reference.m)
    assert (result.table.method == "C-LF").all()
    assert result.table.ci_low.to_numpy() == pytest.approx(reference.lb.to_numpy(), abs=1e-12)
    assert result.table.ci_high.to_numpy() == pytest.approx(reference.ub.to_numpy(), abs=1e-12)
    r_printed = [("0.0241", "0.0673"), ("0.0171", "0.072"), ("0.00859", "0.0796"),
                 ("-0.00107", "0.0883")]  # fmt: skip
    ours = [(printed(a), printed(b)) for a, b in result.table[["ci_low", "ci_high"]].values]
    assert ours == r_printed
    assert result.breakdown == 1.5
    assert result.breakdown_status == "breaks_within_grid"
    assert sensitivity_sentence(result) == (
        "即使参与后的趋势偏差达到参与前最大偏差的1.5倍，结论仍然成立；再大则不然。"
    )


def test_relative_magnitudes_on_the_grid_of_rs_source(readme, r_tables):
    """R's package source builds the θ grid as seq(-20·sd, 20·sd, length.out = 1000);
    its vignette cached the same call that way in 2022 (Mbar 0 to 2): to 1e-12 with
    those bounds given (R's grid.lb, grid.ub)."""
    betahat, sigma = readme
    reference = r_table(r_tables, 5)
    sd = np.sqrt(sigma[5, 5])
    result = sensitivity(
        betahat=betahat, sigma=sigma, num_pre=5, num_post=2, grid=reference.m,
        theta_bounds=(-20 * sd, 20 * sd),
    )  # fmt: skip
    assert result.table.ci_low.to_numpy() == pytest.approx(reference.lb.to_numpy(), abs=1e-12)
    assert result.table.ci_high.to_numpy() == pytest.approx(reference.ub.to_numpy(), abs=1e-12)


def test_average_of_post_periods_reproduces_r(readme, r_tables):
    """README: l_vec = c(0.5, 0.5), Mbar 0 to 2 (plotted; R's cache): to 1e-12."""
    betahat, sigma = readme
    reference = r_table(r_tables, 7)
    result = sensitivity(
        betahat=betahat, sigma=sigma, num_pre=5, num_post=2, grid=reference.m, l_vec=[0.5, 0.5]
    )
    assert result.table.ci_low.to_numpy() == pytest.approx(reference.lb.to_numpy(), abs=1e-12)
    assert result.table.ci_high.to_numpy() == pytest.approx(reference.ub.to_numpy(), abs=1e-12)
    assert result.inputs["target"] == "average effect over the 2 post periods"


@pytest.mark.parametrize(
    "target, l_vec", [("average", [0.5, 0.5]), ("second", [0.0, 1.0])], ids=["average", "second"]
)
@pytest.mark.parametrize("restriction", ["relative_magnitude", "smoothness"])
def test_other_targets_agree_with_moderndid(readme, target, l_vec, restriction):
    """moderndid draws the least-favourable critical value from numpy's generator and
    leaves out s = 0, so C-LF ends may move by a grid step or two; its FLCI takes the
    folded-normal quantile exactly where R simulates it (about 3e-5)."""
    theirs = pd.read_csv(REFERENCE / "moderndid_other_targets.csv")
    theirs = theirs[(theirs.target == target) & (theirs.restriction == restriction)]
    betahat, sigma = readme
    ours = sensitivity(
        betahat=betahat, sigma=sigma, num_pre=5, num_post=2,
        restriction=restriction, grid=theirs.m, l_vec=l_vec,
    ).table  # fmt: skip
    if restriction == "relative_magnitude":  # two steps of each M̄'s θ grid
        low, high = np.array(
            [honest.relative_magnitude_bounds(betahat, sigma, 5, 2, np.array(l_vec), m)
             for m in theirs.m]
        ).T  # fmt: skip
        tolerance = 2.001 * (high - low) / 999
    else:
        tolerance = 1e-4
    assert (np.abs(ours.ci_low.to_numpy() - theirs.lb.to_numpy()) < tolerance).all()
    assert (np.abs(ours.ci_high.to_numpy() - theirs.ub.to_numpy()) < tolerance).all()


def test_sun_abraham_event_study_reproduces_r(r_tables):
    """README, Sun and Abraham (10 pre, 6 post periods, gridPoints = 100): to 1e-12."""
    study = pd.read_csv(REFERENCE / "r_sunab_beta_sigma.csv")
    reference = r_table(r_tables, 10)
    result = sensitivity(
        betahat=study.beta, sigma=study.filter(like="sigma_").to_numpy(), num_pre=10,
        num_post=6, grid=reference.m, grid_points=100,
    )  # fmt: skip
    assert result.table.ci_low.to_numpy() == pytest.approx(reference.lb.to_numpy(), abs=1e-12)
    assert result.table.ci_high.to_numpy() == pytest.approx(reference.ub.to_numpy(), abs=1e-12)
    assert not result.notes


def test_source_grid_cuts_long_intervals_and_says_so(r_tables):
    """On R's source grid (±20 sd around 0) the Sun–Abraham intervals at Mbar 1.5 and 2
    reach the grid's end; the result says so."""
    study = pd.read_csv(REFERENCE / "r_sunab_beta_sigma.csv")
    sigma = study.filter(like="sigma_").to_numpy()
    edge = 20 * np.sqrt(sigma[10, 10])
    result = sensitivity(
        betahat=study.beta, sigma=sigma, num_pre=10, num_post=6, grid=[0.5, 2],
        grid_points=100, theta_bounds=(-edge, edge),
    )  # fmt: skip
    assert result.table.ci_high.iloc[1] == pytest.approx(edge)
    assert any("edge of the grid of θ at Mbar = 2" in note for note in result.notes)


# ---------------------------------------------- from the data, through participation.did


def test_sensitivity_from_did_reproduces_r_honest_did(ehec, r_tables):
    """README, Callaway and Sant'Anna: honest_did(es, e = 0, type = "relative_magnitude",
    Mbarvec = seq(0.5, 2, by = 0.5)) with gridPoints = 100, from the data through the
    public API: the README's 2024 output (chunk 12) to 1e-12 and its original interval;
    the 2023 run (chunk 9, R's source grid) to 1e-12 with that grid's bounds."""
    result = did(
        # as R's call: a state that never expanded gets the cohort 3000, after every year
        ehec.assign(yexp2=ehec.yexp2.fillna(3000)),
        outcome="dins", unit="stfips", time="year", cohort="yexp2",
        control="notyet", base_period="universal",
    )  # fmt: skip
    ours = sensitivity(result, grid=[0.5, 1, 1.5, 2], grid_points=100, min_e=-5, max_e=5)
    reference = r_table(r_tables, 12)
    assert ours.table.ci_low.to_numpy() == pytest.approx(reference.lb.to_numpy(), abs=1e-12)
    assert ours.table.ci_high.to_numpy() == pytest.approx(reference.ub.to_numpy(), abs=1e-12)
    # R: orig_ci lb 0.03347873064897956, ub 0.05707168964300989
    assert ours.original["ci_low"] == pytest.approx(0.03347873064897956, abs=1e-12)
    assert ours.original["ci_high"] == pytest.approx(0.05707168964300989, abs=1e-12)
    assert ours.breakdown_status == "robust_on_grid"
    assert ours.inputs["event_times"] == "-5..5 (−1 left out)"
    sd = ours.original["se"]
    source_grid = sensitivity(
        result, grid=[0.5, 1, 1.5, 2], grid_points=100, min_e=-5, max_e=5,
        theta_bounds=(-20 * sd, 20 * sd),
    )  # fmt: skip
    reference = r_table(r_tables, 9)
    assert source_grid.table.ci_low.to_numpy() == pytest.approx(reference.lb.to_numpy(), abs=1e-12)
    assert source_grid.table.ci_high.to_numpy() == pytest.approx(reference.ub.to_numpy(), abs=1e-12)


def test_sensitivity_needs_a_universal_base_period():
    mpdta = pd.read_csv(HERE / "data" / "mpdta.csv")
    with pytest.raises(EstimationError, match="universal base period"):
        sensitivity(did(mpdta, **MPDTA))


# ----------------------------------------------------------- the computation itself


def test_eta_from_the_dual_vertices_equals_highs():
    """ARP's statistic η = min over (η, δ) of η s.t. y − Xδ ≤ sd·η, by HiGHS, equals
    the maximum of γ′y over the enumerated dual vertices, on random draws."""
    rng = np.random.default_rng(1)
    matrix = honest.relative_magnitude_matrix(5, 4, 1.3, -2, True)
    rows = honest.post_rows(matrix, 5)
    sigma = np.cov(rng.normal(size=(9, 40)))
    moments = honest._moments(
        rng.normal(size=9), sigma, 5, matrix, np.zeros(len(matrix)), np.eye(4)[0], rows
    )
    sd = np.sqrt(np.diag(moments.variance))
    vertices = honest.dual_vertices(sd, moments.nuisance)
    k = moments.nuisance.shape[1]
    for _ in range(25):
        y = rng.normal(size=len(sd))
        lp = optimize.linprog(
            np.r_[1.0, np.zeros(k)],
            A_ub=-np.column_stack([sd, moments.nuisance]),
            b_ub=-y,
            bounds=(None, None),
            method="highs",
        )
        assert (vertices @ y).max() == pytest.approx(lp.fun, abs=1e-10)


def test_wider_restrictions_give_wider_intervals(readme):
    betahat, sigma = readme
    for restriction in ("relative_magnitude", "smoothness"):
        table = sensitivity(
            betahat=betahat, sigma=sigma, num_pre=5, num_post=2, restriction=restriction,
            grid=[0, 0.01, 0.5, 1] if restriction == "relative_magnitude" else [0, 0.01, 0.02],
        ).table  # fmt: skip
        assert (np.diff(table.ci_low) <= 1e-12).all()
        assert (np.diff(table.ci_high) >= -1e-12).all()


def test_other_methods_run_and_contain_the_c_lf_interval_logic(readme):
    """Conditional (ARP without the first stage) and smoothness C-LF: intervals that
    contain the estimate and widen with M."""
    betahat, sigma = readme
    for restriction, method, grid in [
        ("relative_magnitude", "conditional", [0.5, 1.0]),
        ("smoothness", "C-LF", [0.0, 0.02]),
        ("smoothness", "conditional", [0.0, 0.02]),
    ]:
        table = sensitivity(
            betahat=betahat, sigma=sigma, num_pre=5, num_post=2,
            restriction=restriction, method=method, grid=grid,
        ).table  # fmt: skip
        assert (table.method == method).all()
        assert ((table.ci_low < betahat[5]) & (betahat[5] < table.ci_high)).all()
        assert table.ci_low.iloc[1] <= table.ci_low.iloc[0]


def test_one_post_period_uses_the_test_without_nuisance(readme):
    betahat, sigma = readme
    result = sensitivity(betahat=betahat[:6], sigma=sigma[:6, :6], num_pre=5, num_post=1,
                         grid=[0, 1, 2])  # fmt: skip
    assert (result.table.ci_low < betahat[5]).all() and (betahat[5] < result.table.ci_high).all()


# ------------------------------------------------------------------ the result, words


def test_result_shows_itself(readme):
    betahat, sigma = readme
    result = sensitivity(betahat=betahat, sigma=sigma, num_pre=5, num_post=2, grid=[0.5, 1, 2])
    assert list(result.table.columns) == ["m", "ci_low", "ci_high", "method"]
    text = repr(result)
    assert "breakdown value: Mbar = 1" in text and "original interval" in text
    assert "<table" in result._repr_html_()
    import matplotlib

    matplotlib.use("Agg")
    ax = result.plot()
    assert ax.get_legend() is not None and len(ax.collections) >= 2
    from dataclasses import FrozenInstanceError

    with pytest.raises(FrozenInstanceError):
        result.breakdown = 3


def statement_for(status, restriction="relative_magnitude", grid=(0.5, 1.0, 1.5, 2.0)):
    """A result built by hand for each breakdown state."""
    from impact.participation.sensitivity import SensitivityResult

    table = pd.DataFrame({"m": grid, "ci_low": 0.0, "ci_high": 1.0, "method": "C-LF"})
    breakdown = {"breaks_within_grid": 1.5, "robust_on_grid": 2.0, "below_one": 0.5}.get(
        status, np.nan
    )
    status = "breaks_within_grid" if status == "below_one" else status
    if status == "not_robust" and grid[0] == 0:
        breakdown = 0.0
    return SensitivityResult(
        table=table, restriction=restriction, breakdown=breakdown, breakdown_status=status
    )


@pytest.mark.parametrize(
    "status, grid, zh, en",
    [
        ("breaks_within_grid", (0.5, 1.0, 1.5, 2.0),
         "即使参与后的趋势偏差达到参与前最大偏差的1.5倍，结论仍然成立；再大则不然。",
         "at most 1.5 times the largest deviation before joining, but not beyond."),
        ("robust_on_grid", (0.5, 1.0, 1.5, 2.0), "最大偏差的2倍（所检验的最大倍数），结论仍然成立",
         "reaches 2 times the largest deviation before joining (the largest multiple examined)"),
        ("not_robust", (0.0, 1.0), "参与后只要出现任何趋势偏差，结论就可能不成立",
         "any deviation from them after joining could overturn it"),
        ("not_robust", (0.5, 1.0), "最大偏差的0.5倍，结论就已不成立", "reaches 0.5 times"),
        ("not_significant", (0.5, 1.0), "置信区间本身已包含零", "already includes zero"),
        ("below_one", (0.25, 0.5, 0.75), "达到参与前最大偏差的0.5倍，结论仍然成立；再大则不然",
         "at most 0.5 times the largest deviation before joining, but not beyond"),
    ],
)  # fmt: skip
def test_office_sentence(status, grid, zh, en):
    result = statement_for(status, grid=grid)
    assert zh in sensitivity_sentence(result, "zh")
    assert en in sensitivity_sentence(result, "en")
    statement = sensitivity_statement(result)
    assert statement.key in SENTENCES


def test_chinese_sentences_have_no_english_or_code_words():
    import re

    for key, languages in SENTENCES.items():
        assert not re.search(r"[A-Za-z_]", languages["zh"].replace("{m}", "").replace(
            "{first}", "")), key  # fmt: skip


def test_smoothness_sentence_and_breakdown_from_data(readme):
    betahat, sigma = readme
    result = sensitivity(betahat=betahat, sigma=sigma, num_pre=5, num_post=2,
                         restriction="smoothness", grid=[0, 0.01, 0.02, 0.03])  # fmt: skip
    assert sensitivity_sentence(result, "zh") == (
        "即使趋势的斜率每期变化多达0.02（按结果指标的单位），结论仍然成立。"
    )
    assert sensitivity_statement(result).values == {"m": "0.02"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(restriction="linear"), "restriction must be"),
        (dict(method="FLCI"), "method for relative_magnitude"),
        (dict(grid=[1, 0.5]), "increasing"),
        (dict(grid=[-1]), "non-negative"),
        (dict(l_vec=[1, 0, 0]), "l_vec must be 2"),
        (dict(num_pre=4), "betahat has 7"),
        (dict(alpha=5), "1 - alpha"),
        (dict(grid_points=3), "grid_points"),
    ],
)
def test_bad_arguments_are_named(readme, kwargs, message):
    betahat, sigma = readme
    arguments = dict(betahat=betahat, sigma=sigma, num_pre=5, num_post=2) | kwargs
    with pytest.raises(EstimationError, match=message):
        sensitivity(**arguments)


def test_non_symmetric_sigma_is_refused(readme):
    betahat, sigma = readme
    bad = sigma.copy()
    bad[0, 1] += 1
    with pytest.raises(EstimationError, match="symmetric"):
        sensitivity(betahat=betahat, sigma=bad, num_pre=5, num_post=2)
