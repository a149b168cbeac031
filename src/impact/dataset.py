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
    community_funds: pd.DataFrame | None = None
    fund_flows: pd.DataFrame | None = None
    origin: str = ""
    warnings: tuple[Issue, ...] = field(default=(), repr=False)
    # What the loader did that a user should know: title rows read, totals rows left out.
    notes: tuple[Issue, ...] = field(default=(), repr=False)

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
        problems = [i for i in self.warnings if i.severity == "error"]
        if problems:
            others = len(self.warnings) - len(problems)
            return f"validated with {len(problems)} error(s) and {others} warning(s)"
        if self.warnings:
            return f"validated: no errors, {len(self.warnings)} warning(s)"
        return "validated: no problems found"

    def __repr__(self) -> str:
        lines = [f"Dataset from {self.origin or 'frames'!s}: {self._status()}"]
        for name, frame in self.tables.items():
            lines.append(f"  {name:<12} {len(frame):>9,} rows  {len(frame.columns):>3} columns")
        if not self.tables:
            lines.append("  no tables")
        lines += [f"  {issue}" for issue in self.warnings[:5]]
        if len(self.warnings) > 5:
            lines.append(f"  ... and {len(self.warnings) - 5} more (Dataset.warnings)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td style='text-align:right'>{len(frame):,}</td>"
            f"<td>{html.escape(', '.join(map(str, frame.columns[:8])))}"
            f"{' …' if len(frame.columns) > 8 else ''}</td></tr>"
            for name, frame in self.tables.items()
        )
        issues = "".join(f"<li>{html.escape(str(i))}</li>" for i in self.warnings[:20])
        more = f"<li>… and {len(self.warnings) - 20} more</li>" if len(self.warnings) > 20 else ""
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
    """One row per (programme, round) found in ``rounds`` or ``projects``, with the label a
    report should print (see :func:`round_label`)."""
    keys = [
        frame[["programme_id", "round"]]
        for frame in (data.rounds, data.projects)
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
    labels: dict = {}
    if data.rounds is not None and "label" in data.rounds:
        rounds = data.rounds
        labels = dict(
            zip(
                zip(rounds.programme_id.astype(object), rounds["round"], strict=True),
                rounds.label.astype(object),
                strict=True,
            )
        )
    result["label"] = [
        round_label(
            r,
            lang,
            numbering=numbering.get(p),
            label=labels.get((p, r)),
        )
        for p, r in zip(result.programme_id.astype(object), result["round"], strict=True)
    ]
    return result


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
    return Dataset(**tables, origin=origin, warnings=warnings, notes=notes)


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
