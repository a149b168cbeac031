"""Sheets laid out as town offices lay them out: title rows, two-row headers, 序号, merged
cells, totals, notes, units in headers. Each workbook or CSV is written here by openpyxl or
by hand; expected values and messages are written out from the rows as typed."""

import datetime

import pandas as pd
import pytest

import impact
from impact.layout import find_header, is_totals_label
from impact.schema import PROJECTS, header_key, header_map

from .workbooks import write_book as _book

HEADER = ["项目编号", "计划编号", "届次", "阶段"]


def _messages(path, severity=None):
    return [str(i) for i in impact.validate(path) if severity in (None, i.severity)]


@pytest.mark.parametrize(
    "header, key, unit",
    [
        ("种子资金（元）", "种子资金", "元"),
        ("种子资金(元)", "种子资金", "元"),
        ("种子资金【元】", "种子资金", "元"),
        ("种子资金/元", "种子资金", "元"),
        ("种子资金（万元）", "种子资金", "万元"),
        ("种子资金（单位：元）", "种子资金", "元"),
        ("种子资金：", "种子资金", ""),
        ("种子 资金", "种子资金", ""),
        ("种子\n资金", "种子资金", ""),
        ("*种子资金", "种子资金", ""),
        ("种子资金（元）（必填）", "种子资金", "元"),
        ("项目名称(选填)", "项目名称", ""),
        ("所属村（社区）", "所属村(社区)", ""),  # not a unit: the brackets stay
        ("ＳＥＥＤ　ＧＲＡＮＴ", "seed_grant", ""),
    ],
)
def test_headers_match_after_normalising(header, key, unit):
    assert header_key(header) == (key, unit)


@pytest.mark.parametrize(
    "header",
    ["种子资金（元）", "种子资金【元】", "种子资金/元", "种子资金：", "实际支付金额（元）"],
)
def test_grant_headers_in_any_style_give_grants(tmp_path, header):
    (tmp_path / "项目.csv").write_text(
        ",".join([*HEADER, header]) + '\nP1,wf,1,结项,"2,000"\n', "utf-8"
    )
    data = impact.load(tmp_path)
    assert data.warnings == ()
    assert data.projects.grant_yuan.iloc[0] == 2000.0


