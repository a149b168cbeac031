"""The next clerks (issue 20): rosters of people, code words as offices write them,
traditional characters, headers that qualify a known name, breakdown rows, suggestions that
never corrupt, and rounds named with their year. Every file is typed here as a clerk would
type it (GBK CSV from Excel, WPS workbooks with title rows); expected values are written out
from the rows as typed, and messages are asserted exactly."""

import pytest

import impact
from impact.cli import main
from impact.dataset import community_round_counts, people_counts, round_labels

from .workbooks import write_book as _book

PROJECTS = "项目编号,计划编号,届次,项目名称,所属社区,项目状态,资助金额（元）\n"


def _csv(path, rows, encoding="gb18030"):
    """A CSV as Excel on a Chinese Windows machine saves it: GBK, CRLF."""
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return path


def _messages(path, severity=None):
    return [str(i) for i in impact.validate(path) if severity is None or i.severity == severity]


def _not_notes(path):
    return [str(i) for i in impact.validate(path) if i.severity != "note"]


# --------------------------------------------------------------------------- rosters


def _incubator(folder):
    _csv(folder / "计划.csv", ["计划编号,计划名称,计划类型", "lg,V创空间,孵化器"])
    _csv(
        folder / "届次.csv",
        ["计划编号,届次,年度,征集日期,结项日期", "lg,1,2019,2019-07-01,2019-12-31"],
    )
    _csv(
        folder / "项目汇总表.csv",
        [
            "项目编号,计划编号,届次,项目名称,所属社区,项目状态,资助资金（元）",
            "V1,lg,1,邻里菜园,荷坳社区,实施中,1000",
            "V2,lg,1,禁止高空抛物,平南社区,实施中,1500",
        ],
    )


def test_a_roster_of_people_is_its_own_table_not_a_second_project_list(tmp_path):
    _incubator(tmp_path)
    _csv(
        tmp_path / "社区能人名册.csv",
        [
            "龙岗区V创空间社区能人名册,,,,,,",
            "编号,姓名,性别,所属社区,类别,是否带领项目,带领项目",
            "R01,陈大姐,女,荷坳社区,突出领袖,是,邻里菜园",
            "R02,李伯,男,荷坳社区,热心居民,否,",
            "R03,王姨,女,平南社区,突出领袖,是,V2",
            "R04,赵哥,男,平南社区,热心居民,否,",
            "R05,孙妹,女,平南社区,热心居民,否,",
        ],
    )
    data = impact.load(tmp_path)
    assert len(data.projects) == 2  # the roster is not a second project list
    people = data.people
    assert people["person_id"].tolist() == ["R01", "R02", "R03", "R04", "R05"]
    assert people["role"].tolist() == [
        "leader",
        "active_resident",
        "leader",
        "active_resident",
        "active_resident",
    ]
    assert people["gender"].tolist() == ["female", "male", "female", "male", "female"]
    # the project written by its title is read as its identifier
    assert people["project_id"].fillna("").tolist() == ["V1", "", "V2", "", ""]
    # one programme and one round: every person takes them
    assert people[["programme_id", "round"]].drop_duplicates().values.tolist() == [["lg", 1]]
    counts = people_counts(data).set_index("community_id")
    assert counts.loc["荷坳社区", ["leaders", "active_residents", "people"]].tolist() == [1, 1, 2]
    assert counts.loc["平南社区", ["leaders", "active_residents", "people"]].tolist() == [1, 2, 3]
    assert counts["leading_projects"].to_dict() == {"平南社区": 1, "荷坳社区": 1}
    assert _not_notes(tmp_path) == []
    assert (
        "社区能人名册.csv: project_id: note: 1 project(s) written by title read as their "
        "identifiers in 项目汇总表.csv" in _messages(tmp_path)
    )


def test_roster_counts_are_checked_against_the_counts_per_community(tmp_path):
    _incubator(tmp_path)
    _csv(
        tmp_path / "社区培育情况.csv",
        ["计划编号,届次,试点社区,热心居民,突出领袖", "lg,1,荷坳社区,1,2", "lg,1,平南社区,2,1"],
    )
    _csv(
        tmp_path / "志愿者名册.csv",
        [
            "姓名,所属社区,身份",
            "陈大姐,荷坳社区,社区领袖",
            "李伯,荷坳社区,热心居民",
            "王姨,平南社区,领袖",
            "赵哥,平南社区,热心居民",
            "孙妹,平南社区,积极分子",
        ],
    )
    assert _not_notes(tmp_path) == [
        "社区培育情况.csv:2: leaders: warning: the roster 志愿者名册.csv lists 1 leader row(s) "
        "for this community and round (2)"
    ]
    merged = community_round_counts(impact.load(tmp_path)).set_index("community_id")
    assert merged.loc["荷坳社区", ["leaders", "active_residents"]].tolist() == [2, 1]
    assert set(merged.people_source) == {"community_rounds"}


