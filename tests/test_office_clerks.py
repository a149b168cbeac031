"""Spreadsheets typed up the way other clerks type them: indicator sheets with one period
group, CSV cells holding line breaks, other header wordings, units, 万 in cells, round
names in Chinese numerals, 是/否 and √/×, notes columns, two tables on a sheet, a sheet per
round. Every file is written here by openpyxl or by hand; the expected values are written
out from the rows as typed, and messages are asserted exactly."""

import openpyxl
import pytest

import impact

PROJECT_ROWS = [
    ["项目编号", "计划编号", "届次", "项目名称", "项目状态"],
    ["P1", "x", 1, "花园", "结项"],
    ["P2", "x", 1, "楼道", "结项"],
]


def _book(path, sheets):
    """Write a workbook: ``sheets`` maps a sheet name to (rows, merged ranges)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merges:
            sheet.merge_cells(cells)
    book.save(path)
    return path


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
    warnings = [str(i) for i in impact.validate(tmp_path) if i.severity == "warning"]
    assert "b.xlsx[指标]:1: 备注: warning: unknown column kept as it is" in warnings


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
