"""The sections that close a report, written from everything before them: the methods the
report used (and only those), and one short box listing what these data cannot answer,
each with the data that would answer it."""

from __future__ import annotations

from ..blocks import Document
from ..context import Context
from ..writing import Writer

#: The methods a section can use, in the order the methods note gives them.
METHODS = (
    "progress",
    "spending",
    "tracking",
    "funnel",
    "leverage",
    "cofunding",
    "cost",
    "matched",
    "did",
    "survival",
    "risk",
)
RESAMPLED = {"leverage", "cost", "did"}  # methods whose intervals come from the bootstrap


def limits(ctx: Context, doc: Writer, written: Document) -> None:
    """What the report could not answer, each question once, grouped by what would answer
    it: ``项目延续、终止风险因素：需要两届以上的项目记录``."""
    grouped: dict[str, list[str]] = {}
    for limit in written.limits:
        questions = grouped.setdefault(limit.why, [])
        if limit.question not in questions:
            questions.append(limit.question)
    if not grouped:
        return
    doc.heading(ctx.t("limits"))
    separator = ctx.t("enumeration")
    doc.bullets(
        [ctx.t("limit_line", questions=separator.join(q), why=why) for why, q in grouped.items()],
        "limits",
    )


def methods(ctx: Context, doc: Writer, written: Document) -> None:
    """The methods behind the numbers this report shows, and the options they ran with."""
    used = [m for m in METHODS if m in set(written.methods)]
    if not used:
        return
    doc.heading(ctx.t("methods"))
    for method in used:
        doc.paragraph(ctx.t(f"method_{method}"))
    if RESAMPLED & set(used):
        doc.note(ctx.t("method_options", level=f"{ctx.ci:.0%}", n_boot=ctx.n_boot, seed=ctx.seed))
    elif any(table.level is not None for table in written.shown().tables):
        doc.note(ctx.t("method_level", level=f"{ctx.ci:.0%}"))
