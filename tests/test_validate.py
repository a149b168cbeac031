"""Each validation rule against its own broken fixture in tests/data/bad/<rule>/.

Every fixture is the clean data set of tests/data/clean with one defect, written by hand;
the expected line is what a user must see: file, row as a spreadsheet shows it, column,
message and the offending value.
"""

import pytest

import impact
from impact import DataError

from .conftest import DATA

# fixture → (file, row, column, message fragment, value as written)
ERRORS = {
    "missing_column": ("projects.csv", 1, "stage", "required column missing", None),
    "missing_value": ("projects.csv", 3, "programme_id", "required value missing", None),
    "bad_number": ("rounds.csv", 2, "year", "not a number", "前年"),
    "bad_date": ("rounds.csv", 3, "midterm_date", "not a date", "2022-13-45"),
    "bad_category": ("projects.csv", 5, "stage", "did you mean 'signed'?", "signd"),
    "negative_money": ("funding.csv", 3, "amount_yuan", "must not be negative", "-2000"),
    "negative_count": ("projects.csv", 4, "team_size", "must not be negative", "-4"),
    "duplicate_key": (
        "projects.csv",
        6,
        "project_id",
        "duplicate key (project_id); first at row 3",
        "P2",
    ),
    "round_not_found": (
        "projects.csv",
        5,
        "round",
        "round 3 of programme demo is not in rounds.csv",
        "3",
    ),
    "funding_project_not_found": (
        "funding.csv",
        8,
        "project_id",
        "not found in projects.csv (project_id); did you mean 'P4'?",
        "P44",
    ),
    "predecessor_not_earlier": (
        "projects.csv",
        3,
        "predecessor_id",
        "predecessor is in round 2, not in an earlier round than 1",
        "P4",
    ),
    "predecessor_other_programme": (
        "projects.csv",
        6,
        "predecessor_id",
        "predecessor belongs to programme demo, not other",
        "P1",
    ),
    "panel_community_not_found": (
        "panel.csv",
        5,
        "community_id",
        "not found in communities.csv",
        "C3",
    ),
    "dates_out_of_order": (
        "rounds.csv",
        2,
        "midterm_date",
        "midterm_date is before start_date",
        "2021-08-15",
    ),
    "funded_below_approved": (
        "projects.csv",
        4,
        "stage",
        "grant of 3,000 yuan but its stage is below 'approved'",
        "shortlisted",
    ),
    "followup_before_round": (
        "followups.csv",
        2,
        "year",
        "before the project's round (2021)",
        "2020",
    ),
    "bad_share": ("panel.csv", 2, "participation_rate", "between 0 and 1", "12"),
    "bad_bool": ("followups.csv", 3, "registered", "not yes or no", "maybe"),
    "malformed_row": (
        "funding.csv",
        5,
        None,
        "row has 6 fields, header has 5",
        "P2,seed_grant,8000,cash,2021-09-01,extra",
    ),
    "grant_min_above_max": ("rounds.csv", 3, "grant_max_yuan", "below grant_min_yuan", "10000"),
}

WARNINGS = {
    "warn_high_leverage": ("projects.csv", 2, "grant_yuan", "is 60× the grant", "5000"),
    "warn_person_times": (
        "indicators.csv",
        5,
        "value",
        "more than 100× the community's population (8,000)",
        "900000",
    ),
    "warn_grant_out_of_range": (
        "projects.csv",
        2,
        "grant_yuan",
        "outside the round's grant range 2,000–10,000 yuan",
        "15000",
    ),
}


def test_clean_fixture_has_no_issue(clean_dir):
    assert impact.validate(clean_dir) == []


@pytest.mark.parametrize("fixture", sorted(ERRORS))
def test_each_rule_reports_exactly_its_defect(fixture):
    file, row, column, fragment, value = ERRORS[fixture]
    issues = impact.validate(DATA / "bad" / fixture)
    errors = [i for i in issues if i.severity == "error"]
    assert len(errors) == 1, "\n".join(map(str, issues))
    (issue,) = errors
    assert (issue.file, issue.row, issue.column, issue.value) == (file, row, column, value)
    assert fragment in issue.message
    with pytest.raises(DataError) as raised:
        impact.load(DATA / "bad" / fixture)
    assert raised.value.issues == issues


@pytest.mark.parametrize("fixture", sorted(WARNINGS))
def test_suspicious_values_are_warnings_and_data_still_load(fixture):
    file, row, column, fragment, value = WARNINGS[fixture]
    data = impact.load(DATA / "bad" / fixture)
    (warning,) = data.warnings
    assert warning.severity == "warning"
    assert (warning.file, warning.row, warning.column, warning.value) == (file, row, column, value)
    assert fragment in warning.message


