"""Reading: file formats, encodings, header spellings and messy values.

Expected values are written out by hand from the fixture files.
"""

import shutil

import pandas as pd
import pytest

import impact
from impact.io import detect_encoding
from impact.schema import TABLES, category_map, header_map, normalise_label

from .conftest import DATA

MESSY = DATA / "messy"


def test_messy_office_files_load_with_the_right_values():
    data = impact.load(MESSY)
    assert data.warnings == ()
    projects = data.projects.set_index("project_id")
    # GB18030 file, Chinese headers, Chinese category names, "8,000", "2000元", "1.2万"
    assert list(projects.index) == ["M001", "M002", "002"]  # "002" keeps its zeros
    assert projects.loc["M001", "grant_yuan"] == 8000.0
    assert projects.loc["M001", "leveraged_yuan"] == 12000.0
    assert projects.loc["M002", "grant_yuan"] == 2000.0
    assert projects.loc["M002", "leveraged_yuan"] == 3500.0
    assert pd.isna(projects.loc["002", "grant_yuan"])
    assert list(projects.applicant_type) == ["committee", "volunteer_team", "resident_group"]
    assert list(projects.application_type) == ["matched", "standard", "standard"]
    assert list(projects.stage) == ["completed", "signed", "shortlisted"]
    assert projects.loc["M001", "title"] == "长者送菜"
    assert projects.loc["M001", "community_id"] == "东湖社区"
    # UTF-8 with BOM; four ways of writing a date, one blank
    funding = data.funding
    assert list(funding.source) == [
        "seed_grant",
        "match",
        "volunteer_time",
        "seed_grant",
        "in_kind",
    ]
    assert list(funding.amount_yuan) == [8000.0, 8000.0, 3500.0, 2000.0, 1500.0]
    assert list(funding.form) == ["cash", "cash", "in_kind", "cash", "in_kind"]
    assert list(funding.date.iloc[:4]) == [
        pd.Timestamp(d) for d in ("2022-07-01", "2022-07-15", "2022-08-01", "2022-07-01")
    ]
    assert pd.isna(funding.date.iloc[4])
    # 是/否, 活跃/终止, "¥1,200"
    followups = data.followups
    assert list(followups.status) == ["active", "ended"]
    assert list(followups.registered) == [True, False]
    assert list(followups.own_income_yuan) == [1200.0, 0.0]


def test_column_types(clean_dir):
    data = impact.load(clean_dir)
    projects = data.projects
    assert projects.project_id.dtype == pd.StringDtype("pyarrow")
    assert str(projects["round"].dtype) == "Int64"
    assert projects.grant_yuan.dtype == "float64"
    assert isinstance(projects.stage.dtype, pd.CategoricalDtype)
    assert list(projects.stage.cat.categories) == [
        "idea",
        "shortlisted",
        "approved",
        "signed",
        "completed",
        "withdrawn",
    ]
    assert pd.api.types.is_datetime64_any_dtype(data.rounds.midterm_date)
    assert str(data.followups.registered.dtype) == "boolean"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings(tmp_path, clean_dir, encoding):
    text = (clean_dir / "projects.csv").read_text("utf-8")
    (tmp_path / "projects.csv").write_bytes(text.encode(encoding))
    expected = (
        "utf-8" if encoding == "utf-8" else ("utf-8-sig" if encoding == "utf-8-sig" else "gb18030")
    )
    assert detect_encoding(tmp_path / "projects.csv") == expected
    titles = list(impact.load(tmp_path).projects.title)
    assert titles == ["东湖社区花园", "西苑电动车停放", "西苑议事会", "东湖社区花园（第2期）"]


def test_gbk_bytes_beyond_the_sniffed_prefix(tmp_path, monkeypatch):
    # The first megabyte is ASCII; a Chinese title comes later. The reader must notice.
    import impact.files as files_module

    monkeypatch.setattr(files_module, "ENCODING_SAMPLE_BYTES", 64)
    rows = "".join(f"P{i},demo,1,idea\n" for i in range(20))
    text = "project_id,programme_id,round,stage,title\n" + rows + "P99,demo,1,idea,社区花园\n"
    text = text.replace("idea\n", "idea,\n", 20)
    (tmp_path / "projects.csv").write_bytes(text.encode("gb18030"))
    projects = impact.load(tmp_path).projects
    assert projects.title.iloc[-1] == "社区花园"


