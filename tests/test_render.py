"""The report as a document: blocks that survive a notebook unchanged, and every format
rendered from them (workbook, CSV, Word, page), checked on small documents written out by
hand; the Chinese font found by name, with a stale font cache and with none at all."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

from impact.fonts import FontError, check_glyphs, chinese_font
from impact.report import export
from impact.report.blocks import MIME, Bullets, Document, Heading, Part, Table, Text, Written
from impact.report.charts import figure_block, style
from impact.report.render import page, tables, word, workbook
from impact.report.sections import REPORTS
from impact.report.writing import Writer

from .conftest import ROOT


def _figure(text: str = "撬动比"):
    import matplotlib.pyplot as plt

    font = chinese_font()
    with matplotlib.rc_context(style(font)):
        _, ax = plt.subplots()
        ax.plot([1, 2, 3], [1, 4, 9])
        ax.set_xlabel(text)
        return figure_block(ax, "curve", font)


def _document() -> Document:
    """A small report: a heading, findings, a table with a share, yuan and a count, a
    figure after it, and a published figure written in words."""
    doc = Writer("leverage", "zh", chinese_font())
    table = doc.table(
        pd.DataFrame(
            {
                "group": ["总体", "=HYPERLINK(1)"],
                "grant_yuan": [108000.0, 2000.0],
                "conversion": [0.161, None],
                "n": [15, 3],
            }
        ),
        "leverage",
        formats={"conversion": "{:.1%}"},
        n=15,
        sheet="资源撬动",
    )
    published = Table.from_frame(
        pd.DataFrame(
            {
                "indicator": ["热心居民", "资助金额", "配比"],
                "value": [Written(100.0, "100余"), 686404.16, 0.6],
            }
        ),
        name="published",
        sheet="公开数据",
        language="zh",
        units={"value": ["count", "number", "percent"]},
    )
    empty = Table.from_frame(
        pd.DataFrame({"title": []}), name="nothing", sheet="空表", language="zh"
    )
    parts = (
        Part("title", (Heading("测试报告", 1),), meta={"data_name": "样本"}),
        Part("key_findings", (Heading("主要发现"), Bullets(("共15个项目",), "findings"))),
        Part("leverage", (Heading("资源撬动"), table, Text("说明", "note"), _figure())),
        Part("published", (Heading("公开数据"), published, empty)),
    )
    return Document(parts)


# ---------------------------------------------------------------- blocks through a notebook


def test_blocks_survive_a_notebook_unchanged(tmp_path):
    document = _document()
    bundle = document._repr_mimebundle_()
    assert set(bundle) == {"text/html", MIME} and "<h2>主要发现</h2>" in bundle["text/html"]
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.section('x')")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data=bundle, execution_count=1),
        nbformat.v4.new_output("stream", name="stdout", text="not part of the report\n"),
    ]
    notebook.cells = [cell]
    path = tmp_path / "report.ipynb"
    nbformat.write(notebook, path)
    assert export.read(path) == document


def test_a_table_keeps_numbers_and_the_text_shown():
    table = _document().parts[2].blocks[1]
    assert table.values[0] == ("总体", 108000.0, 0.161, 15)
    assert table.texts[0] == ("总体", "108,000", "16.1%", "15")
    assert table.values[1][2] is None and table.texts[1][2] == ""
    assert table.caption == "共15个项目"


# ---------------------------------------------------------------- workbook and CSV


def test_workbook_stores_numbers_as_numbers_with_sheets_named_by_headings(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    names = workbook.write(_document(), path, title="测试报告", data_name="样本", language="zh")
    assert names == ["资源撬动", "公开数据"]  # the empty table has no sheet
    book = load_workbook(path)
    assert book.sheetnames == ["报告说明", "资源撬动", "公开数据"]
    leverage = book["资源撬动"]
    assert [c.value for c in leverage[1]] == ["分组", "种子资金（元）", "通过率（%）", "项目数"]
    assert leverage["B2"].value == 108000 and leverage["B2"].number_format == "#,##0"
    assert leverage["C2"].value == pytest.approx(0.161) and leverage["C2"].number_format == "0.0%"
    assert leverage["C3"].value is None
    assert leverage["A3"].data_type == "s" and leverage["A3"].quotePrefix  # never a formula
    published = book["公开数据"]
    assert [c.value for c in published[1]] == ["指标", "数值", "数值（原文）"]
    values = [published.cell(row=r, column=2).value for r in (2, 3, 4)]
    assert values == [100, pytest.approx(686404.16), pytest.approx(0.6)]
    formats = [published.cell(row=r, column=2).number_format for r in (2, 3, 4)]
    assert formats == ["#,##0", "#,##0.00", "0.0%"]
    assert published["C2"].value == "100余" and published["C3"].value is None


def test_csv_carries_the_same_numbers_and_words(tmp_path):
    written = tables.write(_document(), tmp_path)
    assert sorted(p.name for p in written) == ["leverage.csv", "published.csv"]
    raw = (tmp_path / "published.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [
        ["指标", "数值", "数值（原文）"],
        ["热心居民", "100", "100余"],
        ["资助金额", "686404.16", ""],
        ["配比", "60%", ""],  # a share in a column of mixed units says it is one
    ]
    leverage = list(csv.reader((tmp_path / "leverage.csv").read_text("utf-8-sig").splitlines()))
    assert leverage[1] == ["总体", "108000", "16.1", "15"]
    assert leverage[2][0] == "'=HYPERLINK(1)"


# ---------------------------------------------------------------- Word


def test_word_document_is_ready_to_hand_over(tmp_path):
    import docx
    from docx.oxml.ns import qn

    path = tmp_path / "report.docx"
    word.write(_document(), path, title="测试报告", footer="生成时间", language="zh")
    document = docx.Document(path)
    assert document.core_properties.author == "impact"
    assert document.core_properties.title == "测试报告"
    first = document.tables[0]
    rows = first._tbl.findall(qn("w:tr"))
    assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    widths = [int(c.get(qn("w:w"))) for c in first._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(widths)) > 1  # widths follow the content, not equal shares
    section = document.sections[0]
    usable = (section.page_width - section.left_margin - section.right_margin) / 635
    assert sum(widths) <= usable + len(widths)
    with zipfile.ZipFile(path) as archive:
        footers = [archive.read(n).decode() for n in archive.namelist() if "footer" in n]
    assert any("PAGE" in f and "NUMPAGES" in f and "第 " in f for f in footers)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert len(document.inline_shapes) == 1
    # the table kept with its figure: every row of it keeps with the next paragraph
    kept = [
        p.paragraph_format.keep_with_next
        for row in first.rows
        for c in row.cells
        for p in c.paragraphs
    ]
    assert all(kept)


def test_column_widths_share_the_page_when_content_is_wide():
    from docx.shared import Cm

    usable = int(Cm(17))
    narrow = word.column_widths([["a", "b"], ["1", "2"]], usable)
    assert sum(narrow) < usable / 2
    wide = word.column_widths([["项目名称", "n"], ["很长" * 40, "3"]], usable)
    # the short column keeps its width (4 characters and a margin of 2, 0.2 cm each);
    # the long one takes what is left
    assert wide[1] == 6 * int(Cm(0.2)) and sum(wide) == pytest.approx(usable, abs=len(wide))
    rows = [["项目计划", "数值", "来源"], ["很长" * 30, "686,404.16", "很长" * 30]]
    numbers = word.column_widths(rows, usable, [False, True, False])
    assert numbers[1] >= 12 * int(Cm(0.2))  # a number never wraps
    assert sum(numbers) <= usable and numbers[0] == numbers[2]


# ---------------------------------------------------------------- page


def test_page_keeps_a_short_table_with_its_figure():
    pieces = page.body(_document(), "zh")
    kept = [p for p in pieces if p.startswith('<div class="keep">')]
    assert len(kept) == 1 and "<table" in kept[0] and "<svg" in kept[0] and "说明" in kept[0]


# ---------------------------------------------------------------- fonts


def test_a_figure_is_drawn_in_a_checked_chinese_font():
    figure = _figure("资金撬动中期评估")
    assert figure.font == chinese_font()
    assert "资金撬动中期评估" in figure.svg  # text kept as text in the SVG
    assert figure.png and figure.width_in <= 3.61


def test_a_missing_glyph_is_an_error_not_a_box():
    import matplotlib.pyplot as plt

    with pytest.raises(FontError, match="fonts-noto-cjk"):
        with matplotlib.rc_context(style("DejaVu Sans") | {"font.sans-serif": ["DejaVu Sans"]}):
            _, ax = plt.subplots()
            ax.set_title("中文")
            with check_glyphs("DejaVu Sans"):
                ax.figure.savefig(os.devnull, format="png")
    plt.close("all")


def test_no_chinese_font_at_all_says_what_to_install(tmp_path):
    import copy

    from matplotlib import font_manager

    from impact.fonts import _has_chinese

    manager = copy.copy(font_manager.fontManager)
    manager.ttflist = [f for f in manager.ttflist if not _has_chinese(f.fname)]
    (tmp_path / "fonts").mkdir()
    with pytest.raises(FontError) as raised:
        chinese_font(manager, search=[tmp_path / "fonts"], cache=tmp_path / "cache.json")
    assert "fonts-noto-cjk" in str(raised.value) and "\n" not in str(raised.value)
    assert not (tmp_path / "cache.json").exists()


STALE = """
import sys
from matplotlib import font_manager
from impact.fonts import _has_chinese, cache_file
manager = font_manager.fontManager
manager.ttflist = [f for f in manager.ttflist if not _has_chinese(f.fname)]
font_manager.json_dump(manager, cache_file())
"""

CHECK = """
from matplotlib import font_manager
from impact.fonts import _known, chinese_font
print("before:", _known(font_manager.fontManager))
print("found:", chinese_font())
"""


def test_a_font_cache_older_than_the_fonts_is_rebuilt(tmp_path):
    """matplotlib's cached font list made before the Chinese fonts were installed: the
    first report finds them on disk, draws with them and rewrites the cache."""
    try:
        chinese_font()
    except FontError:
        pytest.skip("this machine has no Chinese font")
    env = os.environ | {"MPLCONFIGDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", STALE], env=env, check=True)
    cache = next(tmp_path.glob("fontlist-*.json")).read_text("utf-8")
    assert "CJK" not in cache
    first = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True)
    assert "before: None" in first.stdout and "found: Noto Sans CJK" in first.stdout, first.stderr
    second = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True)
    assert "before: Noto Sans CJK" in second.stdout  # the cache now knows them


# ---------------------------------------------------------------- one list of sections


@pytest.mark.parametrize("kind", list(REPORTS))
def test_notebooks_call_the_sections_of_their_kind_in_order(kind):
    notebook = nbformat.read(ROOT / "notebooks" / f"{kind}.ipynb", as_version=4)
    source = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    called = re.findall(r'report\.section\("(\w+)"\)', source)
    assert called == [s.name for s in REPORTS[kind]]
    assert f'Report.open("{kind}"' in source


def test_document_json_is_plain_json():
    value = _document().to_json()
    assert json.loads(json.dumps(value, allow_nan=False)) == value


@pytest.mark.slow
def test_a_run_on_a_machine_without_a_chinese_font(tmp_path):
    """`impact run` where matplotlib's font cache predates the fonts and the fonts on disk
    hold no Chinese (IMPACT_FONT_PATH names an empty folder): the Chinese report fails with
    one line saying what to install and keeps no report; the English one builds. Then with
    the fonts on disk again, the same stale cache: the Chinese report builds."""
    try:
        chinese_font()
    except FontError:
        pytest.skip("this machine has no Chinese font")
    cache, empty = tmp_path / "mpl", tmp_path / "no-fonts"
    cache.mkdir()
    empty.mkdir()
    env = os.environ | {"MPLCONFIGDIR": str(cache)}
    subprocess.run([sys.executable, "-c", STALE], env=env, check=True)
    params = []
    for language in ("zh", "en"):
        path = tmp_path / f"midterm-{language}.yaml"
        path.write_text(
            "kind: midterm\ndata: data/sample\nprogramme: lishui_like\nround: 4\n"
            f"language: {language}\noptions: {{pdf: false, docx: false}}\n",
            "utf-8",
        )
        params.append(str(path))
    impact = [str(Path(sys.executable).parent / "impact"), "run", *params, "--jobs", "1"]
    out = tmp_path / "out"
    run = subprocess.run(
        [*impact, "--out", str(out)],
        env=env | {"IMPACT_FONT_PATH": str(empty)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    printed = run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "midterm-zh.yaml" in failed[0], printed
    said = [line for line in printed.splitlines() if "fonts-noto-cjk" in line]
    assert len(said) == 1 and "midterm-zh.yaml: cell" in said[0], printed  # one line, named
    assert "Traceback" not in printed
    assert not (out / "midterm/lishui_like/round-4/zh/report.html").exists()
    assert (out / "midterm/lishui_like/round-4/en/report.html").exists()
    again = subprocess.run(
        [*impact, "--out", str(out)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert (out / "midterm/lishui_like/round-4/zh/report.html").exists()
    assert "CJK" in next(cache.glob("fontlist-*.json")).read_text("utf-8")
