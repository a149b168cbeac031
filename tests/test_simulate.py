"""The planted-truth generator: determinism, the required size and shape, and calibration
of its Lishui-like and Hongshan-like programmes to the published figures."""

import numpy as np
import pandas as pd
import pytest

import impact
from impact import ParamsError
from impact.simulate import default_params, simulate, write

from .conftest import ROOT


@pytest.fixture(scope="module")
def sample():
    return simulate()


def test_same_seed_same_data_different_seed_different_data(sample):
    again = simulate()
    for name, frame in sample.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name])
    other = simulate(seed=7)
    assert not other.funding.amount_yuan.equals(sample.funding.amount_yuan)


def test_embedded_sample_is_what_the_generator_makes(tmp_path, sample):
    params = default_params()
    write(sample, tmp_path, params)
    embedded = ROOT / "data" / "sample"
    for path in sorted(embedded.iterdir()):
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name


def test_size_and_shape(sample):
    assert len(sample.programmes) >= 3
    assert (sample.rounds.groupby("programme_id").size() >= 4).all()
    assert len(sample.projects) >= 300
    assert len(sample.communities) >= 60
    years = sample.panel.groupby("community_id").year.agg(["min", "max", "size"])
    assert ((years["max"] - years["min"] + 1) == years["size"]).all()  # yearly, no gaps
    assert set(sample.indicators.period) == {"plan", "midterm", "final"}
    assert len(sample.followups) > 0
    assert sample.warnings == ()


def test_staggered_adoption_with_never_treated_communities(sample):
    funded = sample.projects[sample.projects.grant_yuan.fillna(0) > 0]
    first_year = (
        funded.merge(sample.rounds, on=["programme_id", "round"]).groupby("community_id").year.min()
    )
    assert first_year.nunique() >= 8  # cohorts in many different years
    never = set(sample.communities.community_id) - set(first_year.index)
    assert len(never) >= 10


def test_lishui_like_programme_is_calibrated_to_the_published_round(sample):
    projects = sample.projects[sample.projects.programme_id == "lishui_like"]
    per_round = projects.groupby("round").agg(
        applicants=("project_id", "size"), funded=("grant_yuan", lambda g: (g > 0).sum())
    )
    assert (per_round.applicants == 25).all()
    assert per_round.funded.median() == 15
    grants = projects.grant_yuan.dropna()
    assert grants.between(2000, 10000).all() and (grants % 500 == 0).all()
    rounds = sample.rounds[sample.rounds.programme_id == "lishui_like"]
    assert (rounds.match_ratio == 1.0).all()
    matched = projects[(projects.application_type == "matched") & (projects.grant_yuan > 0)]
    assert len(matched) >= 3
    lines = sample.funding[sample.funding.project_id.isin(matched.project_id)]
    assert set(matched.project_id) == set(lines[lines.source == "match"].project_id)


def test_fund_like_programme_has_the_weifang_tier_mix(sample):
    new = sample.projects[
        (sample.projects.programme_id == "fund_like")
        & sample.projects.predecessor_id.isna()
        & (sample.projects["round"] == 1)
    ]
    assert new.tier.value_counts().to_dict() == {"seedling": 26, "brand": 21, "demonstration": 8}


def test_latest_round_is_at_mid_term(sample):
    last = sample.rounds.groupby("programme_id")["round"].max()
    projects = sample.projects.merge(last.rename("last"), left_on="programme_id", right_index=True)
    running = projects[(projects["round"] == projects["last"]) & (projects.grant_yuan > 0)]
    assert set(running.stage) == {"signed"}
    periods = sample.indicators[sample.indicators.project_id.isin(running.project_id)].period
    assert set(periods) == {"plan", "midterm"}


def test_unknown_parameter_is_refused_by_name():
    params = default_params()
    params["truth"]["leverage_standad"] = 1.0
    params["programmes"][0]["colour"] = "red"
    with pytest.raises(ParamsError) as raised:
        simulate(params)
    assert "truth: unknown key 'leverage_standad'" in str(raised.value)
    assert "programmes[0]: unknown key 'colour'" in str(raised.value)


@pytest.mark.slow
def test_contest_funnel_matches_hongshan_proportions_over_many_seeds():
    # New ideas only (continuing projects skip the funnel). Hongshan: 376/2336 = 0.161,
    # 190/376 = 0.505, 185/190 = 0.974. Over 40 seeds × 4 rounds × 120 ideas the binomial
    # standard error of the first rate is about 0.003; 0.01 is over three of them.
    order = ["idea", "shortlisted", "approved", "signed", "completed"]
    reached = np.zeros(4)
    for seed in range(40):
        projects = simulate(seed=seed).projects
        new = projects[(projects.programme_id == "contest_like") & projects.predecessor_id.isna()]
        stage = new.stage.astype(str).replace({"withdrawn": "idea"}).map(order.index)
        stage = stage.clip(upper=3)
        reached += [(stage >= k).sum() for k in range(4)]
    rates = reached[1:] / reached[:-1]
    assert rates[0] == pytest.approx(0.161, abs=0.01)
    assert rates[1] == pytest.approx(0.505, abs=0.04)
    assert rates[2] >= 0.95


@pytest.mark.slow
def test_planted_leverage_of_reference_projects_over_many_seeds():
    # For standard projects with the reference team size, E[leveraged ÷ grant] is
    # leverage_standard (the log-normal noise has mean one), and matched ones are
    # leverage_matched_ratio times that. Checked on the ratio of sums over 30 seeds.
    truth = default_params()["truth"]
    totals = {"standard": [0.0, 0.0], "matched": [0.0, 0.0]}
    for seed in range(30):
        data = simulate(seed=seed)
        resources = impact.leverage.project_resources(data)
        projects = data.projects.assign(leveraged=resources.leveraged_yuan)
        chosen = projects[(projects.team_size == 8) & (projects.grant_yuan > 0)]
        for kind, group in chosen.groupby("application_type", observed=True):
            totals[kind][0] += group.leveraged.sum()
            totals[kind][1] += group.grant_yuan.sum()
    standard = totals["standard"][0] / totals["standard"][1]
    matched = totals["matched"][0] / totals["matched"][1]
    assert standard == pytest.approx(truth["leverage_standard"], rel=0.08)
    assert matched / standard == pytest.approx(truth["leverage_matched_ratio"], rel=0.2)


def test_spending_follows_progress_at_mid_term_and_is_complete_at_closure(sample):
    funded = sample.projects[sample.projects.grant_yuan > 0]
    completed = funded[funded.stage == "completed"]
    running = funded[funded.stage == "signed"]
    assert (completed.spent_yuan == completed.grant_yuan).all()
    assert (running.spent_yuan <= running.grant_yuan).all()
    assert (running.spent_yuan < running.grant_yuan).mean() > 0.5
    assert sample.projects[sample.projects.grant_yuan.isna()].spent_yuan.isna().all()