def test_parquet_and_csv_give_the_same_tables(tmp_path, clean_dir):
    from_csv = impact.load(clean_dir)
    for name, frame in from_csv.tables.items():
        frame.to_parquet(tmp_path / f"{name}.parquet")
    from_parquet = impact.load(tmp_path)
    for name, frame in from_csv.tables.items():
        pd.testing.assert_frame_equal(from_parquet.tables[name], frame, check_dtype=False)


def test_xlsx_workbook_with_chinese_sheet_names(tmp_path):
    book = tmp_path / "2022年度项目.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        pd.DataFrame(
            {
                "项目编号": [101, 102],
                "计划编号": ["lishui", "lishui"],
                "届次": [4, 4],
                "项目名称": ["社区农场", "停车治理"],
                "阶段": ["结项", "立项"],
                "种子资金": ["5,000元", 3000],
                "申报类型": ["配比申报", "普通申报"],
            }
        ).to_excel(writer, sheet_name="项目", index=False)
        pd.DataFrame(
            {
                "项目编号": [101, 101],
                "来源": ["种子资金", "捐赠"],
                "金额": [5000, "0.2万"],
                "日期": [pd.Timestamp("2022-07-01"), "2022年8月1日"],
            }
        ).to_excel(writer, sheet_name="资金明细", index=False)
    data = impact.load(book)
    assert list(data.projects.project_id) == ["101", "102"]  # Excel numbers as identifiers
    assert list(data.projects.grant_yuan) == [5000.0, 3000.0]
    assert list(data.projects.stage) == ["completed", "approved"]
    assert list(data.funding.amount_yuan) == [5000.0, 2000.0]
    assert list(data.funding.date) == [pd.Timestamp("2022-07-01"), pd.Timestamp("2022-08-01")]


def test_xlsx_errors_name_the_sheet_and_row(tmp_path):
    book = tmp_path / "book.xlsx"
    pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "programme_id": ["x", "x"],
            "round": [1, 1],
            "stage": ["idea", "ideas?"],
        }
    ).to_excel(book, sheet_name="projects", index=False)
    (issue,) = impact.validate(book)
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "book.xlsx[projects]",
        3,
        "stage",
        "ideas?",
    )


def test_corrupt_workbook_is_an_issue_not_a_crash(tmp_path):
    (tmp_path / "projects.xlsx").write_bytes(b"not a zip file")
    (issue,) = impact.validate(tmp_path)
    assert issue.file == "projects.xlsx"
    assert "cannot read file" in issue.message


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2000", 2000.0),
        ("2,000", 2000.0),
        ("2000元", 2000.0),
        ("¥2,000", 2000.0),
        ("￥2000.50", 2000.5),
        ("1.2万", 12000.0),
        ("1.2 万元", 12000.0),
        ("２０００", 2000.0),
        (" 3500 ", 3500.0),
        ("0", 0.0),
    ],
)
def test_amount_spellings(tmp_path, written, expected):
    (tmp_path / "funding.csv").write_text(
        f'project_id,source,amount_yuan\nP1,donation,"{written}"\n', "utf-8"
    )
    assert impact.load(tmp_path).funding.amount_yuan.iloc[0] == expected


