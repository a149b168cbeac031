"""The indicator performance tracking table (impact.tracking) against a hand calculation
written out below, an independent recomputation with plain pandas on the sample data, and
the figures the five programmes' articles publish (DOMAIN.md, seeds 000 and 003)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impact
from impact.errors import DataError, EstimationError
from impact.tracking import OVERALL, dataset_tracking, indicator_tracking

ROOT = Path(__file__).resolve().parents[1]
PROGRAMMES = ROOT / "data" / "programmes"

# Six projects in two tiers. residents_served: more is better; complaints (written 投诉数,
# the catalogue's Chinese name): less is better. "" marks a blank value; a pair not listed
# has no row at all.
PROJECTS = pd.DataFrame(
    {
        "project_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "tier": ["brand", "brand", "brand", "seedling", "seedling", "seedling"],
    }
)
VALUES = {
    # project: (plan, midterm, final)
    "residents_served": {
        "P1": (100, 40, 120),
        "P2": (200, 90, ""),  # final written blank
        "P3": (None, 30, 50),  # reports, but never planned
        "P4": (300, 150, 270),
        "P5": (50, None, 60),  # no mid-term row
        "P6": (100, 70, 80),
    },
    "投诉数": {
        "P1": (4, 1, 2),
        "P2": (2, 3, 5),
        "P4": (3, 0, 3),  # no complaint by mid-term
        "P5": (1, "", 0),  # mid-term written blank
    },
}


def _rows(values=VALUES) -> pd.DataFrame:
    rows = []
    for indicator, projects in values.items():
        for project, triple in projects.items():
            for period, value in zip(("plan", "midterm", "final"), triple, strict=True):
                if value is not None:
                    rows.append((project, indicator, period, np.nan if value == "" else value))
    return pd.DataFrame(rows, columns=["project_id", "indicator", "period", "value"])


# What each row of the table must hold, worked out by hand from VALUES.
# share = actual ÷ target over the projects with both (target ÷ actual for complaints).
HAND = {
    ("residents_served", "brand"): dict(
        target=100 + 200,  # P1, P2 (P3 has no plan)
        target_projects=2,
        midterm_actual=40 + 90 + 30,
        midterm_projects=3,
        midterm_compared=2,  # P1, P2
        midterm_target_compared=100 + 200,
        midterm_actual_compared=40 + 90,
        midterm_share=(40 + 90) / (100 + 200),
        midterm_no_target=1,  # P3
        midterm_no_actual=0,
        final_actual=120 + 50,  # P1, P3 (P2 blank)
        final_projects=2,
        final_compared=1,  # P1
        final_target_compared=100,
        final_actual_compared=120,
        final_share=120 / 100,
        final_no_target=1,  # P3
        final_no_actual=1,  # P2
    ),
    ("residents_served", "seedling"): dict(
        target=300 + 50 + 100,
        target_projects=3,
        midterm_actual=150 + 70,
        midterm_projects=2,
        midterm_compared=2,  # P4, P6
        midterm_target_compared=300 + 100,
        midterm_actual_compared=150 + 70,
        midterm_share=(150 + 70) / (300 + 100),
        midterm_no_target=0,
        midterm_no_actual=1,  # P5
        final_actual=270 + 60 + 80,
        final_projects=3,
        final_compared=3,
        final_target_compared=300 + 50 + 100,
        final_actual_compared=270 + 60 + 80,
        final_share=(270 + 60 + 80) / (300 + 50 + 100),
        final_no_target=0,
        final_no_actual=0,
    ),
    ("residents_served", OVERALL): dict(
        target=750,
        target_projects=5,
        midterm_actual=380,
        midterm_projects=5,
        midterm_compared=4,  # P1, P2, P4, P6
        midterm_target_compared=100 + 200 + 300 + 100,
        midterm_actual_compared=40 + 90 + 150 + 70,
        midterm_share=350 / 700,
        midterm_no_target=1,
        midterm_no_actual=1,
        final_actual=580,
        final_projects=5,
        final_compared=4,  # P1, P4, P5, P6
        final_target_compared=100 + 300 + 50 + 100,
        final_actual_compared=120 + 270 + 60 + 80,
        final_share=530 / 550,  # not 580 / 750: P3 has no plan, P2 no final value
        final_no_target=1,
        final_no_actual=1,
    ),
    ("complaints", "brand"): dict(
        target=4 + 2,
        target_projects=2,
        midterm_actual=1 + 3,
        midterm_projects=2,
        midterm_compared=2,
        midterm_target_compared=6,
        midterm_actual_compared=4,
        midterm_share=6 / 4,
        midterm_no_target=0,
        midterm_no_actual=0,
        final_actual=2 + 5,
        final_projects=2,
        final_compared=2,
        final_target_compared=6,
        final_actual_compared=7,
        final_share=6 / 7,  # more complaints than planned: below 100%
        final_no_target=0,
        final_no_actual=0,
    ),
    ("complaints", "seedling"): dict(
        target=3 + 1,
        target_projects=2,
        midterm_actual=0,
        midterm_projects=1,  # P4 (P5 blank)
        midterm_compared=1,
        midterm_target_compared=3,
        midterm_actual_compared=0,
        midterm_share=math.nan,  # 3 ÷ 0: no complaint at all, no ratio
        midterm_no_target=0,
        midterm_no_actual=1,  # P5
        final_actual=3 + 0,
        final_projects=2,
        final_compared=2,
        final_target_compared=4,
        final_actual_compared=3,
        final_share=4 / 3,
        final_no_target=0,
        final_no_actual=0,
    ),
    ("complaints", OVERALL): dict(
        target=10,
        target_projects=4,
        midterm_actual=4,
        midterm_projects=3,
        midterm_compared=3,  # P1, P2, P4
        midterm_target_compared=4 + 2 + 3,
        midterm_actual_compared=1 + 3 + 0,
        midterm_share=9 / 4,
        midterm_no_target=0,
        midterm_no_actual=1,
        final_actual=10,
        final_projects=4,
        final_compared=4,
        final_target_compared=10,
        final_actual_compared=10,
        final_share=10 / 10,
        final_no_target=0,
        final_no_actual=0,
    ),
}


def _row(table: pd.DataFrame, indicator: str, tier: str | None = None) -> pd.Series:
    chosen = table.indicator == indicator
    if tier is not None:
        chosen &= table.tier.astype(object) == tier
    assert chosen.sum() == 1, (indicator, tier)
    return table[chosen].iloc[0]


def _assert_hand(row: pd.Series, expected: dict) -> None:
    for column, value in expected.items():
        if isinstance(value, float) and math.isnan(value):
            assert pd.isna(row[column]), column
        else:
            assert row[column] == pytest.approx(value, rel=1e-12), column


@pytest.fixture(scope="module")
def hand() -> impact.tracking.TrackingResult:
    return indicator_tracking(_rows(), PROJECTS, by="tier")


def test_hand_calculation_by_tier(hand):
    table = hand.table
    assert list(zip(table.indicator, table.tier, strict=True)) == list(HAND)
    for (indicator, tier), expected in HAND.items():
        _assert_hand(_row(table, indicator, tier), expected)


def test_names_units_and_directions_from_the_catalogue(hand):
    residents = _row(hand.table, "residents_served", OVERALL)
    complaints = _row(hand.table, "complaints", OVERALL)
    assert (residents.name_zh, residents.unit, residents.direction) == (
        "服务居民人次",
        "person-times",
        "higher",
    )
    assert (complaints.name_zh, complaints.name_en, complaints.direction) == (
        "投诉数",
        "complaints",
        "lower",
    )
    assert residents.in_catalogue and complaints.in_catalogue


def test_directions_agree_with_the_reports_progress():
    """The report's per-project progress (report.figures) counts the same indicators the
    other way."""
    from impact.indicators import CATALOGUE
    from impact.report.figures import lower_is_better

    rows = pd.DataFrame(
        [(f"P{i}", entry.code, "plan", 2.0) for i, entry in enumerate(CATALOGUE)]
        + [(f"P{i}", entry.code, "final", 1.0) for i, entry in enumerate(CATALOGUE)],
        columns=["project_id", "indicator", "period", "value"],
    )
    table = indicator_tracking(rows).table.set_index("indicator")
    lower = set(table.index[table.direction == "lower"])
    assert lower == set(table.index) & lower_is_better()
    assert table.loc["complaints", "final_share"] == 2.0  # plan 2 ÷ 1 complaint
    assert table.loc["activities", "final_share"] == 0.5


def test_without_by_the_table_is_the_overall_rows(hand):
    alone = indicator_tracking(_rows()).table
    assert list(alone.indicator) == ["residents_served", "complaints"]
    for indicator in ("residents_served", "complaints"):
        _assert_hand(_row(alone, indicator), HAND[(indicator, OVERALL)])
    assert list(hand.overall().indicator) == ["residents_served", "complaints"]


def test_blank_values_are_counted_and_named(hand):
    left = hand.left_out.set_index(["reason", "indicator", "period"])
    assert left.loc[("missing_value", "residents_served", "final"), "rows"] == 1
    assert left.loc[("missing_value", "complaints", "midterm"), "projects"] == 1
    assert len(left) == 2
    notes = "\n".join(hand.notes)
    assert "2 row(s) with a blank value left out (midterm 1, final 1)" in notes
    # overall: residents P5 and complaints P5 plan without a mid-term value, P3 without plan
    assert "left out of it: 2 plan(s) without a midterm value" in notes
    assert "and 1 midterm value(s) without a plan" in notes
    assert "midterm share not defined for complaints (seedling)" in notes
    assert "投诉数 → complaints" in notes and "lower is better for complaints" in notes


def test_rows_of_projects_not_given_are_left_out_and_counted():
    rows = pd.concat(
        [_rows(), pd.DataFrame({"project_id": ["P9"] * 2, "indicator": "residents_served",
                                "period": ["plan", "final"], "value": [1000, 10]})],
        ignore_index=True,
    )  # fmt: skip
    result = indicator_tracking(rows, PROJECTS, by="tier")
    residents = _row(result.table, "residents_served", OVERALL)
    _assert_hand(residents, HAND[("residents_served", OVERALL)])
    left = result.left_out[result.left_out.reason == "not_in_projects"]
    assert left.rows.sum() == 2 and set(left.period) == {"plan", "final"}
    assert "2 row(s) of 1 project(s) not in projects left out" in result.notes


def test_projects_without_a_group_form_their_own_and_count_overall():
    projects = PROJECTS.assign(tier=["brand", "brand", None, "seedling", "seedling", "seedling"])
    table = indicator_tracking(_rows(), projects, by="tier").table
    residents = table[table.indicator == "residents_served"]
    assert list(residents.tier.astype(object).fillna("blank")) == [
        "brand",
        "seedling",
        "blank",
        OVERALL,
    ]
    blank = residents[residents.tier.isna()].iloc[0]
    assert (blank.target_projects, blank.midterm_actual, blank.final_no_target) == (0, 30, 1)
    _assert_hand(_row(table, "residents_served", OVERALL), HAND[("residents_served", OVERALL)])


def test_one_period_only():
    result = indicator_tracking(_rows(), periods="final")
    assert not [c for c in result.table if c.startswith("midterm")]
    _assert_hand(
        _row(result.table, "complaints"),
        {k: v for k, v in HAND[("complaints", OVERALL)].items() if not k.startswith("midterm")},
    )
    assert result.left_out.set_index("reason").loc["period_not_requested", "rows"].sum() == 9


def test_office_spellings_of_periods_and_values_are_read_like_the_loader():
    rows = _rows().astype({"value": object})
    rows["period"] = rows.period.map({"plan": "计划", "midterm": "中期", "final": "结项"})
    at = (rows.project_id == "P4") & (rows.period == "计划") & (rows.indicator != "投诉数")
    rows.loc[at, "value"] = "300人次"
    rows.loc[rows.project_id == "P1", "indicator"] = rows.indicator.where(
        rows.indicator != "residents_served", "服务居民人次"
    )
    result = indicator_tracking(rows, PROJECTS, by="tier")
    for key, expected in HAND.items():
        _assert_hand(_row(result.table, *key), expected)
    assert "1 value(s): approximate" not in "\n".join(result.notes)  # 300人次 is exact
    rows.loc[at, "value"] = "约300人次"
    again = indicator_tracking(rows, PROJECTS, by="tier")
    assert "1 value(s): approximate (约, 余, +) read as the number written" in again.notes
    pd.testing.assert_frame_equal(again.table, result.table)


def test_an_indicator_without_a_plan_keeps_its_actuals_without_a_share():
    rows = pd.concat(
        [_rows(), pd.DataFrame({"project_id": ["P1", "P4"], "indicator": "带动就业人数",
                                "period": "final", "value": [3, 4]})],
        ignore_index=True,
    )  # fmt: skip
    result = indicator_tracking(rows, PROJECTS, by="tier")
    jobs = _row(result.table, "带动就业人数", OVERALL)
    assert jobs.final_actual == 7 and jobs.final_projects == 2 and jobs.target_projects == 0
    assert pd.isna(jobs.target) and pd.isna(jobs.final_share) and jobs.final_no_target == 2
    assert not jobs.in_catalogue and jobs.name_zh == "带动就业人数"
    notes = "\n".join(result.notes)
    assert "1 indicator(s) have no plan value" in notes and "带动就业人数" in notes
    assert "not in the catalogue" in notes


def test_direction_of_an_indicator_outside_the_catalogue_can_be_given():
    rows = pd.DataFrame(
        {
            "project_id": ["P1", "P1", "P2", "P2"],
            "indicator": "垃圾堆放点",
            "period": ["plan", "final", "plan", "final"],
            "value": [6, 3, 4, 2],
        }
    )
    assumed = indicator_tracking(rows)
    assert assumed.table.final_share.iloc[0] == (3 + 2) / (6 + 4)
    assert "read as higher is better" in "\n".join(assumed.notes)
    given = indicator_tracking(rows, directions={"垃圾堆放点": "lower"})
    assert given.table.final_share.iloc[0] == (6 + 4) / (3 + 2)
    assert given.table.direction.iloc[0] == "lower"
    assert "not in the catalogue" not in "\n".join(given.notes)


def test_a_target_of_zero_gives_no_share_and_a_note():
    rows = pd.DataFrame(
        {
            "project_id": ["P1", "P1"],
            "indicator": "videos",
            "period": ["plan", "final"],
            "value": [0, 2],
        }
    )
    result = indicator_tracking(rows)
    assert pd.isna(result.table.final_share.iloc[0]) and result.table.final_actual.iloc[0] == 2
    assert "final share not defined for videos" in "\n".join(result.notes)


def _with(column: str, project: str, period: str, value, indicator="residents_served"):
    rows = _rows().astype({column: object})
    at = (rows.project_id == project) & (rows.period == period) & (rows.indicator == indicator)
    assert at.sum() == 1
    rows.loc[at, column] = value
    return rows


def _units() -> pd.DataFrame:
    rows = _rows()
    rows["unit"] = np.where(rows.indicator == "residents_served", "人次", None)
    rows.loc[3, "unit"] = "人"
    return rows


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_with("value", "P1", "final", "many"), r"'value': 1 row\(s\) are not numbers.*'many'"),
        (_with("value", "P4", "plan", -300), r"column 'value'.*negative.*-300"),
        (_with("period", "P1", "final", "baseline"), r"column 'period'.*baseline"),
        (_with("period", "P1", "final", None), r"column 'period'"),
        (_with("project_id", "P1", "final", " "), r"column 'project_id'.*blank"),
        (_with("indicator", "P1", "final", None), r"column 'indicator'.*blank"),
        (_with("period", "P1", "midterm", "final"), r"repeat a project's value.*P1"),
        (_rows().drop(columns="value"), r"unknown column\(s\) 'value'"),
        (_rows().iloc[0:0], r"no rows"),
        (_units(), r"'unit': indicator 'residents_served' is written in 2 units \(人, 人次\)"),
    ],
)  # fmt: skip
def test_what_cannot_be_read_is_refused_naming_the_column(rows, message):
    with pytest.raises(EstimationError, match=message):
        indicator_tracking(rows, PROJECTS, by="tier")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (dict(by="tier"), r"needs the projects table"),
        (dict(projects=PROJECTS, by="theme"), r"unknown column\(s\) 'theme'"),
        (dict(projects=PROJECTS, by="target"), r"by cannot name"),
        (dict(periods=("plan",)), r"periods must name.*plan holds the targets"),
        (dict(periods=("final", "final")), r"periods must name"),
        (dict(periods=()), r"periods must name"),
        (dict(directions={"complaints": "down"}), r"directions\['complaints'\]"),
        (dict(directions={"satisfaction": "higher"}), r"not in the data: satisfaction"),
        (dict(projects=PROJECTS.assign(tier="all"), by="tier"), r"group named 'all'"),
        (dict(projects=pd.concat([PROJECTS, PROJECTS.iloc[:1]])), r"more than once \(P1\)"),
    ],
)
def test_arguments_are_refused_not_guessed(arguments, message):
    with pytest.raises(EstimationError, match=message):
        indicator_tracking(_rows(), **arguments)


def test_every_row_outside_the_projects_is_refused_with_the_count():
    others = PROJECTS.assign(project_id=["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"])
    with pytest.raises(EstimationError, match=r"no indicator value is left.*28 row\(s\) of 6 proj"):
        indicator_tracking(_rows(), others)


def test_result_shows_itself_as_text_html_and_plot(hand):
    import matplotlib

    matplotlib.use("Agg")
    summary = hand.summary()
    text = str(summary)
    assert "43.3%" in text and "120.0%" in text and "note: " in text  # brand residents
    assert "<table" in summary._repr_html_() and "<table" in hand._repr_html_()
    short = repr(hand)
    assert short.startswith("<TrackingResult: 2 indicators by tier") and "\n" not in short
    ax = hand.plot()
    bars = ax.patches
    assert len(bars) == 2 * 2  # two indicators, two periods
    assert not ax.texts  # every overall share is defined
    widths = sorted(round(b.get_width(), 6) for b in bars)
    assert widths == sorted(round(100 * v, 6) for v in (350 / 700, 530 / 550, 9 / 4, 1.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        hand.notes = ()


def test_impact_exposes_the_module():
    assert impact.tracking.indicator_tracking is indicator_tracking
    assert "tracking" in impact.__all__


# -- the sample data: the same table recomputed with plain pandas --------------------------


@pytest.fixture(scope="module")
def sample() -> impact.Dataset:
    return impact.load(ROOT / "data" / "sample")


def _recompute(data: impact.Dataset, by: list[str]) -> dict:
    """Sums and shares per (indicator, *groups) by plain pandas, without impact.tracking."""
    funded = data.projects[data.projects.grant_yuan.fillna(0) > 0]
    rows = data.indicators[data.indicators.project_id.isin(funded.project_id)]
    wide = rows.pivot_table(
        index=["project_id", "indicator"], columns="period", values="value", observed=True
    ).reset_index()
    wide = wide.merge(funded[["project_id", *by]].astype(object), on="project_id", how="left")
    expected = {}
    keys = wide[by].astype(str).where(wide[by].notna(), "<blank>").agg("|".join, axis=1)
    wide = wide.assign(key=keys)
    parts = [(k, part) for k, part in wide.groupby(["indicator", "key"])]
    if by:
        parts += [((i, OVERALL), part) for i, part in wide.groupby("indicator")]
    for (indicator, key), part in parts:
        both = part.plan.notna() & part.final.notna()
        mid = part.plan.notna() & part.midterm.notna()
        # nothing reported is missing, not 0 (min_count=1); no pair, no share
        expected[(indicator, key)] = dict(
            target=part.plan.sum(min_count=1),
            target_projects=part.plan.notna().sum(),
            midterm_actual=part.midterm.sum(min_count=1),
            midterm_share=part.midterm[mid].sum() / part.plan[mid].sum() if mid.any() else np.nan,
            final_actual=part.final.sum(min_count=1),
            final_projects=part.final.notna().sum(),
            final_compared=both.sum(),
            final_share=part.final[both].sum() / part.plan[both].sum() if both.any() else np.nan,
            final_no_actual=(part.plan.notna() & part.final.isna()).sum(),
        )
    return expected


@pytest.mark.parametrize("by", [["tier"], ["programme_id", "round"], ["theme"]])
def test_sample_agrees_with_plain_pandas(sample, by):
    result = dataset_tracking(sample, by=by)
    expected = _recompute(sample, by)
    table = result.table
    keys = table[by].astype(str).where(table[by].notna(), "<blank>").agg("|".join, axis=1)
    keys = keys.where(~table[by[0]].astype(object).eq(OVERALL), OVERALL)
    assert len(table) == len(expected)
    for key, (_, row) in zip(keys, table.iterrows(), strict=True):
        _assert_hand(row, expected[(row.indicator, key)])


def test_sample_final_share_leaves_out_the_round_still_running(sample):
    """Round 4 of the sample is signed, not completed: its projects have plans and no final
    values, so they are in the target but not in the final share."""
    funded = sample.projects[sample.projects.grant_yuan > 0]
    running = int((funded.stage.astype(object) == "signed").sum())
    assert running == 91
    result = dataset_tracking(sample)
    assert set(result.table.final_no_actual) == {running}
    assert set(result.table.final_compared + result.table.final_no_actual) == {len(funded)}
    assert "637 plan(s) without a final value" in "\n".join(result.notes)
    assert "3 programmes and 4 rounds" in "\n".join(result.notes)
    per_round = dataset_tracking(sample, by=["programme_id", "round"])
    assert not any("programmes" in n for n in per_round.notes)


# -- the five programmes --------------------------------------------------------------------


@pytest.fixture(scope="module")
def lishui() -> impact.Dataset:
    return impact.load(PROGRAMMES / "lishui")


def test_lishui_final_actuals_are_the_published_figures(lishui):
    """seeds/000 (DOMAIN.md): in three months 211 core team members, 141 activities, 2,161
    person-times of other actors, 39 micro-issues, 13,903 resident person-times, 5 videos,
    51 posts, 20,392 reads, 2 mechanisms; the community farm: 79 volunteers, 4 consultation
    meetings with 38 people, 11 vegetable deliveries to 361 elders, 3 charity days, 9
    wishes fulfilled."""
    result = dataset_tracking(lishui)
    actual = result.table.set_index("indicator").final_actual
    published = {
        "core_team": 211,
        "activities": 141,
        "other_actors": 2161,
        "issues_solved": 39,
        "residents_served": 13903,
        "videos": 5,
        "posts": 51,
        "reads": 20392,
        "mechanisms": 2,
        "volunteers": 79,
        "议事协商会议": 4,
        "会议出席人数": 38,
        "鲜菜到户行动": 11,
        "受助长者": 361,
        "农场公益日": 3,
        "实现长者微心愿": 9,
    }
    assert actual.to_dict() == published
    assert "the data have no midterm values: the midterm columns are empty" in result.notes


def test_lishui_targets_and_shares_by_application_type(lishui):
    """Plans and shares against the plan values of the loaded workbook, summed by plain
    pandas; the three matched projects (seeds/000) form their own group."""
    result = dataset_tracking(lishui, by="application_type")
    indicators = lishui.indicators.merge(
        lishui.projects[["project_id", "application_type"]].astype(object), on="project_id"
    )
    wide = indicators.pivot_table(
        index=["project_id", "indicator", "application_type"],
        columns="period",
        values="value",
        observed=True,
    ).reset_index()
    table = result.table
    matched = table[table.application_type == "matched"]
    assert set(matched.target_projects) == {3}
    for row in table.itertuples():
        part = wide[wide.indicator == row.indicator]
        if row.application_type != OVERALL:
            part = part[part.application_type == row.application_type]
        assert row.target == part.plan.sum() and row.final_actual == part.final.sum()
        assert row.final_compared == len(part) and row.final_no_actual == 0
        if part.plan.sum() > 0:
            assert row.final_share == pytest.approx(part.final.sum() / part.plan.sum())
        else:  # the matched projects planned no video and made none
            assert pd.isna(row.final_share) and row.final_actual == 0
    assert "final share not defined for videos (matched)" in "\n".join(result.notes)


def test_hongshan_has_actuals_without_targets():
    """seeds/003 (DOMAIN.md): 9,175 activities, 253,537 person-times covered, 24,598
    volunteer person-times, 153 people started businesses and 554 found jobs. The contest
    recorded no plans: no target, no share, and a note naming the five indicators."""
    result = dataset_tracking(impact.load(PROGRAMMES / "hongshan"))
    table = result.table.set_index("indicator")
    assert table.final_actual.to_dict() == {
        "activities": 9175,
        "residents_served": 253537,
        "volunteer_person_times": 24598,
        "带动创业人数": 153,
        "带动就业人数": 554,
    }
    assert set(table.final_projects) == {185}
    assert table.target.isna().all() and table.final_share.isna().all()
    assert (table.target_projects == 0).all()
    assert table.loc["带动就业人数", "unit"] == "人"  # outside the catalogue: the unit written
    assert "5 indicator(s) have no plan value" in "\n".join(result.notes)
    import matplotlib

    matplotlib.use("Agg")
    texts = [text.get_text() for text in result.plot().texts]
    assert texts == ["no share: no indicator has both a plan and a value"]


@pytest.mark.parametrize("name", ["weifang_xincun", "longgang", "gangwan"])
def test_programmes_without_indicators_are_refused_naming_the_table(name):
    with pytest.raises(DataError, match="table 'indicators' is needed"):
        dataset_tracking(impact.load(PROGRAMMES / name))


def test_a_dataset_without_funded_projects_is_refused_with_the_alternative():
    data = impact.Dataset.from_frames(
        projects=pd.DataFrame(
            {"project_id": ["A"], "programme_id": ["x"], "round": [1], "stage": ["signed"]}
        ),
        indicators=pd.DataFrame(
            {"project_id": ["A"], "indicator": ["activities"], "period": ["plan"], "value": [3]}
        ),
    )
    with pytest.raises(EstimationError, match=r"indicator_tracking\(data.indicators"):
        dataset_tracking(data)
    assert indicator_tracking(data.indicators, data.projects).table.target.iloc[0] == 3
