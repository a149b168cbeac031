"""The :class:`Dataset`: one programme's (or several programmes') typed tables, and
:func:`load` / :func:`validate`, the two ways into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import io as _io
from . import validate as _validate
from .errors import DataError, Issue
from .schema import FUNNEL_STAGES, TABLES


@dataclass
class Dataset:
    """Typed tables of the data model (see ``docs/data-model.md``). Absent tables are None.

    Build one with :func:`impact.load` from files, or :meth:`Dataset.from_frames` from
    DataFrames you already have; both run the same validation.
    """

    programmes: pd.DataFrame | None = None
    rounds: pd.DataFrame | None = None
    projects: pd.DataFrame | None = None
    funding: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    communities: pd.DataFrame | None = None
    panel: pd.DataFrame | None = None
    followups: pd.DataFrame | None = None
    sources: pd.DataFrame | None = None
    published: pd.DataFrame | None = None
    awards: pd.DataFrame | None = None
    organisations: pd.DataFrame | None = None
    community_rounds: pd.DataFrame | None = None
    people: pd.DataFrame | None = None
    community_funds: pd.DataFrame | None = None
    fund_flows: pd.DataFrame | None = None
    origin: str = ""
    warnings: tuple[Issue, ...] = field(default=(), repr=False)
    # What the loader did that a user should know: title rows read, totals rows left out.
    notes: tuple[Issue, ...] = field(default=(), repr=False)
    # Every problem and note, errors included: what ``load(strict=False)`` kept going past.
    issues: tuple[Issue, ...] = field(default=(), repr=False)
    # Values that could not be read and were left blank, by ``table.column``.
    blanked: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The errors among :attr:`issues` (only ``load(strict=False)`` returns a data set
        that has any)."""
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name, in data-model order."""
        return {name: getattr(self, name) for name in TABLES if getattr(self, name) is not None}

    def counts(self) -> pd.Series:
        """Rows per table present."""
        return pd.Series(
            {name: len(frame) for name, frame in self.tables.items()}, name="rows", dtype="int64"
        )

    def require(self, *names: str) -> None:
        """Raise :class:`DataError` naming every table in ``names`` that is absent."""
        missing = [n for n in names if getattr(self, n, None) is None]
        if missing:
            raise DataError(
                [
                    Issue(
                        self.origin or "dataset",
                        None,
                        None,
                        f"table {name!r} is needed here but absent",
                    )
                    for name in missing
                ],
                context=self.origin or "dataset",
            )

    # -- display: a readable text form and an HTML view for Jupyter ----------------------

    def _status(self) -> str:
        errors = self.errors
        warnings = [i for i in self.warnings if i.severity == "warning"]
        blanked = sum(self.blanked.values())
        if errors:
            where = ", ".join(f"{c} {n}" for c, n in self.blanked.items())
            left = (
                f"; {blanked} value(s) could not be read and were left blank ({where})"
                if blanked
                else ""
            )
            return (
                f"loaded with {len(errors)} error(s){left}; {len(warnings)} warning(s); "
                "see Dataset.issues"
            )
        if warnings:
            return f"validated: no errors, {len(warnings)} warning(s)"
        return "validated: no problems found"

    def __repr__(self) -> str:
        lines = [f"Dataset from {self.origin or 'frames'!s}: {self._status()}"]
        for name, frame in self.tables.items():
            lines.append(f"  {name:<12} {len(frame):>9,} rows  {len(frame.columns):>3} columns")
        if not self.tables:
            lines.append("  no tables")
        shown = [*self.errors, *self.warnings]
        lines += [f"  {issue}" for issue in shown[:5]]
        if len(shown) > 5:
            lines.append(f"  ... and {len(shown) - 5} more (Dataset.issues)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td style='text-align:right'>{len(frame):,}</td>"
            f"<td>{html.escape(', '.join(map(str, frame.columns[:8])))}"
            f"{' …' if len(frame.columns) > 8 else ''}</td></tr>"
            for name, frame in self.tables.items()
        )
        shown = [*self.errors, *self.warnings]
        issues = "".join(f"<li>{html.escape(str(i))}</li>" for i in shown[:20])
        more = f"<li>… and {len(shown) - 20} more</li>" if len(shown) > 20 else ""
        return (
            f"<div><p><b>Dataset</b> from {html.escape(self.origin or 'frames')}: "
            f"{html.escape(self._status())}</p>"
            "<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            + (f"<ul>{issues}{more}</ul>" if issues else "")
            + "</div>"
        )

    @classmethod
    def from_frames(cls, strict: bool = True, **frames: pd.DataFrame) -> Dataset:
        """Validate DataFrames given by table name (``projects=df, funding=df2``) and type
        them as :func:`load` would. Headers may use any accepted spelling."""
        unknown = [name for name in frames if name not in TABLES]
        if unknown:
            raise DataError(
                [
                    Issue(f"<{n}>", None, None, f"not a table; tables are {', '.join(TABLES)}")
                    for n in unknown
                ]
            )
        raw = [
            _io.RawTable(TABLES[name], f"<{name}>", frame.reset_index(drop=True), 2)
            for name, frame in frames.items()
        ]
        return _assemble(raw, [], origin="<frames>", strict=strict)


def funded_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects that received seed money: a positive ``grant_yuan``. This is the
    workbench's one definition of "funded" (a community's cohort, a project line, a report's
    tables all rest on it)."""
    if "grant_yuan" not in projects:
        return projects.iloc[0:0]
    return projects[projects.grant_yuan.fillna(0) > 0]


