"""Reports: parameters, running, publishing, exports, index, reliability and escaping."""

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import impact
from impact.errors import ParamsError
from impact.report import index, publish, runner
from impact.report.catalogue import TEXT
from impact.report.params import check_against_data, read_params

from .conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"


# ---------------------------------------------------------------- notebooks and catalogue


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs_and_have_parameters(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
            assert len(cell.source.splitlines()) <= 12, "logic belongs in the package"
    tags = [tag for cell in notebook.cells for tag in cell.metadata.get("tags", [])]
    assert tags.count("parameters") == 1


def test_every_catalogue_entry_has_both_languages():
    for key, entry in TEXT.items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"] and entry["en"], key


# ---------------------------------------------------------------- parameters


def write(tmp_path, text, name="report.yaml"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    "text, fragments",
    [
        (
            "kind: midterm\ndata: data/sample\nprogramme: lishui_like\nround: 4\ncolour: red\n",
            ["colour: unknown key; allowed: kind, data, programme"],
        ),
        (
            "kind: midterm\ndata: data/sample\nprogramme: lishui_like\nround: four\n",
            ["round: Input should be a valid integer", "(four)"],
        ),
        ("kind: weekly\ndata: data/sample\n", ["kind: Input should be 'midterm'"]),
        (
            "kind: midterm\ndata: data/sample\nprogramme: lishui_like\n",
            ["a midterm report needs round"],
        ),
        (
            "kind: annual\ndata: data/sample\nprogramme: x\nyear: 2021\noptions: {nboot: 5}\n",
            ["options.nboot: unknown key; allowed: n_boot"],
        ),
        ("- just\n- a list\n", ["expected a mapping"]),
        ("kind: [unclosed\n", ["not valid YAML"]),
    ],
)
def test_bad_parameters_are_refused_with_one_line_per_problem(tmp_path, text, fragments):
    path = write(tmp_path, text)
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message
    assert all(line.startswith(str(path)) for line in message.splitlines())


@pytest.mark.parametrize(
    "text, fragment",
    [
        (
            "kind: midterm\ndata: nowhere/\nprogramme: lishui_like\nround: 4\n",
            "data: no such file or folder (nowhere)",
        ),
        (
            "kind: midterm\ndata: data/sample\nprogramme: lishui\nround: 4\n",
            "programme: not in data/sample (known: contest_like, fund_like, lishui_like) (lishui)",
        ),
        (
            "kind: midterm\ndata: data/sample\nprogramme: lishui_like\nround: 9\n",
            "round: programme lishui_like has rounds [1, 2, 3, 4] (9)",
        ),
        (
            "kind: annual\ndata: data/sample\nprogramme: lishui_like\nyear: 2030\n",
            "year: programme lishui_like ran in [2019, 2020, 2021, 2022] (2030)",
        ),
    ],
)
def test_parameters_are_checked_against_the_data(tmp_path, text, fragment, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = write(tmp_path, text)
    with pytest.raises(ParamsError, match="") as raised:
        check_against_data(read_params(path), path)
    assert fragment in str(raised.value)


def test_cli_refuses_bad_parameters_with_exit_2_and_no_traceback(tmp_path):
    bad = write(
        tmp_path,
        "kind: midterm\ndata: data/sample\nprogramme: lishui_like\n"
        "round: 4\ncolour: red\nlanguage: fr\n",
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "impact.cli",
            "run",
            str(bad),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert (
        "colour: unknown key" in run.stderr
        and "language: Input should be 'zh' or 'en'" in run.stderr
    )
    assert "1 invalid" in run.stdout
    assert not (tmp_path / "out" / "midterm").exists()  # no kernel was started


# ---------------------------------------------------------------- the embedded reports


@pytest.fixture(scope="module")
def built(built_reports):
    return built_reports  # every embedded report in both languages, built once (conftest)


def test_every_embedded_report_builds(built):
    out, outcomes = built
    assert [o.status for o in outcomes] == ["ok"] * len(outcomes), [o.message for o in outcomes]
    assert len(outcomes) >= 6
    for kind in ("midterm", "annual", "explore", "compare"):
        assert list(out.glob(f"{kind}/**/report.html")), kind


def test_each_report_has_its_files_and_record(built):
    out, outcomes = built
    for outcome in outcomes:
        folder = Path(outcome.folder)
        assert (folder / "report.html").exists() and (folder / "report.ipynb").exists()
        record = json.loads((folder / "run.json").read_text("utf-8"))
        assert record["status"] == "ok" and record["fingerprint"]
        assert {"reset_s", "execute_s", "export_s"} <= set(record["timings"])
        assert "pandas" in record["versions"] and "commit" in record["git"]
        assert any(name.endswith("projects.csv") for name in record["data"])
    annual = out / "annual" / "lishui_like" / "2021" / "zh"
    csv_bytes = (annual / "tables" / "funnel.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # Excel in China reads UTF-8 with a BOM
    assert "申报" in csv_bytes.decode("utf-8-sig")  # the first stage of a fund: an application
    assert (annual / "report.xlsx").exists() and not (annual / "tables" / "funnel.xlsx").exists()
    svg = (annual / "figures" / "event_study.svg").read_text("utf-8")
    assert "<text" in svg and "加入后年数" in svg  # text kept as text, in Chinese


def test_html_is_self_contained_without_scripts_or_code(built):
    out, _ = built
    page = (out / "annual" / "lishui_like" / "2021" / "zh" / "report.html").read_text("utf-8")
    import re

    assert "<script" not in page and "<link" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from outside
    assert "report.funnel()" not in page and "import " not in page
    assert 'name="viewport"' in page and "<svg" in page
    explore = (out / "explore" / "all" / "all" / "en" / "report.html").read_text("utf-8")
    assert explore.count("<svg") >= 2  # plots drawn by the notebook's own calls display


@pytest.mark.parametrize("report", ["midterm/lishui_like/round-4/zh", "annual/lishui_like/2021/zh"])
def test_chinese_report_headings_are_all_from_the_catalogue(built, report):
    import re

    out, _ = built
    page = (out / report / "report.html").read_text("utf-8")
    headings = re.findall(r"<h2>([^<]*)</h2>", page)
    assert headings and all(h in {e["zh"] for e in TEXT.values()} for h in headings)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert headers and not [h for h in headers if re.search(r"[A-Za-z]{3,}", h)]


def test_index_lists_every_report(built):
    out, outcomes = built
    page = (out / "index.html").read_text("utf-8")
    english = (out / "index.en.html").read_text("utf-8")
    zh = [o for o in outcomes if o.folder.endswith("/zh")]
    assert page.count("report.html") == len(zh) and english.count("report.html") == len(
        outcomes
    ) - len(zh)
    assert "报告目录" in page and 'href="index.en.html"' in page and 'href="index.html"' in english
    # one language a page: the Chinese index carries no English word (no "报告 / Report")
    import re

    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|head)>.*?</\1>", "", page, flags=re.S))
    assert not re.findall(r"[A-Za-z]{3,}", visible)


# ---------------------------------------------------------------- reliability


PARAMETERS = (
    "data = None\\nprogramme = None\\nround_no = None\\nyear = None\\n"
    "language = 'zh'\\ntitle = None\\noptions = {}"
)
TRIVIAL = """{
 "cells": [
  {"cell_type": "code", "execution_count": null, "metadata": {"tags": ["parameters"]},
   "outputs": [], "source": ["PARAMETERS"], "id": "parameters"},
  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
   "source": ["BODY"], "id": "body"}
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                             "language": "python"}},
 "nbformat": 4, "nbformat_minor": 5
}""".replace("PARAMETERS", PARAMETERS)


def trivial_notebooks(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "explore.ipynb").write_text(TRIVIAL.replace("BODY", body), "utf-8")
    return folder


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    params = write(
        tmp_path, "kind: explore\ndata: tests/data/clean\nlanguage: en\n", "explore.yaml"
    )
    return tmp_path, params


def test_failure_keeps_the_previous_report_and_records_the_cell(workspace):
    tmp_path, params = workspace
    out = tmp_path / "out"
    good = trivial_notebooks(tmp_path / "good", "print('fine')")
    (first,) = runner.run([params], root=out, notebooks=good, progress=False)
    assert first.status == "ok"
    folder = Path(first.folder)
    before = (folder / "report.html").read_bytes()
    bad = trivial_notebooks(tmp_path / "bad", "raise ValueError('broken on purpose')")
    (second,) = runner.run([params], root=out, notebooks=bad, progress=False)
    assert second.status == "failed" and "ValueError: broken on purpose" in second.message
    assert (folder / "report.html").read_bytes() == before  # the good report stands
    record = json.loads((folder.with_name(folder.name + ".failed") / "run.json").read_text())
    assert record["status"] == "failed" and record["error"]["ename"] == "ValueError"
    assert record["error"]["cell"] is not None
    assert not (out / publish.STAGING).exists()
    index.write_index(out)
    page = (out / "index.en.html").read_text("utf-8")  # an English report: the English index
    assert "failed, previous kept" in page and "report.html" in page


def test_one_failing_report_does_not_stop_the_others(workspace):
    tmp_path, params = workspace
    other = write(
        tmp_path, "kind: explore\ndata: tests/data/clean\nlanguage: zh\n", "explore-zh.yaml"
    )
    notebooks = trivial_notebooks(tmp_path / "nb", "assert language == 'en', 'only en'")
    outcomes = runner.run(
        [params, other], root=tmp_path / "out", notebooks=notebooks, jobs=2, progress=False
    )
    assert [o.status for o in outcomes] == ["ok", "failed"]


def test_unchanged_reports_are_skipped_and_changes_rebuild(workspace):
    tmp_path, params = workspace
    out = tmp_path / "out"
    notebooks = trivial_notebooks(tmp_path / "nb", "print('fine')")
    assert runner.run([params], root=out, notebooks=notebooks, progress=False)[0].status == "ok"
    again = runner.run([params], root=out, notebooks=notebooks, progress=False)[0]
    assert again.status == "skipped"
    forced = runner.run([params], root=out, notebooks=notebooks, force=True, progress=False)
    assert forced[0].status == "ok"
    trivial_notebooks(tmp_path / "nb", "print('changed')")
    assert runner.run([params], root=out, notebooks=notebooks, progress=False)[0].status == "ok"


def test_interrupt_leaves_no_half_written_report(workspace, monkeypatch):
    tmp_path, params = workspace
    out = tmp_path / "out"
    notebooks = trivial_notebooks(tmp_path / "nb", "print('fine')")
    (first,) = runner.run([params], root=out, notebooks=notebooks, progress=False)
    before = (Path(first.folder) / "report.html").read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("impact.report.runner.build._execute", interrupted)
    # a process the caller had started (a notebook's browser, a test's) is not the run's
    import subprocess

    theirs = subprocess.Popen(["sleep", "60"])
    try:
        with pytest.raises(KeyboardInterrupt):
            runner.run([params], root=out, notebooks=notebooks, force=True, progress=False)
        assert theirs.poll() is None, "an interrupted run killed a process it did not start"
    finally:
        theirs.kill()
    assert (Path(first.folder) / "report.html").read_bytes() == before
    assert not (out / publish.STAGING).exists()


# ---------------------------------------------------------------- escaping


def test_hostile_titles_reach_the_html_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sample", data)
    projects = (data / "projects.csv").read_text("utf-8-sig").splitlines()
    hostile = ['"<script>alert(1)</script>"', '"<img src=x onerror=alert(2)>"']
    for number, title in zip((1, 2), hostile, strict=True):
        cells = projects[number].split(",")
        cells[4] = title
        projects[number] = ",".join(cells)
    (data / "projects.csv").write_text("\n".join(projects) + "\n", "utf-8-sig")
    params = write(tmp_path, f"kind: explore\ndata: {data}\nlanguage: en\n", "x.yaml")
    notebooks = trivial_notebooks(
        tmp_path / "nb",
        "from impact.report.sections import Report\\n"
        "report = Report.open('explore', data, language=language)\\n"
        "report.table(report.context.data.projects.head(3), 'head')",
    )
    (outcome,) = runner.run([params], root=tmp_path / "out", notebooks=notebooks, progress=False)
    assert outcome.status == "ok", outcome.message
    page = (Path(outcome.folder) / "report.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script" not in page and "<img" not in page


# ---------------------------------------------------------------- in a real browser


def visit(browser, url: str, screenshot: Path | None = None):
    """Open a page; return its visible text and every console message, failed request and
    dialog (an alert would mean injected script ran)."""
    page = browser.new_page(viewport={"width": 420, "height": 900})
    events = []
    page.on("console", lambda message: events.append(f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: events.append(f"failed: {request.url}"))
    page.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    text = page.inner_text("body")
    headings = page.locator("h1, h2").all_inner_texts()
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return text, headings, events


def test_index_and_reports_in_both_languages_open_cleanly(built, browser, tmp_path):
    out, outcomes = built
    text, headings, events = visit(browser, (out / "index.html").as_uri(), tmp_path / "index.png")
    assert events == [] and "报告目录" in headings[0]
    chinese = out / "midterm" / "lishui_like" / "round-4" / "zh" / "report.html"
    text, headings, events = visit(browser, chinese.as_uri(), tmp_path / "zh.png")
    assert events == []
    assert "指标完成情况" in headings and "项目延续风险提示" in headings
    english = out / "midterm" / "fund_like" / "round-4" / "en" / "report.html"
    text, headings, events = visit(browser, english.as_uri(), tmp_path / "en.png")
    assert events == [] and "Indicator performance" in headings
    annual = out / "annual" / "lishui_like" / "2021" / "zh" / "report.html"
    text, headings, events = visit(browser, annual.as_uri())
    assert events == [] and "参与项目对社区的影响" in headings and "加入后年数" in text


def test_injected_script_does_not_run_in_the_browser(tmp_path, monkeypatch, browser):
    monkeypatch.chdir(ROOT)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "data" / "clean", data)
    projects = (
        (data / "projects.csv")
        .read_text("utf-8")
        .replace("东湖社区花园,", '"<script>alert(1)</script>",', 1)
        .replace("西苑电动车停放,", '"<img src=x onerror=alert(2)>",', 1)
    )
    (data / "projects.csv").write_text(projects, "utf-8")
    params = write(tmp_path, f"kind: explore\ndata: {data}\nlanguage: en\n", "x.yaml")
    notebooks = trivial_notebooks(
        tmp_path / "nb",
        "from impact.report.sections import Report\\n"
        "report = Report.open('explore', data, language=language)\\n"
        "report.table(report.context.data.projects, 'projects')",
    )
    (outcome,) = runner.run([params], root=tmp_path / "out", notebooks=notebooks, progress=False)
    text, _, events = visit(browser, (Path(outcome.folder) / "report.html").as_uri())
    assert events == []  # no alert, no request for "x"
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text


@pytest.mark.slow
def test_the_five_programmes_reports_build(tmp_path, monkeypatch):
    """`impact run --all` builds the five programmes' reports (mid-term and annual where
    the data allow, and a comparison each) as their offices send the data."""
    monkeypatch.chdir(ROOT)
    files = sorted(
        p for p in (ROOT / "params").glob("*.yaml") if "data/programmes" in p.read_text()
    )
    assert len(files) >= 12
    outcomes = runner.run(files, root=tmp_path, notebooks=NOTEBOOKS, jobs=2, progress=False)
    assert [o.status for o in outcomes] == ["ok"] * len(outcomes), [o.message for o in outcomes]
    index.write_index(tmp_path)
    page = (tmp_path / "index.html").read_text("utf-8")
    for programme in ("lishui", "hongshan", "weifang_xincun", "longgang", "gangwan"):
        # each programme's group is headed by its name as the office's data give it
        table = impact.load(ROOT / "data" / "programmes" / programme).programmes
        name = table.loc[table.programme_id == programme, "name_zh"].iloc[0]
        assert f"<h2>{html.escape(name)}" in page, programme
    lishui = (tmp_path / "annual" / "lishui" / "2022" / "zh" / "report.html").read_text("utf-8")
    assert "62,619" in lishui
