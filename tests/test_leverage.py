"""Per-project resources and the descriptive overview, against hand calculations on the
clean fixture (tests/data/clean/funding.csv)."""

import pandas as pd
import pytest

import impact
from impact.describe import programme_overview
from impact.leverage import project_resources


def test_project_resources_by_hand(clean_dir):
    resources = project_resources(impact.load(clean_dir)).set_index("project_id")
    # P1: seed 5000; donation 2000 (cash); volunteer time 1500
    # P2: seed 8000; match 8000 (cash); in-kind 3000
    # P3: not funded; P4: seed 6000 only
    p1 = resources.loc["P1"]
    assert (
        p1.grant_yuan,
        p1.leveraged_cash_yuan,
        p1.leveraged_in_kind_yuan,
        p1.leveraged_volunteer_yuan,
        p1.leveraged_yuan,
    ) == (5000, 2000, 0, 1500, 3500)
    assert resources.loc["P2", "leveraged_cash_yuan"] == 8000
    assert resources.loc["P2", "leveraged_in_kind_yuan"] == 3000
    assert resources.loc["P2", "leveraged_yuan"] == 11000
    assert pd.isna(resources.loc["P3", "grant_yuan"])
    assert resources.loc["P3", "leveraged_yuan"] == 0
    assert resources.loc["P4", "leveraged_yuan"] == 0


def test_grant_falls_back_to_seed_lines_and_totals_to_projects_column():
    projects = pd.DataFrame(
        {
            "project_id": ["A", "B"],
            "programme_id": ["x", "x"],
            "round": [1, 1],
            "stage": ["completed", "completed"],
            "leveraged_yuan": ["1.2万", "300"],
            "grant_yuan": [6000, 1000],
        }
    )
    only_totals = impact.Dataset.from_frames(projects=projects)
    assert list(project_resources(only_totals).leveraged_yuan) == [12000.0, 300.0]
    funding = pd.DataFrame(
        {"project_id": ["A", "A"], "source": ["seed_grant", "donation"], "amount_yuan": [4000, 100]}
    )
    without_grant = impact.Dataset.from_frames(
        projects=projects.drop(columns=["grant_yuan", "leveraged_yuan"]), funding=funding
    )
    assert list(project_resources(without_grant).grant_yuan.fillna(-1)) == [4000.0, -1.0]


def test_programme_overview_by_hand(clean_dir):
    overview = programme_overview(impact.load(clean_dir)).loc["demo"]
    assert overview.rounds == 2 and overview.applications == 4
    assert overview.funded_projects == 3 and overview.communities == 2
    assert overview.grant_yuan == 5000 + 8000 + 6000
    assert overview.leveraged_yuan == 3500 + 11000
    assert overview.leverage_ratio == pytest.approx(14500 / 19000)
    assert overview.years == "2021–2022"
