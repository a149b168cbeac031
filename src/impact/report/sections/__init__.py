"""The content of the reports: every report kind's sections, in order, in one place.

A section is a plain function ``(context, doc)`` that writes blocks (headings, sentences,
tables, figures) through ``doc`` (a :class:`~impact.report.writing.Writer`) from what the
:class:`~impact.report.context.Context` holds. :data:`REPORTS` lists each report kind's
sections; the notebooks call them one per cell (``report.section("funnel")``) and a test
checks that the notebooks and this list agree. :data:`BY_PROGRAMME_KIND` lists the
sections each kind of programme adds to an annual report.

A section that cannot be computed says why in one sentence in the reader's language: it
raises :class:`~impact.report.context.Unavailable` with a catalogue key; an unforeseen
error becomes a generic sentence, its details kept for ``section_errors.json``. A missing
Chinese font is not a section's problem: it stops the report (:mod:`..fonts`).

Adding a section: write its function in the module of its report kind, add it here, give
its heading and sentences to the catalogue, and add its cell to the notebook.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from ...dataset import Dataset
from ...errors import EstimationError
from ...fonts import FontError, chinese_font
from ..blocks import Document, Failure, Part
from ..context import Context, ReportKind, Unavailable
from ..params import Options
from ..writing import Writer
from . import annual, closing, common, compare, explore, findings, kinds, midterm, tracking


@dataclass(frozen=True)
class Section:
    """One section: its name (the notebook's ``report.section(name)``), the function that
    writes it, the catalogue key of its heading (None: it writes its own), for a group the
    sections it stands for in this report (see :data:`BY_PROGRAMME_KIND`), and whether it
    closes the report: a closing section is written from everything before it (the
    methods used, the questions the data could not answer) and gets the document so far as
    a third argument."""

    name: str
    write: Callable[..., None] | None
    heading: str | None = None
    members: Callable[[Context], tuple[Section, ...]] | None = None
    closing: bool = False


def _programme_kind_sections(ctx: Context) -> tuple[Section, ...]:
    return BY_PROGRAMME_KIND.get(ctx.programme_kind or "", ())


TITLE = Section("title", common.title)
KEY_FINDINGS = Section("key_findings", findings.key_findings, "key_findings")
DATA_QUALITY = Section("data_quality", common.data_quality, "data_quality")
PUBLISHED_CHECK = Section("published_check", compare.published_check, "published_check")
OTHER_PROGRAMMES = Section("other_programmes", compare.other_programmes, "other_programmes")
METHODS = Section("methods", closing.methods, closing=True)
LIMITS = Section("limits", closing.limits, closing=True)

BY_PROGRAMME_KIND: dict[str, tuple[Section, ...]] = {
    "competition": (
        Section("applications", kinds.applications, "applications"),
        Section("awards", kinds.awards, "awards"),
    ),
    "fund": (Section("tiers_and_groups", kinds.tiers_and_groups, "tiers_and_groups"),),
    "incubator": (
        Section("ideas_and_people", kinds.ideas_and_people, "ideas_and_people"),
        Section("community_fund", kinds.community_fund, "community_fund"),
    ),
    "proposal_contest": (
        Section("beneficiaries", kinds.beneficiaries, "beneficiaries"),
        Section("organisations", kinds.organisations, "organisations"),
    ),
    "partnership": (
        Section("partners", kinds.partners, "partners"),
        Section("community_fund", kinds.community_fund, "community_fund"),
    ),
}

#: Every report kind's sections, in the order of the page.
REPORTS: dict[ReportKind, tuple[Section, ...]] = {
    "midterm": (
        TITLE,
        KEY_FINDINGS,
        Section("status_overview", midterm.status_overview, "status_overview"),
        Section("indicator_performance", midterm.indicator_performance, "indicators"),
        Section("tracking", tracking.tracking, "tracking"),
        Section("spending", midterm.spending, "spending"),
        Section("risk_flags", midterm.risk_flags, "at_risk"),
        Section("peer_comparison", midterm.peer_comparison, "peers"),
        DATA_QUALITY,
        METHODS,
        LIMITS,
    ),
    "annual": (
        TITLE,
        KEY_FINDINGS,
        Section("funnel", annual.funnel, "funnel"),
        Section("leverage", annual.leverage, "money_and_leverage"),
        Section("programme_sections", None, members=_programme_kind_sections),
        Section("tracking", tracking.tracking, "tracking"),
        Section("participation", annual.participation, "participation"),
        Section("matched_vs_standard", annual.matched_vs_standard, "matched_vs_standard"),
        Section("outputs", annual.outputs, "outputs"),
        Section("sustainability", annual.sustainability, "sustainability"),
        Section("hazard_ratios", annual.hazard_ratios, "hazard_ratios"),
        Section("lineage_table", annual.lineage_table, "lineages"),
        Section("self_financing", annual.self_financing, "self_financing"),
        PUBLISHED_CHECK,
        OTHER_PROGRAMMES,
        DATA_QUALITY,
        METHODS,
        LIMITS,
    ),
    "compare": (
        TITLE,
        KEY_FINDINGS,
        PUBLISHED_CHECK,
        OTHER_PROGRAMMES,
        DATA_QUALITY,
        LIMITS,
    ),
    "explore": (
        TITLE,
        KEY_FINDINGS,
        Section("tables_overview", explore.tables_overview, "overview"),
        Section("explore_leverage", explore.explore_leverage, "leverage"),
        Section("explore_participation", explore.explore_participation, "participation"),
        Section("explore_survival", explore.explore_survival, "sustainability"),
        DATA_QUALITY,
        METHODS,
        LIMITS,
    ),
}


def write(
    section: Section, ctx: Context, font: str, written: Document | None = None
) -> tuple[Part, ...]:
    """The parts ``section`` writes for this report: one, or one per member of a group
    (``written``: what the report holds so far, for a closing section). A section that
    cannot be computed becomes a part that says why in one sentence (left out of the
    hand-over formats and listed at the end); a missing font stops the report."""
    if section.members is not None:
        return tuple(
            part for member in section.members(ctx) for part in write(member, ctx, font, written)
        )
    import matplotlib

    from ..charts import style

    doc = Writer(section.name, ctx.language, font)
    meta = common.title_meta(ctx) if section is TITLE else None
    title = ctx.t(section.heading) if section.heading else ""
    if title:
        doc.heading(title)
    try:
        with matplotlib.rc_context(style(font)):
            if section.closing:
                section.write(ctx, doc, written or Document())
            else:
                section.write(ctx, doc)
    except Unavailable as reason:
        why = limit_text(ctx, reason.key, reason.values)
        doc.note(ctx.t(reason.key, **reason.values))
        return (doc.part("unavailable", reason.key, meta=meta, title=title, why=why),)
    except FontError:
        raise
    except EstimationError as exc:
        detail = "" if ctx.language == "zh" else f" ({exc})"
        doc.note(ctx.t("section_not_estimable") + detail)
        failure = _failure(section.name, exc)
        why = ctx.t("limit_not_estimable")
        return (doc.part("failed", failure=failure, meta=meta, title=title, why=why),)
    except Exception as exc:  # noqa: BLE001 - one section never stops a report
        doc.note(ctx.t("section_failed"))
        failure = _failure(section.name, exc)
        why = ctx.t("limit_failed")
        return (doc.part("failed", failure=failure, meta=meta, title=title, why=why),)
    return (doc.part(meta=meta, title=title),)


def limit_text(ctx: Context, key: str, values: dict) -> str:
    """Why a question cannot be answered, in the few words of the report's closing box
    (``limit_<key>``: the data that would answer it), else the section's own sentence."""
    short = ctx.t(f"limit_{key}", **values)
    return short if short != f"limit_{key}" else ctx.t(key, **values)


def report_font(language: str) -> str:
    """The font figures are drawn in: a checked Chinese font (a Chinese report without
    one fails here, saying what to install); an English report without one draws in
    matplotlib's default font, and fails only if a figure then holds Chinese text."""
    try:
        return chinese_font()
    except FontError:
        if language == "zh":
            raise
        return "DejaVu Sans"


def _failure(section: str, exc: BaseException) -> Failure:
    return Failure(section, type(exc).__name__, str(exc), tuple(traceback.format_exception(exc)))


class Report:
    """One report as a notebook writes it: ``Report.open(kind, data, …)``, then
    ``report.section(name)`` per cell (each returns the parts it wrote, which show
    themselves in Jupyter), or :meth:`build` for every section at once."""

    def __init__(self, context: Context, font: str) -> None:
        self.context = context
        self.font = font
        self.sections = {s.name: s for s in REPORTS[context.kind]}
        self._parts: list[Part] = []

    @classmethod
    def open(
        cls,
        kind: ReportKind,
        data: str | Dataset,
        *,
        programme: str | None = None,
        round_no: int | None = None,
        year: int | None = None,
        language: str = "zh",
        title: str | None = None,
        options: dict | Options | None = None,
    ) -> Report:
        """The report of ``kind`` on ``data`` (a path or a :class:`Dataset`) with
        ``options`` (a dict as papermill passes it, or
        :class:`~impact.report.params.Options`). Nothing is written while the notebook
        runs: :mod:`impact.report.export` renders every format afterwards."""
        from ..loaded import load_kept

        if kind not in REPORTS:
            raise ValueError(f"kind: one of {', '.join(REPORTS)} (not {kind!r})")
        if not isinstance(options, Options):
            options = Options.model_validate(dict(options or {}))
        try:
            reference = load_kept(options.published)
        except Exception:  # noqa: BLE001 - a missing comparison set is said, not fatal
            reference = None
        context = Context(
            kind=kind,
            data=data if isinstance(data, Dataset) else load_kept(data),
            programme=programme,
            round_no=int(round_no) if round_no is not None else None,
            year=int(year) if year is not None else None,
            language=language,
            title=title or "",
            options=options,
            reference=reference,
        )
        return cls(context, report_font(context.language))

    def section(self, name: str) -> Document:
        """Write the section ``name`` of this report kind; returns what it wrote."""
        if name not in self.sections:
            allowed = ", ".join(self.sections)
            raise ValueError(
                f"{name!r} is not a section of a {self.context.kind} report: {allowed}"
            )
        parts = write(self.sections[name], self.context, self.font, self.document)
        self._parts.extend(parts)
        return Document(parts)

    def table(self, frame, name: str, heading: str | None = None) -> Document:
        """A table of one's own in the report (``frame`` with its columns' units read from
        their names, values escaped like every other table); ``heading`` above it."""
        doc = Writer(f"table_{name}", self.context.language, self.font)
        if heading:
            doc.heading(heading)
        doc.table(frame, name, sheet=heading or name)
        part = doc.part()
        self._parts.append(part)
        return Document((part,))

    def build(self) -> Document:
        """Every section of the report kind, in order."""
        for name in self.sections:
            self.section(name)
        return self.document

    @property
    def document(self) -> Document:
        """Everything written so far."""
        return Document(tuple(self._parts))


__all__ = ["BY_PROGRAMME_KIND", "REPORTS", "Report", "Section", "Unavailable", "write"]
