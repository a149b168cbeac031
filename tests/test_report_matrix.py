"""Every report kind, in both languages, on shapes of data a report did not expect: no
section may fail. The sections are written in-process (building each notebook in a kernel
would take minutes) and their blocks rendered as the page's markup; a few real notebooks
are built in test_report.py.

A section that cannot be computed must say why in a catalogue sentence; an unforeseen
error is recorded in the document's failures and fails this test."""

import re

import matplotlib
import pandas as pd
import pytest

import impact
from impact.dataset import Dataset
from impact.report import export
from impact.report.catalogue import TEXT
from impact.report.charts import style
from impact.report.render.page import body
from impact.report.sections import REPORTS, Report
from impact.report.sections.annual import participation_effect
from impact.report.writing import Writer

from .conftest import ROOT

# Words a Chinese page may carry: method names and references.
ALLOWED_ENGLISH = {
    "BCa",
    "Efron",
    "Callaway",
    "Sant",
    "Anna",
    "Goodman",
    "Bacon",
    "Kaplan",
    "Meier",
    "AUC",
}


def _sample() -> Dataset:
    return impact.load(ROOT / "data" / "sample")


def _with(data: Dataset, **tables) -> Dataset:
    current = dict(data.tables) | tables
    return Dataset(**{k: v for k, v in current.items() if v is not None}, origin=data.origin)


def _shape(name: str, data: Dataset) -> Dataset:
    projects = data.projects
    if name == "sample":
        return data
    if name == "no_panel":
        return _with(data, panel=None)
    if name == "no_indicators":
        return _with(data, indicators=None)
    if name == "no_predecessor":
        return _with(data, projects=projects.drop(columns="predecessor_id"))
    if name == "no_application_type":
        return _with(data, projects=projects.drop(columns="application_type"))
    if name == "no_tier_or_theme":
        return _with(data, projects=projects.drop(columns=["tier", "theme"]))
    if name == "one_round":
        keep = projects[projects["round"] == 1]
        return _with(
            data,
            projects=keep,
            rounds=data.rounds[data.rounds["round"] == 1],
            funding=data.funding[data.funding.project_id.isin(keep.project_id)],
            indicators=data.indicators[data.indicators.project_id.isin(keep.project_id)],
            followups=data.followups[data.followups.project_id.isin(keep.project_id)],
        )
    if name == "no_seed_grant":
        return _with(
            data,
            projects=projects.assign(grant_yuan=float("nan")),
            funding=data.funding[data.funding.source != "seed_grant"],
        )
    if name == "one_project":
        keep = projects[
            (projects.programme_id == "lishui_like")
            & (projects["round"] == 4)
            & (projects.grant_yuan > 0)
        ].head(1)
        return _with(
            data,
            projects=keep,
            funding=data.funding[data.funding.project_id.isin(keep.project_id)],
            indicators=data.indicators[data.indicators.project_id.isin(keep.project_id)],
            followups=data.followups[data.followups.project_id.isin(keep.project_id)],
        )
    if name == "published_only":
        return impact.load(ROOT / "data" / "published")
    raise ValueError(name)


SHAPES = [
    "sample",
    "no_panel",
    "no_indicators",
    "no_predecessor",
    "no_application_type",
    "no_tier_or_theme",
    "one_round",
    "no_seed_grant",
    "one_project",
    "published_only",
]
PERIODS = {
    "midterm": {"programme": "lishui_like", "round_no": 4},
    "annual": {"programme": "lishui_like", "year": 2022},
    "compare": {},
    "explore": {},
}
FUND_PERIODS = {
    "midterm": {"programme": "fund_like", "round_no": 2},
    "annual": {"programme": "fund_like", "year": 2023},
}


def build(data, kind, language, **period):
    """The report's document and its page's markup, block by block (cells as plain
    <td>/<th>: the page adds labels and classes for phones)."""
    report = Report.open(kind, data, language=language, options={"n_boot": 49, "seed": 1}, **period)
    document = report.build()
    shown = [re.sub(r"<(t[dh]|tr|table)\b[^>]*>", r"<\1>", m) for m in body(document, language)]
    return document, shown


