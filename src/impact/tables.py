"""Results as tables for a paper: Markdown and LaTeX, one result or several side by side.

- :func:`etable`: several models or aggregations side by side, one column each, an
  estimate with its standard error (or interval) below, and the number of observations,
  clusters and notes at the foot; after pyfixest's ``etable`` and R's ``modelsummary``;
- :func:`markdown_table` and :func:`latex_table`: the renderers every result's
  ``to_markdown()`` and ``to_latex()`` use (LaTeX with booktabs rules; no pandas Styler,
  so no jinja2 needed).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["SideBySide", "etable", "latex_table", "markdown_table"]

#: Columns holding the estimate of a row, by the result kinds that use them.
ESTIMATE_COLUMNS = ("estimate", "att", "leverage", "cost_per_unit", "cofunding_leverage")


def cell(value: Any, digits: int = 3, money: bool = False) -> str:
    """One value as text: fixed ``digits`` decimals (thousands separated from 1,000),
    whole numbers without decimals, missing as an en dash, yes/no for booleans."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "–"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if money and abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    return str(value)


def display_table(frame: pd.DataFrame, digits: int = 3, money: Sequence[str] = ()) -> pd.DataFrame:
    """A copy of ``frame`` with every cell as text (index kept, reset to columns)."""
    money = set(money)
    shown = frame.reset_index() if _named_index(frame) else frame.copy()
    for column in shown.columns:
        is_money = str(column).endswith("_yuan") or column in money
        shown[column] = [cell(v, digits, is_money) for v in shown[column]]
    return shown


