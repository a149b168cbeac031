"""The entry template: every kind, both languages, loads as written and after an office
fills it in; its drop-downs offer exactly the codes the loader accepts."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import impact
from impact.cli import main
from impact.errors import ParamsError
from impact.schema import TABLES, category_map, header_map, normalise_label
from impact.template import KIND_TABLES, header, sheet_name, template_columns, write_template

KINDS = ("competition", "fund", "incubator", "contest", "partnership")
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    return {
        (kind, lang): write_template(kind, lang, folder / f"{kind}-{lang}.xlsx")
        for kind in KINDS
        for lang in LANGS
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_layout(workbooks, kind, lang):
    book = openpyxl.load_workbook(workbooks[kind, lang])
    code = "proposal_contest" if kind == "contest" else kind
    tables = [TABLES[name] for name in KIND_TABLES[code]]
    assert book.sheetnames == [book.sheetnames[0], *(sheet_name(t, lang) for t in tables)]
    assert book.sheetnames[0] == ("填表说明" if lang == "zh" else "instructions")
    projects = book[sheet_name(TABLES["projects"], lang)]
    assert projects.freeze_panes == "A2"
    headers = [c.value for c in projects[1]]
    if lang == "zh":
        assert "项目编号" in headers
        if code != "partnership":
            assert "种子资金（元）" in headers
    # every code and yes/no column has a drop-down offering values the loader maps back
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1.strip('"').split(",")
        for v in projects.data_validations.dataValidation
    }
    for position, column in enumerate(template_columns(TABLES["projects"], code), 1):
        letter = openpyxl.utils.get_column_letter(position)
        if column.type == "category":
            mapping = category_map(column)
            assert {mapping[normalise_label(v)] for v in lists[letter]} == set(column.allowed)
        elif column.type == "bool":
            assert letter in lists
        if column.type == "money":
            assert projects.cell(2, position).number_format == "#,##0.00"


def test_every_header_maps_back_to_its_column():
    for table in TABLES.values():
        names = header_map(table)
        for column in table.columns:
            text = header(column, "zh").split("（")[0]
            assert names[normalise_label(text)] == column.name, (table.name, text)


@pytest.mark.xfail(reason="units in headers and the instructions sheet: office branch")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_template_loads_as_written(workbooks, kind, lang):
    data = impact.load(workbooks[kind, lang])
    assert data.warnings == ()
    assert len(data.projects) == 2


def _fill(path, lang: str) -> None:
    """What an office does: add its projects under the examples, using the headers and the
    drop-down values the template offers."""
    book = openpyxl.load_workbook(path)
    projects = book[sheet_name(TABLES["projects"], lang)]
    headers = [c.value for c in projects[1]]
    stage = "立项" if lang == "zh" else "approved"
    grant = "种子资金（元）" if lang == "zh" else "grant_yuan"
    for number in range(3, 13):
        row = {h: None for h in headers}
        row[headers[0]] = f"P{number:03d}"
        row[headers[1]] = projects.cell(2, 2).value  # programme
        row[headers[2]] = projects.cell(2, 3).value  # round
        row[headers[3]] = projects.cell(2, 4).value  # community
        row["项目名称" if lang == "zh" else "title"] = f"项目{number}"
        row["阶段" if lang == "zh" else "stage"] = stage
        if grant in row:
            row[grant] = 1000.0 * number
        projects.append([row[h] for h in headers])
    book.save(path)


@pytest.mark.xfail(reason="units in headers and the instructions sheet: office branch")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["fund", "partnership"])
def test_a_filled_template_round_trips(workbooks, kind, lang, tmp_path, capsys):
    path = tmp_path / f"filled-{kind}-{lang}.xlsx"
    path.write_bytes(workbooks[kind, lang].read_bytes())
    _fill(path, lang)
    data = impact.load(path)
    assert data.warnings == ()
    assert len(data.projects) == 12
    added = data.projects[data.projects.project_id == "P007"].iloc[0]
    assert added.stage == "approved"
    if kind == "fund":
        assert added.grant_yuan == 7000.0
        assert data.rounds["round"].iloc[0] == 2024
    assert main(["validate", str(path)]) == 0
    assert ": ok, 0 warning(s)" in capsys.readouterr().out


def test_example_dates_are_date_cells(workbooks):
    book = openpyxl.load_workbook(workbooks["fund", "zh"])
    cell = book["届次"]["D2"]  # 征集日期
    assert cell.is_date and cell.value.date() == dt.date(2024, 3, 1)


def test_cli_writes_a_template_and_refuses_bad_requests(tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    assert main(["template", "--kind", "contest", "--lang", "zh", "--out", str(out)]) == 0
    assert out.exists()
    assert main(["template", "--kind", "fund", "--out", str(tmp_path / "x.csv")]) == 2
    assert "FILE.xlsx" in capsys.readouterr().err
    with pytest.raises(ParamsError, match="unknown kind"):
        write_template("lottery", "zh", tmp_path / "y.xlsx")
