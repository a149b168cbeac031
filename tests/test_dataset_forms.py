"""The Dataset forms of the estimators on data/sample, whose true effects are planted by
data/sample/params.yaml: hazard ratios 0.6 (matched), 0.9 per team member, 2.0 when lagging
at mid-term; volunteers per 1,000 up by 3 + 1 per year since joining."""

import numpy as np
import pytest
import yaml

import impact
from impact.participation import community_cohorts, dataset_att
from impact.sustainability import (
    dataset_cox,
    dataset_risk,
    dataset_round_hazard,
    dataset_survival,
)

from .conftest import ROOT


@pytest.fixture(scope="module")
def sample():
    return impact.load(ROOT / "data" / "sample")


@pytest.fixture(scope="module")
def truth():
    return yaml.safe_load((ROOT / "data" / "sample" / "params.yaml").read_text("utf-8"))["truth"]


def test_round_hazard_intervals_cover_the_planted_ratios(sample, truth):
    table = dataset_round_hazard(sample).table
    for term, key in (
        ("matched", "hazard_ratio_matched"),
        ("team_size", "hazard_ratio_per_team_member"),
        ("low_midterm", "hazard_ratio_low_midterm"),
    ):
        assert table.loc[term, "hr_low"] < truth[key] < table.loc[term, "hr_high"], term


def test_cox_on_lines_covers_the_team_size_ratio(sample, truth):
    table = dataset_cox(sample).table
    assert (
        table.loc["team_size", "hr_low"]
        < truth["hazard_ratio_per_team_member"]
        < table.loc["team_size", "hr_high"]
    )
    assert table.index.tolist() == ["matched", "team_size"]


def test_survival_by_programme(sample):
    result = dataset_survival(sample)
    assert set(result.medians.index) == {"lishui_like", "fund_like", "contest_like"}
    assert result.logrank["df"] == 2


def test_risk_flags_the_current_round(sample):
    result = dataset_risk(sample)
    assert result.metrics["grouped_by"] == "programme_id"
    latest = sample.projects.groupby("programme_id")["round"].max()
    current = result.table[result.table["round"] == result.table.programme_id.map(latest)]
    assert len(current) > 0 and current.risk.between(0, 1).all()
    assert {"project_id", "title", "risk", "reasons"} <= set(result.table.columns)


def test_att_of_joining_by_a_year_covers_the_planted_effect(sample, truth):
    year = 2022
    cohorts = community_cohorts(sample)
    joined = cohorts[(cohorts > 0) & (cohorts <= year)]
    planted = np.mean(truth["effect_at_join"] + truth["effect_growth"] * (year - joined))
    row = dataset_att(
        sample, outcome="volunteers_per_1000", year=year, estimand="att", method="regression"
    ).table.loc["effect"]
    assert row.ci_low < planted < row.ci_high


def test_every_result_plots(sample):
    # Each estimator's result draws itself; a model's plot is on the ratio scale.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from impact.leverage import compare_leverage, dataset_leverage, funnel, project_resources
    from impact.participation import dataset_did

    frame = sample.projects.assign(lev=project_resources(sample).leveraged_yuan)
    results = [
        dataset_leverage(sample, by="application_type", n_boot=99),
        compare_leverage(frame, leveraged="lev", grant="grant_yuan", group="application_type"),
        funnel(sample.projects, stage="stage"),
        dataset_did(sample, outcome="volunteers_per_1000"),
        dataset_survival(sample),
        dataset_cox(sample),
        dataset_risk(sample),
    ]
    for result in results:
        ax = result.plot()
        assert ax.has_data(), type(result).__name__
        assert result.summary()
        plt.close("all")
    assert results[1].plot().get_xscale() == "log"


def test_sustainability_results_show_themselves_as_text_and_html(sample):
    from impact.results import Summary

    for result in (dataset_survival(sample), dataset_cox(sample), dataset_risk(sample)):
        summary = result.summary()
        assert isinstance(summary, Summary) and repr(summary) == str(summary)
        assert "<div" in summary._repr_html_() and "<div" in result._repr_html_()
    assert "GLOBAL" in str(dataset_cox(sample).ph_test.summary())
