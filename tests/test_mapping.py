"""The user's mapping file (impact-mapping.yaml), Chinese codes and their negations, and the
indicator catalogue."""

import openpyxl
import pandas as pd
import pytest

import impact
from impact.cli import main
from impact.indicators import CATALOGUE, catalogue_table, indicator_code
from impact.schema import PROJECTS, category_map, normalise_label

BASE = "项目编号,计划编号,届次,阶段"


def _write(folder, text, mapping=None):
    (folder / "项目.csv").write_text(text, "utf-8")
    if mapping is not None:
        (folder / "impact-mapping.yaml").write_text(mapping, "utf-8")


def test_unmatched_header_named_when_a_required_column_is_missing(tmp_path, capsys):
    _write(tmp_path, "项目编号,计划编号,届次,项目进展情况\nP1,wf,1,结项\n")
    assert main(["validate", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert (
        "项目.csv:1: stage: required column missing; the header '项目进展情况' may be it: add a "
        "line to impact-mapping.yaml (under projects: headers:)" in out
    )
    assert f"Suggested lines for {tmp_path / 'impact-mapping.yaml'}" in out
    assert "projects:\n  headers:\n    项目进展情况: stage" in out


def test_header_resembling_an_absent_column_is_an_error(tmp_path):
    # 资助金额 inside, with a word (使用: spent) that makes it other money than the grant
    _write(tmp_path, BASE + ",已使用资助金额（元）\nP1,wf,1,结项,5000\n")
    (issue,) = impact.validate(tmp_path)
    assert str(issue) == (
        "项目.csv:1: 已使用资助金额（元）: not a known header, and the table has no 'grant_yuan' "
        "column: if it holds grant_yuan, add a line to impact-mapping.yaml (under projects: "
        "headers:); if not, map it to `keep`"
    )


def test_a_header_qualifying_the_grant_is_read_as_the_grant_with_a_note(tmp_path):
    _write(tmp_path, BASE + ",资助金额合计（元）\nP1,wf,1,结项,5000\n")
    (issue,) = impact.validate(tmp_path)
    assert str(issue) == (
        "项目.csv:1: 资助金额合计（元）: note: read as 'grant_yuan': the header holds its name "
        "'资助金额' with words around it; map it in impact-mapping.yaml if that is wrong"
    )
    assert impact.load(tmp_path).projects["grant_yuan"].tolist() == [5000.0]


def test_mapping_file_maps_headers_codes_and_values(tmp_path):
    _write(
        tmp_path,
        "序号,项目进展情况,资助金额合计（元）,说明\n1,已评审,5000,x\n2,结项,3000,y\n",
        "projects:\n"
        "  headers:\n"
        "    序号: project_id\n"
        "    项目进展情况: stage\n"
        "    资助金额合计（元）: grant_yuan\n"
        "    说明: keep\n"
        "  codes:\n"
        "    stage:\n"
        "      已评审: approved\n"
        "  values:\n"
        "    programme_id: weifang\n"
        "    round: 2024\n",
    )
    data = impact.load(tmp_path)
    projects = data.projects
    assert list(projects.project_id) == ["1", "2"]
    assert list(projects.stage) == ["approved", "completed"]
    assert list(projects.grant_yuan) == [5000.0, 3000.0]
    assert list(projects.programme_id) == ["weifang", "weifang"]
    assert list(projects["round"]) == [2024, 2024]
    assert list(projects["说明"]) == ["x", "y"]
    assert data.warnings == ()


def test_mapping_file_mistakes_are_reported(tmp_path):
    _write(
        tmp_path,
        BASE + "\nP1,wf,1,结项\n",
        "projects:\n  headers:\n    编号: grant\n  codes:\n    stage:\n      评审中: reviewing\n"
        "nonsense: 1\n",
    )
    messages = [str(i) for i in impact.validate(tmp_path)]
    assert messages[:3] == [
        "impact-mapping.yaml: projects.headers: '编号': 'grant' is not one of "
        + ", ".join((*PROJECTS.names, "keep")),
        "impact-mapping.yaml: projects.codes.stage: '评审中': 'reviewing' is not one of "
        "idea, shortlisted, approved, signed, completed, withdrawn",
        "impact-mapping.yaml: nonsense: not a table or `tables`; tables are "
        + ", ".join(impact.schema.TABLES),
    ]


def test_mapping_file_is_read_safely(tmp_path):
    _write(tmp_path, BASE + "\nP1,wf,1,结项\n", "projects: !!python/object/apply:os.system [x]\n")
    (issue,) = impact.validate(tmp_path)
    assert issue.file == "impact-mapping.yaml"
    assert issue.message.startswith("cannot read the mapping file: ")


def test_mapping_file_names_sheets(tmp_path):
    _write(tmp_path, BASE + "\nP1,wf,1,结项\n")
    (tmp_path / "项目.csv").rename(tmp_path / "汇总.csv")
    (tmp_path / "汇总.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / "impact-mapping.yaml").write_text("tables:\n  汇总: projects\n", "utf-8")
    messages = [str(i) for i in impact.validate(tmp_path)]
    assert "汇总.csv:1: project_id: required column missing" in messages[0]


@pytest.mark.parametrize(
    "written, code",
    [
        ("提案", "idea"),
        ("入围", "shortlisted"),
        ("立项", "approved"),
        ("已立项", "approved"),
        ("签约", "signed"),
        ("实施中", "signed"),
        ("中期", "signed"),
        ("结项", "completed"),
        ("终止", "withdrawn"),
        ("撤回", "withdrawn"),
        # a stage not reached: the project stopped at the stage before it
        ("未入围", "idea"),
        ("未立项", "shortlisted"),
        ("未通过", "shortlisted"),
        ("不予立项", None),
        ("未签约", "approved"),
        ("未结项", "signed"),
    ],
)
def test_stage_codes_and_negations(written, code):
    assert category_map(PROJECTS.column("stage")).get(normalise_label(written)) == code


@pytest.mark.parametrize(
    "column, written, code",
    [
        ("tier", "示范类", "demonstration"),
        ("tier", "品牌类", "brand"),
        ("tier", "育苗类", "seedling"),
        ("applicant_type", "居委会", "committee"),
        ("applicant_type", "村委会", "committee"),
        ("applicant_type", "社会组织", "social_organisation"),
        ("applicant_type", "社工机构", "service_agency"),
        ("applicant_type", "志愿服务队", "volunteer_team"),
        ("applicant_type", "居民自组织", "resident_group"),
        ("applicant_type", "企业", "business"),
        ("application_type", "非配比", "standard"),
    ],
)
def test_chinese_codes(column, written, code):
    assert category_map(PROJECTS.column(column))[normalise_label(written)] == code


@pytest.mark.parametrize("written", ["未签约", "未立项", "未通过", "不签约", "非签约"])
def test_a_negation_is_never_suggested_as_its_opposite(tmp_path, written):
    _write(tmp_path, BASE + f"\nP1,wf,1,{written}\nP2,wf,1,撤回了\n")
    messages = " ".join(str(i) for i in impact.validate(tmp_path))
    denied = {"未签约": "signed", "未立项": "approved", "未通过": "approved"}.get(written)
    assert f"did you mean '{denied}'" not in messages


def test_unmapped_negation_says_what_it_denies(tmp_path):
    _write(tmp_path, BASE + "\nP1,wf,1,没有撤回\n")
    (issue,) = impact.validate(tmp_path)
    assert issue.message.startswith(
        "not an allowed value; a negation of 'withdrawn' with no code of its own: map it in "
        "impact-mapping.yaml (codes:)"
    )


@pytest.mark.parametrize(
    "written, code",
    [
        ("活动场次", "activities"),
        ("活动场次（场）", "activities"),
        ("服务居民人次", "residents_served"),
        ("覆盖人群人次", "residents_served"),
        ("志愿者人次", "volunteer_person_times"),
        ("骨干人数", "core_team"),
        ("解决微事件", "issues_solved"),
        ("宣传推文", "posts"),
        ("阅读量", "reads"),
        ("就业人数", "jobs"),
        ("创业人数", "businesses_started"),
        ("入户走访次数", None),
    ],
)
def test_indicator_names(written, code):
    assert indicator_code(written) == code


def test_catalogue_entries_are_complete():
    table = catalogue_table()
    assert table.code.is_unique
    assert set(table.direction) <= {"higher", "lower"}
    assert not (table[["code", "zh", "en", "unit"]] == "").any().any()
    names = [normalise_label(n) for i in CATALOGUE for n in (i.zh, *i.aliases)]
    assert len(names) == len(set(names)), "a name must mean one indicator"


def test_indicators_by_their_own_names(tmp_path):
    (tmp_path / "indicators.csv").write_text(
        "项目编号,指标名称,阶段,数值\nP1,活动场次（场）,结项,3\nP1,入户走访次数,计划,5\n"
        "P1,覆盖人群人次,结项,约100人次\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    assert list(data.indicators.indicator) == ["activities", "入户走访次数", "residents_served"]
    assert list(data.indicators.value) == [3.0, 5.0, 100.0]
    assert (
        "indicators.csv: indicator: note: not in the indicator catalogue, kept under their own "
        "names: 入户走访次数" in [str(n) for n in data.notes]
    )


def test_indicator_names_from_the_mapping_file(tmp_path):
    (tmp_path / "indicators.csv").write_text(
        "project_id,indicator,period,value\nP1,入户走访次数,final,5\n", "utf-8"
    )
    (tmp_path / "impact-mapping.yaml").write_text(
        "indicators:\n  names:\n    入户走访次数: home_visits\n", "utf-8"
    )
    assert list(impact.load(tmp_path).indicators.indicator) == ["home_visits"]


def test_indicator_columns_of_a_project_sheet(tmp_path):
    _write(tmp_path, BASE + ",服务居民人次,活动场次\nP1,wf,1,结项,约200人次,3\n")
    data = impact.load(tmp_path)
    assert data.projects.residents_served.iloc[0] == 200
    assert data.projects.activities.iloc[0] == 3
    assert data.warnings == ()
    assert pd.api.types.is_float_dtype(data.projects.activities)


def test_round_in_the_title_is_suggested(tmp_path, capsys):
    (tmp_path / "项目.csv").write_text(
        "里水镇第4届微创投大赛项目汇总表,,\n项目编号,计划编号,阶段\nP1,lishui,结项\n", "utf-8"
    )
    assert main(["validate", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert (
        "项目.csv:2: round: required column missing (write one of: round, 届次, 届, 轮次); "
        "or give one value for every row under `projects: values:` in impact-mapping.yaml" in out
    )
    assert out.endswith("projects:\n  values:\n    round: 4\n")


def test_wide_indicator_sheet_with_plan_and_final(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标完成情况"
    sheet.append(["项目编号", "计划", None, "结项", None])
    sheet.append([None, "活动场次", "服务居民人次", "活动场次", "服务居民人次"])
    sheet.append(["P1", 4, 300, 3, "约280人次"])
    sheet.append(["P2", 2, 100, None, None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:E1")
    book.save(tmp_path / "book.xlsx")
    indicators = impact.load(tmp_path / "book.xlsx").indicators
    assert indicators.values.tolist() == [
        ["P1", "activities", "plan", 4.0],
        ["P1", "residents_served", "plan", 300.0],
        ["P1", "activities", "final", 3.0],
        ["P1", "residents_served", "final", 280.0],
        ["P2", "activities", "plan", 2.0],
        ["P2", "residents_served", "plan", 100.0],
    ]


def test_a_description_of_money_stays_a_warning(tmp_path):
    _write(tmp_path, BASE + ",资金使用情况说明\nP1,wf,1,结项,买花种\n")
    (issue,) = impact.validate(tmp_path)
    assert str(issue) == (
        "项目.csv:1: 资金使用情况说明: warning: unknown column kept as it is; did you mean "
        "'spent_yuan'?"
    )
