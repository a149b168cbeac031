"""The parts of the data model the five kinds of programme need, each against a hand
calculation written out here."""

from __future__ import annotations

import pandas as pd
import pytest

import impact
from impact.dataset import (
    Dataset,
    fund_balances,
    project_outputs,
    round_label,
    round_labels,
    stage_reached,
)
from impact.errors import EstimationError
from impact.leverage import (
    dataset_cofunding,
    dataset_funnel,
    dataset_leverage,
    fund_donation_share,
    project_resources,
)

PROJECTS = pd.DataFrame(
    {
        "项目编号": ["A", "B", "C"],
        "计划编号": ["p", "p", "p"],
        "届次": [1, 1, 1],
        "阶段": ["结项", "撤回", "提案"],
        "退出前阶段": [None, "立项", None],
    }
)


def test_seed_grant_paid_from_the_organisers_own_sources_is_not_leverage():
    funding = pd.DataFrame(
        {
            "项目编号": ["A", "A", "A", "B", "B"],
            "资金来源": ["基金会", "财政资金", "捐赠", "基金会", "财政资金"],
            "金额": [600, 400, 500, 300, 200],
            "计入种子资金": ["是", "是", "", "是", "是"],
        }
    )
    data = Dataset.from_frames(projects=PROJECTS.iloc[:1], funding=funding.iloc[:3])
    resources = project_resources(data)
    # grant = 600 + 400 (both part of the grant); leveraged = the 500 donation only
    assert resources.grant_yuan.tolist() == [1000.0]
    assert resources.leveraged_yuan.tolist() == [500.0]
    assert dataset_leverage(data, n_boot=20).table.leverage.iloc[0] == pytest.approx(0.5)
    # co-funding: other funders (600 + 300) ÷ public finance (400 + 200) = 1.5
    both = Dataset.from_frames(projects=PROJECTS.iloc[:2], funding=funding)
    assert dataset_cofunding(both).table.cofunding_leverage.iloc[0] == pytest.approx(1.5)


def test_cofunding_needs_lines_marked_as_part_of_the_grant():
    funding = pd.DataFrame({"项目编号": ["A"], "资金来源": ["基金会"], "金额": [600]})
    data = Dataset.from_frames(projects=PROJECTS.iloc[:1], funding=funding)
    with pytest.raises(EstimationError, match="part_of_grant"):
        dataset_cofunding(data)


def test_withdrawn_projects_count_at_the_stage_they_had_reached():
    data = Dataset.from_frames(projects=PROJECTS)
    assert stage_reached(data.projects).tolist() == ["completed", "approved", "idea"]
    # idea 3; shortlisted: A and B; approved: A and B; signed and completed: A
    assert dataset_funnel(data).table.reached.tolist() == [3, 2, 2, 1, 1]
    # without highest_stage, the withdrawn project counts at the first stage only
    bare = Dataset.from_frames(projects=PROJECTS.drop(columns="退出前阶段"))
    assert dataset_funnel(bare).table.reached.tolist() == [3, 1, 1, 1, 1]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ((4, "zh"), "第4届"),
        ((4, "en"), "round 4"),
        ((2024, "zh"), "2024年"),  # a year, never 第2024届
        ((2024, "en"), "2024"),
        ((3, "zh", "year"), "3年"),
        ((2024, "zh", "ordinal"), "第2024届"),
        ((2024, "zh", "year", "2024年度"), "2024年度"),
    ],
)
def test_round_label(arguments, expected):
    number, lang, *rest = arguments
    numbering = rest[0] if rest else None
    label = rest[1] if len(rest) > 1 else None
    assert round_label(number, lang, numbering=numbering, label=label) == expected


def test_round_labels_follow_the_programme():
    programmes = pd.DataFrame({"计划编号": ["p"], "计划类型": ["自治金"], "届次方式": ["年度"]})
    projects = PROJECTS.assign(届次=2023).iloc[:1]
    data = Dataset.from_frames(programmes=programmes, projects=projects)
    assert round_labels(data, "zh").label.tolist() == ["2023年"]
    assert round_labels(data, "en").label.tolist() == ["2023"]


