"""What the office receives: values written for their unit, no code on any page or exported
header, the workbook and CSVs, neutralised formulas, the PDF and the Word document, and the
pages measured in a real browser at phone and desktop width."""

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from impact.report import format as fmt
from impact.report import runner
from impact.report.blocks import Table, table_html
from impact.report.catalogue import t
from impact.report.render import cells

from .conftest import ROOT
from .leftovers import ALLOWED_WORDS, scan

# ---------------------------------------------------------------- values (hand-written truths)


@pytest.mark.parametrize(
    "number, unit, decimals, expected",
    [
        (1234567.4, "yuan", None, "1,234,567"),
        (0.2799352750809062, "percent", 0, "28%"),
        (0.2799352750809062, "percent", 1, "28.0%"),
        (1.249473, "ratio", None, "1.25"),
        (9.8235, "yuan_fine", None, "9.82"),
        (2021.0, "year", None, "2021"),
        (3.0, "number", None, "3"),
        (6.565565, "number", None, "6.57"),
    ],
)
def test_numbers_are_written_for_their_unit(number, unit, decimals, expected):
    assert fmt.number_text(number, unit, decimals) == expected


def test_rounds_missing_values_booleans_and_infinity_in_words():
    count = fmt.Column("n", "样本数", "count")
    assert fmt.round_text(2.0, "zh") == "第2届" and fmt.round_text(4, "en") == "round 4"
    assert fmt.round_text(2021, "zh") == "2021年"  # a round that is a year
    assert fmt.value_text(float("nan"), count, "zh") == ""
    assert fmt.value_text(float("inf"), count, "zh") == "未达到"
    assert fmt.value_text(True, fmt.Column("small", "样本过少", "flag"), "zh") == "是"
    assert fmt.plain("False", "en") == "no" and fmt.plain("None", "zh") == ""
    assert [fmt.period_text(p, "zh") for p in (-9.0, 0.0, 2.0, "overall")] == [
        "加入前9年",
        "加入当年",
        "加入后2年",
        "总体",
    ]


def test_local_time_names_its_zone():
    # 00:30 UTC is 08:30 in Beijing (UTC+8, no daylight saving since 1991)
    assert fmt.local_time("2026-11-24T00:30:00+00:00", "zh") == "2026年11月24日 08:30（北京时间）"
    english = fmt.local_time("2026-11-23T20:05:00+00:00", "en")
    assert english == "24 Nov 2026, 04:05 (Beijing time, Asia/Shanghai)"


def test_units_come_from_the_display_pattern_or_the_name():
    frame = pd.DataFrame(
        {"grant_yuan": [1.0], "conversion": [0.5], "ci_low": [0.4], "round": [2], "n": [3]}
    )
    shown = fmt.columns(frame, "zh", formats={"ci_low": "{:.1%}", "grant_yuan": "{:,.0f}"})
    assert [(c.unit, c.excel_format) for c in shown] == [
        ("yuan", "#,##0"),
        ("percent", "0.0%"),
        ("percent", "0.0%"),
        ("round", "@"),
        ("count", "#,##0"),
    ]
    assert shown[0].header == "种子资金（元）"


def test_table_markup_stacks_into_cards_and_escapes():
    frame = pd.DataFrame(
        {"title": ["<b>x</b>"], "achieved": [0.28], "light": [t("red", "zh")], "ci_low": [0.1]}
    )
    frame["ci_high"] = 0.5
    table = Table.from_frame(
        frame, name="t", sheet="t", language="zh", formats={"achieved": "{:.0%}"}
    )
    markup = table_html(table, "zh")
    assert 'data-label="项目名称">&lt;b&gt;x&lt;/b&gt;</td>' in markup
    assert '<td class="num" data-label="完成率">28%</td>' in markup
    assert "light-behind" in markup and "滞后" in markup  # colour and word
    assert "0.10 – 0.50" in markup  # the interval as one column


# ---------------------------------------------------------------- neutralised formulas