def test_a_roster_alone_gives_the_counts_per_community_and_round(tmp_path):
    _incubator(tmp_path)
    (tmp_path / "届次.csv").unlink()
    _csv(
        tmp_path / "届次.csv",
        [
            "计划编号,届次,年度,征集日期,结项日期",
            "lg,1,2019,2019-07-01,2019-12-31",
            "lg,2,2020,2020-03-01,2020-12-31",
        ],
    )
    _book(
        tmp_path / "人员.xlsx",
        {
            "2020年领袖名册": (
                [
                    ["姓名", "社区", "类型", "认定日期"],
                    ["甲", "荷坳社区", "突出领袖", "2019年9月"],
                    ["乙", "荷坳社区", "突出领袖", "2020-05-01"],
                    ["丙", "平南社区", "热心居民", None],
                ],
                [],
            )
        },
    )
    data = impact.load(tmp_path)
    assert data.people["round"].astype("Int64").tolist()[:2] == [1, 2]
    assert data.people["round"].isna().tolist() == [False, False, True]
    merged = community_round_counts(data)
    rows = merged[["round", "community_id", "leaders", "people_source"]].astype(object)
    assert rows.dropna().values.tolist() == [
        [1, "荷坳社区", 1, "roster"],
        [2, "荷坳社区", 1, "roster"],
    ]
    assert (
        "人员.xlsx[2020年领袖名册]: round: note: 2 blank round(s) read from the date: the round "
        "whose dates or year hold it" in _messages(tmp_path)
    )


def test_a_roster_s_own_words_for_people_are_kept_and_counted_as_other(tmp_path):
    _incubator(tmp_path)
    _csv(
        tmp_path / "志愿者名册.csv",
        [
            "姓名,所属社区,类别",
            "甲,荷坳社区,突出领袖",
            "乙,荷坳社区,文体达人",
            "丙,平南社区,楼栋长",
        ],
    )
    assert _not_notes(tmp_path) == [
        "志愿者名册.csv:1: role: warning: 2 person(s) listed under a word that is no role of the "
        "data model, read as 'other' (words kept in role_as_written): 文体达人, 楼栋长; map them "
        "in impact-mapping.yaml (people: codes: role:) if they are leaders, active residents, "
        "core members, volunteers, partners or party members"
    ]
    data = impact.load(tmp_path)
    assert data.people[["role", "role_as_written"]].values.tolist() == [
        ["leader", "突出领袖"],
        ["other", "文体达人"],
        ["other", "楼栋长"],
    ]
    counts = people_counts(data, by=("community_id",)).set_index("community_id")
    assert counts[["leaders", "others", "people"]].values.tolist() == [[0, 1, 1], [1, 1, 2]]
    # two roles in one word is refused, naming both
    _csv(tmp_path / "志愿者名册.csv", ["姓名,所属社区,类别", "丁,荷坳社区,骨干能人"])
    assert _messages(tmp_path, "error") == [
        "志愿者名册.csv:2: role: not an allowed value; it could be 'active_resident' or "
        "'core_member': map it in impact-mapping.yaml (codes:); allowed: leader, "
        "active_resident, core_member, volunteer, partner, party_member, other (骨干能人)"
    ]


def test_a_sheet_whose_headers_fit_no_table_is_left_aside_with_a_warning(tmp_path):
    _incubator(tmp_path)
    _book(
        tmp_path / "工作台账.xlsx",
        {
            "评审打分": (
                [
                    ["编号", "项目名称", "所属社区", "评委一", "评委二", "评委三", "评委四",
                     "总分", "排名", "评审意见"],
                    ["V1", "邻里菜园", "荷坳社区", 85, 90, 88, 86, 349, 1, "好"],
                ],
                [],
            )
        },
    )  # fmt: skip
    data = impact.load(tmp_path)
    assert data.projects["project_id"].tolist() == ["V1", "V2"]
    assert _not_notes(tmp_path) == [
        "工作台账.xlsx[评审打分]: warning: skipped: its headers fit no table well ('projects' "
        "and 'people' know 3 of 10); left aside: if it holds a table, name it under `tables:` "
        "in impact-mapping.yaml"
    ]


