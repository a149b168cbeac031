"""The numbers reports show (impact.report.figures) against hand calculations, and the
scope each report may see (impact.report.scope) on the sample."""

import math

import numpy as np
import pandas as pd
import pytest

import impact
from impact.report import figures, scope

from .conftest import ROOT

# ---------------------------------------------------------------- figures, by hand


def test_status_thresholds():
    assert figures.status(0.45) == "on_track"
    assert figures.status(0.4449) == "watch"
    assert figures.status(0.4496) == "on_track"  # shown as 45%: judged as shown
    assert figures.status(0.30) == "watch"
    assert figures.status(0.2949) == "behind"
    assert figures.status(float("nan")) is None


def test_indicator_progress_divides_and_inverts_where_lower_is_better():
    rows = [
        ("P1", "activities", "plan", 10),
        ("P1", "activities", "midterm", 2),  # 2/10 = 20%: behind
        ("P1", "complaints", "plan", 4),
        ("P1", "complaints", "midterm", 8),  # lower is better: 4/8 = 50%: on track
        ("P1", "posts", "plan", 5),  # no mid-term value: no share
        ("P2", "activities", "plan", 10),
        ("P2", "activities", "midterm", 3),  # 30%: watch
        ("P2", "activities", "final", 99),  # final values are not mid-term progress
    ]
    indicators = pd.DataFrame(rows, columns=["project_id", "indicator", "period", "value"])
    table = figures.indicator_progress(indicators, ["P1", "P2"]).set_index(
        ["project_id", "indicator"]
    )
    assert table.loc[("P1", "activities"), "achieved"] == pytest.approx(0.2)
    assert table.loc[("P1", "complaints"), "achieved"] == pytest.approx(0.5)
    assert np.isnan(table.loc[("P1", "posts"), "achieved"])
    assert table.loc[("P2", "activities"), "achieved"] == pytest.approx(0.3)
    assert table.loc[("P1", "activities"), "status"] == "behind"
    assert table.loc[("P2", "activities"), "status"] == "watch"


def test_project_progress_lists_lagging_indicators_for_every_project_not_on_track():
    progress = pd.DataFrame(
        {
            "project_id": ["A", "A", "A", "B", "B"],
            "indicator": ["x", "y", "z", "x", "y"],
            "plan": [10, 10, 10, 10, 10],
            "midterm": [3, 4, 9, 5, 6],
            "achieved": [0.3, 0.4, 0.9, 0.5, 0.6],
        }
    )
    table = figures.project_progress(progress).set_index("project_id")
    # A: median of 0.3, 0.4, 0.9 = 0.4 -> watch; x and y are below 45%, worst first
    assert table.loc["A", "achieved"] == pytest.approx(0.4)
    assert table.loc["A", "status"] == "watch"
    assert [item[0] for item in table.loc["A", "lagging"]] == ["x", "y"]
    assert table.loc["A", "lagging"][0][1:3] == (10, 3)  # plan and value travel with it
    assert table.loc["B", "status"] == "on_track" and table.loc["B", "lagging"] == []


def test_status_counts_include_zeros_and_unknown():
    counts = figures.status_counts(pd.Series(["behind", "behind", "on_track", None]))
    assert counts == {"behind": 2, "watch": 0, "on_track": 1, "unknown": 1}


def test_peer_medians_leave_the_project_out():
    frame = pd.DataFrame({"group": ["a", "a", "a", "b"], "share": [0.2, 0.4, 0.6, 0.5]})
    out = figures.peer_medians(frame, "group", "share")
    # peers of 0.2 are 0.4 and 0.6 (median 0.5); of 0.4: 0.2, 0.6 -> 0.4; of 0.6: 0.3
    assert out.peer_median.tolist()[:3] == pytest.approx([0.5, 0.4, 0.3])
    assert out.peers.tolist() == [2, 2, 2, 0]
    assert math.isnan(out.peer_median.iloc[3])  # alone: no peer median, not its own value


def test_need_order_puts_behind_first_then_lowest_share():
    frame = pd.DataFrame(
        {
            "project_id": ["ok", "w", "b2", "b1", "none"],
            "status": ["on_track", "watch", "behind", "behind", None],
            "achieved": [0.9, 0.35, 0.25, 0.1, np.nan],
        }
    )
    assert figures.need_order(frame).project_id.tolist() == ["b1", "b2", "w", "ok", "none"]


def test_auc_quality_and_reasons():
    assert figures.auc_quality(0.59) == "chance"
    assert figures.auc_quality(float("nan")) == "chance"
    assert figures.auc_quality(0.65) == "modest"
    assert figures.auc_quality(0.8) == "useful"
    parts = figures.reason_parts("midterm_progress low (+0.52); application_type_standard (+0.3)")
    assert parts == [("midterm_progress", "low"), ("application_type_standard", None)]