def _named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def _escape_markdown(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(
    shown: pd.DataFrame, *, title: str = "", notes: Sequence[str] = (), index: bool = False
) -> str:
    """A pipe table (GitHub, Pandoc, Quarto), numbers right-aligned; the title in bold
    above and each note below.

    Parameters
    ----------
    shown
        The table with every cell as text (see ``display_table``).
    title
        Written in bold above the table.
    notes
        Written below the table, one line each.
    index
        Write the index as the first column.

    Returns
    -------
    str
        The Markdown text.

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"group": ["a"], "leverage": ["1.25"]})), end="")
    | group | leverage |
    |:---|---:|
    | a | 1.25 |
    """
    frame = shown.reset_index() if index else shown
    header = [_escape_markdown(c) for c in frame.columns]
    rows = [[_escape_markdown(v) for v in row] for row in frame.astype(str).to_numpy()]
    numeric = [
        all(_looks_numeric(row[j]) for row in rows) and bool(rows) for j in range(len(header))
    ]
    lines = []
    if title:
        lines += [f"**{_escape_markdown(title)}**", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if notes:
        lines.append("")
        lines += [f"Note: {_escape_markdown(n)}" for n in notes]
    return "\n".join(lines) + "\n"


def _looks_numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace("(", "").replace(")", "").replace("−", "-")
    stripped = stripped.replace("[", "").replace("]", "").strip()
    if stripped in ("–", ""):
        return True
    try:
        float(stripped.split(";")[0].split(" ")[0])
    except ValueError:
        return False
    return True


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "–": "--",
    "−": "$-$",
    "÷": r"$\div$",
    "×": r"$\times$",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "∞": r"$\infty$",
}


def latex_escape(text: Any) -> str:
    """Text safe inside a LaTeX document (special characters and a few symbols)."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in str(text))


def latex_table(
    shown: pd.DataFrame,
    *,
    caption: str = "",
    label: str | None = None,
    index: bool = False,
    midrules: Sequence[int] = (),
) -> str:
    r"""A ``table`` environment with a ``tabular`` of booktabs rules (``\toprule``,
    ``\midrule``, ``\bottomrule``; add ``\usepackage{booktabs}``), numbers
    right-aligned, the caption above.

    Parameters
    ----------
    shown
        The table with every cell as text.
    caption
        The caption (title and notes), escaped for LaTeX.
    label
        A ``\label`` for cross-references.
    index
        Write the index as the first column.
    midrules
        Row positions before which a further rule is drawn (the foot of
        :func:`etable`).

    Returns
    -------
    str
        The LaTeX text.

    Examples
    --------
    >>> text = latex_table(pd.DataFrame({"term": ["sex"], "estimate": ["-0.513"]}))
    >>> "sex & -0.513" in text and "\\toprule" in text
    True
    """
    frame = shown.reset_index() if index else shown
    rows = frame.astype(str).to_numpy().tolist()
    numeric = [
        all(_looks_numeric(r[j]) for r in rows) and bool(rows) for j in range(frame.shape[1])
    ]
    spec = "".join("r" if n else "l" for n in numeric)
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines += [rf"\begin{{tabular}}{{{spec}}}", r"\toprule"]
    lines.append(" & ".join(latex_escape(c) for c in frame.columns) + r" \\")
    lines.append(r"\midrule")
    for position, row in enumerate(rows):
        if position in set(midrules):
            lines.append(r"\midrule")
        lines.append(" & ".join(latex_escape(v) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def short_text(result) -> str:
    """What a result shows in a console: its kind and title, the first rows of its table
    (money in yuan), n and the notes, and where to look further."""
    from .results import format_table

    table = result._repr_table()
    head = table.head(8)
    with pd.option_context("display.width", 120, "display.max_columns", 8):
        body = format_table(head, result.money_columns).to_string() if len(head.columns) else ""
    more = f"\n… {len(table) - len(head)} more row(s) in .table" if len(table) > len(head) else ""
    size = {k: result.inputs[k] for k in ("n", "n_units", "events") if k in result.inputs}
    sizes = ", ".join(
        f"{k} = {v:,}" if isinstance(v, int) else f"{k} = {v}" for k, v in size.items()
    )
    lines = [f"{type(result).__name__}: {result.title}" if result.title else type(result).__name__]
    if body:
        lines.append(body + more)
    if sizes:
        lines.append(sizes)
    lines += [f"note: {n}" for n in result.notes]
    lines.append(".table  .summary()  .plot()  .to_markdown()  .to_latex()")
    return "\n".join(lines)


# --------------------------------------------------------------------- side by side


@dataclass(frozen=True, repr=False)
class SideBySide:
    """Several results side by side (what :func:`etable` returns): ``table`` has one
    column per model, two rows per term (the estimate, then its standard error or
    interval) and the foot (observations, clusters); ``notes`` are each model's notes,
    numbered by model."""

    table: pd.DataFrame
    foot_rows: int = 0
    notes: tuple[str, ...] = ()
    title: str = ""

    @property
    def caption(self) -> str:
        return " ".join([self.title] + [f"Note: {n}" for n in self.notes]).strip()

    def to_markdown(self) -> str:
        """A pipe table: terms as the first column, one column per model."""
        return markdown_table(self.table, title=self.title, notes=self.notes, index=True)

    def to_latex(self, *, label: str | None = None) -> str:
        """A booktabs table, with a rule above the foot (observations, clusters)."""
        body = len(self.table) - self.foot_rows
        return latex_table(
            self.table, caption=self.caption, label=label, index=True, midrules=[body]
        )

    def __repr__(self) -> str:
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            text = self.table.to_string()
        notes = "".join(f"\nnote: {n}" for n in self.notes)
        return f"{self.title}\n{text}{notes}" if self.title else text + notes

    def _repr_html_(self) -> str:
        notes = "".join(f"<p>Note: {html.escape(n)}</p>" for n in self.notes)
        title = f"<p><b>{html.escape(self.title)}</b></p>" if self.title else ""
        return title + self.table.to_html(escape=True, border=0) + notes


def _estimates(result) -> tuple[pd.DataFrame, dict[str, Any], Sequence[str]]:
    """(rows with estimate, se, ci_low, ci_high), inputs and notes of one result or of an
    aggregation table (``DidResult.aggregate(...)``)."""
    if isinstance(result, pd.DataFrame):
        table, inputs, notes = (
            result,
            dict(result.attrs.get("inputs", {})),
            result.attrs.get("notes", ()),
        )
    else:
        table, inputs, notes = result.table, result.inputs, result.notes
    column = next((c for c in ESTIMATE_COLUMNS if c in table.columns), None)
    if column is None:
        from .inputs import InputError

        raise InputError(
            f"etable: a result with one of the columns {', '.join(ESTIMATE_COLUMNS)} is "
            f"needed; this table has {', '.join(map(str, table.columns))}",
            argument="results",
        )
    rows = pd.DataFrame(
        {
            "estimate": table[column],
            "se": table["se"] if "se" in table else np.nan,
            "ci_low": table["ci_low"] if "ci_low" in table else np.nan,
            "ci_high": table["ci_high"] if "ci_high" in table else np.nan,
        }
    )
    rows.index = [
        " / ".join(map(_label, key)) if isinstance(key, tuple) else _label(key)
        for key in table.index
    ]
    return rows, inputs, notes


def _label(key: Any) -> str:
    """A row label: event time 2.0 as "2", a cohort 2004.0 as "2004"."""
    if isinstance(key, (float, np.floating)) and float(key).is_integer():
        return str(int(key))
    return str(key)


def etable(
    results: Sequence | Mapping[str, Any],
    *,
    stat: Literal["se", "ci"] = "se",
    digits: int = 3,
    title: str = "",
) -> SideBySide:
    """Several models or aggregations side by side, as pyfixest's ``etable`` or R's
    ``modelsummary``.

    Parameters
    ----------
    results
        Results (``cox``, ``did``, ``leverage_ratio`` …) or aggregation tables
        (``DidResult.aggregate("dynamic")``), in a list (columns named (1), (2) …) or a
        dict whose keys name the columns.
    stat
        What goes under each estimate: ``"se"`` (the standard error, in parentheses) or
        ``"ci"`` (the interval, in brackets).
    digits
        Decimals of estimates and standard errors.
    title
        Caption of the table.

    Returns
    -------
    SideBySide
        ``table`` (text cells: terms by models, and a foot with N and clusters),
        ``to_latex()``, ``to_markdown()``, and the models' notes.

    Examples
    --------
    >>> import pandas as pd
    >>> from impact.sustainability import cox
    >>> lines = pd.DataFrame({"rounds": [1, 2, 3, 4, 5, 2, 3, 1, 4, 2],
    ...                       "ended": [1, 1, 0, 1, 1, 1, 0, 1, 1, 1],
    ...                       "matched": [0, 1, 1, 0, 1, 0, 1, 0, 1, 0]})
    >>> side = etable({"Cox": cox(lines, duration="rounds", event="ended",
    ...                           covariates=["matched"])})
    >>> list(side.table.index)
    ['matched', '', 'N']
    """
    if isinstance(results, Mapping):
        named = list(results.items())
    else:
        if not isinstance(results, Sequence) or isinstance(results, str):
            results = [results]
        named = [(f"({i + 1})", r) for i, r in enumerate(results)]
    if not named:
        from .inputs import InputError

        raise InputError("etable: give at least one result", argument="results")
    columns, terms, foot, notes = {}, [], {}, []
    parsed = []
    for name, result in named:
        rows, inputs, model_notes = _estimates(result)
        parsed.append((name, rows, inputs))
        terms += [t for t in rows.index if t not in terms and t != "const"]
        notes += [f"{name}: {n}" for n in model_notes]
    index = []
    for term in terms:
        index += [term, ""]
    foot_names = ["N", "clusters"]
    for name, rows, inputs in parsed:
        values = []
        for term in terms:
            if term not in rows.index:
                values += ["", ""]
                continue
            row = rows.loc[term]
            values.append(cell(float(row.estimate), digits))
            if stat == "ci":
                values.append(
                    f"[{cell(float(row.ci_low), digits)}, {cell(float(row.ci_high), digits)}]"
                )
            else:
                values.append(f"({cell(float(row.se), digits)})")
        columns[name] = values
        n = inputs.get("n", inputs.get("n_units"))
        foot.setdefault("N", []).append(cell(n) if n is not None else "")
        clusters = inputs.get("n_clusters")
        if clusters is None and inputs.get("cluster"):
            clusters = inputs.get("cluster")
        foot.setdefault("clusters", []).append(cell(clusters) if clusters is not None else "")
    table = pd.DataFrame(columns, index=index)
    used_foot = [f for f in foot_names if any(foot[f])]
    table = pd.concat(
        [
            table,
            pd.DataFrame(
                {name: [foot[f][i] for f in used_foot] for i, (name, _, _) in enumerate(parsed)},
                index=used_foot,
            ),
        ]
    )
    return SideBySide(table, foot_rows=len(used_foot), notes=tuple(notes), title=title)


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