def test_partners_fund_and_donations():
    projects = pd.DataFrame(
        {
            "项目编号": ["A", "B", "C"],
            "计划编号": "p",
            "年度": 2024,
            "阶段": "签约",
            "合伙人类型": ["商企合伙人", "团队合伙人", "个人合伙人"],
            "服务收入": ["1000", "2000", ""],
            "捐入社区基金": ["150", "300", ""],
        }
    )
    funds = pd.DataFrame({"基金编号": ["F"], "基金名称": ["社区基金"]})
    flows = pd.DataFrame(
        {
            "基金编号": ["F", "F", "F"],
            "收支": ["收入", "收入", "支出"],
            "金额": [150, 300, 100],
            "项目编号": ["A", "B", None],
        }
    )
    data = Dataset.from_frames(projects=projects, community_funds=funds, fund_flows=flows)
    assert data.projects.partner_type.tolist() == ["business", "team", "individual"]
    # (150 + 300) ÷ (1000 + 2000) = 0.15
    share = fund_donation_share(data)
    assert share.table.donated_share.iloc[0] == pytest.approx(0.15)
    assert fund_donation_share(data, by="partner_type").table.donated_share.to_dict() == {
        "business": pytest.approx(0.15),
        "team": pytest.approx(0.15),
    }
    # money in 450, out 100, left 350
    balance = fund_balances(data).loc["F"]
    assert (balance.in_yuan, balance.out_yuan, balance.balance_yuan) == (450, 100, 350)
    with pytest.raises(EstimationError, match="no project has a seed grant"):
        dataset_leverage(data)


def test_new_tables_read_and_link():
    awards = pd.DataFrame({"项目编号": ["A"], "奖项": ["人气之星"], "获奖日期": ["2023年1月12日"]})
    organisations = pd.DataFrame(
        {"组织编号": ["O1", "O2"], "新组建": ["是", "是"], "民政登记": ["是", "否"]}
    )
    cultivation = pd.DataFrame(
        {
            "计划编号": ["p"],
            "届次": [1],
            "试点社区": ["c"],
            "征集点子": [12],
            "热心居民": [35],
            "突出领袖": [5],
        }
    )
    communities = pd.DataFrame({"社区": ["c"]})
    data = Dataset.from_frames(
        projects=PROJECTS,
        awards=awards,
        organisations=organisations,
        community_rounds=cultivation,
        communities=communities,
    )
    assert data.awards.date.iloc[0] == pd.Timestamp("2023-01-12")
    assert data.organisations.registered.tolist() == [True, False]
    assert data.community_rounds.leaders.tolist() == [5]
    broken = awards.assign(项目编号="Z")
    with pytest.raises(impact.DataError, match="Z"):
        Dataset.from_frames(projects=PROJECTS, awards=broken)


def test_project_outputs_and_spending_by_period():
    projects = PROJECTS.iloc[:1].assign(种子资金=1000, 中期已使用=400, 结项已使用=950)
    indicators = pd.DataFrame(
        {
            "项目编号": ["A", "A", "A"],
            "指标": ["activities", "activities", "residents_served"],
            "阶段": ["中期", "结项", "结项"],
            "数值": [3, 8, 120],
        }
    )
    data = Dataset.from_frames(projects=projects, indicators=indicators)
    outputs = project_outputs(data)
    assert outputs[["activities", "residents_served"]].iloc[0].tolist() == [8, 120]
    assert project_outputs(data, "midterm").activities.tolist() == [3]
    assert (data.projects.spent_midterm_yuan.iloc[0], data.projects.spent_final_yuan.iloc[0]) == (
        400,
        950,
    )


def test_existing_data_loads_unchanged():
    sample = impact.load("data/sample")
    assert sample.warnings == ()
    assert set(sample.tables) == {
        "programmes",
        "rounds",
        "projects",
        "funding",
        "indicators",
        "communities",
        "panel",
        "followups",
    }
    assert round_labels(sample).label.str.startswith("第").all()
