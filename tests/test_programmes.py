"""The five source programmes, embedded in ``data/programmes/``, give back the figures their
articles publish, through the public API.

Every expected number below is written out from the article named beside it (the seed files
in ``/work/shared/seeds``, summarised in DOMAIN.md), never taken from the code's output. The
script ``data/programmes/build.py`` is re-run into a temporary folder: the committed files
must be what it writes, and its plain layout (one header line, no title, totals or units)
must load to the same tables as the office layout.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import impact
from impact.cli import main
from impact.dataset import funded_projects, project_outputs, round_labels, stage_reached
from impact.errors import EstimationError
from impact.leverage import (
    cost_per_output,
    dataset_cofunding,
    dataset_funnel,
    dataset_leverage,
    fund_donation_share,
    project_resources,
)

ROOT = Path(__file__).resolve().parents[1]
PROGRAMMES = ROOT / "data" / "programmes"
BUILD = PROGRAMMES / "build.py"
# seeds/000: the community farm, one of the three "最具成效奖" winners
FARM_TITLE = "“党建引领,邻里互助”农场建设计划"
NAMES = ("lishui", "weifang_xincun", "longgang", "hongshan", "gangwan")


def _build(out: Path, plain: bool) -> None:
    argv = sys.argv
    sys.argv = [str(BUILD), "--out", str(out)] + (["--plain"] if plain else [])
    try:
        runpy.run_path(str(BUILD), run_name="__main__")
    finally:
        sys.argv = argv


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("programmes")
    _build(out, plain=False)
    return out


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict[str, impact.Dataset]:
    out = tmp_path_factory.mktemp("plain")
    _build(out, plain=True)
    return {name: impact.load(out / name) for name in NAMES}


@pytest.fixture(scope="module")
def office() -> dict[str, impact.Dataset]:
    """The committed data sets, as their offices send them."""
    return {name: impact.load(PROGRAMMES / name) for name in NAMES}


def _indicator(data: impact.Dataset, *names: str) -> float:
    """Total of an indicator over projects, final values; ``names`` are its code and the
    Chinese name the office wrote (the catalogue may map one to the other)."""
    rows = data.indicators[data.indicators.indicator.astype(object).isin(names)]
    return float(rows[rows.period == "final"].value.sum())


# --------------------------------------------------------------------------- files


def test_the_script_reproduces_the_committed_files(rebuilt):
    committed = sorted(p.relative_to(PROGRAMMES) for p in PROGRAMMES.rglob("*") if p.is_file())
    written = sorted(p.relative_to(rebuilt) for p in rebuilt.rglob("*") if p.is_file())
    assert [p for p in committed if p.name != "build.py"] == written
    for relative in written:  # workbooks too: the script fixes their zip time stamps
        assert (PROGRAMMES / relative).read_bytes() == (rebuilt / relative).read_bytes(), relative


def test_each_office_sends_its_own_format():
    workbooks = sorted(p.name for p in PROGRAMMES.rglob("*.xlsx"))
    assert workbooks == ["红山区首届金点子提案大赛.xlsx", "里水镇第四届微创投大赛.xlsx"]
    book = openpyxl.load_workbook(PROGRAMMES / "lishui" / "里水镇第四届微创投大赛.xlsx")
    assert book.sheetnames[:2] == ["填表说明", "计划"]
    gbk = (PROGRAMMES / "weifang_xincun" / "项目汇总表.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    text = gbk.decode("gbk")
    assert text.startswith("潍坊新村街道2024年度自治金项目汇总表")
    assert "\r\n合计," in text and "资助金额（元）" in text
    # Lishui keeps its indicators across, under merged 计划 and 结项 cells
    sheet = book["指标完成情况"]
    assert [sheet.cell(2, c).value for c in (1, 2)] == ["项目编号", "计划"]
    assert sheet.cell(3, 2).value == "骨干人数"
    bom = (PROGRAMMES / "longgang" / "项目汇总表.csv").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", NAMES)
def test_each_programme_validates_clean(name, capsys):
    assert main(["validate", str(PROGRAMMES / name)]) == 0
    assert ": ok, 0 warning(s)" in capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_plain_layout_validates_clean(name, tmp_path, plain):
    assert plain[name].warnings == ()


# --------------------------------------------------------------------------- Lishui


def test_lishui_applicants_funded_and_matched(office):
    data = office["lishui"]
    # seeds/000: "25个主体参与,最终15个主体勇夺微创投种子资金"
    assert len(data.projects) == 25
    assert len(funded_projects(data.projects)) == 15
    # seeds/000: "有3个项目成功链接社会资金合计12000元" (1:1 matched type)
    resources = project_resources(data)
    matched = data.projects.application_type == "matched"
    assert int((matched & (data.projects.grant_yuan > 0)).sum()) == 3
    assert resources.match_yuan.sum() == 12000
    assert data.rounds.match_ratio.iloc[0] == 1.0
    # seeds/000: "提供2000元至 10000元不等的等额配比种子资金"
    grants = funded_projects(data.projects).grant_yuan
    assert grants[matched].between(2000, 10000).all()
    # seeds/000: "经过3个月的服务开展"
    months = (data.rounds.end_date - data.rounds.start_date).dt.days.iloc[0] / 30.4
    assert round(months) == 3


def test_lishui_leverage_is_62619_yuan(office):
    # DOMAIN.md, Lishui 4th round: "62,619 yuan of social resources leveraged"
    result = dataset_leverage(office["lishui"], n_boot=50)
    assert result.table.leveraged_yuan.iloc[0] == pytest.approx(62619)
    grants = funded_projects(office["lishui"].projects).grant_yuan.sum()
    assert result.table.leverage.iloc[0] == pytest.approx(62619 / grants)


@pytest.mark.parametrize(
    ("names", "published"),
    [
        (("core_team", "骨干人数"), 211),  # DOMAIN.md: 211 core team members
        (("activities", "活动场次"), 141),  # 141 activities
        (
            ("other_actors", "动员多元主体人次"),
            2161,
        ),  # 2,161 person-times of other actors mobilised
        (("issues_solved", "解决微事件"), 39),  # 39 governance micro-issues solved
        (("residents_served", "服务居民人次"), 13903),  # 13,903 resident person-times
        (("videos", "视频"), 5),  # 5 videos
        (("posts", "宣传推文"), 51),  # 51 online posts
        (("reads", "阅读量"), 20392),  # 20,392 reads
        (("mechanisms", "提炼机制"), 2),  # 2 mechanisms distilled
    ],
)
def test_lishui_outputs(office, names, published):
    assert _indicator(office["lishui"], *names) == published


def test_lishui_farm_and_awards(office):
    data = office["lishui"]
    # seeds/000: "开展3场农场公益日活动共链接资金489元"
    farm = data.projects.loc[data.projects.title == FARM_TITLE, "project_id"].iloc[0]
    donations = data.funding[
        (data.funding.project_id == farm) & (data.funding.source == "donation")
    ]
    assert 489 in donations.amount_yuan.tolist()
    # seeds/000: vote "于2023年1月8日—1月12日开通", "以下5个项目成功斩获“最佳人气奖”",
    # "有3个项目凭借突出的成效脱颖而出,荣获“最具成效奖”"
    awards = data.awards
    vote = awards[awards.award == "最佳人气奖"]
    assert len(vote) == 5
    assert vote.date.between(pd.Timestamp("2023-01-08"), pd.Timestamp("2023-01-12")).all()
    assert (awards.award == "最具成效奖").sum() == 3


# --------------------------------------------------------------------------- Weifang


def test_weifang_tiers_groups_and_year(office):
    data = office["weifang_xincun"]
    # seeds/001: "8个“示范类”项目 … 21个“品牌类”项目 … 26个“育苗类”项目"
    assert data.projects.tier.value_counts().to_dict() == {
        "seedling": 26,
        "brand": 21,
        "demonstration": 8,
    }
    # DOMAIN.md: six groups, 群体融入 … 公益服务
    assert set(data.projects.peer_group) == {
        "群体融入",
        "邻里会客厅",
        "社区小花园",
        "团队培育",
        "楼道美化",
        "公益服务",
    }
    # the budget, written in 万元, is read in yuan: the sum of the grants (invented)
    assert data.rounds.budget_yuan.iloc[0] == data.projects.grant_yuan.sum() > 500_000
    # a yearly fund: the report says 2024年度, never 第2024届
    labels = round_labels(data)
    assert labels.label.tolist() == ["2024年度"]
    assert round_labels(
        impact.Dataset(projects=data.projects, programmes=data.programmes)
    ).label.tolist() == ["2024年"]


# --------------------------------------------------------------------------- Longgang


def test_longgang_communities_people_ideas_fund(office):
    data = office["longgang"]
    # seeds/002: "在3个试点社区挖掘热心社区事务居民100余人、突出领袖16人"
    cultivation = data.community_rounds
    assert len(data.communities) == 3 == len(cultivation)
    assert cultivation.active_residents.sum() >= 100
    assert cultivation.leaders.sum() == 16
    # seeds/002: Heao's project chosen "从12个项目点子中脱颖而出"
    heao = cultivation[cultivation.community_id == "荷坳社区"]
    assert heao.ideas_proposed.tolist() == [12]
    # seeds/002: "3个试点社区共孵化出社会治理项目10余个"
    assert 10 < len(data.projects) < 20
    balances = impact.dataset.fund_balances(data)
    assert len(balances) == 3
    assert (balances.balance_yuan >= 0).all()


# --------------------------------------------------------------------------- Hongshan


def test_hongshan_funnel(office):
    # seeds/003: "共征集到“金点子”2336个,从中调研优选和完善提升“金点子”376个,…有190个通过
    # 各街道立项评审,最终185个“金点子”提案项目完成签约实施"
    # (and the 185 implemented: completed)
    result = dataset_funnel(office["hongshan"])
    assert result.table.reached.tolist() == [2336, 376, 190, 185, 185]
    assert round(result.table.conversion.iloc[1], 3) == 0.161  # 376 / 2,336
    # withdrawn projects sit at the stage they had reached, not below it
    reached = stage_reached(office["hongshan"].projects)
    assert (reached[office["hongshan"].projects.stage == "withdrawn"] == "approved").all()


def test_hongshan_categories_money_and_cost(office):
    data = office["hongshan"]
    signed = data.projects[data.projects.stage == "completed"]
    # seeds/003: "殘疾人服務類6個、老年人服務類58個、青少年服務類30個、特定人群服務類14個、
    # 綜合人群服務類77個"
    assert signed.theme.value_counts().to_dict() == {
        "综合人群服务类": 77,
        "老年人服务类": 58,
        "青少年服务类": 30,
        "特定人群服务类": 14,
        "残疾人服务类": 6,
    }
    # seeds/003: "實際支付項目資金686404.16元"
    assert round(data.projects.grant_yuan.sum(), 2) == 686404.16
    # seeds/003: "項目覆蓋人群達253537人次"; 686,404.16 ÷ 253,537 = 2.7073 → 2.71
    outputs = project_outputs(data)
    covered = next(
        c for c in ("people_covered", "residents_served", "覆盖人群人次") if c in outputs
    )
    result = cost_per_output(outputs, cost="grant_yuan", outputs=covered, n_boot=50)
    assert result.table.units.iloc[0] == 253537
    assert round(result.table.cost_per_unit.iloc[0], 2) == 2.71
    # seeds/003: 9175 activities, 24598 volunteer person-times, 153 started, 554 employed
    assert _indicator(data, "activities", "活动场次") == 9175
    assert _indicator(data, "volunteer_person_times", "志愿者人次") == 24598
    assert _indicator(data, "businesses_started", "带动创业人数") == 153
    assert _indicator(data, "jobs", "带动就业人数") == 554
    # seeds/003: "直接承接項目的社區社會組織113家"
    assert funded_projects(data.projects).applicant_name.nunique() == 113


def test_hongshan_cofunding_is_not_leverage(office):
    data = office["hongshan"]
    # seeds/003: foundation "提供60%的項目資金支持,其餘40%的項目資金由財政提供": 60 ÷ 40 = 1.5
    result = dataset_cofunding(data)
    assert result.table.cofunding_leverage.iloc[0] == pytest.approx(1.5, abs=1e-4)
    # the organiser's own sources pay the grant: nothing of it is leverage, and no other
    # resource is recorded, so leverage is missing (未记录), not 0
    leverage = dataset_leverage(data, n_boot=50)
    assert np.isnan(leverage.table.leveraged_yuan.iloc[0])
    assert np.isnan(leverage.table.leverage.iloc[0])
    assert "not_recorded" in [note.key for note in leverage.notes]
    assert leverage.table.grant_yuan.iloc[0] == pytest.approx(686404.16)


def test_hongshan_organisations(office):
    organisations = office["hongshan"].organisations
    # seeds/003: "組建社區社會組織649家" … "在民政登記成立的社會組織66家"
    assert len(organisations) == 649 and organisations.formed.all()
    assert int(organisations.registered.sum()) == 66


# --------------------------------------------------------------------------- Gangwan


def test_gangwan_partners_without_grants(office):
    data = office["gangwan"]
    projects = data.projects
    # seeds/004: two pilot communities; "达成初步合作意向的已经有40多个项目"
    assert sorted(data.communities.community_id) == ["南北台社区", "海湾社区"]
    assert 40 <= len(projects) < 50
    # seeds/004: "目前,我们已有15家商企‘合伙人’" (Haiwan)
    haiwan = projects[projects.community_id == "海湾社区"]
    assert int((haiwan.partner_type == "business").sum()) == 15
    assert {"team", "individual", "business"} == set(projects.partner_type)
    # no seed grant: leverage per seed yuan is undefined and says so
    assert "grant_yuan" not in projects or projects.grant_yuan.isna().all()
    with pytest.raises(EstimationError, match="no project has a seed grant"):
        dataset_leverage(data, n_boot=50)


def test_gangwan_fifteen_percent_to_the_community_fund(office):
    data = office["gangwan"]
    # seeds/004: "将15%的服务收入捐赠社区基金"
    result = fund_donation_share(data)
    assert result.table.donated_share.iloc[0] == pytest.approx(0.15)
    balances = impact.dataset.fund_balances(data)
    assert balances.in_yuan.sum() == pytest.approx(data.projects.fund_donation_yuan.sum())


# --------------------------------------------------------------------------- office layout


def _same(office_frame: pd.DataFrame, plain_frame: pd.DataFrame) -> None:
    assert list(office_frame.columns) == list(plain_frame.columns)
    for column in plain_frame.columns:
        left, right = office_frame[column], plain_frame[column]
        if pd.api.types.is_numeric_dtype(right):
            np.testing.assert_allclose(
                left.to_numpy(float, na_value=np.nan), right.to_numpy(float, na_value=np.nan)
            )
        else:
            assert left.astype(object).tolist() == right.astype(object).tolist(), column


@pytest.mark.parametrize("name", NAMES)
def test_office_layout_loads_clean_to_the_same_tables(name, office, plain):
    data = office[name]
    assert data.warnings == ()
    assert list(data.tables) == list(plain[name].tables)
    for table, frame in plain[name].tables.items():
        _same(data.tables[table], frame)


# --------------------------------------------------------------------------- data/published

FARM = "community farm project"
BENEFICIARIES = {
    "disabled": "残疾人服务类",
    "elderly": "老年人服务类",
    "youth": "青少年服务类",
    "special_groups": "特定人群服务类",
    "comprehensive": "综合人群服务类",
}
#: Published figures about the programme's own work, not its projects: nothing in a
#: project-level data set can give them back.
NOT_PROJECT_DATA = {
    ("hongshan", "district_trainings"),
    ("hongshan", "coaching_sessions"),
    ("hongshan", "guidance_visits"),
    ("hongshan", "expert_sessions"),
    ("hongshan", "monitoring_visits"),
    ("hongshan", "party_members_cultivated"),
    ("gangwan", "sky_farm_area_m2"),
    ("gangwan", "low_fee_discount_share"),
}


def _farm_id(data) -> str:
    return data.projects.loc[data.projects.title == FARM_TITLE, "project_id"].iloc[0]


def _farm(data, name):
    rows = data.indicators[data.indicators.project_id == _farm_id(data)]
    return rows[(rows.indicator == name) & (rows.period == "final")].value.sum()


def _farm_lines(data) -> pd.DataFrame:
    return data.funding[data.funding.project_id == _farm_id(data)]


def _computed(data: impact.Dataset, programme: str, indicator: str, category) -> float:
    """The published figure ``indicator`` (``category``) as the project data give it."""
    projects, rounds = data.projects, data.rounds
    total = {
        "core_team": "core_team",
        "activities": "activities",
        "other_actors_mobilised": "other_actors",
        "issues_solved": "issues_solved",
        "residents_served": "residents_served",
        "videos": "videos",
        "posts": "posts",
        "reads": "reads",
        "mechanisms": "mechanisms",
        "volunteer_person_times": "volunteer_person_times",
        "people_started_business": "带动创业人数",
        "people_found_jobs": "带动就业人数",
    }
    farm = {
        "consultation_meetings": "议事协商会议",
        "consultation_participants": "会议出席人数",
        "volunteers": "volunteers",
        "vegetable_deliveries": "鲜菜到户行动",
        "elders_served": "受助长者",
        "charity_days": "农场公益日",
        "wishes_fulfilled": "实现长者微心愿",
    }
    if category == FARM and indicator in farm:
        return _farm(data, farm[indicator])
    if indicator in total:
        return _indicator(data, total[indicator])
    cofunding = dataset_cofunding(data).table.iloc[0] if programme == "hongshan" else None
    funded = funded_projects(projects)
    lookup = {
        "applicants": lambda: len(projects),
        "funded_projects": lambda: len(funded),
        "matched_projects": lambda: (funded.application_type == "matched").sum(),
        "matched_social_money_yuan": lambda: project_resources(data).match_yuan.sum(),
        "match_ratio": lambda: rounds.match_ratio.iloc[0],
        "grant_min_yuan": lambda: rounds.grant_min_yuan.iloc[0],
        "grant_max_yuan": lambda: rounds.grant_max_yuan.iloc[0],
        "implementation_months": lambda: round(
            (rounds.end_date - rounds.start_date).dt.days.iloc[0] / 30.4
        ),
        "leveraged_yuan": lambda: dataset_leverage(data, n_boot=20).table.leveraged_yuan.iloc[0],
        "popularity_vote_winners": lambda: (data.awards.award == "最佳人气奖").sum(),
        "most_effective_awards": lambda: (data.awards.award == "最具成效奖").sum(),
        # the charity days' money is one donation line of the farm's, beside others
        "charity_raised_yuan": lambda: (
            _farm_lines(data)
            .query("source == 'donation'")
            .amount_yuan.loc[lambda amounts: amounts == 489]
            .sum()
        ),
        "funnel": lambda: dataset_funnel(data).table.reached[category],
        "projects_by_beneficiary": lambda: (
            projects[projects.stage == "completed"].theme == BENEFICIARIES[category]
        ).sum(),
        "paid_out_yuan": lambda: projects.grant_yuan.sum(),
        "organisations_running_projects": lambda: funded.applicant_name.nunique(),
        "organisations_formed": lambda: data.organisations.formed.sum(),
        "organisations_registered": lambda: data.organisations.registered.sum(),
        "funding_share": lambda: (
            (cofunding.other_yuan if category == "foundation" else cofunding.public_yuan)
            / (cofunding.other_yuan + cofunding.public_yuan)
        ),
        "projects_by_tier": lambda: (projects.tier == category).sum(),
        "peer_groups": lambda: projects.peer_group.nunique(),
        "pilot_communities": lambda: len(data.communities),
        "active_residents": lambda: data.community_rounds.active_residents.sum(),
        "community_leaders": lambda: data.community_rounds.leaders.sum(),
        "projects": lambda: len(projects),
        "resident_ideas": lambda: data.community_rounds.set_index("community_id").loc[
            {"Heao": "荷坳社区"}[category], "ideas_proposed"
        ],
        "projects_signed_intent": lambda: (projects.stage == "signed").sum(),
        "business_partners": lambda: (
            (projects.community_id == {"Haiwan": "海湾社区"}[category])
            & (projects.partner_type == "business")
        ).sum(),
        "income_donated_share": lambda: fund_donation_share(data).table.donated_share.iloc[0],
    }
    return float(lookup[indicator]())


def test_every_figure_in_data_published_comes_back_from_the_programmes(office):
    """data/published holds every headline figure typed from the articles, independently of
    the programmes' build script; each either comes back from the project data (exact, a
    lower bound for "100余", within 10% for "约300") or is listed as not project data."""
    published = impact.load(ROOT / "data" / "published").published
    checked = 0
    for row in published.itertuples():
        if (row.programme_id, row.indicator) in NOT_PROJECT_DATA:
            continue
        category = row.category if isinstance(row.category, str) else None
        value = _computed(office[row.programme_id], row.programme_id, row.indicator, category)
        if row.qualifier == "at_least":
            assert value >= row.value, row
        elif row.qualifier == "about":
            assert value == pytest.approx(row.value, rel=0.1), row
        else:
            assert value == pytest.approx(row.value, abs=5e-3), row
        checked += 1
    assert checked == len(published) - len(NOT_PROJECT_DATA)
