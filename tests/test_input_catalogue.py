"""A catalogue of ordinary input mistakes, each with a right answer found independently.

Every case must do one of three things (GUIDE.md, "an estimator never turns an input it
does not understand into a number"):

- give the right answer: one computed by hand in the test, printed by R (the call and the
  output are in tests/reference/), or given by an independent implementation (lifelines);
- refuse with the package's own error (:class:`impact.inputs.InputError`, an
  ``ImpactError``) naming the argument and the column, and the row and value where one
  value is at fault;
- say in ``notes`` what it left out or changed, with the count.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lung

from impact import ImpactError
from impact.inputs import InputError
from impact.leverage import compare_leverage, cost_per_output, funnel, leverage_ratio
from impact.participation import att, count_effect, did
from impact.sustainability import cox, cox_zph, kaplan_meier, risk_model, round_hazard

HERE = Path(__file__).parent
MPDTA = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def lung():
    """R's lung as R codes it: status 1 = censored, 2 = dead (lifelines ships it 0/1)."""
    data = load_lung()
    assert len(data) == 228 and set(data.status) == {0, 1}
    return data.assign(status=data.status + 1)


@pytest.fixture(scope="module")
def mpdta():
    return pd.read_csv(HERE / "data" / "mpdta.csv")


def refused(call, *, argument: str, column: str, row=None, value=None, match=None):
    """The call raises InputError naming the argument and column (and row, value)."""
    with pytest.raises(InputError, match=match) as caught:
        call()
    error = caught.value
    assert isinstance(error, ImpactError)
    assert (error.argument, error.column) == (argument, column), str(error)
    assert f"{argument}=" in str(error) and repr(column) in str(error)
    if row is not None:
        assert error.row == row and repr(value) in str(error), str(error)
    return error


def note(result, key: str):
    """The one note of ``result`` with ``key``."""
    found = [n for n in result.notes if n.key == key]
    assert len(found) == 1, [(n.key, str(n)) for n in result.notes]
    return found[0]


# --------------------------------------------------------- R's survival coding (1/2)


def test_r_status_coding_is_refused_by_kaplan_meier_saying_how_to_recode(lung):
    error = refused(
        lambda: kaplan_meier(lung, duration="time", event="status"),
        argument="event",
        column="status",
    )
    assert "df['status'] - 1" in str(error) and "event_coding='1/2'" in str(error)


def test_r_status_coding_read_when_asked_gives_r_survfit(lung):
    # tests/reference/r_survival_lung.txt: n 228, events 165, median 310 (285, 363)
    result = kaplan_meier(lung, duration="time", event="status", event_coding="1/2")
    row = result.medians.iloc[0]
    assert (row.n, row.events, row["median"], row.ci_low, row.ci_high) == (
        228,
        165,
        310,
        285,
        363,
    )
    assert note(result, "event_coding").values["column"] == "status"


def test_r_status_coding_in_cox_gives_r_coxph(lung):
    refused(
        lambda: cox(lung, duration="time", event="status", covariates=["age", "sex"]),
        argument="event",
        column="status",
    )
    fit = cox(lung, duration="time", event="status", covariates=["age", "sex"], event_coding="1/2")
    # R: age 0.017045 (se 0.009223), sex -0.513219 (se 0.167458)
    assert fit.params["sex"] == pytest.approx(-0.513219, abs=5e-7)
    assert fit.se["sex"] == pytest.approx(0.167458, abs=5e-7)
    assert fit.params["age"] == pytest.approx(0.017045, abs=5e-7)
    assert fit.inputs["events"] == 165


def test_r_status_coding_in_cox_zph_and_round_hazard_is_refused(lung):
    refused(
        lambda: cox_zph(lung, duration="time", event="status", covariates=["sex"]),
        argument="event",
        column="status",
    )
    zero_one = cox_zph(
        lung.assign(status=lung.status - 1), duration="time", event="status", covariates=["sex"]
    )
    asked = cox_zph(lung, duration="time", event="status", covariates=["sex"], event_coding="1/2")
    pd.testing.assert_frame_equal(zero_one.table, asked.table)
    rounds = pd.DataFrame({"ended": [1, 2, 1, 1, 2, 1] * 4, "x": [0, 1, 0, 1, 1, 0] * 4})
    refused(
        lambda: round_hazard(rounds, event="ended", covariates=["x"]),
        argument="event",
        column="ended",
    )