def test_unknown_column_and_file_are_warnings_with_the_column_kept():
    data = impact.load(DATA / "bad" / "warn_unknown_column_and_file")
    messages = sorted(str(w) for w in data.warnings)
    assert messages == [
        "notes.csv: warning: skipped: 'notes' is not a known table; table names are "
        "programmes, rounds, projects, funding, indicators, communities, panel, followups, "
        "sources, published, awards, organisations, community_rounds, people, community_funds, "
        "fund_flows",
    ]
    # a remarks column (备注) is kept under its own name with a note, not a warning
    assert "projects.csv:1: 备注: note: notes column kept as it is" in map(str, data.notes)
    assert list(data.projects["备注"]) == ["x"] * 4


def test_misspelt_header_suggests_the_column(tmp_path):
    (tmp_path / "funding.csv").write_text(
        "project_id,sorce,amount_yuan\nP1,donation,100\n", "utf-8"
    )
    # the unknown header is named as the likely home of the missing required column
    issues = [str(i) for i in impact.validate(tmp_path)]
    assert issues == [
        "funding.csv:1: source: required column missing; the header 'sorce' may be it: add a "
        "line to impact-mapping.yaml (under funding: headers:)"
    ]


def test_every_problem_is_found_in_one_pass(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "project_id,programme_id,round,stage,grant_yuan\n"
        "P1,demo,1,completed,abc\n"
        "P1,demo,x,approvd,-5\n"
        ",demo,1,idea,\n",
        "utf-8",
    )
    located = {(i.row, i.column) for i in impact.validate(tmp_path)}
    assert located == {
        (2, "grant_yuan"),
        (3, "project_id"),
        (3, "round"),
        (3, "stage"),
        (3, "grant_yuan"),
        (4, "project_id"),
    }


def test_missing_path_is_one_clear_error(tmp_path):
    with pytest.raises(DataError) as raised:
        impact.load(tmp_path / "nowhere")
    assert "no such file or folder" in str(raised.value)


def test_empty_folder_says_what_was_expected(tmp_path):
    (issue,) = impact.validate(tmp_path)
    assert "no data files found" in issue.message


def test_two_files_for_one_table_is_an_error(tmp_path, clean_dir):
    text = (clean_dir / "projects.csv").read_text("utf-8")
    (tmp_path / "projects.csv").write_text(text, "utf-8")
    (tmp_path / "项目.csv").write_text(text, "utf-8")
    (issue,) = impact.validate(tmp_path)
    assert "more than one file holds table 'projects'" in issue.message


def test_empty_file_is_reported(tmp_path):
    (tmp_path / "projects.csv").write_bytes(b"")
    (issue,) = impact.validate(tmp_path)
    assert (issue.file, issue.row) == ("projects.csv", 1)
    assert "empty" in issue.message


GARBAGE = [
    "",
    " ",
    "abc",
    "-1",
    "1e999",
    "NaN",
    "nan",
    "2022年13月1日",
    "是",
    "1.2万万",
    "--",
    "P1",
    "demo",
    "0",
    "3.5",
    "，",
    "N/A",
    "#REF!",
    "1:0",
    "60%%",
    "\u3000",
]


@pytest.mark.parametrize("seed", range(40))
def test_random_corruption_never_crashes(tmp_path, clean_dir, seed):
    # Whatever a spreadsheet holds, validation answers with issues, never an exception.
    import random

    rng = random.Random(seed)
    for path in clean_dir.iterdir():
        lines = path.read_text("utf-8").splitlines()
        for _ in range(3):
            row = rng.randrange(1, len(lines))
            cells = lines[row].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(GARBAGE)
            lines[row] = ",".join(cells)
        (tmp_path / path.name).write_text("\n".join(lines) + "\n", "utf-8")
    issues = impact.validate(tmp_path)
    assert all(isinstance(i, impact.Issue) for i in issues)


def test_spending_above_the_grant_is_a_warning(tmp_path):
    (tmp_path / "projects.csv").write_text(
        "project_id,programme_id,round,stage,grant_yuan,spent_yuan\n"
        "P1,demo,1,signed,5000,4000\nP2,demo,1,signed,5000,6000元\n",
        "utf-8",
    )
    data = impact.load(tmp_path)
    (warning,) = data.warnings
    assert (warning.row, warning.column, warning.value) == (3, "spent_yuan", "6000")
    assert "more than the grant of 5,000 yuan was spent" in warning.message