def stage_reached(projects: pd.DataFrame) -> pd.Series:
    """The furthest funnel stage each project reached, withdrawn or not.

    A project's ``stage`` is where it stands; a withdrawn one (``stage`` = ``withdrawn``)
    reached its ``highest_stage`` when that is given, else it is counted at the first stage,
    since nothing says how far it got. Hongshan: 190 passed the review and 185 signed, so 5
    withdrew after approval and still count among the 190.
    """
    stage = projects["stage"].astype(object)
    if "highest_stage" in projects:
        withdrawn = stage.eq("withdrawn") & projects["highest_stage"].notna()
        stage = stage.where(~withdrawn, projects["highest_stage"].astype(object))
    return stage.where(stage.ne("withdrawn"), FUNNEL_STAGES[0]).rename("stage_reached")


def round_label(
    round_number: int, lang: str = "zh", *, numbering: str | None = None, label: str | None = None
) -> str:
    """How a report names a round: the round's own ``label`` when given, else by the
    programme's ``round_numbering``: ``第4届`` / ``round 4``, or for a yearly fund ``2024年`` /
    ``2024``. With neither, round numbers from 1900 on are read as years."""
    if isinstance(label, str) and label.strip():
        return label.strip()
    number = int(round_number)
    if numbering not in ("ordinal", "year"):
        numbering = "year" if number >= 1900 else "ordinal"
    if numbering == "year":
        return f"{number}年" if lang == "zh" else str(number)
    return f"第{number}届" if lang == "zh" else f"round {number}"


def round_labels(data: Dataset, lang: str = "zh") -> pd.DataFrame:
    """One row per (programme, round) found in ``rounds``, ``projects`` or ``people``, with
    the label a report should print (see :func:`round_label`): the round's ``label`` in
    ``rounds``, else the name the projects' round column gave it (``round_label``: 2020年第三期,
    第七届; the most frequent where several are written), else by the programme's
    ``round_numbering``. The office's own names are Chinese: in English, rounds are named
    by number or year."""
    keys = [
        frame[["programme_id", "round"]]
        for frame in (data.rounds, data.projects, data.people)
        if frame is not None and {"programme_id", "round"} <= set(frame)
    ]
    if not keys:
        return pd.DataFrame(columns=["programme_id", "round", "label"])
    result = pd.concat(keys).dropna().drop_duplicates().reset_index(drop=True)
    numbering: dict = {}
    if data.programmes is not None and "round_numbering" in data.programmes:
        numbering = dict(
            zip(
                data.programmes.programme_id.astype(object),
                data.programmes.round_numbering.astype(object),
                strict=True,
            )
        )
    labels = _written_labels(data) if lang == "zh" else {}
    result["label"] = [
        round_label(r, lang, numbering=numbering.get(p), label=labels.get((p, int(r))))
        for p, r in zip(result.programme_id.astype(object), result["round"], strict=True)
    ]
    return result


