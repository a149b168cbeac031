"""Spreadsheets typed up the way other clerks type them: indicator sheets with one period
group, CSV cells holding line breaks, other header wordings, units, 万 in cells, round
names in Chinese numerals, 是/否 and √/×, notes columns, two tables on a sheet, a sheet per
round. Every file is written here by openpyxl or by hand; the expected values are written
out from the rows as typed, and messages are asserted exactly."""

import openpyxl
import pytest

import impact

from .workbooks import write_book as _book

PROJECT_ROWS = [
    ["项目编号", "计划编号", "届次", "项目名称", "项目状态"],
    ["P1", "x", 1, "花园", "结项"],
    ["P2", "x", 1, "楼道", "结项"],
]


def _indicator_rows(data):
    return sorted(
        (r["project_id"], r["indicator"], r["period"], r["value"])
        for r in data.indicators.to_dict("records")
    )


# --------------------------------------------------------------------------- indicators


@pytest.mark.parametrize(
    "group, period",
    [
        ("结项", "final"),
        ("实际", "final"),
        ("实际完成", "final"),
        ("结项实际值", "final"),
        ("完成情况", "final"),
        ("计划", "plan"),
        ("目标值", "plan"),
        ("中期", "midterm"),
        ("中期评估", "midterm"),
    ],
)
def test_one_period_group_over_the_indicators_gives_the_period(tmp_path, group, period):
    # 项目编号 merged down over both header rows, one group cell over the indicator names:
    # the names do not repeat, so the header is flattened to 活动场次 — the group must
    # still give the period.
    indicators = [
        ["项目编号", group, None],
        [None, "活动场次", "服务居民人次"],
        ["P1", 3, 100],
        ["P2", 4, 200],
    ]
    _book(
        tmp_path / "b.xlsx",
        {"项目": (PROJECT_ROWS, []), "指标完成情况": (indicators, ["A1:A2", "B1:C1"])},
    )
    data = impact.load(tmp_path)
    assert _indicator_rows(data) == [
        ("P1", "activities", period, 3.0),
        ("P1", "residents_served", period, 100.0),
        ("P2", "activities", period, 4.0),
        ("P2", "residents_served", period, 200.0),
    ]


def test_one_period_group_in_a_csv_gives_the_period(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "\n".join(",".join(map(str, r)) for r in PROJECT_ROWS) + "\n", "utf-8"
    )
    (tmp_path / "指标.csv").write_text(
        "项目编号,结项,\n,活动场次,宣传推文\nP1,3,1\nP2,5,2\n", "utf-8"
    )
    data = impact.load(tmp_path)
    assert _indicator_rows(data) == [
        ("P1", "activities", "final", 3.0),
        ("P1", "posts", "final", 1.0),
        ("P2", "activities", "final", 5.0),
        ("P2", "posts", "final", 2.0),
    ]


def test_period_written_in_a_one_row_header(tmp_path):
    indicators = [
        ["项目编号", "计划活动场次", "活动场次（结项）", "实际服务人次", "服务人次(计划)"],
        ["P1", 1, 2, 3, 4],
    ]
    _book(tmp_path / "b.xlsx", {"项目": (PROJECT_ROWS, []), "指标": (indicators, [])})
    assert _indicator_rows(impact.load(tmp_path)) == [
        ("P1", "activities", "final", 2.0),
        ("P1", "activities", "plan", 1.0),
        ("P1", "residents_served", "final", 3.0),
        ("P1", "residents_served", "plan", 4.0),
    ]