HOSTILE = ['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("text", HOSTILE + ["\tx", "\rx"])
def test_formula_text_is_neutralised(text):
    assert cells.neutralise(text) == "'" + text
    assert cells.neutralise("社区花园") == "社区花园"


def test_sheet_names_and_widths():
    assert cells.sheet_name("a/b:c*d?[e]", []) == "a b c d  e"
    long = "很" * 40
    assert cells.sheet_name(long, []) == "很" * 30 + "…"  # 31 characters, Excel's most
    assert cells.sheet_name(long, ["很" * 30 + "…"]) == "很" * 28 + "… 2"
    # an English name is cut at a word, never leaving a trailing space
    name = cells.sheet_name("Community Golden Idea Proposal Contest (simulated)", [])
    assert name == "Community Golden Idea Proposal…" and len(name) <= 31
    assert cells.display_width("社区ab") == 6


def _hostile_data(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    projects = pd.read_csv(data / "projects.csv", encoding="utf-8-sig", dtype=str)
    projects["title"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(projects))]
    projects.to_csv(data / "projects.csv", index=False, encoding="utf-8-sig")
    return data


def _numeric(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_hostile_titles_are_neutralised_in_every_export(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    from openpyxl import load_workbook

    data = _hostile_data(tmp_path)
    params = []
    for kind, extra in (
        ("midterm", "programme: lishui_like\nround: 4\n"),
        ("annual", "programme: lishui_like\nyear: 2021\n"),
        ("explore", ""),
    ):
        path = tmp_path / f"{kind}.yaml"
        path.write_text(
            f"kind: {kind}\ndata: {data}\n{extra}options: {{n_boot: 99, pdf: false}}\n", "utf-8"
        )
        params.append(path)
    outcomes = runner.run(
        params, root=tmp_path / "out", notebooks=ROOT / "notebooks", jobs=2, progress=False
    )
    assert [o.status for o in outcomes] == ["ok"] * 3, [o.message for o in outcomes]
    seen, pages = set(), []
    for outcome in outcomes:
        folder = Path(outcome.folder)
        for table in (folder / "tables").glob("*.csv"):
            with open(table, encoding="utf-8-sig", newline="") as handle:
                for row in csv.reader(handle):
                    for cell in row:
                        assert not (cell.startswith(cells.FORMULA_START) and not _numeric(cell)), (
                            table,
                            cell,
                        )
                        seen |= {h for h in HOSTILE if cell == "'" + h}
        book = load_workbook(folder / "report.xlsx")
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if cell.value in HOSTILE:
                        seen.add(cell.value)
                        assert cell.data_type == "s"
        page = (folder / "report.html").read_text("utf-8")
        assert "<script" not in page and "<a href" not in page
        pages.append(page)
        import docx

        document = docx.Document(folder / "report.docx")
        assert document.tables  # the titles reach Word as text
    assert any("=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)" in p for p in pages)
    assert seen == set(HOSTILE)  # every hostile title went through and came out inert


# ---------------------------------------------------------------- no code on the page


def test_no_code_or_english_on_any_page_or_exported_header(built_reports):
    out, outcomes = built_reports
    assert [o.status for o in outcomes] == ["ok"] * len(outcomes)
    data_names = {"sample"}  # the data set's own folder name, shown as its title
    leftovers = [
        line
        for line in scan(out)
        if not any(f"English: {name!r}" in line for name in data_names | ALLOWED_WORDS)
    ]
    assert leftovers == []


def test_footer_states_local_time_with_its_zone(built_reports):
    out, _ = built_reports
    zh = (out / "annual" / "lishui_like" / "2021" / "zh" / "report.html").read_text("utf-8")
    footer = re.search(r"<footer>(.*?)</footer>", zh).group(1)
    assert re.search(r"生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）", footer)
    en = (out / "annual" / "lishui_like" / "2021" / "en" / "report.html").read_text("utf-8")
    assert "(Beijing time, Asia/Shanghai)" in en


# ---------------------------------------------------------------- workbook and CSVs


def test_one_workbook_per_report_with_named_formatted_sheets(built_reports):
    from openpyxl import load_workbook

    out, _ = built_reports
    folder = out / "annual" / "lishui_like" / "2021" / "zh"
    book = load_workbook(folder / "report.xlsx")
    about = book.worksheets[0]
    assert about.title == "报告说明"
    assert about["A1"].value == "报告" and "2021年度" in about["B1"].value
    assert about["B2"].value == "sample" and "北京时间" in about["B3"].value
    assert not list(folder.glob("tables/*.xlsx"))
    assert len(book.sheetnames) == len(set(book.sheetnames)) > 8
    for sheet in book.worksheets[1:]:
        assert len(sheet.title) <= 31 and not re.search(r"[\[\]:*?/\\]", sheet.title)
        assert sheet.freeze_panes == "A2"
        for cell in sheet[1]:  # header widths fitted, a Chinese character counting double
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= min(cells.display_width(cell.value), 58), (sheet.title, cell.value)
    leverage = book["撬动比"]  # the leverage table stands under its own sub-heading
    headers = [c.value for c in leverage[1]]
    grant = leverage.cell(row=2, column=headers.index("种子资金（元）") + 1)
    assert isinstance(grant.value, (int, float)) and grant.number_format == "#,##0"
    funnel = book["申报与立项各阶段"]
    headers = [c.value for c in funnel[1]]
    conversion = funnel.cell(row=3, column=headers.index("通过率（%）") + 1)
    assert 0 < conversion.value <= 1 and conversion.number_format == "0.0%"
    assert funnel.cell(row=2, column=headers.index("通过率（%）") + 1).value is None  # no rate
    medians = book["可持续性"]
    values = [c.value for row in medians.iter_rows(min_row=2) for c in row]
    assert not {"inf", "nan", "None"} & {str(c) for c in values}  # words or blank, not inf
    # the CSV carries the same headers, UTF-8 with a BOM
    raw = (folder / "tables" / "funnel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(raw.decode("utf-8-sig").splitlines())) == headers


# ---------------------------------------------------------------- PDF and Word


def test_pdf_is_a4_with_page_numbers_and_embedded_fonts(built_reports):
    out, _ = built_reports
    pdf = out / "annual" / "lishui_like" / "2021" / "zh" / "report.pdf"
    if not shutil.which("chromium"):
        pytest.skip("no Chromium: the PDF is skipped by design")
    assert pdf.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # every font embedded
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "第 1 页，共" in text and "撬动比" in text and "加入前" in text


def test_word_document_has_headings_tables_figures_and_chinese_font(built_reports):
    import docx
    from docx.oxml.ns import qn

    out, _ = built_reports
    folder = out / "annual" / "lishui_like" / "2021" / "zh"
    document = docx.Document(folder / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "撬动比" in headings and "参与项目对社区的影响" in headings
    assert any(p.style.name == "Title" for p in document.paragraphs)
    page = (folder / "report.html").read_text("utf-8")
    long_tables = page.count("</table><details><summary>")  # shown in two parts on a phone
    assert len(document.tables) == page.count("<table") - long_tables  # split tables rejoined
    assert document.tables[0].rows[0].cells[0].text == "指标"  # the first screen's figures
    assert len(document.inline_shapes) == page.count("<svg")
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"  # a font Office on a Chinese PC has
    headings = document.styles["Heading 1"].element.rPr.rFonts
    assert headings.get(qn("w:eastAsia")) == "黑体"


def test_pdf_and_docx_can_be_turned_off_and_a_missing_browser_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    from .test_report import TRIVIAL

    (notebooks / "explore.ipynb").write_text(TRIVIAL.replace("BODY", "print(1)"), "utf-8")
    off = tmp_path / "off.yaml"
    off.write_text(
        "kind: explore\ndata: tests/data/clean\noptions: {pdf: false, docx: false}\n", "utf-8"
    )
    (outcome,) = runner.run([off], root=tmp_path / "a", notebooks=notebooks, progress=False)
    folder = Path(outcome.folder)
    assert outcome.status == "ok" and (folder / "report.html").exists()
    assert not (folder / "report.pdf").exists() and not (folder / "report.docx").exists()
    monkeypatch.setenv("IMPACT_CHROMIUM", str(tmp_path / "no-such-browser"))
    on = tmp_path / "on.yaml"
    on.write_text("kind: explore\ndata: tests/data/clean\n", "utf-8")
    (outcome,) = runner.run([on], root=tmp_path / "b", notebooks=notebooks, progress=False)
    assert outcome.status == "ok" and outcome.message == t("pdf_skipped", "zh")
    assert (Path(outcome.folder) / "report.docx").exists()
    assert not (Path(outcome.folder) / "report.pdf").exists()


# ---------------------------------------------------------------- in a real browser

MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1)
      wide.push(el.tagName + '.' + el.className + ' right ' + Math.round(box.right));
  }
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const small = [];
  for (const svg of document.querySelectorAll('svg')) {
    const view = svg.viewBox.baseVal;
    const scale = view && view.width ? svg.getBoundingClientRect().width / view.width : 1;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < body - 0.5) small.push(text.textContent + ' ' + size.toFixed(1) + 'px');
    }
  }
  const align = [];
  for (const td of document.querySelectorAll('table.data td')) {
    const found = getComputedStyle(td).textAlign;
    const want = td.classList.contains('num') ? 'right' : 'left';
    if (!(found === want || (want === 'left' && found === 'start')))
      align.push(td.dataset.label + ': ' + found);
  }
  const wordless = [...document.querySelectorAll('.light')]
    .filter((l) => !l.textContent.replace(/[●▲■\\s]/g, '')).length;
  return {scroll: document.documentElement.scrollWidth, width, wide, body, small, align,
          wordless, svgs: document.querySelectorAll('svg').length};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_the_screen_with_readable_figures(built_reports, browser, width, tmp_path):
    out, _ = built_reports
    pages = sorted(p for p in out.rglob("report.html") if ".failed" not in str(p))
    pages.append(out / "index.html")
    problems = {}
    figures = 0
    for path in pages:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(path.as_uri())
        measured = page.evaluate(MEASURE)
        if path.parent.name == "zh" and "midterm" in str(path):
            page.screenshot(path=str(tmp_path / f"{width}-midterm.png"))
        page.close()
        figures += measured["svgs"]
        assert measured["body"] >= 15, path
        wrong = {key: measured[key][:5] for key in ("wide", "small", "align") if measured[key]}
        if measured["scroll"] > measured["width"]:
            wrong["scroll"] = measured["scroll"]
        if measured["wordless"]:
            wrong["status without its word"] = measured["wordless"]
        if wrong:
            problems[str(path.relative_to(out))] = wrong
    assert figures > 10  # the figure check measured something
    assert problems == {}