def test_continuation_share_with_wilson_interval():
    rounds = pd.DataFrame({"ended": [0, 0, 0, 1, np.nan]})
    rate = figures.continuation(rounds)
    assert (rate["continued"], rate["known"]) == (3, 4)
    # Wilson 95%: centre (p + z²/2n)/(1 + z²/n), half-width z/(1+z²/n)·sqrt(p(1-p)/n + z²/4n²)
    z, n, p = 1.959964, 4, 0.75
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert rate["low"] == pytest.approx(centre - half, abs=1e-5)
    assert rate["high"] == pytest.approx(centre + half, abs=1e-5)


def test_published_per_project_lishui():
    # DOMAIN.md: Lishui round 4 leveraged 62,619 yuan with 15 funded projects
    published = impact.load(ROOT / "data" / "published").published
    per = figures.published_per_project(published, "leveraged_yuan")
    lishui = per[per.programme_id == "lishui"].iloc[0]
    assert lishui.value == 62619 and lishui.per_project == pytest.approx(62619 / 15)


def test_own_figures_are_sums_of_the_rows():
    data = impact.load(ROOT / "data" / "sample")
    one = scope.for_rounds(data, "lishui_like", [4])
    own = figures.own_figures(one)
    projects = data.projects[
        (data.projects.programme_id == "lishui_like") & (data.projects["round"] == 4)
    ]
    funded = projects[projects.grant_yuan > 0]
    assert own["applicants"] == len(projects)
    assert own["funded_projects"] == len(funded)
    assert own["paid_out_yuan"] == funded.grant_yuan.sum()
    lines = data.funding[data.funding.project_id.isin(funded.project_id)]
    assert own["leveraged_yuan"] == pytest.approx(
        lines.loc[lines.source != "seed_grant", "amount_yuan"].sum()
    )


# ---------------------------------------------------------------- scope


@pytest.fixture(scope="module")
def sample():
    return impact.load(ROOT / "data" / "sample")


def test_annual_scope_is_the_rounds_of_its_year(sample):
    y2019 = scope.for_year(sample, "lishui_like", 2019)
    y2022 = scope.for_year(sample, "lishui_like", 2022)
    assert set(y2019.projects["round"]) == {1} and set(y2022.projects["round"]) == {4}
    assert set(y2019.funding.project_id) <= set(y2019.projects.project_id)
    to_date = scope.for_year(sample, "lishui_like", 2021, cumulative=True)
    assert set(to_date.projects["round"]) == {1, 2, 3}
    assert to_date.followups.year.max() <= 2021 and to_date.panel.year.max() <= 2021


def test_programme_scope_keeps_its_own_communities(sample):
    mine = scope.for_programme(sample, "lishui_like")
    assert len(mine.communities) == 24 < len(sample.communities)
    assert set(mine.panel.community_id) <= set(mine.communities.community_id)


def test_midterm_scope_knows_only_what_was_known(sample):
    known = scope.as_of_midterm(sample, "lishui_like", 2)  # mid-term 2020-11-15
    lishui = known.projects[known.projects.programme_id == "lishui_like"]
    assert set(lishui["round"]) == {1, 2}
    current = set(lishui.loc[lishui["round"] == 2, "project_id"])
    finals = known.indicators[known.indicators.project_id.isin(current)].period.astype(str)
    assert "final" not in set(finals)
    assert known.followups.year.max() < 2020
    # the fund-like programme's first round started 2021-04-01, after this mid-term
    assert "fund_like" not in set(known.projects.programme_id)
    current_stages = set(lishui.loc[lishui["round"] == 2, "stage"].astype(str))
    assert "completed" not in current_stages


@pytest.mark.parametrize(
    "language, expected", [("zh", ["0届", "1届", "2届", "3届"]), ("en", ["0", "1", "2", "3"])]
)
def test_round_axis_has_whole_rounds_in_the_readers_language(language, expected):
    """A survival curve over 0–3 rounds: matplotlib's default locator puts ticks at 0.5,
    1.5, …; rounds are whole, labelled as the reader counts them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 3.5))
    ax.step([0, 1, 2, 3], [1, 0.8, 0.5, 0.4], where="post")
    figures.round_ticks(ax.xaxis, language)
    figure.canvas.draw()
    low, high = ax.get_xlim()
    ticks = [tick for tick in ax.get_xticks() if low <= tick <= high]
    labels = [
        label.get_text() for label in ax.get_xticklabels() if low <= label.get_position()[0] <= high
    ]
    plt.close(figure)
    assert all(float(tick).is_integer() for tick in ticks)
    assert labels == expected


def test_english_table_headers_are_words_not_code_names():
    """The explore report's English tables showed 'table', 'rows', 'n', 'effect',
    'std. error', 'ended', 'median rounds': headers read as words, capitalised like the
    rest, with their units."""
    from impact.report.format import columns

    frame = pd.DataFrame(
        {
            key: [1]
            for key in ("table", "rows", "n", "att", "se", "events", "median", "programme_id")
        }
    )
    shown = {column.key: column.header for column in columns(frame, "en")}
    assert shown == {
        "table": "Table",
        "rows": "Rows",
        "n": "Projects",
        "att": "Effect",
        "se": "Standard error",
        "events": "Ended",
        "median": "Median (rounds)",
        "programme_id": "Programme",
    }
    assert columns(pd.DataFrame({"n": [1]}), "zh")[0].header == "项目数"
