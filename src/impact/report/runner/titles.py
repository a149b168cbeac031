"""A report's title and its programme's names, from its parameters and its data.

Titles take every word from the catalogue and every name from the data: a mid-term names its
round as the data do (``2020年第三期``), an exploration or a comparison names the programmes
it covers (or all of them), never a folder's name; a Chinese title names programmes by their
Chinese names.
"""

from __future__ import annotations

from ..catalogue import t
from ..params import ReportParams

# An exploration of several programmes is titled as one of them all; a comparison names up
# to three, and counts more.
NAMED_AT_MOST = {"explore": 1, "compare": 3}


def programme_names(programme: str | None, data) -> dict[str, str]:
    """The programme's Chinese and English names from the data (for the index), those it has."""
    import pandas as pd

    programmes = data.programmes
    if not programme or programmes is None or "programme_id" not in programmes:
        return {}
    row = programmes.loc[programmes.programme_id.astype(str) == programme]
    return {
        language: str(row[column].iloc[0])
        for language, column in (("zh", "name_zh"), ("en", "name_en"))
        if column in row and len(row) and pd.notna(row[column].iloc[0])
    }


def _names(data, language: str) -> dict[str, str]:
    """Each programme's name in the reader's language (in English, the Chinese one where the
    data have no English name)."""
    names: dict[str, str] = {}
    if data.programmes is not None:
        for column in ("name_en", "name_zh") if language == "en" else ("name_zh",):
            if column in data.programmes:
                known = data.programmes.dropna(subset=[column])
                names = dict(zip(known.programme_id, known[column], strict=True)) | names
    return names


def _covered(params: ReportParams, data) -> str:
    """The programmes an exploration or a comparison covers, in words: one or a few by name,
    else how many, else all."""
    names = _names(data, params.language)
    if params.programme:
        return str(names.get(params.programme, params.programme))
    ids: list[str] = []
    if data.programmes is not None and "programme_id" in data.programmes:
        ids = [str(p) for p in data.programmes.programme_id.dropna().unique()]
    if len(ids) > NAMED_AT_MOST[params.kind]:
        if params.kind == "compare":
            return t("programmes_counted", params.language, n=len(ids))
        return t("all_programmes", params.language)
    if not ids:
        return t("all_programmes", params.language)
    shown = [str(names.get(p, p)) for p in ids]
    return t("names_joiner", params.language).join(shown)


def period_label(params: ReportParams, data) -> str:
    """The report's round as its data name it (2020年第三期), or its year (2021年); empty
    for a report on every round."""
    from ...dataset import round_label_of

    if params.round and params.programme:
        return round_label_of(data, params.programme, int(params.round), params.language)
    if params.year:
        return t("year_label", params.language, year=int(params.year))
    return ""


def title(params: ReportParams, data) -> str:
    """The report's title: the parameters' own, else one made from the data."""
    if params.title:
        return params.title
    names = _names(data, params.language)
    programme = names.get(params.programme, params.programme)
    round_label = period_label(params, data) if params.round else ""
    return t(
        f"{params.kind}_title",
        params.language,
        programme=programme,
        round=params.round,
        round_label=round_label,
        year=params.year,
        programmes=_covered(params, data) if params.kind in ("explore", "compare") else "",
    )