def test_event_with_other_codes_is_refused_naming_the_row():
    frame = pd.DataFrame({"t": [1, 2, 3, 4], "e": [0, 1, 3, 1]})
    refused(
        lambda: kaplan_meier(frame, duration="t", event="e"),
        argument="event",
        column="e",
        row=2,
        value=3,
    )


def test_event_as_yes_no_text_is_refused_with_the_mapping():
    frame = pd.DataFrame({"rounds": [1, 2, 3], "ended": ["yes", "no", "yes"]})
    error = refused(
        lambda: kaplan_meier(frame, duration="rounds", event="ended"),
        argument="event",
        column="ended",
        row=0,
        value="yes",
    )
    assert ".map({'yes': 1, 'no': 0})" in str(error)


def test_event_as_booleans_is_the_same_as_zero_one(lung):
    zero_one = lung.assign(status=lung.status - 1)
    booleans = zero_one.assign(status=zero_one.status.astype(bool))
    a = cox(zero_one, duration="time", event="status", covariates=["sex"])
    b = cox(booleans, duration="time", event="status", covariates=["sex"])
    pd.testing.assert_frame_equal(a.table, b.table)


# ------------------------------------------------------------------ durations


def test_duration_written_with_its_unit_is_refused_naming_row_and_value():
    frame = pd.DataFrame({"weeks": [20, "20 weeks", 30], "ended": [1, 0, 1]})
    refused(
        lambda: kaplan_meier(frame, duration="weeks", event="ended"),
        argument="duration",
        column="weeks",
        row=1,
        value="20 weeks",
    )


def test_negative_duration_is_refused():
    frame = pd.DataFrame({"t": [3, -1, 2], "e": [1, 1, 0]})
    refused(
        lambda: kaplan_meier(frame, duration="t", event="e"),
        argument="duration",
        column="t",
        row=1,
        value=-1,
    )


def test_missing_duration_is_left_out_and_counted(lung):
    zero_one = lung.assign(status=lung.status - 1)
    gappy = zero_one.copy()
    gappy.loc[[0, 5, 9], "time"] = np.nan
    result = kaplan_meier(gappy, duration="time", event="status")
    found = note(result, "dropped_missing")
    assert found.values["count"] == 3 and found.values["columns"] == {"time": 3}
    fitter = KaplanMeierFitter().fit(zero_one.time.drop([0, 5, 9]), zero_one.status.drop([0, 5, 9]))
    assert result.medians["median"].iloc[0] == fitter.median_survival_time_


# ------------------------------------------------------------ missing values


def test_missing_covariate_in_cox_is_left_out_as_r_says(lung):
    # R: n= 227, number of events= 164, (1 observation deleted due to missingness)
    fit = cox(
        lung,
        duration="time",
        event="status",
        covariates=["age", "sex", "ph.ecog"],
        event_coding="1/2",
    )
    assert (fit.inputs["n"], fit.inputs["events"]) == (227, 164)
    found = note(fit, "dropped_missing")
    assert found.values == {"count": 1, "total": 228, "columns": {"ph.ecog": 1}}
    assert "1 row(s) of 228 left out" in str(fit.summary())
    expected = {"age": 0.011067, "sex": -0.552612, "ph.ecog": 0.463728}
    for term, value in expected.items():
        assert fit.params[term] == pytest.approx(value, abs=5e-7)
    assert "dropped" in fit.table.attrs["caption"] or "left out" in fit.table.attrs["caption"]


def test_missing_by_value_in_kaplan_meier_is_counted(lung):
    zero_one = lung.assign(status=lung.status - 1).astype({"sex": "float64"})
    zero_one.loc[[3, 4], "sex"] = np.nan
    result = kaplan_meier(zero_one, duration="time", event="status", by="sex")
    found = note(result, "dropped_missing")
    assert found.values["columns"] == {"sex": 2}
    assert result.medians.n.sum() == 226
    kept = zero_one.dropna(subset=["sex"])
    for sex, part in kept.groupby("sex"):
        fitter = KaplanMeierFitter().fit(part.time, part.status)
        assert result.medians.loc[sex, "median"] == fitter.median_survival_time_