def test_notes_and_rates_beside_wide_indicators_are_kept_not_read_as_indicators(tmp_path):
    indicators = [
        ["项目编号", "项目名称", "计划", None, "实际", None, "完成率", None, "备注"],
        [None, None, "活动场次", "宣传推文", "活动场次", "宣传推文", "活动场次", "宣传推文", None],
        ["P1", "花园", 1, 2, 3, 4, "300%", "200%", "超额完成"],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:H1", "I1:I2"]
    _book(tmp_path / "b.xlsx", {"项目": (PROJECT_ROWS, []), "指标": (indicators, merges)})
    data = impact.load(tmp_path)  # strict: no error, no value read as "not a number"
    assert _indicator_rows(data) == [
        ("P1", "activities", "final", 3.0),
        ("P1", "activities", "plan", 1.0),
        ("P1", "posts", "final", 4.0),
        ("P1", "posts", "plan", 2.0),
    ]
    kept = data.indicators[["项目名称", "完成率/活动场次", "完成率/宣传推文", "备注"]]
    assert kept.drop_duplicates().values.tolist() == [["花园", "300%", "200%", "超额完成"]]
    messages = [str(i) for i in impact.validate(tmp_path)]
    assert "b.xlsx[指标]:1: 备注: note: notes column kept as it is" in messages
    assert "b.xlsx[指标]:1: 完成率/活动场次: warning: unknown column kept as it is" in messages


def test_wide_indicators_without_a_period_suggest_it_from_the_title(tmp_path):
    indicators = [["2024年项目结项指标情况表"], ["项目编号", "活动场次", "宣传推文"], ["P1", 1, 2]]
    _book(tmp_path / "b.xlsx", {"项目": (PROJECT_ROWS, []), "指标": (indicators, [])})
    errors = [i for i in impact.validate(tmp_path) if i.severity == "error"]
    assert [str(i) for i in errors] == [
        "b.xlsx[指标]:2: period: required column missing (write one of: period, 阶段, 时期, "
        "期间); or give one value for every row under `indicators: values:` in "
        "impact-mapping.yaml"
    ]
    assert errors[0].suggestion == "indicators:\n  values:\n    period: final"


# --------------------------------------------------------------------------- row numbers


def _errors(path):
    return [str(i) for i in impact.validate(path) if i.severity == "error"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_cell_with_a_line_break_keeps_the_spreadsheet_row_numbers(tmp_path, encoding):
    # Records as Excel or WPS numbers them (the header is row 1): 1 blank, 2 title (its
    # cell holds a line break), 3 header, 4 P1 (a title on two lines), 5 P2 (one field
    # short), 6 blank, 7 P3 (abc), 8 合计, 9 a note on two lines, 10 制表人.
    text = (
        "\r\n"
        '"2024年\r\n项目汇总表",,,,,\r\n'
        "项目编号,计划编号,届次,项目名称,项目状态,种子资金\r\n"
        'P1,x,1,"花园\n改造",结项,1000\r\n'
        "P2,x,1,楼道,结项\r\n"
        "\r\n"
        "P3,x,1,菜园,结项,abc\r\n"
        '合计,,,,,"1,000"\r\n'
        '"注：\n金额单位为元",,,,,\r\n'
        "制表人：张三\r\n"
    )
    (tmp_path / "projects.csv").write_bytes(text.encode(encoding))
    messages = [str(i) for i in impact.validate(tmp_path)]
    assert messages == [
        "projects.csv: note: 1 blank row(s) skipped",
        "projects.csv:2: note: title line above the header kept as a note: 2024年 项目汇总表",
        "projects.csv:5: row has 5 fields, header has 6; row skipped (P2,x,1,楼道,结项)",
        "projects.csv:7: grant_yuan: not a number (abc)",
        "projects.csv:8: note: totals row '合计' left out of the data; agrees with the rows "
        "on grant_yuan",
        "projects.csv:9: note: note under the table kept: 注： 金额单位为元",
        "projects.csv:10: note: note under the table kept: 制表人：张三",
    ]


def test_a_line_break_in_a_header_cell_keeps_the_rows_under_it(tmp_path):
    (tmp_path / "projects.csv").write_text(
        '项目编号,计划编号,届次,"项目\n名称",项目状态,"种子资金\n（元）"\n'
        'P1,x,1,"花园\n改造",结项,1000\n'
        "P2,x,1,楼道,结项,abc\n",
        "utf-8",
    )
    assert _errors(tmp_path) == ["projects.csv:3: grant_yuan: not a number (abc)"]


def test_empty_lines_between_rows_are_counted(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,项目状态,种子资金\nP1,x,1,结项,1000\n\n\nP2,x,1,结项,abc\n",
        "utf-8",
    )
    assert _errors(tmp_path) == ["projects.csv:5: grant_yuan: not a number (abc)"]


def test_mixed_encodings_name_the_record_after_a_line_break(tmp_path):
    (tmp_path / "projects.csv").write_bytes(
        '项目编号,计划编号,届次,项目名称,项目状态\nP1,x,1,"花园\n改造",结项\n'.encode()
        + "P2,x,1,楼道,结项\n".encode("gbk")
    )
    assert _errors(tmp_path) == [
        "projects.csv:3: mixes encodings: this row is GBK, other rows are UTF-8; save the "
        "whole file again in one encoding (CSV UTF-8)"
    ]


# --------------------------------------------------------------------------- other clerks


@pytest.mark.parametrize(
    "written, number",
    [
        ("第四届", 4),
        ("第4期", 4),
        ("四", 4),
        ("第十二届", 12),
        ("第二十一届", 21),
        ("2024年度", 2024),
        ("2024年", 2024),
        ("二〇二四", 2024),
    ],
)
def test_rounds_and_years_as_offices_write_them(tmp_path, written, number):
    (tmp_path / "rounds.csv").write_text(f"计划编号,届次,年度\nx,{written},{written}\n", "utf-8")
    rounds = impact.load(tmp_path).rounds
    assert (int(rounds["round"].iloc[0]), int(rounds["year"].iloc[0])) == (number, number)


def test_a_competition_sheet_typed_by_another_clerk(tmp_path):
    rows = [
        ["里水镇第四届社会治理微创投大赛项目汇总表"],
        ["填报单位：里水镇社工站    填报日期：2023.3.5"],
        ["序号", "项目编号", "计划", "届次", "项目名", "申请主体", "主体类型", "所属村（社区）",
         "申报方式", "资助金额(元)", "配套资金【元】", "项目状态", "备注", None],
        [1, "L01", "ls", "第四届", "邻里花园", "洲村志愿队", "志愿服务队", "洲村", "普通申报",
         "8,000", None, "结项", None, None],
        [2, "L02", "ls", "第四届", "长者饭堂", "河村居委会", "居委会", "河村", "配比申报",
         "0.5万", "5000元", "结项", "配比1:1", None],
        [None] * 14,
        ["小计", None, None, None, None, None, None, None, None, "13,000", "5000"],
        [3, "L03", "ls", "第四届", "护河行动", "沙涌社工站", "社工机构", "沙涌", "普通",
         None, "—", "未立项", None, None],
        [4, "L04", "ls", "第四届", "电单车停放", "大冲居民小组", "居民自组织", "大冲",
         "普通申报", "1.2万元", "无", "结项", None, None],
        ["合计", None, None, None, None, None, None, None, None, "25,000", "5,000"],
        [None],
        ["注：1.资助金额为实际拨付金额。"],
        ["制表人：李四    审核人：王五"],
    ]  # fmt: skip
    _book(tmp_path / "里水镇第四届微创投大赛.xlsx", {"第四届项目汇总": (rows, ["A1:M1"])})
    data = impact.load(tmp_path)
    projects = data.projects.set_index("project_id")
    assert projects["round"].tolist() == [4, 4, 4, 4]
    assert projects["title"].tolist() == ["邻里花园", "长者饭堂", "护河行动", "电单车停放"]
    assert projects["applicant_name"].tolist() == [
        "洲村志愿队",
        "河村居委会",
        "沙涌社工站",
        "大冲居民小组",
    ]
    assert projects["applicant_type"].tolist() == [
        "volunteer_team",
        "committee",
        "service_agency",
        "resident_group",
    ]
    assert projects["community_id"].tolist() == ["洲村", "河村", "沙涌", "大冲"]
    assert projects["grant_yuan"].fillna(-1).tolist() == [8000.0, 5000.0, -1, 12000.0]
    assert projects["leveraged_yuan"].fillna(-1).tolist() == [-1, 5000.0, -1, -1]
    assert projects["stage"].tolist() == ["completed", "completed", "shortlisted", "completed"]
    assert projects["备注"].fillna("").tolist() == ["", "配比1:1", "", ""]
    messages = [str(i) for i in impact.validate(tmp_path)]
    label = "里水镇第四届微创投大赛.xlsx[第四届项目汇总]"
    assert [m for m in messages if "note" not in m] == []
    assert f"{label}:3: 备注: note: notes column kept as it is" in messages
    assert (
        f"{label}:10: note: totals row '合计' left out of the data; agrees with the rows on "
        "grant_yuan, leveraged_yuan" in messages
    )


def test_a_yearly_fund_csv_typed_by_another_clerk(tmp_path):
    rows = [
        "潍坊新村街道2024年度自治金项目汇总表,,,,,,,,,,,,,",
        "序号,项目编号,计划,年度,项目名称,所属居民区,项目层级,分组,补助资金（万元）,"
        "自筹资金(元),已使用/元,资金使用率,项目状态,备注,,",
        '1,WF01,wf,2024年度,楼道微更新,潍坊一村,示范类,楼道美化,1.5,"2,000","12,000",80%,立项,,,',
        '2,WF02,wf,2024年度,"邻里\n会客厅",潍坊二村,品牌,邻里会客厅,0.8,0,"8,000",100%,立项,新增,,',
        ",,,,,,,,,,,,,,,",
        '3,WF03,wf,2024年度,小花园,竹园,育苗类,社区小花园,0.3,/,"1,500",50%,立项,,,',
        '合计,,,,,,,,2.6,"2,000","21,500",,,,,',
        "注：补助资金单位为万元。,,,,,,,,,,,,,,,",
    ]
    (tmp_path / "项目汇总表.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))
    data = impact.load(tmp_path)
    projects = data.projects
    assert projects["round"].tolist() == [2024, 2024, 2024]
    assert projects["community_id"].tolist() == ["潍坊一村", "潍坊二村", "竹园"]
    assert projects["tier"].tolist() == ["demonstration", "brand", "seedling"]
    assert projects["peer_group"].tolist() == ["楼道美化", "邻里会客厅", "社区小花园"]
    assert projects["grant_yuan"].tolist() == [15000.0, 8000.0, 3000.0]
    assert projects["leveraged_yuan"].fillna(-1).tolist() == [2000.0, 0.0, -1]
    assert projects["spent_yuan"].tolist() == [12000.0, 8000.0, 1500.0]
    warnings = [str(i) for i in impact.validate(tmp_path) if i.severity != "note"]
    # a rate is never offered as the money it is a rate of
    assert warnings == ["项目汇总表.csv:2: 资金使用率: warning: unknown column kept as it is"]


def test_a_fund_list_without_stages_suggests_approved(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,年度,资助金额,资金使用率\nP1,wf,2024,5000,80%\n", "utf-8"
    )
    errors = [i for i in impact.validate(tmp_path) if i.severity == "error"]
    assert [str(i) for i in errors] == [
        "projects.csv:1: stage: required column missing (write one of: stage, funnel_stage, "
        "阶段, 状态); or give one value for every row under `projects: values:` in "
        "impact-mapping.yaml"
    ]
    assert errors[0].suggestion == "projects:\n  values:\n    stage: approved"


def test_an_applicant_column_holding_names_is_read_as_names(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,申报主体,阶段\nP1,x,1,洲村志愿队,结项\nP2,x,1,河村居委会,结项\n"
        "P3,x,1,居委会,结项\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    assert data.projects["applicant_name"].tolist() == ["洲村志愿队", "河村居委会", "居委会"]
    assert (
        "projects.csv:1: 申报主体: note: holds names, not applicant types (2 of 3 values are "
        "no type): read as applicant_name" in map(str, data.notes)
    )


def test_a_sheet_per_round_is_one_table_and_names_its_rounds(tmp_path):
    header = ["项目编号", "计划编号", "项目名称", "试点社区", "状态", "种子资金（元）"]
    sheets = {
        name: ([[f"龙岗区V创空间{name}清单"], header, *rows], ["A1:F1"])
        for name, rows in {
            "第一期项目": [["V1", "lg", "菜园", "荷坳", "结项", "3,000"]],
            "第二期项目": [["V2", "lg", "议事厅", "平南", "实施中", "2000"]],
            "第三期项目": [
                ["V3", "lg", "书屋", "禾花", "结项", "abc"],
                ["V1", "lg", "菜园", "荷坳", "结项", 1],
            ],
        }.items()
    }  # fmt: skip
    _book(tmp_path / "龙岗.xlsx", sheets)
    data = impact.load(tmp_path, strict=False)
    assert data.projects[["project_id", "round", "community_id", "grant_yuan"]].fillna(
        -1
    ).values.tolist() == [
        ["V1", 1, "荷坳", 3000.0],
        ["V2", 2, "平南", 2000.0],
        ["V3", 3, "禾花", -1],
        ["V1", 3, "荷坳", 1.0],
    ]
    messages = [str(i) for i in impact.validate(tmp_path) if i.severity != "note"]
    assert messages == [
        "龙岗.xlsx[第三期项目]:3: grant_yuan: not a number (abc)",
        "龙岗.xlsx[第三期项目]:4: project_id: duplicate key (project_id); first at "
        "龙岗.xlsx[第一期项目]:3 (V1)",
    ]
    notes = [str(i) for i in impact.validate(tmp_path) if i.severity == "note"]
    assert (
        "龙岗.xlsx[第二期项目]: round: note: not in the rows; every row takes 2 from the sheet "
        "name '第二期项目'" in notes
    )


def test_two_files_for_one_table_stay_an_error_but_sheets_of_one_book_do_not(tmp_path):
    rows = [["项目编号", "计划编号", "届次", "阶段"], ["P1", "x", 1, "结项"]]
    _book(tmp_path / "a.xlsx", {"项目": (rows, [])})
    (tmp_path / "projects.csv").write_text("项目编号,计划编号,届次,阶段\nP2,x,1,结项\n", "utf-8")
    errors = [str(i) for i in impact.validate(tmp_path) if i.severity == "error"]
    assert errors == ["a.xlsx[项目], projects.csv: more than one file holds table 'projects'"]


def test_a_proposal_contest_workbook_typed_by_another_clerk(tmp_path):
    proposals = [
        ["红山区首届社区“金点子”提案大赛提案汇总"],
        ["序号", "提案编号", "计划编号", "届次", "提案名称", "所属社区", "服务对象", "提案进度",
         "退出前阶段", "实际支付金额（元）", "Unnamed: 10", "Unnamed: 11"],
        [1, "H001", "hs", "首届", "助残服务", "铁南", "残疾人", "签约实施", None, "3,500.00"],
        [2, "H002", "hs", "首届", "老年食堂", "铁南", "老年人", "结项", None, 4000],
        [3, "H003", "hs", "首届", "青少年课堂", "永巨", "青少年", "撤回", "立项", None],
        [4, "H004", "hs", "首届", "楼道灯", "永巨", "综合", "未通过", None, None],
        [5, "H005", "hs", "首届", "废品回收", "西屯", "综合", "未入围", None, None],
    ]  # fmt: skip
    funding = [
        ["项目编号", "资金来源", "是否计入种子资金", "金额（元）", "到账日期"],
        ["H001", "基金会", "是", "2,100", "2017年9月"],
        ["H001", "财政资金", "√", "1,400", "2017-09"],
        ["H001", "社会捐赠", "否", "500", "2017.10.1"],
        ["H002", "实物捐赠", "×", "300元", 43000],
    ]
    organisations = [
        ["组织名称", "所属社区", "计划编号", "届次", "是否登记", "登记日期"],
        ["铁南助老队", "铁南", "hs", 1, "是", "2018.3.1"],
        ["永巨读书会", "永巨", "hs", 1, "否", None],
    ]
    _book(
        tmp_path / "红山区首届金点子提案大赛.xlsx",
        {
            "提案汇总": (proposals, ["A1:L1"]),  # 汇总 names the published table: headers win
            "资金明细": (funding, []),
            "社区组织": (organisations, []),  # 社区 or 组织: the headers say organisations
        },
    )
    data = impact.load(tmp_path)
    projects = data.projects
    assert projects["round"].tolist() == [1] * 5
    assert projects["stage"].tolist() == ["signed", "completed", "withdrawn", "shortlisted", "idea"]
    assert projects["highest_stage"].tolist()[2] == "approved"
    assert projects["theme"].tolist() == ["残疾人", "老年人", "青少年", "综合", "综合"]
    assert projects["grant_yuan"].fillna(-1).tolist() == [3500.0, 4000.0, -1, -1, -1]
    assert not any(str(c).startswith(("Unnamed", "column")) for c in projects.columns)
    funding_lines = data.funding
    assert funding_lines["part_of_grant"].tolist() == [True, True, False, False]
    assert funding_lines["amount_yuan"].tolist() == [2100.0, 1400.0, 500.0, 300.0]
    assert funding_lines["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2017-09-01",
        "2017-09-01",
        "2017-10-01",
        "2017-09-22",  # Excel day 43000
    ]
    organisations = data.organisations
    assert organisations["organisation_id"].tolist() == ["铁南助老队", "永巨读书会"]
    assert organisations["registered"].tolist() == [True, False]
    assert [str(i) for i in impact.validate(tmp_path) if i.severity != "note"] == []
    assert (
        "红山区首届金点子提案大赛.xlsx[社区组织]:1: organisation_id: note: no identifier "
        "column: the names under '组织名称' serve as organisation_id" in map(str, data.notes)
    )


def test_a_partner_ledger_csv_typed_by_another_clerk(tmp_path):
    rows = [
        "港湾街道2024年社区合伙人项目台账,,,,,,,,,",
        "填报单位：港湾街道党群服务中心  填报日期：2024年12月,,,,,,,,,",
        "合伙人编号,计划,届次,合伙人名称,合伙人类型,所在社区,服务项目,低偿服务收入(元),"
        "反哺社区基金（元）,是否签约",
        'GW01,gw,2024年,海湾烘焙坊,商家,海湾,长者生日会,"1.2万","1,800",是',
        'GW02,gw,2024年,南北台义剪队,团队,南北台,义剪,"3,000",450,√',
        '小计,,,,,,,"15,000","2,250",',
        "GW03,gw,2024年,张阿姨,个人合伙人,海湾,手工课,800元,120,Y",
        '合计,,,,,,,"15,800","2,370",',
        ",,,,,,,,,",
        "注：1. 反哺比例为服务收入的15%。,,,,,,,,,",
        "制表人：陈某   审核人：黄某,,,,,,,,,",
    ]
    (tmp_path / "项目台账.csv").write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode())
    errors = [i for i in impact.validate(tmp_path) if i.severity == "error"]
    # no seed grant and no stage: partners sign up; the mapping line is suggested
    assert [str(i) for i in errors] == [
        "项目台账.csv:3: stage: required column missing (write one of: stage, funnel_stage, "
        "阶段, 状态); or give one value for every row under `projects: values:` in "
        "impact-mapping.yaml"
    ]
    assert errors[0].suggestion == "projects:\n  values:\n    stage: signed"
    (tmp_path / "impact-mapping.yaml").write_text(errors[0].suggestion + "\n", "utf-8")
    projects = impact.load(tmp_path).projects
    assert projects["project_id"].tolist() == ["GW01", "GW02", "GW03"]
    assert projects["partner_type"].tolist() == ["business", "team", "individual"]
    assert projects["community_id"].tolist() == ["海湾", "南北台", "海湾"]
    assert projects["title"].tolist() == ["长者生日会", "义剪", "手工课"]
    assert projects["service_income_yuan"].tolist() == [12000.0, 3000.0, 800.0]
    assert projects["fund_donation_yuan"].tolist() == [1800.0, 450.0, 120.0]
    assert projects["stage"].tolist() == ["signed"] * 3


def test_two_tables_on_one_sheet_are_read_apart(tmp_path):
    rows = [
        ["一、项目情况"],
        ["项目编号", "计划编号", "届次", "阶段", "种子资金（元）"],
        ["P1", "x", 1, "结项", "2,000"],
        ["P2", "x", 1, "结项", "3000"],
        ["合计", None, None, None, "5,000"],
        [],
        ["二、资金明细"],
        ["序号", "项目编号", "资金来源", "金额（元）", "日期"],
        [1, "P1", "社会捐赠", "1,000", "2024.3.5"],
        [2, "P2", "物资", "500", "2024年3月"],
        [3, "P2", "捐赠", "abc", "2024-03"],
        ["注：物资按市场价折算"],
    ]
    _book(tmp_path / "b.xlsx", {"项目及资金": (rows, [])})
    issues = impact.validate(tmp_path)
    assert [str(i) for i in issues if i.severity != "note"] == [
        "b.xlsx[项目及资金]:11: amount_yuan: not a number (abc)"
    ]
    assert (
        "b.xlsx[项目及资金]:8: note: another table starts here: read on its own, by its "
        "headers" in map(str, issues)
    )
    data = impact.load(tmp_path, strict=False)
    assert data.projects["grant_yuan"].tolist() == [2000.0, 3000.0]
    lines = data.funding.astype({"source": object}).fillna({"amount_yuan": -1})
    assert lines[["project_id", "source", "amount_yuan"]].values.tolist() == [
        ["P1", "donation", 1000.0],
        ["P2", "in_kind", 500.0],
        ["P2", "donation", -1],
    ]
    assert data.funding["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-05",
        "2024-03-01",
        "2024-03-01",
    ]


def test_a_cell_with_its_own_unit_in_a_ten_thousand_yuan_column(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段,补助资金（万元）\n"
        "P1,x,1,结项,1.5\nP2,x,1,结项,1.5万\nP3,x,1,结项,2000元\n合计,,,,3.2\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    assert data.projects["grant_yuan"].tolist() == [15000.0, 15000.0, 2000.0]
    assert (
        "projects.csv:1: grant_yuan: note: header gives the unit 万元: values multiplied by "
        "10,000; 2 value(s) with their own unit (元, 万) read as written" in map(str, data.notes)
    )
    assert not data.warnings  # 3.2万 = 32,000 = 15,000 + 15,000 + 2,000


@pytest.mark.parametrize(
    "written, stage",
    [
        ("结题", "completed"),
        ("已验收", "completed"),
        ("执行中", "signed"),
        ("进行中", "signed"),
        ("获批", "approved"),
        ("入选", "shortlisted"),
        ("中止", "withdrawn"),
        ("未结题", "signed"),
    ],
)
def test_stages_in_other_words(tmp_path, written, stage):
    (tmp_path / "projects.csv").write_text(
        f"项目编号,计划编号,届次,阶段\nP1,x,1,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).projects["stage"].tolist() == [stage]


def test_yes_and_no_as_done_and_not_done(tmp_path):
    (tmp_path / "organisations.csv").write_text(
        "组织编号,组织名称,是否登记\nO1,甲,已登记\nO2,乙,未登记\nO3,丙,√\nO4,丁,×\nO5,戊,没有\n",
        "utf-8",
    )
    registered = impact.load(tmp_path).organisations["registered"].tolist()
    assert registered == [True, False, True, False, False]


def test_blank_headers_written_by_excel_tables(tmp_path):
    rows = [
        ["项目编号", "计划编号", "届次", "阶段", "列1", "列2"],
        ["P1", "x", 1, "结项", None, "a"],
    ]
    _book(tmp_path / "b.xlsx", {"项目": (rows, [])})
    data = impact.load(tmp_path)
    # the empty one goes; the one with a value is kept under its spreadsheet letter
    assert [c for c in data.projects.columns if c not in ("project_id", "programme_id")] == [
        "round",
        "stage",
        "column F",
    ]


def test_dates_as_clerks_write_them(tmp_path):
    (tmp_path / "rounds.csv").write_text(
        "计划编号,届次,年度,征集日期,开始日期,中期评估日期,结项日期\n"
        "x,1,2024,2024/3/5 0:00,2024年3月5号,2024 年 6 月,2024-12\n",
        "utf-8",
    )
    rounds = impact.load(tmp_path).rounds
    columns = ["call_date", "start_date", "midterm_date", "end_date"]
    assert [f"{rounds[c].iloc[0]:%Y-%m-%d}" for c in columns] == [
        "2024-03-05",
        "2024-03-05",
        "2024-06-01",
        "2024-12-01",
    ]


def test_a_long_indicator_table_with_actual_values(tmp_path):
    (tmp_path / "indicators.csv").write_text(
        "项目编号,指标名称,阶段,数值\nP1,活动场次,实际,3\nP1,活动场次,目标值,4\n", "utf-8"
    )
    assert _indicator_rows(impact.load(tmp_path)) == [
        ("P1", "activities", "final", 3.0),
        ("P1", "activities", "plan", 4.0),
    ]


def test_a_formula_with_no_saved_value_is_an_error_not_a_blank(tmp_path):
    # openpyxl saves formulas without their values, as some tools and web systems do
    rows = [
        ["项目编号", "计划编号", "届次", "阶段", "种子资金"],
        ["P1", "x", 1, "结项", 1000],
        ["P2", "x", 1, "结项", "=E2*2"],
        ["合计", None, None, None, "=SUM(E2:E3)"],
    ]
    _book(tmp_path / "b.xlsx", {"项目": (rows, [])})
    errors = [str(i) for i in impact.validate(tmp_path) if i.severity == "error"]
    assert errors == [
        "b.xlsx[项目]:3: 种子资金: holds a formula whose value was never saved, so it reads as "
        "empty; open the workbook in Excel or WPS and save it again (or type the value)"
    ]


def test_a_hidden_sheet_holding_a_table_is_read_with_a_warning(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "项目"
    book.active.append(["项目编号", "计划编号", "届次", "阶段"])
    book.active.append(["P1", "x", 1, "结项"])
    hidden = book.create_sheet("Sheet2")
    hidden.sheet_state = "hidden"
    hidden.append(["项目编号", "计划编号", "届次", "阶段"])
    hidden.append(["P9", "x", 1, "结项"])
    book.save(tmp_path / "b.xlsx")
    warnings = [str(i) for i in impact.validate(tmp_path) if i.severity == "warning"]
    assert warnings == [
        "b.xlsx[Sheet2]: warning: hidden sheet read as table 'projects': unhide it to check it, "
        "or delete it if it is not data (a draft, a list for drop-downs)"
    ]
    assert impact.load(tmp_path).projects["project_id"].tolist() == ["P1", "P9"]


def test_a_second_table_pasted_under_the_first_in_a_csv_is_named(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段,种子资金\nP1,x,1,结项,1000\n,,,,\n资金明细,,,,\n"
        "项目编号,资金来源,金额,日期,\nP2,捐赠,500,2024.3.5,\n",
        "utf-8",
    )
    errors = [str(i) for i in impact.validate(tmp_path) if i.severity == "error"]
    assert errors[0] == (
        "projects.csv:5: this row is another table's header: put each table in a file of its "
        "own (or a sheet of its own in a workbook); the rows under it are read as this "
        "table's rows (项目编号,资金来源,金额,日期)"
    )


def test_a_workbook_of_one_programme_and_round_never_writes_them_in_the_rows(tmp_path):
    _book(
        tmp_path / "b.xlsx",
        {
            "计划": ([["计划编号", "计划名称", "计划类型"], ["ls", "里水", "大赛"]], []),
            "届次": ([["计划编号", "届次", "年度"], ["ls", "第四届", 2022]], []),
            "项目": ([["项目编号", "阶段", "种子资金"], ["P1", "结项", 1000]], []),
        },
    )
    data = impact.load(tmp_path)
    assert data.projects[["project_id", "programme_id", "round"]].values.tolist() == [
        ["P1", "ls", 4]
    ]
    assert [str(n) for n in data.notes if n.file == "b.xlsx[项目]"] == [
        "b.xlsx[项目]: programme_id: note: not in the rows; every row takes ls (the one "
        "programme in b.xlsx[计划])",
        "b.xlsx[项目]: round: note: not in the rows; every row takes 4 (the one round in "
        "b.xlsx[届次])",
    ]


def test_two_headers_for_one_column_use_the_specific_one(tmp_path):
    # 编号 numbers the rows; 项目编号 is the identifier: the more specific spelling is used
    (tmp_path / "projects.csv").write_text(
        "编号,项目编号,计划编号,届次,阶段\n1,P1,x,1,结项\n2,P2,x,1,结项\n", "utf-8"
    )
    data = impact.load(tmp_path)
    assert data.projects["project_id"].tolist() == ["P1", "P2"]
    assert data.projects["编号"].tolist() == ["1", "2"]
    assert [str(w) for w in data.warnings] == [
        "projects.csv:1: 编号: warning: a second column for 'project_id': '项目编号' is used, "
        "this one is kept under its own name; map the right one in impact-mapping.yaml if "
        "that is wrong"
    ]


def test_two_amounts_for_the_grant_stay_an_error(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段,补助资金,资助金额\nP1,x,1,结项,100,200\n", "utf-8"
    )
    errors = [str(i) for i in impact.validate(tmp_path) if i.severity == "error"]
    assert errors == [
        "projects.csv:1: 补助资金: a second column for 'grant_yuan': '资助金额' is used, this "
        "one is kept under its own name; map the right one in impact-mapping.yaml if that is "
        "wrong"
    ]


def test_totals_named_for_a_group_total_the_group(tmp_path):
    rows = [
        ["项目编号", "计划编号", "届次", "阶段", "项目层级", "资助金额"],
        ["P1", "wf", 2024, "立项", "示范类", "10,000"],
        ["P2", "wf", 2024, "立项", "示范类", "8,000"],
        ["示范类合计", None, None, None, None, "18,000"],
        ["P3", "wf", 2024, "立项", "品牌类", "5,000"],
        ["品牌类合计", None, None, None, None, "5,000"],
        ["总计", None, None, None, None, "23,000"],
    ]
    _book(tmp_path / "b.xlsx", {"项目": (rows, [])})
    data = impact.load(tmp_path)
    assert data.projects["grant_yuan"].tolist() == [10000.0, 8000.0, 5000.0]
    assert not data.warnings  # each total agrees with the rows it totals
    assert (
        "b.xlsx[项目]:6: note: totals row '品牌类合计' left out of the data; agrees with the "
        "rows on grant_yuan" in map(str, data.notes)
    )


def test_a_csv_file_per_round_is_one_table(tmp_path):
    (tmp_path / "第一期项目.csv").write_text(
        "项目编号,计划编号,阶段,种子资金\nV1,lg,结项,3000\n", "utf-8"
    )
    (tmp_path / "第二期项目.csv").write_bytes(
        "项目编号,计划编号,阶段,种子资金\nV2,lg,结项,abc\n".encode("gbk")
    )
    errors = [str(i) for i in impact.validate(tmp_path) if i.severity == "error"]
    assert errors == ["第二期项目.csv:2: grant_yuan: not a number (abc)"]
    projects = impact.load(tmp_path, strict=False).projects
    assert projects[["project_id", "round"]].values.tolist() == [["V1", 1], ["V2", 2]]


def test_an_unknown_indicator_naming_a_community_is_still_an_indicator(tmp_path):
    indicators = [["项目编号", "所属社区", "社区议事次数"], ["P1", "洲村", 4], ["P2", "河村", 2]]
    _book(tmp_path / "b.xlsx", {"项目": (PROJECT_ROWS, []), "指标": (indicators, [])})
    (tmp_path / "impact-mapping.yaml").write_text(
        "indicators:\n  values:\n    period: final\n", "utf-8"
    )
    data = impact.load(tmp_path)
    assert _indicator_rows(data) == [
        ("P1", "社区议事次数", "final", 4.0),
        ("P2", "社区议事次数", "final", 2.0),
    ]
    assert data.indicators["所属社区"].tolist() == ["洲村", "河村"]


def test_a_totals_row_under_wide_indicators_is_named_and_checked(tmp_path):
    indicators = [
        ["项目指标完成情况表"],
        ["序号", "项目编号", "结项", None],
        [None, None, "活动场次", "服务人次"],
        [1, "P1", 3, 100],
        [2, "P2", 4, "约200"],
        ["合计", None, 8, 300],
    ]
    merges = ["A2:A3", "B2:B3", "C2:D2"]
    _book(tmp_path / "b.xlsx", {"项目": (PROJECT_ROWS, []), "指标": (indicators, merges)})
    messages = [str(i) for i in impact.validate(tmp_path)]
    assert [m for m in messages if ":6:" in m] == [
        "b.xlsx[指标]:6: 活动场次: warning: the totals row gives 8.00 but the rows it totals "
        "sum to 7.00 (8)",
        "b.xlsx[指标]:6: note: totals row '合计' left out of the data; agrees with the rows on "
        "服务人次",
    ]


def test_wide_indicator_cells_written_as_nothing_give_no_row(tmp_path):
    indicators = [["项目编号", "活动场次", "宣传推文"], ["P1", 3, "/"], ["P2", "—", 2]]
    _book(tmp_path / "b.xlsx", {"项目": (PROJECT_ROWS, []), "指标": (indicators, [])})
    (tmp_path / "impact-mapping.yaml").write_text(
        "indicators:\n  values:\n    period: final\n", "utf-8"
    )
    assert _indicator_rows(impact.load(tmp_path)) == [
        ("P1", "activities", "final", 3.0),
        ("P2", "posts", "final", 2.0),
    ]


def test_a_funding_sheet_written_wide_is_one_line_per_source(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段\nP1,x,1,结项\nP2,x,1,结项\n", "utf-8"
    )
    (tmp_path / "资金明细.csv").write_text(
        "项目编号,种子资金,配比资金（万元）,社会捐赠,实物折算,场地支持,备注\n"
        'P1,2000,0.1,,300,"1,000",x\n'
        "P2,3000,,500,,/,\n"
        '合计,"5,000",0.1,500,300,"1,000",\n',
        "utf-8",
    )
    errors = [str(i) for i in impact.validate(tmp_path) if i.severity == "error"]
    # an unknown column of amounts beside known sources is never left aside in silence
    assert errors == [
        "资金明细.csv:2: source: not an allowed value; allowed: seed_grant, match, donation, "
        "in_kind, public_finance, foundation, business, crowdfunding, service_income, "
        "volunteer_time (场地支持)"
    ]
    lines = impact.load(tmp_path, strict=False).funding.astype({"source": object})
    assert lines[["project_id", "source", "amount_yuan"]].fillna("?").values.tolist() == [
        ["P1", "seed_grant", 2000.0],
        ["P1", "match", 1000.0],  # 0.1 万元
        ["P1", "in_kind", 300.0],
        ["P1", "?", 1000.0],
        ["P2", "seed_grant", 3000.0],
        ["P2", "donation", 500.0],
    ]


def test_an_unknown_code_suggests_its_mapping_line(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段\nP1,x,1,结向\nP2,x,1,未签约\n", "utf-8"
    )
    (issue,) = [i for i in impact.validate(tmp_path) if i.severity == "error"]
    assert str(issue) == (
        "projects.csv:2: stage: not an allowed value; did you mean 'completed'? allowed: idea, "
        "shortlisted, approved, signed, completed, withdrawn (结向)"
    )
    assert issue.suggestion == "projects:\n  codes:\n    stage:\n      结向: completed"
    (tmp_path / "impact-mapping.yaml").write_text(issue.suggestion + "\n", "utf-8")
    assert impact.load(tmp_path).projects["stage"].tolist() == ["completed", "approved"]


def test_a_yes_no_column_is_never_offered_as_a_text_column(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段,是否获奖\nP1,x,1,结项,是\n", "utf-8"
    )
    (warning,) = [i for i in impact.validate(tmp_path) if i.severity == "warning"]
    assert str(warning) == "projects.csv:1: 是否获奖: warning: unknown column kept as it is"
    assert warning.suggestion == "projects:\n  headers:\n    是否获奖: keep"
