"""Three more kinds of real programme, typed up the way their offices keep them, give back
the figures they publish: a city-wide venture philanthropy competition over seven rounds
(a workbook with a sheet per round, two-row headers in 万元, 其中 rows under the totals,
the seventh round from a Hong Kong partner in traditional characters), a sub-district's
micro-projects in three rounds of one year (a GBK CSV whose rounds are written
2021年第一期, with subtotals, statuses 已结项/未结项/延续/终止 and 本期/上期 headers), and a
residents' self-governance fund whose household donations the fund matches 1:1 (funding
written across, a volunteer roster, partner-like types with suffixes).

The programmes are invented in the shape of the real ones; each "published" figure below
is written out by hand from the rows as typed, never taken from the loader's output."""

from __future__ import annotations

import pytest

import impact
from impact.cli import main
from impact.dataset import funded_projects, people_counts, round_labels, stage_reached
from impact.leverage import dataset_leverage, project_resources

from .workbooks import write_book

ROUND_NAMES = ["第一届", "第二届", "第三届", "第四届", "第五届", "第六届", "第七届"]

# Three projects a round: (title, applicant, its type as written, community, grant 万元,
# matched money 万元, status as written).
CITY_ROUNDS = {
    1: [("长者助餐", "阳光社工站", "社工机构", "东湖社区", 5, 1, "结项"),
        ("青少年四点半课堂", "东湖社区居委会", "居委会", "东湖社区", 3, 0.5, "结项"),
        ("楼道微更新", "西苑志愿服务队", "志愿服务队", "西苑社区", 2, None, "已结项")],
    2: [("社区花园", "绿芽社会组织", "社会组织类", "南岸社区", 4, 2, "结项"),
        ("残障家庭支持", "同行社工", "社工机构", "北城社区", 6, 1.5, "结项"),
        ("邻里节", "南岸居民自组织", "居民自组织", "南岸社区", 1, None, "终止")],
    3: [("环保酵素", "绿芽社会组织", "社会组织", "南岸社区", 3, 1, "结项"),
        ("老旧小区议事会", "西苑社区居委会", "居委会", "西苑社区", 2, 0.8, "结项"),
        ("儿童友好空间", "阳光社工站", "社工机构", "东湖社区", 5, 2.2, "结项")],
    4: [("社区书屋", "书香志愿队", "志愿服务队", "北城社区", 2, 0.3, "结项"),
        ("家门口就业", "同行社工", "社工机构", "北城社区", 6, 3, "结项"),
        ("垃圾分类督导", "东湖社区居委会", "居委会", "东湖社区", 2, None, "结项")],
    5: [("长者智能手机课", "阳光社工站", "社工机构", "东湖社区", 3, 1, "结项"),
        ("社区厨房", "南岸居民自组织", "居民自组织", "南岸社区", 2, 1, "结项"),
        ("心理关爱热线", "同行社工", "社工机构", "北城社区", 5, 2, "撤回")],
    6: [("社区花园二期", "绿芽社会组织", "社会组织", "南岸社区", 4, 2, "结项"),
        ("邻里互助积分", "西苑社区居委会", "居委会", "西苑社区", 3, 1, "结项"),
        ("青年议事营", "青苗志愿队", "志愿服务队", "西苑社区", 2, 0.5, "结项")],
    7: [("社區花園三期", "綠芽社會組織", "社會組織", "南岸社區", 5, 2.5, "已簽約"),
        ("長者助餐升級", "陽光社工站", "社工機構", "東湖社區", 6, 3, "已簽約"),
        ("共享工具房", "西苑社區居委會", "居委會", "西苑社區", 2, 1, "實施中")],
}  # fmt: skip
# 社区花园二期 continues 社区花园, 社区花园三期 continues 二期, 长者助餐升级 continues 长者助餐
CONTINUES = {("6", 1): "CS2-1", ("7", 1): "CS6-1", ("7", 2): "CS1-1"}