@pytest.mark.parametrize(
    "written", ["2022-07-01", "2022/7/1", "2022.7.1", "2022年7月1日", "2022-7-1"]
)
def test_date_spellings(tmp_path, written):
    (tmp_path / "funding.csv").write_text(
        f"project_id,source,amount_yuan,date\nP1,donation,1,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).funding.date.iloc[0] == pd.Timestamp("2022-07-01")


@pytest.mark.parametrize(
    "written, expected",
    [
        ("是", True),
        ("否", False),
        ("yes", True),
        ("No", False),
        ("1", True),
        ("0", False),
        ("有", True),
        ("无", False),
        ("TRUE", True),
    ],
)
def test_boolean_spellings(tmp_path, written, expected):
    (tmp_path / "followups.csv").write_text(
        f"project_id,year,status,registered\nP1,2023,active,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).followups.registered.iloc[0] == expected


@pytest.mark.parametrize("written, expected", [("60%", 0.6), ("0.6", 0.6), ("100%", 1.0)])
def test_share_spellings(tmp_path, written, expected):
    (tmp_path / "panel.csv").write_text(
        f"community_id,year,participation_rate\nC1,2023,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).panel.participation_rate.iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("written, expected", [("1:1", 1.0), ("1：2", 0.5), ("1", 1.0)])
def test_match_ratio_spellings(tmp_path, written, expected):
    (tmp_path / "rounds.csv").write_text(
        f"programme_id,round,year,match_ratio\ndemo,1,2022,{written}\n", "utf-8"
    )
    assert impact.load(tmp_path).rounds.match_ratio.iloc[0] == pytest.approx(expected)


ALIASES = [
    (table.name, column.name, alias)
    for table in TABLES.values()
    for column in table.columns
    for alias in column.aliases
]


@pytest.mark.parametrize("table, column, alias", ALIASES)
def test_every_header_alias_maps_to_its_column(table, column, alias):
    assert header_map(TABLES[table])[normalise_label(alias)] == column


@pytest.mark.parametrize("table", list(TABLES))
def test_no_header_spelling_is_claimed_by_two_columns(table):
    seen = {}
    for column in TABLES[table].columns:
        for spelling in (column.name, *column.aliases):
            key = normalise_label(spelling)
            assert seen.setdefault(key, column.name) == column.name, (table, spelling)


@pytest.mark.parametrize(
    "table, column", [(t.name, c.name) for t in TABLES.values() for c in t.columns if c.allowed]
)
def test_no_category_spelling_means_two_codes(table, column):
    spec = TABLES[table].column(column)
    seen = {}
    for code, spellings in spec.allowed.items():
        for spelling in (code, *spellings):
            assert seen.setdefault(normalise_label(spelling), code) == code, spelling
    assert set(category_map(spec).values()) == set(spec.allowed)


def test_chinese_headers_end_to_end(tmp_path):
    (tmp_path / "项目.csv").write_text(
        "项目编号,计划编号,届次,项目名称,社区,阶段,种子资金,撬动资金\n"
        "P1,lishui,4,社区农场,东湖,结项,5000,1.2万\n",
        "utf-8",
    )
    projects = impact.load(tmp_path).projects
    assert list(projects.columns) == [
        "project_id",
        "programme_id",
        "round",
        "title",
        "community_id",
        "stage",
        "grant_yuan",
        "leveraged_yuan",
    ]
    assert projects.leveraged_yuan.iloc[0] == 12000.0


def test_from_frames_validates_like_load(clean_dir):
    frame = pd.read_csv(clean_dir / "projects.csv", dtype=str)
    frame.loc[1, "stage"] = "完成"
    data = impact.Dataset.from_frames(projects=frame)
    assert data.projects.stage.iloc[1] == "completed"
    frame.loc[1, "stage"] = "nonsense"
    with pytest.raises(impact.DataError) as raised:
        impact.Dataset.from_frames(projects=frame)
    assert "<projects>:3: stage: not an allowed value" in str(raised.value)


def test_lax_loading_keeps_what_it_can(tmp_path, clean_dir):
    shutil.copytree(DATA / "bad" / "negative_money", tmp_path / "d")
    data = impact.load(tmp_path / "d", strict=False)
    assert data.funding.amount_yuan.isna().sum() == 1
    assert len(data.funding) == 7


@pytest.mark.parametrize("written", ["1e999", "-inf", "99999999999999999999"])
def test_infinite_or_oversized_numbers_are_unreadable(tmp_path, written):
    (tmp_path / "projects.csv").write_text(
        f"project_id,programme_id,round,stage,team_size\nP1,x,1,idea,{written}\n", "utf-8"
    )
    # The CSV reader has already typed these cells as floats, so the value shown is the
    # parsed one ("inf"), not the text as written; the row and column locate it.
    (issue,) = impact.validate(tmp_path)
    assert (issue.row, issue.column, issue.message) == (2, "team_size", "not a number")