def round_label_of(data: Dataset, programme_id: str, round_number: int, lang: str = "zh") -> str:
    """The label of one round of a programme, as :func:`round_labels` gives it (第4届 when
    the data name it nowhere)."""
    labels = round_labels(data, lang)
    match = labels[
        labels.programme_id.astype(object).eq(programme_id) & labels["round"].eq(round_number)
    ]
    if len(match):
        return str(match.label.iloc[0])
    numbering = None
    if data.programmes is not None and "round_numbering" in data.programmes:
        found = data.programmes.loc[
            data.programmes.programme_id.astype(object).eq(programme_id), "round_numbering"
        ]
        numbering = found.iloc[0] if len(found) and pd.notna(found.iloc[0]) else None
    return round_label(round_number, lang, numbering=numbering)


def _written_labels(data: Dataset) -> dict[tuple[str, int], str]:
    """(programme, round) → the label the data write: ``rounds.label`` first, then the most
    frequent ``projects.round_label``."""
    labels: dict[tuple[str, int], str] = {}
    projects = data.projects
    if projects is not None and "round_label" in projects:
        written = projects[["programme_id", "round", "round_label"]].dropna()
        if len(written):
            counted = written.astype({"programme_id": object, "round_label": object}).value_counts(
                sort=True
            )
            for (programme, number, label), _ in counted.items():
                labels.setdefault((programme, int(number)), str(label))
    rounds = data.rounds
    if rounds is not None and "label" in rounds:
        given = rounds[["programme_id", "round", "label"]].dropna()
        for programme, number, label in given.itertuples(index=False):
            if str(label).strip():
                labels[(programme, int(number))] = str(label).strip()
    return labels


#: The count column of each role in a roster, as :func:`people_counts` names them; leaders
#: and active residents match the columns of ``community_rounds``.
ROLE_COUNTS = {
    "leader": "leaders",
    "active_resident": "active_residents",
    "core_member": "core_members",
    "volunteer": "volunteers",
    "partner": "partners",
    "party_member": "party_members",
    "other": "others",
}


def people_counts(
    data: Dataset, by: tuple[str, ...] = ("programme_id", "round", "community_id")
) -> pd.DataFrame:
    """People a programme cultivated, counted from its roster (``people``): one row per group
    of ``by``, a column per role (``leaders``, ``active_residents``, ``core_members``,
    ``volunteers``, ``partners``, ``party_members``), ``people`` (everyone listed) and
    ``leading_projects`` (those who lead a project: ``leads_project`` yes, or a project
    named). A person is counted once per group; a blank round or community is a group of
    its own (shown blank), never dropped.

    Examples
    --------
    >>> counts = people_counts(impact.load("data/longgang"))   # doctest: +SKIP
    >>> counts.groupby("community_id").leaders.sum()          # doctest: +SKIP
    """
    data.require("people")
    people = data.people
    keys = [k for k in by if k in people]
    frame = people[keys].astype(object).copy()
    roles = people["role"].astype(object)
    for role, column in ROLE_COUNTS.items():
        frame[column] = roles.eq(role).astype("int64")
    frame["people"] = 1
    leading = pd.Series(False, index=people.index)
    if "leads_project" in people:
        leading |= people["leads_project"].fillna(False).astype(bool)
    if "project_id" in people:
        leading |= people["project_id"].notna()
    frame["leading_projects"] = leading.astype("int64")
    if not keys:
        return frame.sum(numeric_only=True).to_frame().T
    counted = frame.groupby(keys, dropna=False, sort=True).sum().reset_index()
    return counted.astype({c: "int64" for c in [*ROLE_COUNTS.values(), "people"]})