def _city_competition(folder):
    """A city's venture philanthropy competition: one workbook, a sheet per round."""
    sheets = {
        "填表说明": ([["填表说明"], ["1. 每届一个工作表；金额单位为万元。"]], []),
        "计划": (
            [["计划编号", "计划名称", "计划类型", "主办单位", "届次方式"],
             ["cs", "滨江市社区公益创投大赛", "公益创投大赛", "滨江市民政局", "届"]],
            [],
        ),
        "届次": (
            [["计划编号", "届次", "年度", "资助上限（万元）"]]
            + [["cs", name, 2016 + n, 6] for n, name in enumerate(ROUND_NAMES, start=1)],
            [],
        ),
    }  # fmt: skip
    for number, projects in CITY_ROUNDS.items():
        traditional = number == 7
        name = "第七屆" if traditional else ROUND_NAMES[number - 1]
        title = f"滨江市{name}社区公益创投大赛立项项目汇总表"
        header = [
            "序号",
            "项目编号",
            "项目名称",
            "申报单位",
            "主体类型",
            "所属社区",
            "资金情况（万元）",
            None,
            "项目状态",
            "上届项目编号",
        ]
        sub = [None, None, None, None, None, None, "资助金额", "配套资金", None, None]
        if traditional:
            title = "濱江市第七屆社區公益創投大賽立項項目匯總表"
            header = [
                "序號",
                "項目編號",
                "項目名稱",
                "申報單位",
                "主體類型",
                "所屬社區",
                "資金情況（萬元）",
                None,
                "項目狀態",
                "上屆項目編號",
            ]
            sub = [None, None, None, None, None, None, "資助金額", "配套資金", None, None]
        rows = [[title], ["填报单位：滨江市民政局    填报日期：2023年12月"], header, sub]
        for index, (t, applicant, kind, community, grant, matched, status) in enumerate(
            projects, start=1
        ):
            rows.append(
                [
                    index,
                    f"CS{number}-{index}",
                    t,
                    applicant,
                    kind,
                    community,
                    grant,
                    matched,
                    status,
                    CONTINUES.get((str(number), index)),
                ]
            )
        grants = sum(p[4] for p in projects)
        matched = sum(p[5] or 0 for p in projects)
        rows.append(["合计", None, None, None, None, None, grants, matched, None, None])
        # the city lottery fund paid 60% of each round's grants, the district the rest
        rows.append(
            [
                "其中：市福彩公益金",
                None,
                None,
                None,
                None,
                None,
                round(grants * 0.6, 2),
                None,
                None,
                None,
            ]
        )
        rows.append(
            [
                "其中：区级配套",
                None,
                None,
                None,
                None,
                None,
                round(grants * 0.4, 2),
                None,
                None,
                None,
            ]
        )
        rows += [[None], ["制表人：王某    审核人：李某"]]
        merges = [
            "A1:J1",
            "A3:A4",
            "B3:B4",
            "C3:C4",
            "D3:D4",
            "E3:E4",
            "F3:F4",
            "G3:H3",
            "I3:I4",
            "J3:J4",
        ]
        sheets[name] = (rows, merges)  # fmt: skip
    return write_book(folder / "滨江市社区公益创投大赛（2017-2023）.xlsx", sheets)