def test_a_look_alike_beside_the_project_list_is_left_aside_not_an_error(tmp_path):
    _incubator(tmp_path)
    _csv(
        tmp_path / "项目评审结果.csv",
        [
            "项目编号,项目名称,所属社区,评审结果",
            "V1,邻里菜园,荷坳社区,立项",
            "V2,禁止高空抛物,平南社区,立项",
        ],
    )
    data = impact.load(tmp_path)
    assert data.projects["grant_yuan"].tolist() == [1000.0, 1500.0]
    assert _not_notes(tmp_path) == [
        "项目评审结果.csv: warning: skipped: its headers look like table 'projects', but "
        "项目汇总表.csv holds that table, with the columns this one lacks (stage): left aside; "
        "if it holds another table, name it under `tables:` in impact-mapping.yaml"
    ]


# --------------------------------------------------------------------------- code words


def test_partner_types_with_a_suffix_and_statuses_as_offices_write_them(tmp_path):
    rows = [
        "港湾街道社区合伙人台账,,,,,",
        "合伙人编号,计划,届次,合伙人名称,合伙人类型,项目状态",
        "GW01,gw,2024年,海湾烘焙坊,商户型,已签约",
        "GW02,gw,2024年,义剪队,团队型,已結項",
        "GW03,gw,2024年,张阿姨,个人型,未结项",
        "GW04,gw,2024年,南北台书屋,ＴＥＡＭ,延续",
        "GW05,gw,2024年,海湾茶社,商家合伙人,终止",
        "GW06,gw,2024年,小花园,团队的,结项（优秀）",
    ]
    _csv(tmp_path / "项目台账.csv", rows)
    data = impact.load(tmp_path)
    assert data.projects["partner_type"].tolist() == [
        "business",
        "team",
        "individual",
        "team",
        "business",
        "team",
    ]
    assert data.projects["stage"].tolist() == [
        "signed",
        "completed",
        "signed",
        "signed",
        "withdrawn",
        "completed",
    ]
    assert (
        "项目台账.csv: partner_type: note: codes read by their stem or the code word in them: "
        "商户型 → business; 团队型 → team; 个人型 → individual; 团队的 → team: 4 value(s), "
        "rows 3, 4, 5, 8" in _messages(tmp_path)
    )


def test_a_negation_or_two_codes_in_one_value_are_refused_with_the_candidates(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,项目层级,项目状态\n"
        "P1,x,1,非示范类,结项\nP2,x,1,示范品牌类,结项\nP3,x,1,示范类,签约后退出\n",
        "utf-8",
    )
    errors = _messages(tmp_path, "error")
    assert errors == [
        "projects.csv:2: tier: not an allowed value; a negation of 'demonstration' with no "
        "code of its own: map it in impact-mapping.yaml (codes:); allowed: demonstration, "
        "brand, seedling (非示范类)",
        "projects.csv:3: tier: not an allowed value; it could be 'brand' or 'demonstration': "
        "map it in impact-mapping.yaml (codes:); allowed: demonstration, brand, seedling "
        "(示范品牌类)",
        "projects.csv:4: stage: not an allowed value; it could be 'signed' or 'withdrawn': map "
        "it in impact-mapping.yaml (codes:); allowed: idea, shortlisted, approved, signed, "
        "completed, withdrawn (签约后退出)",
    ]
    # nothing is offered for a value several codes fit, nor for a negation
    assert not [i.suggestion for i in impact.validate(tmp_path) if i.suggestion]


