"""Comparison with the published programmes: the user's own figures beside every
published figure in the same unit, each with its year, round and source, and every
published figure of the programmes (headline and detail) listed with its source."""

from __future__ import annotations

import pandas as pd

from .. import figures
from .base import Unavailable, section


class CompareSections:
    """Mixed into :class:`~impact.report.sections.Report`."""

    def published_data(self):
        def compute():
            from ..loaded import load_kept

            own = self.data.published
            path = self.options.published
            try:
                reference = load_kept(path)
            except Exception:  # noqa: BLE001 - a missing comparison set is said, not fatal
                reference = None
            tables = [t for t in (own, reference.published if reference else None) if t is not None]
            if not tables:
                return None, None, None
            published = pd.concat(tables, ignore_index=True).drop_duplicates(
                subset=["programme_id", "round", "year", "indicator", "category", "value"]
            )
            names = [
                t
                for t in (
                    reference.programmes if reference else None,
                    self.data.programmes,
                )
                if t is not None
            ]
            programmes = pd.concat(names, ignore_index=True).drop_duplicates("programme_id")
            sources = [
                t
                for t in (reference.sources if reference else None, self.data.sources)
                if t is not None
            ]
            sources = (
                pd.concat(sources, ignore_index=True).drop_duplicates("source_id")
                if sources
                else None
            )
            return published, programmes, sources

        return self.cached("published", compute)

    def _sources(self, sources, with_title: bool) -> dict:
        """Each source as the reader can look it up: publisher and title (《》 in Chinese).
        A publisher not written in Chinese (e.g. "unknown") is left out of a Chinese page,
        which then names the article by its title."""
        if sources is None:
            return {}
        out = {}
        for row in sources.itertuples():
            publisher = str(row.publisher) if isinstance(row.publisher, str) else ""
            title = str(row.title) if isinstance(row.title, str) else ""
            if self.language == "zh":
                if not _has_chinese(publisher):
                    publisher = ""
                text = f"{publisher}《{title}》" if with_title or not publisher else publisher
            else:
                text = f"{publisher}, “{title}”" if with_title else publisher
            out[row.source_id] = text.strip(", ") or row.source_id
        return out

    def unit_name(self, unit) -> str:
        """A unit as the reader says it (个, 元, 人次), or the unit itself."""
        if not isinstance(unit, str):
            return ""
        text = self.t(f"u_{unit}")
        return text if text != f"u_{unit}" else self.t(unit)

    def _name_of(self, programmes: pd.DataFrame) -> dict:
        column = "name_zh" if self.language == "zh" else "name_en"
        if programmes is None or column not in programmes:
            return {}
        return dict(zip(programmes.programme_id, programmes[column], strict=True))

    def _when(self, round_no, year, programme=None) -> str:
        parts = []
        if year is not None and not pd.isna(year):
            parts.append(self.t("year_label", year=int(year)))
        if round_no is not None and not pd.isna(round_no):
            if programme is None:  # a published programme: numbered as its figures say
                from ...dataset import round_label

                label = round_label(int(round_no), self.language)
            else:
                label = self.round_label(int(round_no), year, programme)
            has_year = year is not None and not pd.isna(year)
            if label not in parts and not (has_year and str(int(year)) in label):
                parts.append(label)
        return " ".join(parts)

    def own_scope(self):
        """The data set's own figures for this report: the report's year for an annual
        report, each programme's latest round otherwise."""
        from .. import scope

        if self.programme is not None and self.year is not None:
            rounds = scope.rounds_of_year(self.data, self.programme, self.year)
            single = rounds[0] if len(rounds) == 1 else None
            return [(self.programme, single, self.year, self.year_data())]
        programmes = (
            [self.programme]
            if self.programme
            else sorted(set(self.data.projects.programme_id.dropna()))
            if self.data.projects is not None
            else []
        )
        out = []
        for programme in programmes:
            data = scope.for_programme(self.data, programme)
            if data.projects is None or data.projects.empty:
                continue
            latest = int(data.projects["round"].max())
            year = None
            if data.rounds is not None and "year" in data.rounds:
                match = data.rounds.loc[data.rounds["round"] == latest, "year"]
                year = int(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else None
            out.append((programme, latest, year, scope.for_rounds(self.data, programme, [latest])))
        return out

    def comparison_rows(self) -> pd.DataFrame:
        """One row per comparable figure: the data's own and every published one in the
        same unit, grouped by indicator."""
        published, programmes, sources = self.published_data()
        names = self._name_of(programmes) | self._name_of(self.data.programmes)
        source_of = self._sources(sources, with_title=True)
        rows = []
        own_sets = self.own_scope()
        own_indicators = set()
        for programme, round_no, year, data in own_sets:
            for indicator, value in figures.own_figures(data).items():
                own_indicators.add(indicator)
                rows.append(
                    {
                        "indicator": indicator,
                        "programme": names.get(programme, programme),
                        "when": self._when(round_no, year, programme),
                        "value": value,
                        "unit": figures.COMPARABLE_UNITS.get(indicator, ""),
                        "source": self.t("this_data"),
                        "own": True,
                    }
                )
        if published is not None:
            headline = (
                published[published.category.isna()] if "category" in published else published
            )
            for row in headline.itertuples():
                unit = figures.COMPARABLE_UNITS.get(row.indicator)
                if row.indicator not in own_indicators or unit != row.unit:
                    continue
                rows.append(
                    {
                        "indicator": row.indicator,
                        "programme": names.get(row.programme_id, row.programme_id),
                        "when": self._when(row.round, row.year),
                        "value": row.value,
                        "unit": row.unit,
                        "source": source_of.get(row.source_id, row.source_id),
                        "own": False,
                    }
                )
        table = pd.DataFrame(
            rows, columns=["indicator", "programme", "when", "value", "unit", "source", "own"]
        )
        order = {name: i for i, name in enumerate(figures.COMPARABLE_UNITS)}
        table["_order"] = table.indicator.map(order)
        return table.sort_values(["_order", "own"], ascending=[True, False], kind="stable").drop(
            columns="_order"
        )

    @section("published")
    def published_comparison(self) -> None:
        """The data's own figures beside every published figure in the same unit."""
        published, _, _ = self.published_data()
        if published is None:
            raise Unavailable("no_published", path=str(self.options.published))
        table = self.comparison_rows()
        if table.empty or not (~table.own).any():
            raise Unavailable("nothing_comparable")
        shown = table.assign(
            indicator=table.indicator.map(self.t),
            unit=table.unit.map(self.unit_name),
            value=[_value_text(v, u) for v, u in zip(table.value, table.unit, strict=True)],
        ).drop(columns="own")
        self.table(
            shown,
            "published_comparison",
            {"when": "period"},
            n=int((~table.own).sum()),
            unit="published_figures",
        )
        self.note(self.t("published_note"))

    @section("published_all")
    def published_figures(self) -> None:
        """Every figure the published programmes report (headline and detail), with its
        year, round and source: nothing in the embedded set is left out."""
        published, programmes, sources = self.published_data()
        if published is None:
            raise Unavailable("no_published", path=str(self.options.published))
        if self.programme is not None:
            if not (published.programme_id == self.programme).any():
                raise Unavailable("no_published_for_programme")
            published = published[published.programme_id == self.programme]
        names = self._name_of(programmes) | self._name_of(self.data.programmes)
        source_of = self._sources(sources, with_title=False)
        table = pd.DataFrame(
            {
                "programme": published.programme_id.map(lambda p: names.get(p, p)),
                "when": [
                    self._when(r, y)
                    for r, y in zip(published["round"], published.year, strict=True)
                ],
                "indicator": published.indicator.map(self.t),
                "category": published.category.map(
                    lambda c: self.t(c) if isinstance(c, str) else ""
                ),
                "value": [
                    _value_text(v, u) for v, u in zip(published.value, published.unit, strict=True)
                ],
                "unit": published.unit.map(self.unit_name),
                "source": published.source_id.map(lambda s: source_of.get(s, s)),
            }
        )
        self.table(
            table,
            "published",
            {"when": "period"},
            n=len(table),
            unit="published_figures",
        )


def _value_text(value, unit) -> str:
    """A published or own figure as written: shares as percentages, whole numbers without
    decimals, others with two."""
    if value is None or pd.isna(value):
        return ""
    if unit == "share":
        return f"{value:.0%}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