def test_a_city_competition_over_seven_rounds_gives_its_figures_back(tmp_path, capsys):
    _city_competition(tmp_path)
    assert main(["validate", str(tmp_path)]) == 0
    assert ": ok, 0 warning(s)" in capsys.readouterr().out
    data = impact.load(tmp_path)
    projects = data.projects
    # "七届共立项21个项目"
    assert len(projects) == 21
    assert projects.groupby("round").size().to_dict() == {r: 3 for r in range(1, 8)}
    # "资助金额合计73万元，撬动配套资金26.3万元": the grants and matched money typed above
    # (10 + 11 + 10 + 10 + 10 + 9 + 13 万; 1.5 + 3.5 + 4 + 3.3 + 4 + 3.5 + 6.5 万)
    assert projects.grant_yuan.sum() == pytest.approx(730_000)
    assert project_resources(data).leveraged_yuan.sum() == pytest.approx(263_000)
    result = dataset_leverage(data, n_boot=20)
    assert result.table.leverage.iloc[0] == pytest.approx(263_000 / 730_000)
    # 终止 and 撤回 are withdrawals; the seventh round (traditional) is signed and running
    stages = projects.set_index("project_id").stage
    assert stages[["CS2-3", "CS5-3"]].tolist() == ["withdrawn", "withdrawn"]
    assert stages[["CS7-1", "CS7-2", "CS7-3"]].tolist() == ["signed"] * 3
    assert (stage_reached(projects) == "completed").sum() == 16
    # applicant types with a suffix (社会组织类) and in traditional characters (社工機構)
    types = projects.set_index("project_id").applicant_type
    assert types[["CS2-1", "CS7-1", "CS7-2"]].tolist() == [
        "social_organisation",
        "social_organisation",
        "service_agency",
    ]
    # project lines across rounds, from 上届项目编号 / 上屆項目編號
    lines = projects.dropna(subset=["predecessor_id"]).set_index("project_id").predecessor_id
    assert lines.to_dict() == {"CS6-1": "CS2-1", "CS7-1": "CS6-1", "CS7-2": "CS1-1"}
    # the seventh round's community names read like the others'
    assert set(projects.community_id) == {"东湖社区", "西苑社区", "南岸社区", "北城社区"}
    # rounds named as the office names them
    assert round_labels(data).label.tolist() == ROUND_NAMES
    assert data.rounds.grant_max_yuan.tolist() == [60_000.0] * 7


SUB_DISTRICT_ROWS = [
    # 期数, 项目名称, 所属社区, 申报主体, 主体类型, 资助金额, 自筹资金, 项目状态, 上期项目编号
    ("2021年第一期", "楼道灯亮化", "桂花社区", "桂花楼组长团队", "居民团队", "3,000", "500",
     "已结项", None),
    ("2021年第一期", "口袋公园", "荷花社区", "荷花居委会", "居委会", "5,000", "1,200",
     "延续", None),
    ("2021年第一期", "电动车充电棚", "桂花社区", "桂花业委会", "居民自组织", "8,000", "/",
     "终止", None),
    ("2021年第二期", "口袋公园（二期）", "荷花社区", "荷花居委会", "居委会", "4,000", "800",
     "已结项", "M1-2"),
    ("2021年第二期", "长者理发日", "梅花社区", "梅花志愿服务队", "志愿服务队", "2,000", "300",
     "已结项", None),
    ("2021年第二期", "邻里议事角", "桂花社区", "桂花楼组长团队", "居民团队", "1.5千", "—",
     "延续", None),
    ("2021年第三期", "议事角常态化", "桂花社区", "桂花楼组长团队", "居民团队", "2,500", "600",
     "未结项", "M2-3"),
    ("2021年第三期", "垃圾分类积分", "梅花社区", "梅花居委会", "居委会", "6,000", "2,000",
     "未结项", None),
]  # fmt: skip


def _sub_district(folder):
    """A sub-district's micro-projects, three rounds of one year, in one GBK CSV."""
    lines = [
        "潇湘街道2021年社区微项目汇总表,,,,,,,,,,,",
        "填报单位：潇湘街道社区服务中心    填报日期：2021年12月20日,,,,,,,,,,,",
        "序号,项目编号,期数,项目名称,所属社区,申报主体,主体类型,本期资助金额（元）,"
        "自筹资金（元）,项目状态,上期项目编号,备注",
    ]
    by_round: dict[str, list[int]] = {}
    for position, row in enumerate(SUB_DISTRICT_ROWS):
        by_round.setdefault(row[0], []).append(position)
    serial = 0
    for number, (written, positions) in enumerate(by_round.items(), start=1):
        grants = 0
        for k, position in enumerate(positions, start=1):
            _, title, community, applicant, kind, grant, own, status, before = SUB_DISTRICT_ROWS[
                position
            ]
            serial += 1
            value = 1500 if grant == "1.5千" else int(grant.replace(",", ""))
            grants += value
            lines.append(
                f"{serial},M{number}-{k},{written},{title},{community},{applicant},{kind},"
                f'"{grant}","{own}",{status},{before or ""},'
            )
        lines.append(f'{written[5:]}小计,,,,,,,"{grants:,}",,,,')
    lines += [
        '合计,,,,,,,"32,000",,,,',
        '其中：延续项目,,,,,,,"6,500",,,,',
        ",,,,,,,,,,,",
        "备注：资助金额为街道自治经费拨付金额。,,,,,,,,,,,",
    ]
    (folder / "潇湘街道2021年微项目汇总表.csv").write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("gb18030")
    )
    (folder / "计划.csv").write_bytes(
        "计划编号,计划名称,计划类型\r\nxx,潇湘街道社区微项目,自治金\r\n".encode("gb18030")
    )