def test_na_and_nan_leveraged_values_are_left_out_not_zero():
    frame = pd.DataFrame(
        {
            "grant": [10_000, 10_000, 10_000, 10_000],
            "lev": ["5,000", "n/a", np.nan, 3000],
        }
    )
    result = leverage_ratio(frame, leveraged="lev", grant="grant", n_boot=0)
    # by hand: (5,000 + 3,000) ÷ (10,000 + 10,000) = 0.4; as zeros it would read 0.2
    assert result.table.leverage.iloc[0] == pytest.approx(0.4)
    assert note(result, "dropped_missing").values["columns"] == {"lev": 2}


def test_no_leveraged_resources_recorded_is_missing_not_zero():
    frame = pd.DataFrame({"grant": [2000, 5000], "lev": [np.nan, np.nan]})
    result = leverage_ratio(frame, leveraged="lev", grant="grant", n_boot=50)
    assert np.isnan(result.table.leverage.iloc[0])
    assert "not recorded" in str(note(result, "not_recorded"))
    assert "not recorded" in str(result.summary())


def test_missing_group_in_leverage_by_is_counted():
    frame = pd.DataFrame(
        {
            "grant": [1000] * 6,
            "lev": [100, 200, 300, 400, 500, 600],
            "tier": list("aab") + [None] * 3,
        }
    )
    result = leverage_ratio(frame, leveraged="lev", grant="grant", by="tier", n_boot=0)
    assert note(result, "dropped_missing").values["columns"] == {"tier": 3}
    assert result.table.loc["a", "leverage"] == pytest.approx(0.15)  # 300 ÷ 2,000


# --------------------------------------------------------------- written amounts


def test_amounts_written_as_offices_write_them_are_read():
    frame = pd.DataFrame(
        {
            "grant": ["10,000", "1.2万", "8000元", "2,000"],
            "lev": ["12,000", "1.2万", "500元", 0],
        }
    )
    result = leverage_ratio(frame, leveraged="lev", grant="grant", n_boot=0)
    # by hand: (12,000 + 12,000 + 500 + 0) ÷ (10,000 + 12,000 + 8,000 + 2,000)
    assert result.table.leverage.iloc[0] == pytest.approx(24_500 / 32_000)
    assert result.table.leveraged_yuan.iloc[0] == 24_500
    assert {n.values["column"] for n in result.notes if n.key == "read_written_amounts"} == {
        "grant",
        "lev",
    }


def test_the_issues_example_161600_yuan():
    # 161,600 yuan leveraged on 264,000 yuan of grants (written with separators and 万):
    # 161,600 ÷ 264,000 = 0.612 (read as 1,600 it would be 0.006)
    frame = pd.DataFrame(
        {
            "grant": ["10万", "80,000", "84,000"],
            "leveraged": ["150,000", "1.16万", 0],
        }
    )
    result = leverage_ratio(frame, leveraged="leveraged", grant="grant", n_boot=0)
    assert result.table.leveraged_yuan.iloc[0] == 161_600
    assert round(result.table.leverage.iloc[0], 3) == 0.612


def test_an_amount_that_is_not_one_is_refused_naming_row_and_value():
    frame = pd.DataFrame({"grant": [1000, 2000], "lev": ["300", "about three hundred"]})
    refused(
        lambda: leverage_ratio(frame, leveraged="lev", grant="grant"),
        argument="leveraged",
        column="lev",
        row=1,
        value="about three hundred",
    )


def test_negative_grant_and_negative_leveraged_are_refused():
    frame = pd.DataFrame({"grant": [1000, -500], "lev": [300, 200]})
    refused(
        lambda: leverage_ratio(frame, leveraged="lev", grant="grant"),
        argument="grant",
        column="grant",
        row=1,
        value=-500,
        match="negative",
    )
    frame = pd.DataFrame({"grant": [1000, 500], "lev": [300, "-200"]})
    refused(
        lambda: leverage_ratio(frame, leveraged="lev", grant="grant"),
        argument="leveraged",
        column="lev",
        row=1,
        value="-200",
        match="negative",
    )