def check(document, shown, language):
    unforeseen = [f for f in document.failures if f.error != "EstimationError"]
    assert not unforeseen, [(f.section, f.error, f.message) for f in unforeseen]
    page = "\n".join(shown)
    assert "nan" not in re.findall(r"\b[a-zA-Z]+\b", re.sub(r"<[^>]+>", " ", page))
    assert "True" not in page and "False" not in page
    if language == "zh":
        headings = re.findall(r"<h2>([^<]*)</h2>", page)
        assert all(h in {e["zh"] for e in TEXT.values()} for h in headings), headings
        notes = re.findall(r'<p class="note">([^<]*)</p>', page)
        english = {w for n in notes for w in re.findall(r"[A-Za-z]{3,}", n)} - ALLOWED_ENGLISH
        assert not english, english
        cells = re.findall(r"<t[dh]>([^<]*)</t[dh]>", page)  # data and headers alike
        english = {w for c in cells for w in re.findall(r"[A-Za-z]{3,}", c)} - ALLOWED_ENGLISH
        assert not english, english


@pytest.fixture(scope="module")
def sample():
    return _sample()


def _cases(languages):
    for shape in SHAPES:
        for kind in REPORTS:
            for language in languages:
                yield pytest.param(shape, kind, language, id=f"{shape}-{kind}-{language}")


@pytest.mark.parametrize(("shape", "kind", "language"), list(_cases(["zh"])))
def test_every_report_kind_on_every_shape_in_chinese(sample, shape, kind, language):
    report, shown = build(_shape(shape, sample), kind, language, **PERIODS[kind])
    check(report, shown, language)


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "kind", "language"), list(_cases(["en"])))
def test_every_report_kind_on_every_shape_in_english(sample, shape, kind, language):
    report, shown = build(_shape(shape, sample), kind, language, **PERIODS[kind])
    check(report, shown, language)