def test_micro_projects_in_three_rounds_of_one_year(tmp_path, capsys):
    _sub_district(tmp_path)
    assert main(["validate", str(tmp_path)]) == 0
    assert ": ok, 0 warning(s)" in capsys.readouterr().out
    data = impact.load(tmp_path)
    projects = data.projects.set_index("project_id")
    # "全年三期共立项8个微项目，街道拨付资助金额3.2万元"
    assert len(projects) == 8
    assert projects["round"].value_counts().sort_index().to_dict() == {1: 3, 2: 3, 3: 2}
    assert projects.grant_yuan.sum() == 32_000
    # "已结项3个，2个项目延续至下一期，1个终止"
    assert (projects.stage == "completed").sum() == 3
    assert projects.loc[["M1-2", "M2-3"], "stage"].tolist() == ["signed", "signed"]
    assert projects.loc["M1-3", "stage"] == "withdrawn"
    # the projects continued: their next rounds name them under 上期项目编号
    assert projects.predecessor_id.dropna().to_dict() == {"M2-1": "M1-2", "M3-1": "M2-3"}
    # residents raised 5,400 yuan of their own (自筹), blank where written / or —
    assert projects.leveraged_yuan.sum() == 5_400
    assert round_labels(data).label.tolist() == ["2021年第一期", "2021年第二期", "2021年第三期"]
    messages = [str(i) for i in impact.validate(tmp_path)]
    label = "潇湘街道2021年微项目汇总表.csv"
    assert (
        f"{label}:16: note: breakdown row '其中：延续项目' left out of the data: a part of row "
        "15 ('合计'); within it on grant_yuan" in messages
    )


FUND_PROJECTS = [
    # 项目编号, 届次, 项目名称, 小区, 申报类型, 团队类型, 自治基金资助（元）
    ("Z22-01", "2022年度", "加装电梯议事", "一号院", "配比类", "居民团队型", 6000),
    ("Z22-02", "2022年度", "楼道花箱", "二号院", "普通类", "志愿队", 2000),
    ("Z22-03", "2022年度", "停车自治", "一号院", "配比类", "居民团队型", 4000),
    ("Z23-01", "2023年度", "电梯运维公约", "一号院", "配比类", "居民团队型", 5000),
    ("Z23-02", "2023年度", "院落微更新", "三号院", "配比类", "居委会", 8000),
]
# funding as the fund's cashier keeps it: a column per source; households who gave
FUND_LINES = [
    # 项目编号, 自治基金资助, 居民户捐, 捐款户数, 企业捐赠, 物资折算
    ("Z22-01", 6000, 6000, 48, None, 500),
    ("Z22-02", 2000, None, None, 1000, None),
    ("Z22-03", 4000, 4000, 35, None, None),
    ("Z23-01", 5000, 5000, 40, 800, 300),
    ("Z23-02", 8000, 8000, 66, None, None),
]
VOLUNTEERS = [
    # 姓名, 小区, 身份, 服务项目
    ("刘阿姨", "一号院", "志愿者", "加装电梯议事"),
    ("周师傅", "一号院", "楼栋骨干", "停车自治"),
    ("吴老师", "二号院", "志愿者", "楼道花箱"),
    ("郑大爷", "三号院", "志愿者", None),
    ("冯姐", "一号院", "志愿者", "Z23-01"),
]