def test_counts_written_with_units_in_cost_per_output():
    frame = pd.DataFrame({"paid": ["2,000", "3000元"], "served": ["约100人", "150人次"]})
    result = cost_per_output(frame, cost="paid", outputs="served", n_boot=0)
    assert result.table.cost_per_unit.iloc[0] == pytest.approx(5000 / 250)


# ------------------------------------------------------------------ groups


def test_a_by_group_whose_grants_are_all_zero_is_kept_with_its_reason():
    frame = pd.DataFrame(
        {"grant": [1000, 2000, 0, 0], "lev": [500, 500, 300, 100], "type": list("aabb")}
    )
    result = leverage_ratio(frame, leveraged="lev", grant="grant", by="type", n_boot=0)
    assert list(result.table.index) == ["a", "b"]
    assert result.table.loc["a", "leverage"] == pytest.approx(1000 / 3000)
    assert np.isnan(result.table.loc["b", "leverage"])
    assert note(result, "no_grant").values["count"] == 2
    why = note(result, "group_without_estimate")
    assert why.values == {"group": "b", "reason": "no_grant"}


def test_by_several_columns_labels_every_level():
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(
        {
            "grant": [1000] * 8,
            "lev": range(8),
            "programme": list("xxxxyyyy"),
            "type": list("abab" * 2),
        }
    )
    result = leverage_ratio(
        frame, leveraged="lev", grant="grant", by=["programme", "type"], n_boot=0
    )
    ax = result.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x / a", "x / b", "y / a", "y / b"]
    plt.close(ax.figure)


# ---------------------------------------------------------------- clusters


def test_cox_with_two_clusters_says_the_robust_se_is_unreliable(lung):
    zero_one = lung.assign(status=lung.status - 1)
    fit = cox(zero_one, duration="time", event="status", covariates=["age"], cluster="sex")
    found = note(fit, "few_clusters")
    assert found.values["count"] == 2 and found.values["column"] == "sex"
    assert "naive_se" in str(found)


def test_one_cluster_is_refused_by_cox_and_noted_by_leverage(lung):
    zero_one = lung.assign(status=lung.status - 1, one=1)
    refused(
        lambda: cox(zero_one, duration="time", event="status", covariates=["age"], cluster="one"),
        argument="cluster",
        column="one",
    )
    frame = pd.DataFrame({"grant": [1000, 2000, 3000], "lev": [100, 200, 300], "c": [7] * 3})
    result = leverage_ratio(frame, leveraged="lev", grant="grant", cluster="c", n_boot=50)
    assert result.table.leverage.iloc[0] == pytest.approx(0.1)
    assert np.isnan(result.table.ci_low.iloc[0])
    assert note(result, "one_cluster").values["column"] == "c"