def community_round_counts(data: Dataset) -> pd.DataFrame:
    """``community_rounds`` with the people a roster lists: leaders and active residents
    counted from ``people`` fill what ``community_rounds`` leaves blank or lacks (a
    programme that keeps only a roster), with ``people_source`` saying where each row's
    people figures come from (``community_rounds``, ``roster``). Rows of communities only
    the roster names are added."""
    keys = ["programme_id", "round", "community_id"]
    given = data.community_rounds
    if data.people is None:
        if given is None:
            data.require("community_rounds")
        result = given.copy()
        result["people_source"] = "community_rounds"
        return result
    counted = people_counts(data, tuple(keys))
    counted = counted[[*keys, "leaders", "active_residents"]].dropna(subset=keys)
    if given is None:
        result = counted.copy()
        result["people_source"] = "roster"
        return result
    merged = given.astype({"programme_id": object, "community_id": object}).merge(
        counted.astype({"round": given["round"].dtype}),
        on=keys,
        how="outer",
        suffixes=("", "_roster"),
    )
    source = pd.Series("community_rounds", index=merged.index, dtype=object)
    for column in ("leaders", "active_residents"):
        if column not in merged:
            merged[column] = pd.NA
        blank = merged[column].isna() & merged[f"{column}_roster"].notna()
        merged[column] = (
            merged[column].astype("Int64").where(~blank, merged[f"{column}_roster"].astype("Int64"))
        )
        source = source.where(~blank, "roster")
        merged = merged.drop(columns=f"{column}_roster")
    merged["people_source"] = source
    return merged


def project_outputs(data: Dataset, period: str = "final") -> pd.DataFrame:
    """One row per project (its ``projects`` columns) with a column per indicator holding
    the project's value in ``period``: the indicator table pivoted wide, the shape
    :func:`impact.leverage.cost_per_output` takes.

    A project that reported nothing for an indicator has a missing value there (not
    recorded), never 0, so that ``cost_per_output`` leaves it out and counts it instead of
    charging its grant to no output.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with projects and indicators.
    period
        ``"plan"``, ``"midterm"`` or ``"final"``.

    Returns
    -------
    pandas.DataFrame
        The projects' columns and one column per indicator (summed within a project).

    Examples
    --------
    >>> hongshan = impact.load("data/programmes/hongshan")  # doctest: +SKIP
    >>> outputs = project_outputs(hongshan)
    >>> int(outputs.residents_served.sum())
    253537
    """
    data.require("projects", "indicators")
    indicators = data.indicators
    chosen = indicators[indicators.period.astype(object).eq(period)]
    wide = chosen.pivot_table(
        index="project_id", columns="indicator", values="value", aggfunc="sum", observed=True
    )
    wide.columns = [str(c) for c in wide.columns]
    projects = data.projects.set_index("project_id")
    wide = wide.reindex(projects.index)  # not reported: missing, not 0
    return projects.join(wide.drop(columns=list(projects.columns), errors="ignore")).reset_index()


def fund_balances(data: Dataset) -> pd.DataFrame:
    """Money into and out of each community fund and what is left, in yuan."""
    data.require("fund_flows")
    flows = data.fund_flows
    signed = flows.amount_yuan.astype("float64").fillna(0.0)
    table = pd.DataFrame(
        {
            "fund_id": flows.fund_id.astype(object),
            "in_yuan": signed.where(flows.direction.astype(object).eq("in"), 0.0),
            "out_yuan": signed.where(flows.direction.astype(object).eq("out"), 0.0),
        }
    )
    table = table.groupby("fund_id", sort=True).sum()
    table["balance_yuan"] = table.in_yuan - table.out_yuan
    return table


def _assemble(
    raw_tables: list[_io.RawTable], issues: list[Issue], origin: str, strict: bool
) -> Dataset:
    parsed, issues = _parse_and_check(raw_tables, issues)
    errors = [i for i in issues if i.severity == "error"]
    if errors and strict:
        raise DataError(issues, context=origin)
    warnings = tuple(i for i in issues if i.severity == "warning")
    notes = tuple(i for i in issues if i.severity == "note")
    tables = {name: p.frame for name, p in parsed.items()}
    blanked = {
        f"{name}.{column}": count
        for name, p in parsed.items()
        for column, count in p.blanked.items()
    }
    return Dataset(
        **tables,
        origin=origin,
        warnings=warnings,
        notes=notes,
        issues=tuple(issues),
        blanked=blanked,
    )