@pytest.mark.parametrize("kind", ["midterm", "annual"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_fund_like_programme_without_matched_projects(sample, kind, language):
    """Its annual reports failed with a singular matrix in the hazard section."""
    document, shown = build(sample, kind, language, **FUND_PERIODS[kind])
    assert not document.failures
    check(document, shown, language)
    if kind == "annual":
        page = "\n".join(shown)
        assert TEXT["no_matched"][language] in page


def test_annual_reports_of_different_years_differ(sample):
    _, y2019 = build(sample, "annual", "en", programme="lishui_like", year=2019)
    _, y2022 = build(sample, "annual", "en", programme="lishui_like", year=2022)
    leverage = [i for i, m in enumerate(y2019) if "<h2>Money and leverage</h2>" in m][0]
    assert y2019[leverage + 1] != y2022[leverage + 1]


def test_report_overall_effect_is_the_summary_overall(sample):
    """The report's overall effect row is the same aggregation as DidResult.summary()."""
    from impact.participation import dataset_did
    from impact.report import scope

    report, shown = build(sample, "annual", "en", programme="lishui_like", year=2022)
    data = scope.for_year(sample, "lishui_like", 2022, cumulative=True)
    result = dataset_did(data, outcome="volunteers_per_1000")
    simple = result.table.loc["simple"]  # the summary's first, named overall effect
    assert str(result.summary()).index("simple") < str(result.summary()).index("dynamic")
    page = "\n".join(shown)
    row = re.search(
        r"<td[^>]*>overall \(years after joining\)</td>\s*<td[^>]*>([-0-9.]+)</td>", page
    )
    assert row and float(row.group(1)) == pytest.approx(simple.att, abs=0.005)
    assert f"{result.inputs['n_units']} communities" in page and result.inputs["n_units"] == 24


def test_leverage_always_has_an_overall_row(sample):
    report, shown = build(sample, "annual", "en", programme="fund_like", year=2023)
    page = "\n".join(shown)
    table = page[page.index("<h2>Money and leverage</h2>") :]
    assert re.search(r"<td[^>]*>overall</td>", table)


def written(report, *names) -> str:
    """The page's markup of the named sections of ``report``."""
    return "\n".join(
        piece for name in names for piece in body(report.section(name), report.context.language)
    )


def test_options_reach_every_section(sample):
    report = Report.open(
        "annual",
        sample,
        programme="lishui_like",
        year=2022,
        language="en",
        options={"ci": 0.9, "n_boot": 49, "seed": 3},
    )
    page = written(report, "leverage", "participation", "funnel")
    assert page.count("90% intervals") == 3
    assert report.context.leverage_overall.inputs.get("n_boot", 49) == 49


def test_commentary_and_recommendations_are_escaped(sample):
    report = Report.open(
        "annual",
        sample,
        programme="lishui_like",
        year=2022,
        language="zh",
        options={
            "n_boot": 49,
            "commentary": "整体进展良好。<script>alert(1)</script>",
            "recommendations": ["加强宣传", "<b>补充</b>台账"],
        },
    )
    page = written(report, "key_findings")
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "<li>加强宣传</li>" in page and "&lt;b&gt;补充&lt;/b&gt;台账" in page
    assert page.index("主要发现") < page.index("评估方意见") < page.index("建议")


def test_midterm_counts_and_lagging_indicators(sample):
    _, shown = build(sample, "midterm", "zh", programme="lishui_like", round_no=4)
    report = Report.open("midterm", sample, programme="lishui_like", round_no=4)
    frame = report.context.progress.frame
    counts = frame.status.value_counts()
    sentence = TEXT["status_counts"]["zh"].format(
        total=len(frame),
        behind=counts.get("behind", 0),
        watch=counts.get("watch", 0),
        on_track=counts.get("on_track", 0),
    )
    page = "\n".join(shown)
    assert page.index(sentence) < page.index("<h2>指标完成情况</h2>")
    not_on_track = frame[frame.status.isin(["behind", "watch"])]
    assert (not_on_track.lagging.map(len) > 0).all()
    assert frame.status.tolist() == sorted(
        frame.status.tolist(), key=["behind", "watch", "on_track"].index
    )


def test_published_lishui_leverage_in_the_comparison(sample):
    report, shown = build(sample, "compare", "zh")
    page = "\n".join(shown)
    assert "62,619" in page


def test_frames_without_optional_columns_still_report():
    frames = pd.DataFrame(
        {
            "project_id": ["A", "B"],
            "programme_id": ["p", "p"],
            "round": [1, 1],
            "title": ["甲", "乙"],
            "grant_yuan": [1000, 2000],
            "stage": ["signed", "signed"],
        }
    )
    data = Dataset.from_frames(projects=frames)
    for kind, period in {
        "midterm": {"programme": "p", "round_no": 1},
        "annual": {"programme": "p", "year": 2020},
        "compare": {},
        "explore": {},
    }.items():
        report, shown = build(data, kind, "zh", **period)
        check(report, shown, "zh")


def test_compare_reports_of_different_data_do_not_share_a_folder(tmp_path):
    from impact.report.params import ReportParams

    one = ReportParams(kind="compare", data=ROOT / "data" / "sample")
    two = ReportParams(kind="compare", data=ROOT / "data" / "programmes" / "lishui")
    same_name = ReportParams(kind="compare", data=tmp_path / "sample")
    folders = {p.output_folder(tmp_path) for p in (one, two, same_name)}
    assert len(folders) == 3
    assert one.output_folder(tmp_path).parts[-3].startswith("sample-")


def test_index_groups_reports_by_programme():
    from impact.report.index import group_by_programme

    def row(programme, data, kind, period):
        return {"programme": programme, "data": data, "kind_key": kind, "period": period}

    rows = [
        row("lishui", "lishui", "annual", 2022),
        row(None, "sample", "compare", ""),
        row("lishui", "lishui", "midterm", 4),
        row("fund_like", "sample", "annual", 2023),
        row(None, "lishui", "compare", ""),
    ]
    groups = group_by_programme(rows)
    assert [g["label"] for g in groups] == ["fund_like", "lishui", "多个计划"]
    lishui = groups[1]
    assert [r["period"] for r in lishui["rows"]] == [4, 2022, ""]  # mid-term, annual, compare


def test_index_groups_are_headed_by_the_programmes_names(tmp_path):
    """The index heads a group with the programme's names from the data (Chinese / English,
    as the rest of the index), not its id; the id only where no report knows a name."""
    import json

    from impact.report import index
    from impact.report.runner.titles import programme_names

    names = programme_names("lishui_like", impact.load(ROOT / "data" / "sample"))
    assert names == {"zh": "善治微创投大赛（模拟）", "en": names["en"]}
    assert names["en"] and names["en"] != "lishui_like"
    records = {
        "annual/lishui_like/2021/zh": {"programme": "lishui_like", "year": 2021, "names": names},
        "annual/lishui_like/2021/en": {"programme": "lishui_like", "year": 2021, "names": {}},
        "annual/nameless/2021/zh": {"programme": "nameless", "year": 2021, "names": {}},
        "annual/zh_only/2021/zh": {"programme": "zh_only", "year": 2021, "names": {"zh": "某计划"}},
    }
    for folder, record in records.items():
        path = tmp_path / folder
        path.mkdir(parents=True)
        (path / "report.html").write_text("<html></html>", "utf-8")
        parameters = {"kind": "annual", "data": "data/sample", "language": "zh"}
        parameters |= {"programme": record["programme"], "year": record["year"]}
        (path / "run.json").write_text(
            json.dumps(
                {"status": "ok", "parameters": parameters, "programme_names": record["names"]}
            ),
            "utf-8",
        )
    groups = index.group_by_programme(index.rows(index.collect(tmp_path), "zh"), "zh")
    assert [g["label"] for g in groups] == ["善治微创投大赛（模拟）", "nameless", "某计划"]
    assert len(groups[0]["rows"]) == 2


# ---------------------------------------------------------------- the five programmes

PROGRAMMES = {  # programme: (its year, a mid-term round where the data have one)
    "lishui": (2022, 4),
    "hongshan": (2017, None),
    "weifang_xincun": (2024, 2024),
    "longgang": (2019, None),
    "gangwan": (2024, None),
}


@pytest.fixture(scope="module")
def programmes(tmp_path_factory) -> dict[str, Dataset]:
    """The five programmes as their offices send them; in the plain layout the same
    script writes where the office layout does not load yet."""
    import runpy
    import sys

    loaded = {}
    plain = None
    for name in PROGRAMMES:
        try:
            loaded[name] = impact.load(ROOT / "data" / "programmes" / name)
            continue
        except Exception:  # noqa: BLE001 - until the office layout loads
            pass
        if plain is None:
            plain = tmp_path_factory.mktemp("plain")
            argv = sys.argv
            sys.argv = ["build.py", "--out", str(plain), "--plain"]
            try:
                runpy.run_path(str(ROOT / "data" / "programmes" / "build.py"), run_name="__main__")
            finally:
                sys.argv = argv
        loaded[name] = impact.load(plain / name)
    return loaded


def _programme_cases(languages):
    for name, (year, midterm) in PROGRAMMES.items():
        for language in languages:
            yield pytest.param(
                name,
                "annual",
                {"programme": name, "year": year},
                language,
                id=f"{name}-annual-{language}",
            )
            if midterm is not None:
                yield pytest.param(
                    name,
                    "midterm",
                    {"programme": name, "round_no": midterm},
                    language,
                    id=f"{name}-midterm-{language}",
                )
            yield pytest.param(name, "compare", {}, language, id=f"{name}-compare-{language}")
            yield pytest.param(name, "explore", {}, language, id=f"{name}-explore-{language}")


@pytest.mark.parametrize(("name", "kind", "period", "language"), list(_programme_cases(["zh"])))
def test_every_report_of_the_five_programmes(programmes, name, kind, period, language, tmp_path):
    document, shown = build(programmes[name], kind, language, **period)
    check(document, shown, language)
    assert not document.failures
    export.render(
        document, tmp_path, title="t", language=language, record={}, pdf=False, docx=False
    )
    tables = list((tmp_path / "tables").glob("*.csv"))  # every table is saved twice:
    if tables:  # as a CSV and as a sheet of the report's workbook (and its first sheet)
        import openpyxl

        book = openpyxl.load_workbook(tmp_path / "report.xlsx")
        assert len(book.sheetnames) == len(tables) + 1


@pytest.mark.slow
@pytest.mark.parametrize(("name", "kind", "period", "language"), list(_programme_cases(["en"])))
def test_every_report_of_the_five_programmes_in_english(programmes, name, kind, period, language):
    report, shown = build(programmes[name], kind, language, **period)
    check(report, shown, language)


def _shown_value(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _cell(text: str, page: str) -> bool:
    """A table cell holding exactly ``text`` (cells carry their column's label)."""
    return re.search(rf"<td[^>]*>{re.escape(text)}</td>", page) is not None


@pytest.mark.parametrize("name", list(PROGRAMMES))
def test_every_published_figure_appears_in_its_programme_report(programmes, name):
    year, _ = PROGRAMMES[name]
    report, shown = build(programmes[name], "annual", "zh", programme=name, year=year)
    page = "\n".join(shown)
    published = impact.load(ROOT / "data" / "published").published
    mine = published[published.programme_id == name]
    assert len(mine)
    for row in mine.itertuples():
        text = f"{row.value:.0%}" if row.unit == "share" else _shown_value(row.value)
        # a figure the source gave as a lower bound or an approximation keeps its words
        text = {"at_least": f"{text}余", "about": f"约{text}"}.get(row.qualifier, text)
        assert _cell(text, page), (row.indicator, row.category, text)


def test_headline_figures_computed_from_the_programmes_data(programmes):
    """Figures the reports compute from each office's own rows, against the articles."""
    pages = {}
    for name, (year, _) in PROGRAMMES.items():
        _, shown = build(programmes[name], "annual", "zh", programme=name, year=year)
        pages[name] = "\n".join(shown)
    # Lishui: 62,619 yuan leveraged in the overall leverage row (DOMAIN.md)
    assert _cell("总体", pages["lishui"]) and _cell("62,619", pages["lishui"])
    # Hongshan: 2,336 → 376 → 190 → 185; 686,404.16 / 253,537 ≈ 2.71 yuan per person-time
    # the data record projects completed, not signed: the funnel shows the stages recorded
    assert "提案 2,336 → 入围 376 → 立项 190 → 结项 185" in pages["hongshan"]
    assert _cell("2.71", pages["hongshan"])
    assert "新组建社区社会组织649个，其中66个完成民政登记" in pages["hongshan"]
    # Weifang Xincun: 8 / 21 / 26 by tier, six groups
    assert "示范类8个" in pages["weifang_xincun"] and "共6个同伴学习小组" in pages["weifang_xincun"]
    # Longgang: 16 leaders across three pilot communities
    assert "培育社区领袖16人" in pages["longgang"]
    # Gangwan: 15% of service income to the community fund
    assert "（占服务收入的15%）" in pages["gangwan"]


def test_midterm_risk_model_learns_only_what_was_known(sample):
    from impact.report import scope
    from impact.sustainability import dataset_risk, project_rounds

    report = Report.open("midterm", sample, programme="fund_like", round_no=3, language="en")
    learnt = report.context.risk.metrics["n"]
    known = project_rounds(scope.as_of_midterm(sample, "fund_like", 3)).ended.notna().sum()
    everything = dataset_risk(sample).metrics["n"]
    assert learnt == known < everything


def _programme_years(marked: bool = False):
    """Every (programme, round, year) of the sample; with ``marked``, the middle rounds
    (neither a programme's first nor its last) run only with the slow checks."""
    rounds = pd.read_csv(ROOT / "data" / "sample" / "rounds.csv", encoding="utf-8-sig")
    cases = []
    for r in rounds.itertuples():
        mine = rounds[rounds.programme_id == r.programme_id]["round"]
        middle = mine.min() < r.round < mine.max()
        marks = [pytest.mark.slow] if marked and middle else []
        cases.append(pytest.param(r.programme_id, int(r.round), int(r.year), marks=marks))
    return cases


@pytest.mark.parametrize(("programme", "round_no", "year"), _programme_years(marked=True))
def test_every_programme_year_of_the_sample(sample, programme, round_no, year):
    report, shown = build(sample, "annual", "zh", programme=programme, year=year)
    check(report, shown, "zh")
    report, shown = build(sample, "midterm", "zh", programme=programme, round_no=round_no)
    check(report, shown, "zh")


@pytest.mark.slow
@pytest.mark.parametrize(("programme", "round_no", "year"), _programme_years())
def test_every_programme_year_of_the_sample_in_english(sample, programme, round_no, year):
    report, shown = build(sample, "annual", "en", programme=programme, year=year)
    check(report, shown, "en")
    report, shown = build(sample, "midterm", "en", programme=programme, round_no=round_no)
    check(report, shown, "en")


def test_annual_page_always_names_its_pre_trend_test(sample):
    """R's joint test of every pre-joining cell where it exists; where its covariance is
    singular (R refuses it too), the event-time test is shown under its own name instead of
    the check silently disappearing from the page."""
    from impact.participation import dataset_did
    from impact.report import scope

    data = scope.for_year(sample, "lishui_like", 2022, cumulative=True)
    result = dataset_did(data, outcome="volunteers_per_1000")
    _, shown = build(sample, "annual", "en", programme="lishui_like", year=2022)
    page = "\n".join(shown)
    if result.pretrend:
        assert "Pre-trend test (all pre-joining cells jointly)" in page
    else:
        assert result.pretrend_event_time is not None
        assert "Pre-trend test (averages by years before joining" in page
        assert f"df = {result.pretrend_event_time.df}" in page


def test_participation_with_too_few_never_joined_compares_with_not_yet_joined(sample):
    """fund_like has 4 never-joined communities, one short of the 5 the estimator (like R
    did) requires of a comparison group: the section must switch to the not-yet-joined
    communities and say so, not fail with the estimator's message."""
    from impact.participation import community_cohorts
    from impact.participation.staggered import MIN_GROUP
    from impact.report import scope

    own = scope.for_programme(sample, "fund_like")
    cohorts = community_cohorts(own)
    never = int((cohorts[cohorts.index.isin(set(own.panel.community_id))] == 0).sum())
    assert 0 < never < MIN_GROUP  # the case this test is about
    report = Report.open("explore", sample, language="en", options={"n_boot": 49})
    doc = Writer("participation", "en", report.font)
    with matplotlib.rc_context(style(report.font)):
        participation_effect(report.context, doc, own, "event_study_fund_like")
    page = doc.part().html()
    assert report.context.t("did_notyet") in page
    assert "control=" not in page