def test_ten_thousand_yuan_header_scales_the_values(tmp_path):
    (tmp_path / "项目.csv").write_text(
        ",".join([*HEADER, "种子资金（万元）"]) + "\nP1,wf,1,结项,1.2\nP2,wf,1,结项,0.5\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    assert list(data.projects.grant_yuan) == [12000.0, 5000.0]
    assert (
        "项目.csv:1: grant_yuan: note: header gives the unit 万元: values multiplied by "
        "10,000" in [str(n) for n in data.notes]
    )


def test_header_found_below_title_rows_in_csv(tmp_path):
    (tmp_path / "项目.csv").write_text(
        "XX街道2024年度自治金项目汇总表,,,\n"
        "填报单位：XX社区    填报日期：2024年6月30日,,,\n"
        "项目编号,计划编号,届次,阶段\n"
        "P1,wf,2024,结项\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    assert list(data.projects.project_id) == ["P1"]
    assert [str(n) for n in data.notes] == [
        "项目.csv:1: note: title line above the header kept as a note: "
        "XX街道2024年度自治金项目汇总表",
        "项目.csv:2: note: title line above the header kept as a note: "
        "填报单位：XX社区    填报日期：2024年6月30日",
    ]


def test_header_is_the_row_with_most_known_headers():
    grid = [["2024年项目汇总表"], ["说明：金额单位为元"], ["序号", "项目名称", "社区", "阶段"]]
    known = header_map(PROJECTS)
    layout = find_header(grid, lambda text: header_key(text)[0] in known)
    assert (layout.start, layout.body) == (2, 3)


OFFICE_SHEET = [
    ["XX街道2024年度自治金项目汇总表"],
    ["填报单位：XX社区    填报日期：2024年6月30日"],
    [
        "序号",
        "项目编号",
        "计划编号",
        "届次",
        "所属村（社区）",
        "阶段",
        "资金情况（元）",
        None,
        "开始日期",
    ],
    [None, None, None, None, None, None, "种子资金", "已使用", None],
    [1, "P1", "wf", 2024, "东湖社区", "结项", 5000, 4000, 44743],
    [2, "P2", "wf", 2024, None, "未立项", None, None, "2022年7月"],
    [],
    [3, "P3", "wf", 2024, "西苑社区", "实施中", "0.8万", "约100", datetime.datetime(2022, 7, 1)],
    ["合计", None, None, None, None, "共3个", 13000, 4100, None],
    [],
    ["备注：金额单位为元"],
    ["制表人：张三    审核人：李四"],
]
OFFICE_MERGES = ["A1:I1", "G3:H3", *(f"{c}3:{c}4" for c in "ABCDEFI"), "E5:E6"]


@pytest.fixture
def office_book(tmp_path):
    return _book(
        tmp_path / "2024年自治金.xlsx",
        {
            "填表说明": ([["请按模板填写，金额单位为元。"]], []),
            "项目汇总表": (OFFICE_SHEET, OFFICE_MERGES),
        },
    )


def test_office_workbook_loads_every_cell(office_book):
    data = impact.load(office_book)
    projects = data.projects
    assert list(projects.project_id) == ["P1", "P2", "P3"]  # no totals row, no notes
    assert list(projects.grant_yuan.fillna(-1)) == [5000.0, -1, 8000.0]
    assert list(projects.spent_yuan.fillna(-1)) == [4000.0, -1, 100.0]
    # the community merged over two rows belongs to both
    assert list(projects.community_id) == ["东湖社区", "东湖社区", "西苑社区"]
    # 未立项 is the stage before approved, never approved; 实施中 is signed
    assert list(projects.stage) == ["completed", "shortlisted", "signed"]
    # an Excel serial number, a month, a real date cell
    assert list(projects["开始日期"]) == [44743, "2022年7月", datetime.datetime(2022, 7, 1)]
    assert [w.column for w in data.warnings] == ["开始日期"]  # kept, and said so


def test_office_workbook_says_what_it_did(office_book):
    label = "2024年自治金.xlsx[项目汇总表]"
    assert _messages(office_book) == [
        "2024年自治金.xlsx[填表说明]: note: instructions or cover sheet, not a table: left out",
        f"{label}: note: read as table 'projects' by its headers",
        f"{label}: note: 1 merged cell(s) filled down: the value belongs to every row under it",
        f"{label}: note: 2 blank row(s) skipped",
        f"{label}: spent_yuan: note: approximate (约, 余, +) read as the number written: 1 "
        "value(s), rows 8",
        f"{label}:1: note: title line above the header kept as a note: "
        "XX街道2024年度自治金项目汇总表",
        f"{label}:2: note: title line above the header kept as a note: "
        "填报单位：XX社区    填报日期：2024年6月30日",
        f"{label}:3: note: two-row header read as one: 资金情况（元）/种子资金 → 种子资金（元）; "
        "资金情况（元）/已使用 → 已使用（元）",
        f"{label}:3: 序号: note: row-number column left out",
        f"{label}:3: 开始日期: warning: unknown column kept as it is",
        f"{label}:9: note: totals row '合计' left out of the data; agrees with the rows on "
        "grant_yuan, spent_yuan",
        f"{label}:11: note: note under the table kept: 备注：金额单位为元",
        f"{label}:12: note: note under the table kept: 制表人：张三    审核人：李四",
    ]


def test_dates_serial_month_and_cells(tmp_path):
    (tmp_path / "rounds.csv").write_text(
        "programme_id,round,year,call_date,start_date,end_date\n"
        "wf,1,2022,44743,2022年7月,2022.7\n"
        "wf,2,2023,2023-07,2023/8/1,\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    rounds = data.rounds
    assert list(rounds.call_date) == [pd.Timestamp("2022-07-01"), pd.Timestamp("2023-07-01")]
    assert list(rounds.start_date) == [pd.Timestamp("2022-07-01"), pd.Timestamp("2023-08-01")]
    assert rounds.end_date.iloc[0] == pd.Timestamp("2022-07-01")
    notes = [str(n) for n in data.notes]
    assert (
        "rounds.csv: call_date: note: Excel serial numbers read as dates: 1 value(s), rows 2"
        in notes
    )
    assert (
        "rounds.csv: call_date: note: a month only: read as the first day of the month: 1 "
        "value(s), rows 3" in notes
    )


@pytest.mark.parametrize(
    "written, number", [("100", 100), ("100人", 100), ("约100人", 100), ("100余人", 100),
                        ("100+", 100), ("100人次", 100), ('"1,200人次"', 1200)]
)  # fmt: skip
def test_counts_as_offices_write_them(tmp_path, written, number):
    (tmp_path / "projects.csv").write_text(
        f"project_id,programme_id,round,stage,team_size\nP1,wf,1,idea,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).projects.team_size.iloc[0] == number


@pytest.mark.parametrize("written", ["无", "/", "—", "——", "-", ""])
def test_money_written_as_none_is_blank(tmp_path, written):
    (tmp_path / "projects.csv").write_text(
        f"project_id,programme_id,round,stage,grant_yuan\nP1,wf,1,idea,{written}\n", "utf-8"
    )
    assert pd.isna(impact.load(tmp_path).projects.grant_yuan.iloc[0])


def test_totals_mismatch_is_a_warning_naming_both_figures(tmp_path):
    (tmp_path / "项目.csv").write_text(
        "项目编号,计划编号,届次,阶段,种子资金\n"
        "P1,wf,1,结项,5000\nP2,wf,1,结项,3000\n小计,,,,8000\n"
        "P3,wf,1,结项,2000\n小计,,,,2500\n合计,,,,11000\n",
        "utf-8",
    )
    data = impact.load(tmp_path, strict=False)
    assert list(data.projects.project_id) == ["P1", "P2", "P3"]
    assert [str(w) for w in data.warnings] == [
        "项目.csv:6: grant_yuan: warning: the totals row gives 2,500.00 but the rows it totals "
        "sum to 2,000.00 (2500)",
        "项目.csv:7: grant_yuan: warning: the totals row gives 11,000.00 but the rows it totals "
        "sum to 10,000.00 (11000)",
    ]
    assert (
        "项目.csv:4: note: totals row '小计' left out of the data; agrees with the rows on "
        "grant_yuan" in [str(n) for n in data.notes]
    )


@pytest.mark.parametrize(
    "label",
    [
        "合计",
        "总计",
        "小计",
        "合 计",
        "合计：",
        "共25个",
        "示范类8个，品牌类21个",
        "Total",
        "示范类小计",
        "小计（品牌类）",
    ],  # fmt: skip
)
def test_totals_labels(label):
    assert is_totals_label(label)


@pytest.mark.parametrize(
    "label", ["社区花园", "P001", "3个社区的花园", "2024", "合计划生育宣传", "小计划"]
)
def test_not_totals_labels(label):
    assert not is_totals_label(label)


def test_not_strict_never_turns_a_totals_row_into_data(tmp_path):
    _book(
        tmp_path / "book.xlsx",
        {
            "项目": (
                [
                    HEADER + ["种子资金"],
                    ["P1", "wf", 1, "结项", 100],
                    ["共1个", None, None, None, 100],
                ],
                [],
            )
        },
    )
    data = impact.load(tmp_path / "book.xlsx", strict=False)
    assert list(data.projects.project_id) == ["P1"]


def test_count_in_totals_row_is_checked(tmp_path):
    (tmp_path / "项目.csv").write_text(
        "项目编号,计划编号,届次,阶段\nP1,wf,1,结项\nP2,wf,1,结项\n共3个,,,\n", "utf-8"
    )
    warnings = _messages(tmp_path, "warning")
    assert warnings == [
        "项目.csv:4: warning: the totals row counts 3 but 2 rows precede it (共3个)"
    ]


def test_blank_rows_and_columns_in_the_middle(tmp_path):
    _book(
        tmp_path / "book.xlsx",
        {
            "projects": (
                [
                    [None, *HEADER],
                    [],
                    [None, "P1", "wf", 1, "idea"],
                    [None, None, None, None, None],
                    [None, "P2", "wf", 1, "idea"],
                ],
                [],
            )
        },
    )
    data = impact.load(tmp_path / "book.xlsx")
    assert list(data.projects.columns) == ["project_id", "programme_id", "round", "stage"]
    assert list(data.projects.project_id) == ["P1", "P2"]


def test_row_numbers_skip_left_out_rows(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "汇总表,,,\nproject_id,programme_id,round,stage\nP1,wf,1,idea\n,,,\nP2,wf,x,idea\n",
        "utf-8",
    )
    errors = _messages(tmp_path, "error")
    assert errors == ["projects.csv:5: round: not a number (x)"]


def test_sheet_table_found_by_headers_and_instructions_left_out(tmp_path):
    _book(
        tmp_path / "book.xlsx",
        {
            "填表说明": ([["1. 每行一个项目"]], []),
            "Sheet1": ([HEADER, ["P1", "wf", 1, "结项"]], []),
        },
    )
    data = impact.load(tmp_path / "book.xlsx")
    assert list(data.projects.stage) == ["completed"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_title_row_totals_and_notes_in_gbk_and_bom_csv_with_crlf(tmp_path, encoding):
    text = (
        "里水镇第4届微创投大赛项目汇总表,,,,\r\n"
        "项目编号,计划编号,届次,阶段,种子资金（元）\r\n"
        'L1,lishui,4,结项,"8,000"\r\n'
        "L2,lishui,4,未立项,无\r\n"
        "合计,,,,8000\r\n"
        ",,,,\r\n"
        "备注：金额单位为元,,,,\r\n"
    )
    (tmp_path / "项目.csv").write_bytes(text.encode(encoding))
    data = impact.load(tmp_path)
    assert data.projects.values.tolist()[0] == ["L1", "lishui", 4, "completed", 8000.0]
    assert list(data.projects.stage) == ["completed", "shortlisted"]
    assert data.warnings == ()
    assert [str(n) for n in data.notes][-2:] == [
        "项目.csv:5: note: totals row '合计' left out of the data; agrees with the rows on "
        "grant_yuan",
        "项目.csv:7: note: note under the table kept: 备注：金额单位为元",
    ]


def test_rows_after_a_skipped_row_keep_their_numbers(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "project_id,programme_id,round,stage\nP1,d,1,idea\nP2,d,1,idea,extra\nP3,d,x,idea\n",
        "utf-8",
    )
    assert _messages(tmp_path, "error") == [
        "projects.csv:3: row has 5 fields, header has 4; row skipped (P2,d,1,idea,extra)",
        "projects.csv:4: round: not a number (x)",
    ]


def test_a_heading_row_inside_a_sheet_is_a_note(tmp_path):
    rows = [HEADER, ["一、示范类项目"], ["P1", "wf", 1, "结项"], [None, "二、品牌类项目"],
            ["P2", "wf", 1, "结项"]]  # fmt: skip
    _book(tmp_path / "book.xlsx", {"projects": (rows, [])})
    data = impact.load(tmp_path / "book.xlsx")
    assert list(data.projects.project_id) == ["P1", "P2"]
    assert [str(n) for n in data.notes] == [
        "book.xlsx[projects]:2: note: heading inside the table kept as a note: 一、示范类项目",
        "book.xlsx[projects]:4: note: heading inside the table kept as a note: 二、品牌类项目",
    ]


@pytest.mark.parametrize("trailing", [",,,", ""])
def test_a_heading_row_inside_a_csv_is_a_note(tmp_path, trailing):
    (tmp_path / "projects.csv").write_text(
        "project_id,programme_id,round,stage\n"
        f"一、示范类项目{trailing}\nP1,wf,1,结项\n二、品牌类项目{trailing}\nP2,wf,x,结项\n",
        "utf-8",
    )
    issues = [str(i) for i in impact.validate(tmp_path)]
    assert issues == [
        "projects.csv:2: note: heading inside the table kept as a note: 一、示范类项目",
        "projects.csv:4: note: heading inside the table kept as a note: 二、品牌类项目",
        "projects.csv:5: round: not a number (x)",
    ]


def test_an_identifier_alone_is_a_row_with_missing_values(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "project_id,programme_id,round,stage\nP1,wf,1,idea\nP2,,,\n", "utf-8"
    )
    assert [str(i) for i in impact.validate(tmp_path)] == [
        "projects.csv:3: programme_id: required value missing",
        "projects.csv:3: round: required value missing",
        "projects.csv:3: stage: required value missing",
    ]