def test_few_clusters_in_did_are_noted(mpdta):
    state = mpdta.assign(state=(mpdta.countyreal // 1000) % 4)
    result = did(state, **MPDTA, cluster="state")
    assert note(result, "few_clusters").values["count"] == 4


# ------------------------------------------------------------ periods and cohorts


def _r_simple_att():
    aggregates = pd.read_csv(HERE / "reference" / "did_mpdta" / "ref_aggte.csv")
    row = aggregates.query("scenario == 'mpdta_nev_dr' and type == 'simple'").iloc[0]
    return row.overall_att


def test_periods_as_round_numbers_and_cohorts_as_years_are_refused(mpdta):
    rounds = mpdta.assign(year=mpdta.year - 2002)  # 1 … 5, cohorts still 2004 …
    error = refused(lambda: did(rounds, **MPDTA), argument="cohort", column="first.treat")
    assert "'year'" in str(error) and "one scale" in str(error)
    # on one scale, the answer is R did's (tests/reference/did_mpdta, mpdta_nev_dr)
    both = rounds.assign(
        **{"first.treat": np.where(mpdta["first.treat"] > 0, mpdta["first.treat"] - 2002, 0)}
    )
    result = did(both, **MPDTA)
    assert result.table.loc["simple", "att"] == pytest.approx(_r_simple_att(), abs=1e-6)


def test_cohort_off_the_time_grid_is_refused(mpdta):
    off = mpdta.assign(**{"first.treat": mpdta["first.treat"].replace(2006, 2005.5)})
    error = refused(lambda: did(off, **MPDTA), argument="cohort", column="first.treat")
    assert "2005.5" in str(error)


def test_periods_that_are_not_one_apart_are_refused(mpdta):
    sparse = mpdta[mpdta.year.isin([2003, 2005, 2007])]
    refused(lambda: did(sparse, **MPDTA), argument="time", column="year")


def test_datetime_period_column_is_refused_saying_how(mpdta):
    dated = mpdta.assign(year=pd.to_datetime(mpdta.year.astype(str) + "-01-01"))
    error = refused(lambda: did(dated, **MPDTA), argument="time", column="year")
    assert ".dt.year" in str(error)


def test_text_period_column(mpdta):
    # years written as text are numbers: the same answer as R
    text = mpdta.assign(year=mpdta.year.astype(str))
    assert did(text, **MPDTA).table.loc["simple", "att"] == pytest.approx(_r_simple_att(), abs=1e-6)
    # years written with 年 are not: refused naming the row and value
    written = mpdta.assign(year=mpdta.year.astype(str) + "年")
    refused(lambda: did(written, **MPDTA), argument="time", column="year", row=0, value="2003年")


def test_cohort_after_the_last_period_is_never_as_r_did(mpdta):
    # 2007 joiners recoded to join in 2009: R did reads them as never treated
    late = mpdta.assign(**{"first.treat": mpdta["first.treat"].replace(2007, 2009)})
    never = mpdta.assign(**{"first.treat": mpdta["first.treat"].replace(2007, 0)})
    result = did(late, **MPDTA)
    assert result.table.loc["simple", "att"] == pytest.approx(
        did(never, **MPDTA).table.loc["simple", "att"], abs=1e-12
    )
    found = note(result, "cohort_after_last_period")
    assert found.values["cohorts"] == [2009.0]


def test_outcome_as_text_is_refused_in_did(mpdta):
    broken = mpdta.assign(lemp=mpdta.lemp.astype(object))
    broken.loc[7, "lemp"] = "n.a."
    refused(lambda: did(broken, **MPDTA), argument="outcome", column="lemp", row=7, value="n.a.")


# --------------------------------------------------------------- treatment


def test_treatment_as_yes_no_is_refused_in_att_and_count_effect():
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4], "joined": ["yes", "no", "yes", "no"]})
    refused(
        lambda: att(frame, outcome="y", treatment="joined", method="diff"),
        argument="treatment",
        column="joined",
        row=0,
        value="yes",
    )
    refused(
        lambda: count_effect(frame, outcome="y", treatment="joined"),
        argument="treatment",
        column="joined",
        row=0,
        value="yes",
    )


def test_missing_outcome_in_att_is_counted_and_the_mean_difference_is_by_hand():
    frame = pd.DataFrame({"y": [1.0, 3.0, np.nan, 2.0, 6.0, 4.0], "joined": [1, 1, 1, 0, 0, 0]})
    result = att(frame, outcome="y", treatment="joined", method="diff")
    # by hand: mean(1, 3) − mean(2, 6, 4) = 2 − 4 = −2
    assert result.table.estimate.iloc[0] == pytest.approx(-2.0)
    assert note(result, "dropped_missing").values["columns"] == {"y": 1}


def test_negative_count_is_refused_in_count_effect():
    frame = pd.DataFrame({"served": [3, -2, 5, 1], "joined": [1, 0, 1, 0]})
    refused(
        lambda: count_effect(frame, outcome="served", treatment="joined"),
        argument="outcome",
        column="served",
        row=1,
        value=-2,
    )


# -------------------------------------------------------------- arguments


def test_an_unknown_column_names_the_argument_and_the_closest_column():
    frame = pd.DataFrame({"grant_yuan": [1000], "leveraged_yuan": [100]})
    error = refused(
        lambda: leverage_ratio(frame, leveraged="leveraged_yuan", grant="grant"),
        argument="grant",
        column="grant",
    )
    assert "did you mean 'grant_yuan'" in str(error)


def test_not_a_dataframe_is_refused():
    with pytest.raises(InputError, match="DataFrame"):
        kaplan_meier({"t": [1, 2]}, duration="t", event="e")


def test_a_stage_left_blank_in_the_funnel_is_counted():
    frame = pd.DataFrame({"stage": ["idea", "selected", None, "approved"]})
    result = funnel(frame, stage="stage", stages=("idea", "selected", "approved"))
    assert result.table.loc["idea", "reached"] == 3
    assert note(result, "dropped_missing").values["columns"] == {"stage": 1}


