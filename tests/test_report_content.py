"""What the reports say for programmes as they really are: the year's achievements and the
money first, only the sections the data support (the rest listed once, with the data
that would answer them), honest funnels, mid-terms by indicators with spending as a
second signal, published figures with a verdict, and figures that point different ways
said so. Checked on the five programmes' data and on small data sets written out here."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

import impact
from impact.dataset import Dataset
from impact.report import figures
from impact.report.blocks import Heading
from impact.report.catalogue import TEXT
from impact.report.published import verdict
from impact.report.render.page import body
from impact.report.sections import Report
from impact.report.sections.annual import raw_and_adjusted

from .conftest import ROOT

PROGRAMMES = {
    "lishui": 2022,
    "hongshan": 2017,
    "weifang_xincun": 2024,
    "longgang": 2019,
    "gangwan": 2024,
}
# The money a first screen must carry, and each programme's main published figure
# (DOMAIN.md), as the page writes them.
FIRST_SCREEN = {
    "lishui": ("108,000", "62,619"),
    "hongshan": ("686,404.16", "253,537"),
    "weifang_xincun": ("1,028,000", "55"),
    "longgang": ("13,900", "16"),
    "gangwan": ("12,660", "15%"),
}


@pytest.fixture(scope="module")
def programmes() -> dict[str, Dataset]:
    return {name: impact.load(ROOT / "data" / "programmes" / name) for name in PROGRAMMES}


def _page(document, language="zh") -> str:
    return "\n".join(body(document.shown(), language))


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture(scope="module")
def annuals(programmes):
    built = {}
    for name, year in PROGRAMMES.items():
        report = Report.open(
            "annual", programmes[name], programme=name, year=year, options={"n_boot": 49}
        )
        built[name] = report.build()
    return built


# ---------------------------------------------------------------- the first screen


@pytest.mark.parametrize("name", list(PROGRAMMES))
def test_the_first_screen_carries_the_money_and_the_main_published_figure(annuals, name):
    first = _text(_page(annuals[name]))[:1500]
    money, published = FIRST_SCREEN[name]
    assert money in first, (name, first)
    assert published in first, (name, first)


@pytest.mark.parametrize("name", list(PROGRAMMES))
def test_every_number_in_the_key_findings_is_in_a_table_below(annuals, name):
    """Traceable: each figure a key finding states stands in a table of the page."""
    assert not untraced(annuals[name].shown()), name


def untraced(document) -> list[tuple[str, str]]:
    """Each number of the key findings (counts from 100, shares, amounts; not years) that
    no table of the page holds, with its sentence."""
    findings = document.part("key_findings")
    sentences = [i for b in findings.blocks if hasattr(b, "items") for i in b.items]
    cells = {cell for table in document.tables for row in table.texts for cell in row}
    cells |= {re.sub(r"（.*", "", c) for c in cells}  # a value with its interval
    return [
        (number, sentence)
        for sentence in sentences
        for number in re.findall(r"\d[\d,]*(?:\.\d+)?%?", sentence)
        if (len(number.replace(",", "")) >= 3 or "%" in number)
        and not re.fullmatch(r"20\d\d", number)
        and not any(number in cell for cell in cells)
    ]


def test_hongshan_first_screen_names_cofunding_and_cost_per_person_time(annuals):
    first = _text(_page(annuals["hongshan"]))[:1500]
    assert "基金会出资60%" in first and "财政资金出资40%" in first
    assert "每1元财政资金带动其他资金1.50元" in first
    assert "2.71" in first


def test_lishui_matched_money_and_published_figures_agree(annuals):
    first = _text(_page(annuals["lishui"]))[:1500]
    assert "自筹配比资金12,000元" in first
    assert re.search(r"与公开报道的数据核对：\d+项一致", first)


# ---------------------------------------------------------------- only what the data support


def test_no_section_only_says_it_cannot_be_computed(annuals):
    """A section the data cannot support is left out; what it would have answered is in
    the closing box, once."""
    for name, document in annuals.items():
        shown = document.shown()
        for part in shown.parts:
            texts = [b for b in part.blocks if not isinstance(b, Heading)]
            assert texts or part.section == "title", (name, part.section)
        page = _text(_page(document))
        sentences = [TEXT[k]["zh"] for k in ("one_round_only", "no_panel", "no_followups")]
        assert not any(s in page for s in sentences), name
        box = document.part("limits")
        if document.limits:
            assert box is not None and box.blocks
            lines = [i for b in box.blocks if hasattr(b, "items") for i in b.items]
            assert len(lines) == len({line.split("：")[1] for line in lines})  # each why once


def test_history_questions_share_one_line_in_the_box(annuals):
    box = annuals["weifang_xincun"].part("limits")
    lines = [i for b in box.blocks if hasattr(b, "items") for i in b.items]
    history = [line for line in lines if "需要两届以上的项目记录" in line]
    assert len(history) == 1 and "可持续性" in history[0] and "影响项目延续的因素" in history[0]


def test_the_methods_note_names_only_the_methods_used(annuals):
    weifang = _text(_page(annuals["weifang_xincun"]))
    assert "双重差分" not in weifang and "Kaplan" not in weifang
    hongshan = _text(_page(annuals["hongshan"]))
    assert "威尔逊" in hongshan  # its funnel
    assert "联合出资撬动为其他出资方" in hongshan
    assert "双重差分" not in hongshan


# ---------------------------------------------------------------- honest funnels


def _frames(stages: list[str], grants: list[float]) -> Dataset:
    n = len(stages)
    projects = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "programme_id": "p",
            "round": 1,
            "title": [f"项目{i}" for i in range(n)],
            "stage": stages,
            "grant_yuan": grants,
        }
    )
    return Dataset.from_frames(projects=projects)


def test_a_funnel_shows_only_the_stages_recorded():
    """Applications recorded as idea (not selected) and completed: the funnel is those two
    stages, never a shortlisted / approved / signed stage at 100% the data never saw."""
    data = _frames(["idea"] * 6 + ["completed"] * 4, [0] * 6 + [1000] * 4)
    document = Report.open("annual", data, programme="p", year=None).build()
    table = next(t for t in document.shown().tables if t.name == "funnel")
    assert [row[0] for row in table.texts] == ["申报", "结项"]  # not a proposal contest
    assert table.values[1][1] == 4 and table.values[1][2] == pytest.approx(0.4)


def test_one_recorded_stage_is_no_funnel_and_says_which_data_would_make_one():
    data = _frames(["signed"] * 5, [1000] * 5)
    document = Report.open("annual", data, programme="p", year=None).build()
    assert document.part("funnel").status == "unavailable"
    assert not any(t.name == "funnel" for t in document.shown().tables)
    assert any("签约实施" in limit.why and "各阶段" in limit.why for limit in document.limits)


# ---------------------------------------------------------------- mid-terms


def test_time_gone_from_the_round_dates():
    rounds = pd.DataFrame(
        {
            "programme_id": ["p"],
            "round": [1],
            "start_date": [pd.Timestamp("2024-04-15")],
            "midterm_date": [pd.Timestamp("2024-09-20")],
            "end_date": [pd.Timestamp("2024-12-31")],
        }
    )
    # 158 days of 260 gone
    assert figures.time_gone(rounds, "p", 1) == pytest.approx(158 / 260)
    assert figures.time_gone(rounds.drop(columns="end_date"), "p", 1) is None


def test_spending_flags_only_clear_departures_from_the_time_gone():
    projects = pd.DataFrame(
        {
            "project_id": list("ABCDE"),
            "tier": ["x", "x", "x", "y", "y"],
            "grant_yuan": [10000.0] * 5,
            "spent_midterm_yuan": [2900.0, 3100.0, 6000.0, 9500.0, 4000.0],
        }
    )
    # 60% of the round gone: slow below 30% spent; fast at 90% spent with more than 30
    # points over the time gone (90% > 60% + 30%)
    frame = figures.spending(projects, 0.6, "tier").set_index("project_id")
    assert frame.signal.to_dict() == {
        "A": "slow",
        "B": "normal",
        "C": "normal",
        "D": "fast",
        "E": "normal",
    }
    assert frame.loc["A", "peer_median"] == pytest.approx(0.455)  # B and C: 31%, 60%
    assert frame.loc["D", "peer_median"] == pytest.approx(0.40)


def test_spending_is_judged_on_the_figures_the_page_shows():
    """Weifang's mid-term: 60.8% of the round gone, shown as 61%; a project that spent
    30.0% is below half of that (30.5%) and is slow, as a reader works it out; 30.6%
    (shown 31%) is not."""
    projects = pd.DataFrame(
        {"project_id": ["A", "B"], "grant_yuan": [20000.0] * 2, "spent_midterm_yuan": [6000, 6120]}
    )
    frame = figures.spending(projects, 0.608).set_index("project_id")
    assert frame.signal.to_dict() == {"A": "slow", "B": "normal"}


def test_status_is_judged_against_the_time_gone():
    # 61% gone: on track from 90% of it (55%), watch from 60% (37%)
    assert figures.status(0.55, 0.61) == "on_track"
    assert figures.status(0.54, 0.61) == "watch"
    assert figures.status(0.37, 0.61) == "watch"
    assert figures.status(0.36, 0.61) == "behind"
    assert figures.status(0.45) == "on_track"  # halfway where the dates do not say


def test_weifang_mid_term_by_spending_flags_few_and_never_under_indicators(programmes):
    report = Report.open(
        "midterm", programmes["weifang_xincun"], programme="weifang_xincun", round_no=2024
    )
    document = report.build()
    page = _text(_page(document))
    headings = [b.text for b in document.shown().blocks if isinstance(b, Heading)]
    assert "指标完成情况" not in headings  # no indicator values: no indicator heading
    assert "进度只能从资金使用看" in page
    signals = report.context.spending.signal
    assert signals.ne("normal").sum() <= 5  # not 30 of 55 spending 30–45%, 61% of the time gone
    slow, fast = int((signals == "slow").sum()), int((signals == "fast").sum())
    if slow or fast:
        assert f"{slow}个资金使用明显慢于时间进度，{fast}个明显快于时间进度" in page
    else:
        assert f"本届{len(signals)}个项目的资金使用均未明显偏离时间进度" in page
    assert "资金使用进度" in page


def test_sample_mid_term_names_the_projects_furthest_behind_with_why():
    sample = impact.load(ROOT / "data" / "sample")
    document = Report.open("midterm", sample, programme="lishui_like", round_no=4).build()
    findings = document.part("key_findings").blocks
    lines = [i for b in findings if hasattr(b, "items") for i in b.items]
    assert any(re.search(r"（[^（）\d]+\d[\d,]*/\d[\d,]*（\d+%））", line) for line in lines), lines
    assert any(line.startswith("资金使用（按时间应约") for line in lines)


# ---------------------------------------------------------------- published figures


@pytest.mark.parametrize(
    "own, published, qualifier, expected",
    [
        (686404.16, 686404.16, "exact", "agrees"),
        (686404.0, 686404.16, "exact", "differs"),  # published to the fen
        (0.6, 0.6, "exact", "agrees"),
        (0.604, 0.6, "exact", "agrees"),  # 0.6 published to one place
        (112, 100, "at_least", "agrees"),  # 100余
        (99, 100, "at_least", "differs"),
        (320, 300, "about", "agrees"),  # 约300, within 10%
        (340, 300, "about", "differs"),
        (None, 3, "exact", "not_recorded"),
    ],
)
def test_published_verdicts(own, published, qualifier, expected):
    assert verdict(own, published, qualifier) == expected


def test_a_published_figure_that_differs_is_named_with_the_difference(programmes):
    data = programmes["lishui"]
    published = impact.load(ROOT / "data" / "published").published
    changed = published.copy()
    row = changed.index[
        (changed.programme_id == "lishui") & (changed.indicator == "leveraged_yuan")
    ]
    changed.loc[row, "value"] = 60000.0
    reference = Dataset(
        **(dict(impact.load(ROOT / "data" / "published").tables) | {"published": changed})
    )
    report = Report.open("annual", data, programme="lishui", year=2022, options={"n_boot": 49})
    report.context.__dict__["reference"] = reference  # the published set with one figure off
    report.context.__dict__.pop("published", None)
    page = _text(_page(report.build()))
    assert "公开报道为60,000元，本报告为62,619元" in page
    assert "相差2,619（+4%）" in page


def test_other_programmes_only_of_the_same_kind_and_folded():
    sample = impact.load(ROOT / "data" / "sample")
    report = Report.open(
        "annual", sample, programme="lishui_like", year=2022, options={"n_boot": 49}
    )
    document = report.build().shown()
    table = next(t for t in document.tables if t.name == "other_programmes")
    assert table.folded
    programmes = {c.header for c in table.columns[2:]}
    assert any("里水镇" in p for p in programmes)  # a competition, like lishui_like
    assert not any("红山区" in p or "潍坊" in p for p in programmes)
    page = _page(document)
    share = len(_text(page[page.index("与同类计划比较") :].split("<h2>")[0])) / len(_text(page))
    assert share <= 0.15


# ---------------------------------------------------------------- figures that disagree


def test_a_reversed_adjusted_comparison_is_said():
    raw = pd.DataFrame({"leverage": [1.52, 1.20], "n": [5, 10]}, index=["matched", "standard"])
    ctx = SimpleNamespace(
        leverage_by_type=SimpleNamespace(table=raw),
        t=lambda key, **values: TEXT[key]["zh"].format(**values),
    )
    adjusted = pd.DataFrame({"leverage_relative": [0.84], "ci_low": [0.10], "ci_high": [7.39]})
    sentence = raw_and_adjusted(ctx, adjusted)
    assert "1.52" in sentence and "1.20" in sentence and "0.84" in sentence
    assert "尚不能判断" in sentence  # its interval spans 1
    agreeing = adjusted.assign(leverage_relative=1.3, ci_low=1.1)
    assert raw_and_adjusted(ctx, agreeing) is None


def test_a_rejected_pre_trend_test_leads_the_participation_section():
    sample = impact.load(ROOT / "data" / "sample")
    report = Report.open(
        "annual", sample, programme="lishui_like", year=2021, options={"n_boot": 49}
    )
    part = report.section("participation").parts[0]
    texts = [b for b in part.blocks if hasattr(b, "style")]
    assert texts[0].style == "caution" and "平行趋势检验未通过" in texts[0].text
    assert re.search(r"结论仍然成立|结论就已不成立|结论就可能不成立", texts[2].text + texts[1].text)
    assert any(f.name.endswith("_sensitivity") for f in part.blocks if hasattr(f, "svg"))


def test_every_unit_an_indicator_can_have_is_written_in_both_languages():
    from impact.indicators import CATALOGUE

    missing = sorted({i.unit for i in CATALOGUE if f"u_{i.unit}" not in TEXT})
    assert missing == []


# ---------------------------------------------------------------- a mid-term's first screen

MIDTERMS = {"lishui": 4, "weifang_xincun": 2024}


@pytest.fixture(scope="module")
def midterms(programmes):
    return {
        name: Report.open("midterm", programmes[name], programme=name, round_no=number).build()
        for name, number in MIDTERMS.items()
    }


@pytest.mark.parametrize("name", list(MIDTERMS))
def test_a_midterm_first_screen_says_the_rounds_money_and_what_was_spent(
    programmes, midterms, name
):
    """The round's seed money and what its projects had spent by the mid-term, summed here
    from the office's project rows, stand in the first 1,500 characters and in the
    headline table below them; so do the published figures settled at selection."""
    projects = programmes[name].projects
    mine = projects[(projects.programme_id == name) & (projects["round"] == MIDTERMS[name])]
    funded = mine[mine.grant_yuan.fillna(0) > 0]
    spent_column = "spent_midterm_yuan" if "spent_midterm_yuan" in funded else "spent_yuan"
    seed, spent = funded.grant_yuan.sum(), funded[spent_column].sum()
    first = _text(_page(midterms[name]))[:1500]
    assert f"种子资金共{seed:,.0f}元" in first, first
    assert f"至中期已使用{spent:,.0f}元，占{spent / seed:.0%}" in first, first
    assert re.search(r"与公开报道的数据核对：\d+项一致", first), first
    assert f"资助项目数 {len(funded)} 个" in first  # the headline table, with its scope
    document = midterms[name].shown()
    cells = {cell for table in document.tables for row in table.texts for cell in row}
    assert f"{seed:,.0f}" in cells and f"{spent:,.0f}" in cells


def test_a_midterm_checks_only_published_figures_settled_at_selection(midterms):
    """Lishui published its fourth round's results (62,619 yuan leveraged, 13,903
    person-times served) after the round ended; a mid-term does not hold them against
    figures half-way through the round, but checks the 25 applicants and 15 projects."""
    page = _text(_page(midterms["lishui"]))
    assert "62,619" not in page and "13,903" not in page
    assert "申报数 25 份 2022年第四届全部申报 25 一致" in page


@pytest.mark.parametrize("name", list(MIDTERMS))
def test_every_number_in_a_midterms_key_findings_is_in_a_table_below(midterms, name):
    assert not untraced(midterms[name].shown()), name
