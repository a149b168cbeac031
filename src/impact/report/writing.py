"""What a section writes with: a :class:`Writer` turns frames, sentences and matplotlib axes
into blocks (:mod:`.blocks`) for one part of the report.

A table states its n and interval level in a caption, and goes to the workbook sheet named
by the heading it stands under (its section's, or a sub-heading's within the section), unless
a section names another. Lists in cells (lagging indicators, say) are written as words.
"""

from __future__ import annotations

import pandas as pd

from .blocks import Block, Bullets, Failure, Heading, Limit, Part, PartStatus, Table, Text
from .catalogue import t
from .charts import figure_block


class Writer:
    """The blocks of one section, in order (see :meth:`part`)."""

    def __init__(self, section: str, language: str, font: str) -> None:
        self.section = section
        self.language = language
        self.font = font
        self.blocks: list[Block] = []
        self.limits: list[Limit] = []
        self.methods: list[str] = []

    # ------------------------------------------------------------------ text
    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Text(text, "paragraph"))

    def note(self, text: str) -> None:
        self.blocks.append(Text(text, "note"))

    def caution(self, text: str) -> None:
        self.blocks.append(Text(text, "caution"))

    def bullets(self, lines: list[str], style="list") -> None:
        if lines:
            self.blocks.append(Bullets(tuple(lines), style))

    # ------------------------------------------------------------------ tables and figures
    def table(
        self,
        frame: pd.DataFrame,
        name: str,
        headers: dict[str, str] | None = None,
        formats: dict[str, str] | None = None,
        *,
        n: int | None = None,
        unit: str = "projects",
        level: float | None = None,
        sheet: str | None = None,
        shown: bool = True,
        units: dict[str, list] | None = None,
        scope: str | None = None,
        folded: bool = False,
    ) -> Table:
        """A table of ``frame`` (see :meth:`.blocks.Table.from_frame`) with a caption
        stating what it covers (``scope``, the same words the first screen uses), its n
        and its interval level."""
        frame = lists_as_text(frame, t("list_separator", self.language))
        parts = []
        if scope:
            parts.append(t("caption_scope", self.language, scope=scope))
        if n is not None:
            text = t("caption_n", self.language, n=f"{n:,}", unit=t(f"unit_{unit}", self.language))
            if level is not None:
                text += t("caption_level", self.language, level=f"{level:.0%}")
            parts.append(text)
        caption = t("caption_separator", self.language).join(parts) or None
        block = Table.from_frame(
            frame,
            name=name,
            sheet=sheet or self.current_heading(),
            language=self.language,
            formats=formats,
            headers=headers,
            units=units,
            caption=caption,
            n=n,
            unit=unit,
            level=level,
            shown=shown,
            folded=folded,
        )
        self.blocks.append(block)
        return block

    def figure(self, ax, name: str, alt: str = "") -> None:
        """The figure of ``ax`` as a block (drawn now and closed)."""
        self.blocks.append(figure_block(ax, name, self.font, alt))

    def current_heading(self) -> str:
        """The heading the next block stands under within this section."""
        for block in reversed(self.blocks):
            if isinstance(block, Heading) and block.level >= 2:
                return block.text
        return self.section

    def missing(self, question: str, why: str) -> None:
        """A part of this section the data cannot answer (listed at the report's end)."""
        self.limits.append(Limit(question, why))

    def uses(self, *methods: str) -> None:
        """Methods this section used (the methods note names only these)."""
        self.methods.extend(m for m in methods if m not in self.methods)

    # ------------------------------------------------------------------ the part
    def part(
        self,
        status: PartStatus = "shown",
        reason: str | None = None,
        failure: Failure | None = None,
        meta: dict | None = None,
        title: str = "",
        why: str = "",
    ) -> Part:
        return Part(
            section=self.section,
            blocks=tuple(self.blocks),
            status=status,
            reason=reason,
            failure=failure,
            meta=dict(meta or {}),
            language=self.language,
            title=title,
            why=why,
            limits=tuple(self.limits),
            methods=tuple(self.methods),
        )


def lists_as_text(frame: pd.DataFrame, separator: str) -> pd.DataFrame:
    """Lists in cells (lagging indicators) as words joined, not as Python lists."""
    # a plain loop: .map(...).any() fails on Arrow-backed string columns
    listed = [c for c in frame.columns if any(isinstance(v, list | tuple) for v in frame[c])]
    if not listed:
        return frame
    frame = frame.copy()
    for column in listed:
        frame[column] = frame[column].map(
            lambda v: separator.join(map(str, v)) if isinstance(v, list | tuple) else v
        )
    return frame
