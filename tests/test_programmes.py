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
    return {name: impact.load(PROGRAMMES / name, strict=False) for name in NAMES}


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
    for relative in written:
        if relative.suffix == ".xlsx":  # cell for cell: a workbook's zip carries save times
            old = openpyxl.load_workbook(PROGRAMMES / relative)
            new = openpyxl.load_workbook(rebuilt / relative)
            assert old.sheetnames == new.sheetnames
            for sheet in old.sheetnames:
                assert list(old[sheet].values) == list(new[sheet].values), (relative, sheet)
        else:
            assert (PROGRAMMES / relative).read_bytes() == (rebuilt / relative).read_bytes()


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
    bom = (PROGRAMMES / "longgang" / "项目汇总表.csv").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", NAMES)
def test_plain_layout_validates_clean(name, tmp_path, plain):
    assert plain[name].warnings == ()


# --------------------------------------------------------------------------- Lishui


def test_lishui_applicants_funded_and_matched(plain):
    data = plain["lishui"]
    # seeds/000: "25个主体参与,最终15个主体勇夺微创投种子资金"
    assert len(data.projects) == 25
    assert len(funded_projects(data.projects)) == 15
    # seeds/000: "有3个项目成功链接社会资金合计12000元" (1:1 matched type)
    resources = project_resources(data)
    matched = data.projects.application_type == "matched"
    assert int((matched & (data.projects.grant_yuan > 0)).sum()) == 3
    assert resources.match_yuan.sum() == 12000
    assert data.rounds.match_ratio.iloc[0] == 1.0


def test_lishui_leverage_is_62619_yuan(plain):
    # DOMAIN.md, Lishui 4th round: "62,619 yuan of social resources leveraged"
    result = dataset_leverage(plain["lishui"], n_boot=50)
    assert result.table.leveraged_yuan.iloc[0] == pytest.approx(62619)
    grants = funded_projects(plain["lishui"].projects).grant_yuan.sum()
    assert result.table.leverage.iloc[0] == pytest.approx(62619 / grants)


@pytest.mark.parametrize(
    ("names", "published"),
    [
        (("core_team", "骨干人数"), 211),  # DOMAIN.md: 211 core team members
        (("activities", "活动场次"), 141),  # 141 activities
        (("动员多元主体人次",), 2161),  # 2,161 person-times of other actors mobilised
        (("issues_solved", "解决微事件"), 39),  # 39 governance micro-issues solved
        (("residents_served", "服务居民人次"), 13903),  # 13,903 resident person-times
        (("videos", "视频"), 5),  # 5 videos
        (("posts", "宣传推文"), 51),  # 51 online posts
        (("reads", "阅读量"), 20392),  # 20,392 reads
        (("mechanisms", "提炼机制"), 2),  # 2 mechanisms distilled
    ],
)
def test_lishui_outputs(plain, names, published):
    assert _indicator(plain["lishui"], *names) == published


def test_lishui_farm_and_awards(plain):
    data = plain["lishui"]
    # seeds/000: "开展3场农场公益日活动共链接资金489元"
    farm = data.projects.loc[data.projects.title == "爱心农场鲜蔬到户", "project_id"].iloc[0]
    donations = data.funding[
        (data.funding.project_id == farm) & (data.funding.source == "donation")
    ]
    assert 489 in donations.amount_yuan.tolist()
    # seeds/000: vote "于2023年1月8日—1月12日开通"; DOMAIN.md: 5 winners, 3 most effective
    awards = data.awards
    vote = awards[awards.award == "人气之星"]
    assert len(vote) == 5
    assert vote.date.between(pd.Timestamp("2023-01-08"), pd.Timestamp("2023-01-12")).all()
    assert (awards.award == "最具成效奖").sum() == 3


# --------------------------------------------------------------------------- Weifang


def test_weifang_tiers_groups_and_year(plain):
    data = plain["weifang_xincun"]
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
    # a yearly fund: the report says 2024年度, never 第2024届
    labels = round_labels(data)
    assert labels.label.tolist() == ["2024年度"]
    assert round_labels(
        impact.Dataset(projects=data.projects, programmes=data.programmes)
    ).label.tolist() == ["2024年"]


# --------------------------------------------------------------------------- Longgang


def test_longgang_communities_people_ideas_fund(plain):
    data = plain["longgang"]
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


def test_hongshan_funnel(plain):
    # seeds/003: "共征集到“金点子”2336个,从中调研优选和完善提升“金点子”376个,…有190个通过
    # 各街道立项评审,最终185个“金点子”提案项目完成签约实施"
    # (and the 185 implemented: completed)
    result = dataset_funnel(plain["hongshan"])
    assert result.table.reached.tolist() == [2336, 376, 190, 185, 185]
    assert round(result.table.conversion.iloc[1], 3) == 0.161  # 376 / 2,336
    # withdrawn projects sit at the stage they had reached, not below it
    reached = stage_reached(plain["hongshan"].projects)
    assert (reached[plain["hongshan"].projects.stage == "withdrawn"] == "approved").all()


def test_hongshan_categories_money_and_cost(plain):
    data = plain["hongshan"]
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


def test_hongshan_cofunding_is_not_leverage(plain):
    data = plain["hongshan"]
    # seeds/003: foundation "提供60%的項目資金支持,其餘40%的項目資金由財政提供": 60 ÷ 40 = 1.5
    result = dataset_cofunding(data)
    assert result.table.cofunding_leverage.iloc[0] == pytest.approx(1.5, abs=1e-4)
    # the organiser's own sources pay the grant: nothing of it is leverage
    leverage = dataset_leverage(data, n_boot=50)
    assert leverage.table.leveraged_yuan.iloc[0] == 0
    assert leverage.table.grant_yuan.iloc[0] == pytest.approx(686404.16)


def test_hongshan_organisations(plain):
    organisations = plain["hongshan"].organisations
    # seeds/003: "組建社區社會組織649家" … "在民政登記成立的社會組織66家"
    assert len(organisations) == 649 and organisations.formed.all()
    assert int(organisations.registered.sum()) == 66


# --------------------------------------------------------------------------- Gangwan


def test_gangwan_partners_without_grants(plain):
    data = plain["gangwan"]
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


def test_gangwan_fifteen_percent_to_the_community_fund(plain):
    data = plain["gangwan"]
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


@pytest.mark.xfail(reason="reading the office layout lands with the office branch")
@pytest.mark.parametrize("name", NAMES)
def test_office_layout_loads_clean_to_the_same_tables(name, office, plain):
    data = office[name]
    assert data.warnings == ()
    assert list(data.tables) == list(plain[name].tables)
    for table, frame in plain[name].tables.items():
        _same(data.tables[table], frame)