def _parse_and_check(raw_tables: list[_io.RawTable], issues: list[Issue]):
    parsed = {}
    issues = list(issues)
    # programmes and rounds first: a table that never writes the programme or round takes
    # the only one they hold
    raw_tables.sort(key=lambda r: r.table.name not in ("programmes", "rounds"))
    while raw_tables:  # release each raw table once parsed: peak memory stays near one copy
        raw = raw_tables.pop(0)
        issues += _single_programme_and_round(raw, parsed)
        table = _io.parse(raw)
        issues += table.issues
        earlier = parsed.get(raw.table.name)
        if earlier is not None and (raw.merge or _io.same_workbook(earlier.label, raw.label)):
            table = _io.merge_parsed([earlier, table])  # a sheet per round: one table
        parsed[raw.table.name] = table
        del raw
    issues += _io.link_people(parsed)
    issues += _validate.check(parsed)
    return parsed, _sorted(issues)


def _single_programme_and_round(raw: _io.RawTable, parsed: dict) -> list[Issue]:
    """Fill ``programme_id`` and ``round`` of a table that has neither column from the one
    programme and the one round the data holds, if it holds exactly one."""
    if raw.table.name in ("programmes", "rounds"):
        return []
    found = []
    programmes = parsed.get("programmes")
    if programmes is not None and "programme_id" in programmes.frame:
        ids = programmes.frame["programme_id"].dropna().unique()
        if len(ids) == 1:
            found.append(
                _io.fill_single(
                    raw, "programme_id", ids[0], f"the one programme in {programmes.label}"
                )
            )
    rounds = parsed.get("rounds")
    if rounds is not None and "round" in rounds.frame:
        numbers = rounds.frame["round"].dropna().unique()
        if len(numbers) == 1:
            found.append(
                _io.fill_single(raw, "round", int(numbers[0]), f"the one round in {rounds.label}")
            )
    return [i for i in found if i is not None]


def validate(path: str | Path) -> list[Issue]:
    """Every problem in the data at ``path`` (errors and warnings), in file and row order.

    Never raises for problems in the data; an empty list means clean data.
    """
    raw_tables, issues = _io.discover(Path(path))
    _, issues = _parse_and_check(raw_tables, issues)
    return issues


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.file, i.row if i.row is not None else -1))


def load(path: str | Path, strict: bool = True) -> Dataset:
    """Read a programme's data into a :class:`Dataset` of typed DataFrames.

    Parameters
    ----------
    path
        A folder of CSV or Parquet files named after the tables (``projects.csv``,
        ``项目.csv`` …), a single ``.xlsx`` workbook with one sheet per table, or a folder
        mixing them. Headers may be English or Chinese; CSV may be UTF-8 (with or without
        BOM) or GBK/GB18030; amounts may be written ``2,000``, ``2000元`` or ``1.2万``.
    strict
        If True (the default), raise :class:`DataError` listing every problem when any is an
        error. If False, return what could be read, with unreadable values left missing.

    Returns
    -------
    Dataset
        With ``warnings`` holding suspicious but possible values.

    Examples
    --------
    >>> import impact
    >>> data = impact.load("data/sample")          # doctest: +SKIP
    >>> data.projects.groupby("programme_id").grant_yuan.sum()   # doctest: +SKIP
    """
    path = Path(path)
    raw_tables, issues = _io.discover(path)
    if not raw_tables and any(i.severity == "error" for i in issues):
        raise DataError(issues, context=str(path))  # nothing readable, even when not strict
    return _assemble(raw_tables, issues, origin=str(path), strict=strict)


def _expose() -> None:
    """``impact.load``, ``impact.validate`` and ``impact.Dataset`` name these (the package
    loads this module on first use, and importing it binds ``impact.validate`` to the
    module of checks first)."""
    import impact

    impact.Dataset, impact.load, impact.validate = Dataset, load, validate


_expose()