@pytest.mark.parametrize(
    "written, stage",
    [("done", "completed"), ("finished", "completed"), ("Not approved", "shortlisted")],
)
def test_english_stages_and_negations(tmp_path, written, stage):
    (tmp_path / "projects.csv").write_text(
        f"Project ID,Programme,Round,Stage\nP1,x,1,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).projects["stage"].tolist() == [stage]


def test_a_suggested_code_never_says_the_opposite(tmp_path, capsys):
    (tmp_path / "projects.csv").write_text(
        "Project ID,Programme,Round,Stage\nP1,x,1,reviewing\nP2,x,1,finsihed\n", "utf-8"
    )
    assert main(["validate", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "projects.csv:2: stage: not an allowed value; allowed:" in out
    assert "projects.csv:3: stage: not an allowed value; did you mean 'completed'?" in out
    block = out.split("Suggested lines")[1]
    assert "finsihed: completed" in block and "reviewing" not in block and "idea" not in block


# --------------------------------------------------------------------------- traditional


def test_a_partner_sheet_in_traditional_characters_reads_like_simplified(tmp_path):
    header = [
        "序號",
        "項目編號",
        "計劃編號",
        "項目名稱",
        "所屬社區",
        "項目狀態",
        "資助金額（萬元）",
    ]
    sheets = {
        "第六届": (
            [
                [
                    "序号",
                    "项目编号",
                    "计划编号",
                    "项目名称",
                    "所属社区",
                    "项目状态",
                    "资助金额（万元）",
                ],
                [1, "P601", "sz", "长者饭堂", "海湾社区", "已签约", 0.5],
            ],
            [],
        ),
        "第七屆": (
            [
                ["深圳市第七屆社區公益創投項目匯總表"],
                header,
                [1, "P701", "sz", "長者飯堂", "海灣社區", "已簽約", 0.8],
                [2, "P702", "sz", "青少年書屋", "南北臺社區", "已結項", "1.2萬"],
                ["合計", None, None, None, None, None, 2.0],
            ],
            ["A1:G1"],
        ),
    }
    _book(tmp_path / "公益創投.xlsx", sheets)
    data = impact.load(tmp_path)
    projects = data.projects
    assert projects["project_id"].tolist() == ["P601", "P701", "P702"]
    assert projects["round"].tolist() == [6, 7, 7]  # 第七屆 is round 7
    assert projects["title"].tolist() == ["长者饭堂", "长者饭堂", "青少年书屋"]
    assert projects["community_id"].tolist() == ["海湾社区", "海湾社区", "南北台社区"]
    assert projects["stage"].tolist() == ["signed", "signed", "completed"]
    assert projects["grant_yuan"].tolist() == [5000.0, 8000.0, 12000.0]
    assert _not_notes(tmp_path) == []
    assert (
        "公益創投.xlsx[第七屆]: note: written in traditional characters: read as simplified "
        "(OpenCC t2s), its name, headers and 16 text cell(s) converted" in _messages(tmp_path)
    )
    assert "公益創投.xlsx[第六届]: note: written in traditional" not in str(_messages(tmp_path))


@pytest.mark.parametrize("encoding", ["big5", "utf-8-sig", "gb18030"])
def test_a_csv_in_traditional_characters(tmp_path, encoding):
    rows = [
        "項目編號,計劃編號,屆次,項目名稱,項目狀態,資助金額",
        "T1,tw,第一屆,社區花園,已結項,2000",
        "T2,tw,第一屆,長者關懷,已簽約,3000",
        "合計,,,,,5000",
        "備註：金額單位為元",
    ]
    _csv(tmp_path / "項目.csv", rows, encoding=encoding)
    data = impact.load(tmp_path)
    assert data.projects[["project_id", "round", "stage"]].values.tolist() == [
        ["T1", 1, "completed"],
        ["T2", 1, "signed"],
    ]
    assert data.projects["title"].tolist() == ["社区花园", "长者关怀"]
    assert _not_notes(tmp_path) == []


# --------------------------------------------------------------------------- headers


def test_headers_that_qualify_a_known_name(tmp_path):
    rows = [
        "项目编号,计划编号,届次,项目名称,项目状态,本届资助金额（元）,执行团队骨干人数,上届项目编号",
        "P1,x,1,菜园,结项,2000,5,",
        "P2,x,2,菜园二期,结项,3000,6,P1",
    ]
    _csv(tmp_path / "项目.csv", rows)
    data = impact.load(tmp_path)
    projects = data.projects
    assert projects["grant_yuan"].tolist() == [2000.0, 3000.0]
    assert projects["team_size"].tolist() == [5, 6]
    assert projects["predecessor_id"].fillna("").tolist() == ["", "P1"]
    assert [m for m in _messages(tmp_path) if "words around it" in m] == [
        "项目.csv:1: 本届资助金额（元）: note: read as 'grant_yuan': the header holds its name "
        "'资助金额' with words around it; map it in impact-mapping.yaml if that is wrong",
        "项目.csv:1: 执行团队骨干人数: note: read as 'team_size': the header holds its name "
        "'骨干人数' with words around it; map it in impact-mapping.yaml if that is wrong",
        "项目.csv:1: 上届项目编号: note: read as 'predecessor_id': the header holds its name "
        "'项目编号' with words around it; map it in impact-mapping.yaml if that is wrong",
    ]


def test_a_header_holding_two_known_names_stays_unknown_and_says_which(tmp_path):
    _csv(
        tmp_path / "项目.csv",
        ["项目编号,计划编号,届次,项目状态,资助金额及自筹资金", "P1,x,1,结项,5000"],
    )
    assert _messages(tmp_path, "error") == [
        "项目.csv:1: 资助金额及自筹资金: holds the names of more than one column, '资助金额' "
        "(grant_yuan) and '自筹资金' (leveraged_yuan): kept under its own name; map it to the "
        "one it holds in impact-mapping.yaml (under projects: headers:), or to `keep`"
    ]


@pytest.mark.parametrize("unit", ["CNY", "RMB", "人民币", "元人民币"])
def test_cny_rmb_and_renminbi_are_yuan(tmp_path, unit):
    (tmp_path / "funding.csv").write_text(
        f'Project ID,Source,Amount ({unit})\nP1,donation,"2,000"\nP1,in_kind,300 {unit}\n',
        "utf-8",
    )
    assert impact.load(tmp_path).funding["amount_yuan"].tolist() == [2000.0, 300.0]


# --------------------------------------------------------------------------- breakdowns


def test_breakdown_rows_under_a_total_are_checked_against_it_only(tmp_path):
    rows = [
        ["2024年度自治金项目汇总表"],
        ["项目编号", "计划编号", "年度", "项目层级", "项目状态", "资助金额（元）",
         "自筹资金（元）"],
        ["W1", "wf", 2024, "示范类", "立项", "10,000", "2,000"],
        ["W2", "wf", 2024, "品牌类", "立项", "6,000", None],
        ["W3", "wf", 2024, "品牌类", "立项", "4,000", "1,000"],
        ["合计", None, None, None, None, "20,000", "3,000"],
        ["其中：示范类", None, None, None, None, "10,000", "2,000"],
        ["其中：品牌类", None, None, None, None, "10,000", "1,000"],
        [None],
        ["填表人：张三"],
    ]  # fmt: skip
    _book(tmp_path / "自治金.xlsx", {"项目汇总": (rows, ["A1:G1"])})
    data = impact.load(tmp_path)
    assert data.projects["grant_yuan"].tolist() == [10000.0, 6000.0, 4000.0]
    assert not data.warnings  # no false "totals disagree" for each 其中 row
    notes = [str(n) for n in data.notes if n.row in (6, 7, 8)]
    assert notes == [
        "自治金.xlsx[项目汇总]:6: note: totals row '合计' left out of the data; agrees with the "
        "rows on grant_yuan, leveraged_yuan",
        "自治金.xlsx[项目汇总]:7: note: breakdown row '其中：示范类' left out of the data: a "
        "part of row 6 ('合计'); within it on grant_yuan, leveraged_yuan",
        "自治金.xlsx[项目汇总]:8: note: breakdown row '其中：品牌类' left out of the data: a "
        "part of row 6 ('合计'); within it on grant_yuan, leveraged_yuan",
    ]


def test_breakdown_rows_that_exceed_what_they_break_down_are_a_warning(tmp_path):
    rows = [
        "项目编号,计划编号,届次,项目状态,资助金额,配比资金",
        "P1,x,1,结项,5000,3000",
        "含：企业捐赠,,,,,2000",
        "含：居民户捐,,,,,1500",
        "P2,x,1,结项,4000,",
        "合计,,,,9000,3000",
    ]
    _csv(tmp_path / "项目.csv", rows)
    assert _not_notes(tmp_path) == [
        "项目.csv:3: leveraged_yuan: warning: the breakdown rows under row 2 add up to "
        "3,500.00, more than the 3,000.00 that row gives"
    ]
    assert impact.load(tmp_path).projects["project_id"].tolist() == ["P1", "P2"]


# --------------------------------------------------------------------------- suggestions


def test_an_english_export_never_suggests_a_header_onto_a_matched_column(tmp_path, capsys):
    (tmp_path / "projects.csv").write_text(
        "Project ID,Project title,Programme,Round,Status,Grant (CNY),Projct leader\n"
        "P1,Garden,x,1,completed,2000,Ms Chen\n",
        "utf-8",
    )
    main(["validate", str(tmp_path)])
    out = capsys.readouterr().out
    data = impact.load(tmp_path)
    assert data.projects[["project_id", "title"]].values.tolist() == [["P1", "Garden"]]
    assert ": project_id" not in out.split("Suggested lines")[-1]
    assert ": title" not in out.split("Suggested lines")[-1]


def test_a_mapping_file_mapping_two_headers_onto_one_column_is_refused(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "编号,名目,计划编号,届次,阶段\n1,花园,x,1,结项\n", "utf-8"
    )
    (tmp_path / "impact-mapping.yaml").write_text(
        "projects:\n  headers:\n    编号: project_id\n    名目: project_id\n", "utf-8"
    )
    assert _messages(tmp_path, "error")[0] == (
        "impact-mapping.yaml: projects.headers: '编号' and '名目' are both mapped to "
        "'project_id': a column takes one header; map the other one to `keep` or to the "
        "column it holds"
    )
    with pytest.raises(impact.DataError):
        impact.load(tmp_path)


def test_a_mapping_line_giving_a_named_column_another_header_is_refused(tmp_path):
    # the corrupting suggestion of an earlier version, applied: titles would become keys
    (tmp_path / "projects.csv").write_text(
        "Project ID,Name of project,Programme,Round,Stage\nP1,Garden,x,1,completed\n", "utf-8"
    )
    (tmp_path / "impact-mapping.yaml").write_text(
        "projects:\n  headers:\n    Name of project: project_id\n", "utf-8"
    )
    assert _messages(tmp_path, "error") == [
        "projects.csv:1: Project ID: 'Name of project' is mapped to 'project_id' in "
        "impact-mapping.yaml, but 'Project ID' is a header for it too: a column takes one "
        "header; change that line, or map one of them to `keep`"
    ]


# --------------------------------------------------------------------------- strict=False


def test_loading_past_errors_keeps_every_problem_and_says_what_was_blanked(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,届次,阶段,资助金额\n"
        "P1,x,第一届,结项,2000\nP2,x,abc,结项,2000\nP3,x,1,done-ish,1,000\nP4,x,1,结项,两千\n",
        "utf-8",
    )
    data = impact.load(tmp_path, strict=False)
    assert [str(e) for e in data.errors] == [
        "projects.csv:3: round: not a number (abc)",
        "projects.csv:4: row has 6 fields, header has 5; row skipped (P3,x,1,done-ish,1,000)",
        "projects.csv:5: grant_yuan: not a number (两千)",
    ]
    assert data.blanked == {"projects.round": 1, "projects.grant_yuan": 1}
    assert repr(data).splitlines()[0] == (
        f"Dataset from {tmp_path}: loaded with 3 error(s); 2 value(s) could not be read and "
        "were left blank (projects.round 1, projects.grant_yuan 1); 0 warning(s); see "
        "Dataset.issues"
    )
    assert set(data.errors) <= set(data.issues)


# --------------------------------------------------------------------------- rounds


def test_rounds_named_with_their_year_keep_their_names(tmp_path):
    _csv(
        tmp_path / "微项目.csv",
        [
            "街道2020年度微项目汇总,,,,",
            "项目编号,计划编号,期数,项目名称,项目状态",
            "M1,jd,2020年第一期,楼道灯,已结项",
            "M2,jd,2020年第二期,花坛,已结项",
            "M3,jd,2020年第三期,议事角,实施中",
            "M4,jd,2020年第三期,书架,实施中",
        ],
    )
    data = impact.load(tmp_path)
    assert data.projects["round"].tolist() == [1, 2, 3, 3]
    labels = round_labels(data)
    assert labels[["round", "label"]].values.tolist() == [
        [1, "2020年第一期"],
        [2, "2020年第二期"],
        [3, "2020年第三期"],
    ]
    assert round_labels(data, "en")["label"].tolist() == ["round 1", "round 2", "round 3"]


def test_rounds_named_over_two_years_are_numbered_in_order(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "项目编号,计划编号,期数,阶段\nA,jd,2021年第一期,结项\nB,jd,2020年第二期,结项\n"
        "C,jd,2020年第一期,结项\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    assert data.projects["round"].tolist() == [3, 2, 1]
    assert (
        "projects.csv: round: note: rounds written with their years, numbered in order: "
        "2020年第一期 → 1, 2020年第二期 → 2, 2021年第一期 → 3" in _messages(tmp_path)
    )