def _self_governance_fund(folder):
    header = [
        "项目编号",
        "届次",
        "项目名称",
        "所属小区",
        "申报类型",
        "团队类型",
        "自治基金资助（元）",
        "项目状态",
    ]
    projects = [["绿城社区居民自治基金项目一览表"], header] + [
        [*row, "结项"] for row in FUND_PROJECTS
    ]  # fmt: skip
    funding = [
        ["资金到位情况（元）"],
        ["项目编号", "自治基金资助", "居民户捐", "捐款户数", "企业捐赠", "物资折算"],
        *[list(row) for row in FUND_LINES],
        ["合计", 25000, 23000, 189, 1800, 800],
        ["其中：2023年度", 13000, 13000, 106, 800, 300],
    ]
    volunteers = [["姓名", "所在小区", "身份", "服务项目"], *[list(v) for v in VOLUNTEERS]]
    write_book(
        folder / "绿城社区居民自治基金.xlsx",
        {
            "计划": (
                [["计划编号", "计划名称", "计划类型", "届次方式"],
                 ["lc", "绿城社区居民自治基金", "基金", "年度"]],
                [],
            ),
            "届次": (
                [["计划编号", "届次", "年度", "配比比例"],
                 ["lc", 2022, 2022, "1:1"], ["lc", 2023, 2023, "1:1"]],
                [],
            ),
            "社区名单": ([["社区", "街道"], ["一号院", "绿城"], ["二号院", "绿城"],
                          ["三号院", "绿城"]], []),
            "项目": (projects, ["A1:H1"]),
            "资金明细": (funding, ["A1:F1"]),
            "志愿者名册": (volunteers, []),
        },
    )  # fmt: skip
    (folder / "impact-mapping.yaml").write_text(
        "# 绿城: 小区 are the communities; 户数 kept beside the amounts\n"
        "funding:\n  headers:\n    捐款户数: keep\n",
        "utf-8",
    )


def test_a_self_governance_fund_matching_household_donations(tmp_path, capsys):
    _self_governance_fund(tmp_path)
    assert main(["validate", str(tmp_path)]) == 0
    assert ": ok, 0 warning(s)" in capsys.readouterr().out
    data = impact.load(tmp_path)
    projects = data.projects.set_index("project_id")
    # "两年共支持5个居民自治项目，其中配比项目4个"
    assert len(projects) == 5
    assert (projects.application_type == "matched").sum() == 4
    assert projects.loc["Z22-02", "application_type"] == "standard"
    # "自治基金按1:1配比居民户捐：居民捐款23,000元，基金配比23,000元"
    funding = data.funding
    households = funding[funding.source == "donation"]
    assert households.amount_yuan.sum() == 23_000
    matched = projects[projects.application_type == "matched"].grant_yuan.sum()
    assert matched == 23_000 and data.rounds.match_ratio.tolist() == [1.0, 1.0]
    # "189户居民参与捐款" (the households, kept beside the amounts)
    assert households["捐款户数"].astype(float).sum() == 189
    # "撬动社会资源合计25,600元": residents 23,000 + businesses 1,800 + in kind 800
    assert project_resources(data).leveraged_yuan.sum() == pytest.approx(25_600)
    assert funded_projects(data.projects).grant_yuan.sum() == 25_000
    # "组建志愿者队伍，登记志愿者4名、楼栋骨干1名"
    counts = people_counts(data, by=("programme_id",))
    assert counts[["volunteers", "core_members", "people"]].values.tolist() == [[4, 1, 5]]
    # the project each volunteer serves, written by title or number
    assert data.people.project_id.fillna("").tolist() == [
        "Z22-01",
        "Z22-03",
        "Z22-02",
        "",
        "Z23-01",
    ]
    assert round_labels(data).label.tolist() == ["2022年度", "2023年度"]