def test_compare_leverage_leaves_missing_leveraged_out_with_a_count():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "type": ["matched", "standard"] * 15,
            "grant": rng.integers(4, 20, 30) * 500.0,
            "lev": rng.integers(0, 20000, 30) * 1.0,
        }
    )
    gappy = frame.astype({"lev": object})
    gappy.loc[[0, 1], "lev"] = "n/a"
    result = compare_leverage(gappy, leveraged="lev", grant="grant", group="type")
    expected = compare_leverage(
        frame.drop(index=[0, 1]), leveraged="lev", grant="grant", group="type"
    )
    pd.testing.assert_frame_equal(result.table, expected.table)
    assert note(result, "dropped_missing").values["columns"] == {"lev": 2}


def test_risk_model_target_in_r_coding_is_refused():
    frame = pd.DataFrame({"ended": [1, 2] * 10, "x": range(20), "programme": ["a", "b"] * 10})
    refused(
        lambda: risk_model(frame, target="ended", features=["x"], groups="programme"),
        argument="target",
        column="ended",
    )


# ------------------------------------------------------------------ more mistakes


def test_a_numeric_covariate_written_as_text_is_refused(lung):
    zero_one = lung.assign(status=lung.status - 1, age=lung.age.astype(str))
    error = refused(
        lambda: cox(zero_one, duration="time", event="status", covariates=["age", "sex"]),
        argument="covariates",
        column="age",
    )
    assert "pd.to_numeric" in str(error)
    # converted, it is R's model again (tests/reference/r_survival_lung.txt)
    fixed = zero_one.assign(age=pd.to_numeric(zero_one.age))
    fit = cox(fixed, duration="time", event="status", covariates=["age", "sex"])
    assert fit.params["sex"] == pytest.approx(-0.513219, abs=5e-7)


def test_durations_as_time_spans_are_refused():
    frame = pd.DataFrame({"t": pd.to_timedelta([3, 5, 7], unit="D"), "e": [1, 0, 1]})
    error = refused(
        lambda: kaplan_meier(frame, duration="t", event="e"), argument="duration", column="t"
    )
    assert ".dt.days" in str(error)


def test_a_missing_cohort_is_unknown_not_never(mpdta):
    units = mpdta.countyreal.unique()[:3]
    gappy = mpdta.assign(
        **{"first.treat": mpdta["first.treat"].where(~mpdta.countyreal.isin(units))}
    )
    result = did(gappy, **MPDTA)
    assert note(result, "dropped_missing_cohort").values["count"] == 3
    without = did(mpdta[~mpdta.countyreal.isin(units)], **MPDTA)
    assert result.table.loc["simple", "att"] == pytest.approx(
        without.table.loc["simple", "att"], abs=1e-12
    )


def test_a_row_without_its_unit_is_counted(mpdta):
    gappy = mpdta.astype({"countyreal": "float64"})
    gappy.loc[[0, 1, 2, 3, 4], "countyreal"] = np.nan  # county 8001's five years
    result = did(gappy, **MPDTA)
    assert note(result, "dropped_missing").values["columns"] == {"countyreal": 5}
    assert result.inputs["n_units"] == 499


def test_a_confidence_level_in_percent_is_refused_saying_how():
    frame = pd.DataFrame({"t": [1, 2, 3], "e": [1, 1, 0]})
    with pytest.raises(ImpactError, match="ci=0.95"):
        kaplan_meier(frame, duration="t", event="e", ci=95)


def test_a_missing_cluster_is_counted_in_cox(lung):
    zero_one = lung.assign(status=lung.status - 1)  # inst: 1 missing
    fit = cox(zero_one, duration="time", event="status", covariates=["age"], cluster="inst")
    assert note(fit, "dropped_missing").values["columns"] == {"inst": 1}
    assert fit.inputs["n"] == 227


def test_a_stage_outside_the_funnel_is_refused_naming_it():
    frame = pd.DataFrame({"stage": ["idea", "done"]})
    error = refused(
        lambda: funnel(frame, stage="stage", stages=("idea", "selected")),
        argument="stage",
        column="stage",
    )
    assert "done" in str(error)
