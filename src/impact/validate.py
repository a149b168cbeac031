"""Checks that need more than one value: keys, links between tables, dates in order,
funnel logic, and plausibility warnings.

Each check adds :class:`~impact.errors.Issue` records; none stops at the first problem.
Checks on a table run only when that table (and any table it links to) is present, because
any subset of tables is a valid data set.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from .errors import Issue
from .io import ParsedTable, display
from .keys import positions
from .schema import FUNNEL_STAGES, TABLES

LEVERAGE_WARNING = 50.0  # leveraged ÷ grant above this is possible but worth a second look
PERSON_TIMES_WARNING = 100.0  # person-times above this multiple of the population
PERSON_TIME_INDICATORS = ("residents_served", "volunteer_person_times")
_ROUND_DATES = ("call_date", "start_date", "midterm_date", "end_date")


class _Report:
    """Collects issues located by table position."""

    def __init__(self, tables: dict[str, ParsedTable]) -> None:
        self.tables = tables
        self.issues: list[Issue] = []
        self._positions: dict[tuple[str, str, str], np.ndarray] = {}

    def positions(self, table: str, column: str, target: str) -> np.ndarray:
        """Row of ``target`` that each row's ``column`` points to (-1 for none). Computed once
        and shared: the reference check, the predecessor rule and the leverage warning all
        need the same lookup, which dominates the cost of validating large files."""
        key = (table, column, target)
        if key not in self._positions:
            target_table, target_column = target.split(".")
            self._positions[key] = positions(
                self.tables[target_table].frame[target_column], self.tables[table].frame[column]
            )
        return self._positions[key]

    def rows(
        self,
        table: str,
        mask: np.ndarray,
        column: str,
        message,
        values=None,
        severity: str = "error",
    ) -> None:
        parsed = self.tables[table]
        positions = np.flatnonzero(mask)
        shown = parsed.frame[column] if values is None and column in parsed.frame else values
        for position in positions:
            value = None if shown is None else shown.iloc[position]
            text = message(position) if callable(message) else message
            self.issues.append(
                Issue(
                    parsed.label_at(position),
                    int(parsed.row_number(position)),
                    column,
                    text,
                    display(value),
                    severity,
                )
            )


def check(tables: dict[str, ParsedTable]) -> list[Issue]:
    """Run every cross-value check on parsed tables; return the issues found."""
    report = _Report(tables)
    for name in tables:
        _required_values(report, name)
        _duplicate_keys(report, name)
        _references(report, name)
    if "rounds" in tables:
        _round_rules(report)
    if "projects" in tables:
        _project_rules(report)
    if "followups" in tables and "projects" in tables and "rounds" in tables:
        _followups_after_round(report)
    if "funding" in tables and "projects" in tables:
        _leverage_plausible(report)
    if {"indicators", "projects", "communities"} <= tables.keys():
        _person_times_plausible(report)
    if {"people", "community_rounds"} <= tables.keys():
        _roster_against_counts(report)
    return report.issues


def _present(frame: pd.DataFrame, columns) -> bool:
    return all(c in frame.columns for c in columns)


def _required_values(report: _Report, name: str) -> None:
    frame = report.tables[name].frame
    for column in TABLES[name].columns:
        if column.required and column.name in frame:
            missing = frame[column.name].isna().to_numpy()
            # A value present but unreadable was reported by the parser already.
            if missing.any():
                unread = _unreadable_rows(report.tables[name], column.name)
                report.rows(name, missing & ~unread, column.name, "required value missing")


def _unreadable_rows(parsed: ParsedTable, column: str) -> np.ndarray:
    """Rows whose value in ``column`` the parser reported as unreadable."""
    reported = [
        (i.file, i.row)
        for i in parsed.issues
        if i.column == column and i.row is not None and i.severity == "error"
    ]
    if not reported:
        return np.zeros(len(parsed.frame), dtype=bool)
    rows = parsed.row_number(np.arange(len(parsed.frame)))
    if parsed.labels is None:
        return np.isin(rows, [row for _, row in reported])
    places = set(reported)
    return np.array([(str(f), int(r)) in places for f, r in zip(parsed.labels, rows, strict=True)])


def _duplicate_keys(report: _Report, name: str) -> None:
    table = TABLES[name]
    frame = report.tables[name].frame
    # An optional key part the table lacks (a roster with no round) is left out of the key;
    # without its identifier (a roster with no numbers), rows have no key to repeat.
    key = [c for c in table.key if c in frame or table.column(c).required]
    absent_ids = [c for c in table.key if c not in frame and table.column(c).type == "id"]
    if not key or absent_ids or not _present(frame, key):
        return
    # Optional key parts (published.round) may be blank; required ones blank are reported,
    # and a row with a blank identifier (a roster's person with no number) has no key.
    required = [c for c in key if table.column(c).required or table.column(c).type == "id"]
    keyed = frame[key]
    complete = keyed[required].notna().all(axis=1).to_numpy()
    duplicated = keyed.duplicated(keep="first").to_numpy() & complete
    if not duplicated.any():
        return
    first_seen = keyed.reset_index(drop=True).groupby(key, dropna=False, sort=False, observed=True)
    first_position = first_seen.cumcount().to_numpy()  # 0 for the first of each key
    group_first = first_seen.ngroup().to_numpy()
    first_of_group = {}
    for position in np.flatnonzero(first_position == 0):
        first_of_group[group_first[position]] = position
    parsed = report.tables[name]
    label = " + ".join(key)

    def message(position: int) -> str:
        first = parsed.place(first_of_group[group_first[position]])
        return f"duplicate key ({label}); first at {first}"

    report.rows(name, duplicated, key[0], message)


def _references(report: _Report, name: str) -> None:
    frame = report.tables[name].frame
    for column in TABLES[name].columns:
        if not column.references or column.name not in frame:
            continue
        target_table, target_column = column.references.split(".")
        if target_table not in report.tables:
            continue
        target = report.tables[target_table].frame.get(target_column)
        if target is None:
            continue
        values = frame[column.name]
        found = report.positions(name, column.name, column.references) >= 0
        broken = values.notna().to_numpy(dtype=bool) & ~found
        if not broken.any():
            continue
        target_label = report.tables[target_table].label
        known = target.dropna().unique()
        candidates = [str(k) for k in known] if len(known) <= 5000 else []

        def message(
            position: int,
            values=values,
            candidates=candidates,
            target_label=target_label,
            target_column=target_column,
        ) -> str:
            close = difflib.get_close_matches(str(values.iloc[position]), candidates, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return f"not found in {target_label} ({target_column}){hint}"

        report.rows(name, broken, column.name, message)


def _round_rules(report: _Report) -> None:
    rounds = report.tables["rounds"].frame
    present = [c for c in _ROUND_DATES if c in rounds]
    for earlier, later in zip(present, present[1:], strict=False):
        wrong = (rounds[earlier] > rounds[later]).fillna(False).to_numpy(dtype=bool)
        report.rows(
            "rounds",
            wrong,
            later,
            lambda p, e=earlier, la=later: f"{la} is before {e} ({rounds[e].iloc[p]:%Y-%m-%d})",
        )
    if _present(rounds, ["grant_min_yuan", "grant_max_yuan"]):
        wrong = (rounds.grant_min_yuan > rounds.grant_max_yuan).fillna(False).to_numpy(bool)
        report.rows("rounds", wrong, "grant_max_yuan", "grant_max_yuan is below grant_min_yuan")


def _project_rules(report: _Report) -> None:
    projects = report.tables["projects"].frame
    if _present(projects, ["grant_yuan", "stage"]):
        early = projects.stage.isin(FUNNEL_STAGES[:2]).to_numpy(dtype=bool)
        funded = (projects.grant_yuan > 0).fillna(False).to_numpy(dtype=bool)
        report.rows(
            "projects",
            early & funded,
            "stage",
            lambda p: (
                f"has a grant of {projects.grant_yuan.iloc[p]:,.0f} yuan but its "
                "stage is below 'approved'"
            ),
        )
    if _present(projects, ["grant_yuan", "spent_yuan"]):
        grant = projects.grant_yuan.to_numpy(dtype=float, na_value=np.nan)
        spent = projects.spent_yuan.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            overspent = spent > grant * 1.0001
        report.rows(
            "projects",
            overspent,
            "spent_yuan",
            lambda p: f"more than the grant of {grant[p]:,.0f} yuan was spent",
            severity="warning",
        )
    if "rounds" in report.tables and _present(projects, ["programme_id", "round"]):
        rounds = report.tables["rounds"].frame
        if _present(rounds, ["programme_id", "round"]):
            known = pd.MultiIndex.from_frame(rounds[["programme_id", "round"]].dropna())
            keys = pd.MultiIndex.from_frame(projects[["programme_id", "round"]])
            broken = ~keys.isin(known) & projects[["programme_id", "round"]].notna().all(axis=1)
            report.rows(
                "projects",
                broken.to_numpy(dtype=bool),
                "round",
                lambda p: (
                    f"round {projects['round'].iloc[p]} of programme "
                    f"{projects.programme_id.iloc[p]} is not in "
                    f"{report.tables['rounds'].label}"
                ),
            )
            _grant_within_range(report, projects, rounds)
    if _present(projects, ["predecessor_id", "programme_id", "round", "project_id"]):
        _predecessors(report)


def _grant_within_range(report: _Report, projects: pd.DataFrame, rounds: pd.DataFrame) -> None:
    if not _present(rounds, ["grant_min_yuan", "grant_max_yuan"]) or "grant_yuan" not in projects:
        return
    limits = projects[["programme_id", "round"]].merge(
        rounds[["programme_id", "round", "grant_min_yuan", "grant_max_yuan"]],
        on=["programme_id", "round"],
        how="left",
    )
    grant = projects.grant_yuan.to_numpy(dtype=float, na_value=np.nan)
    low = limits.grant_min_yuan.to_numpy(dtype=float, na_value=np.nan)
    high = limits.grant_max_yuan.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        outside = (grant > 0) & ((grant < low) | (grant > high))
    report.rows(
        "projects",
        outside,
        "grant_yuan",
        lambda p: f"outside the round's grant range {low[p]:,.0f}–{high[p]:,.0f} yuan",
        severity="warning",
    )


def _predecessors(report: _Report) -> None:
    projects = report.tables["projects"].frame
    has = projects.predecessor_id.notna().to_numpy(dtype=bool)
    if not has.any():
        return
    position = report.positions("projects", "predecessor_id", "projects.project_id")
    found = has & (position >= 0)
    safe = np.where(found, position, 0)
    programme = projects.programme_id.to_numpy(dtype=object, na_value=None)
    known = projects.programme_id.notna().to_numpy(dtype=bool)
    round_no = projects["round"].to_numpy(dtype=float, na_value=np.nan)
    other_programme = found & known & known[safe] & (programme[safe] != programme)
    not_earlier = found & ~other_programme & ~(round_no[safe] < round_no)
    report.rows(
        "projects",
        other_programme,
        "predecessor_id",
        lambda p: f"predecessor belongs to programme {programme[safe[p]]}, not {programme[p]}",
    )
    report.rows(
        "projects",
        not_earlier,
        "predecessor_id",
        lambda p: (
            f"predecessor is in round {round_no[safe[p]]:.0f}, not in an earlier "
            f"round than {round_no[p]:.0f}"
        ),
    )


def _followups_after_round(report: _Report) -> None:
    followups = report.tables["followups"].frame
    projects = report.tables["projects"].frame
    rounds = report.tables["rounds"].frame
    needed = ["project_id", "year"]
    if not (
        _present(followups, needed)
        and _present(projects, ["project_id", "programme_id", "round"])
        and _present(rounds, ["programme_id", "round", "year"])
    ):
        return
    project_year = (
        projects[["project_id", "programme_id", "round"]]
        .merge(rounds[["programme_id", "round", "year"]], on=["programme_id", "round"], how="left")
        .drop_duplicates("project_id")
        .set_index("project_id")["year"]
    )
    start = followups.project_id.map(project_year).to_numpy(dtype=float, na_value=np.nan)
    year = followups.year.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        early = year < start
    report.rows(
        "followups",
        early,
        "year",
        lambda p: f"follow-up year is before the project's round ({start[p]:.0f})",
    )


def _leverage_plausible(report: _Report) -> None:
    funding = report.tables["funding"].frame
    projects = report.tables["projects"].frame
    if not (
        _present(funding, ["project_id", "source", "amount_yuan"])
        and _present(projects, ["project_id", "grant_yuan"])
    ):
        return
    position = report.positions("funding", "project_id", "projects.project_id")
    known = position >= 0
    amount = funding.amount_yuan.to_numpy(dtype=float, na_value=0.0)
    is_seed = (funding.source == "seed_grant").to_numpy(dtype=bool)
    n = len(projects)
    leveraged = np.bincount(position[known], weights=(amount * ~is_seed)[known], minlength=n)
    grant = projects.grant_yuan.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = leveraged / grant
    high = (grant > 0) & (ratio > LEVERAGE_WARNING)
    report.rows(
        "projects",
        high,
        "grant_yuan",
        lambda p: (
            f"leveraged {leveraged[p]:,.0f} yuan is {ratio[p]:.0f}× the grant "
            f"(above {LEVERAGE_WARNING:.0f}×); check the amounts"
        ),
        severity="warning",
    )


def _person_times_plausible(report: _Report) -> None:
    indicators = report.tables["indicators"].frame
    projects = report.tables["projects"].frame
    communities = report.tables["communities"].frame
    if not (
        _present(indicators, ["project_id", "indicator", "value"])
        and _present(projects, ["project_id", "community_id"])
        and _present(communities, ["community_id", "population"])
    ):
        return
    community = indicators.project_id.map(
        projects.drop_duplicates("project_id").set_index("project_id").community_id
    )
    population = community.map(
        communities.drop_duplicates("community_id").set_index("community_id").population
    )
    population = population.to_numpy(dtype=float, na_value=np.nan)
    value = indicators.value.to_numpy(dtype=float, na_value=np.nan)
    person_times = indicators.indicator.isin(PERSON_TIME_INDICATORS).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        high = person_times & (value > PERSON_TIMES_WARNING * population)
    report.rows(
        "indicators",
        high,
        "value",
        lambda p: (
            f"more than {PERSON_TIMES_WARNING:.0f}× the community's population "
            f"({population[p]:,.0f}); check the figure"
        ),
        severity="warning",
    )


def _roster_against_counts(report: _Report) -> None:
    """A roster and the counts per community agree: the leaders and active residents it
    lists for a community and round are those ``community_rounds`` gives, when it gives any.
    A difference is a warning on the counts' row, naming both figures."""
    people = report.tables["people"].frame
    counts = report.tables["community_rounds"].frame
    keys = ["programme_id", "round", "community_id"]
    if not (_present(people, [*keys, "role"]) and _present(counts, keys)):
        return
    roles = {"leaders": "leader", "active_residents": "active_resident"}
    listed = people[keys].astype(object).assign(role=people["role"].astype(object))
    for column, role in roles.items():
        if column not in counts:
            continue
        tally = listed[listed.role.eq(role)].groupby(keys, dropna=True).size()
        if tally.empty:
            continue
        index = pd.MultiIndex.from_frame(counts[keys].astype(object))
        roster = tally.reindex(index).to_numpy(dtype=float, na_value=np.nan)
        given = counts[column].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            differ = ~np.isnan(roster) & ~np.isnan(given) & (roster != given)
        label = report.tables["people"].label
        report.rows(
            "community_rounds",
            differ,
            column,
            lambda p, roster=roster, label=label, role=role: (
                f"the roster {label} lists {roster[p]:.0f} {role} row(s) for this community "
                "and round"
            ),
            severity="warning",
        )
