"""The user's mapping file: headers, codes, indicator names and fixed values the loader does
not know, written once beside the data (``impact-mapping.yaml``).

Format (every section optional; see ``docs/mapping.md``)::

    tables:                     # file stem or sheet name → table
      2024年项目汇总: projects
    projects:
      headers:                  # header as written → column (or `keep`: keep it as it is)
        资助金额合计（元）: grant_yuan
        序号: project_id
      codes:                    # column → value as written → code
        stage:
          已评审: shortlisted
      values:                   # a column missing from the sheet, the same for every row
        programme_id: weifang
        round: 2024
    indicators:
      names:                    # indicator as written → catalogue code (or a new code)
        入户走访次数: home_visits

It is read with ``yaml.safe_load``; a mistake in it is reported like one in the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Issue
from .schema import TABLES, header_key, normalise_label

MAPPING_FILE = "impact-mapping.yaml"
KEEP = "keep"  # a header mapped to this is kept under its own name, without a warning


@dataclass(frozen=True)
class UserMapping:
    """What a user's mapping file says, with every spelling normalised."""

    tables: dict[str, str] = field(default_factory=dict)  # normalised file/sheet name → table
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # table → key → column
    codes: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # table → column → value
    indicators: dict[str, str] = field(default_factory=dict)  # normalised name → code
    source: str = MAPPING_FILE

    def table_for(self, name: str) -> str | None:
        return self.tables.get(normalise_label(name))

    def column_for(self, table: str, header: str) -> str | None:
        return self.headers.get(table, {}).get(header_key(header)[0])


NO_MAPPING = UserMapping()


def load_mapping(folder: Path) -> tuple[UserMapping, list[Issue]]:
    """Read ``impact-mapping.yaml`` in ``folder``, if there is one, and check every entry."""
    file = Path(folder) / MAPPING_FILE
    if not file.is_file():
        return NO_MAPPING, []
    try:
        document = yaml.safe_load(file.read_text("utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        return NO_MAPPING, [Issue(file.name, None, None, f"cannot read the mapping file: {exc}")]
    if not isinstance(document, dict):
        return NO_MAPPING, [Issue(file.name, None, None, "the mapping file must be a mapping")]
    issues: list[Issue] = []
    mapping = UserMapping(source=file.name)
    for key, section in document.items():
        if key == "tables":
            for name, table in _pairs(section, file.name, "tables", issues):
                if table not in TABLES:
                    issues.append(_bad(file.name, "tables", name, table, TABLES))
                else:
                    mapping.tables[normalise_label(name)] = table
        elif key in TABLES:
            _table_section(mapping, str(key), section, file.name, issues)
        else:
            issues.append(
                Issue(
                    file.name,
                    None,
                    str(key),
                    f"not a table or `tables`; tables are {', '.join(TABLES)}",
                )
            )
    return mapping, issues


def _table_section(mapping: UserMapping, table: str, section, file: str, issues: list[Issue]):
    spec = TABLES[table]
    if not isinstance(section, dict):
        issues.append(Issue(file, None, table, "must hold headers:, codes:, values: or names:"))
        return
    for part, entries in section.items():
        where = f"{table}.{part}"
        if part == "headers":
            given: dict[str, str] = {}  # column → the header first mapped to it
            for header, column in _pairs(entries, file, where, issues):
                if column != KEEP and column not in spec.names:
                    issues.append(_bad(file, where, header, column, (*spec.names, KEEP)))
                elif column != KEEP and column in given:
                    # two headers onto one column: which one's values would it hold?
                    issues.append(
                        Issue(
                            file,
                            None,
                            where,
                            f"{given[column]!r} and {header!r} are both mapped to {column!r}: "
                            f"a column takes one header; map the other one to `{KEEP}` or to "
                            "the column it holds",
                        )
                    )
                    mapping.headers.get(table, {}).pop(header_key(given[column])[0], None)
                else:
                    if column != KEEP:
                        given[column] = header
                    mapping.headers.setdefault(table, {})[header_key(header)[0]] = column
        elif part == "codes":
            for column, codes in (entries or {}).items():
                if column not in spec.names or not spec.column(column).allowed:
                    coded = [c.name for c in spec.columns if c.allowed]
                    issues.append(_bad(file, where, column, column, coded))
                    continue
                allowed = list(spec.column(column).allowed)
                for written, code in _pairs(codes, file, f"{where}.{column}", issues):
                    if code not in allowed:
                        issues.append(_bad(file, f"{where}.{column}", written, code, allowed))
                    else:
                        target = mapping.codes.setdefault(table, {}).setdefault(column, {})
                        target[normalise_label(written)] = code
        elif part == "values":
            for column, value in (entries or {}).items():
                if column not in spec.names:
                    issues.append(_bad(file, where, column, column, spec.names))
                else:
                    mapping.values.setdefault(table, {})[column] = value
        elif part == "names" and table == "indicators":
            for written, code in _pairs(entries, file, where, issues):
                mapping.indicators[normalise_label(written)] = code
        else:
            issues.append(Issue(file, None, where, "unknown section; write headers, codes, values"))


def _pairs(entries, file: str, where: str, issues: list[Issue]) -> list[tuple[str, str]]:
    if entries is None:
        return []
    if not isinstance(entries, dict):
        issues.append(Issue(file, None, where, "must be a list of `written: meaning` lines"))
        return []
    return [(str(k), str(v)) for k, v in entries.items()]


def _bad(file: str, where: str, written: str, meaning: str, allowed) -> Issue:
    return Issue(
        file,
        None,
        where,
        f"{written!r}: {meaning!r} is not one of {', '.join(map(str, allowed))}",
    )


def merge_suggestions(suggestions) -> dict:
    """The mapping-file lines several issues suggest, merged into one document. A header
    keeps the first line suggested for it, and a column takes the first header suggested for
    it: the block never maps two headers onto one column, which the loader would refuse."""
    merged: dict = {}
    for text in suggestions:
        document = yaml.safe_load(text)
        for table, sections in document.items():
            if not isinstance(sections, dict):
                merged.setdefault(table, sections)
                continue
            target = merged.setdefault(table, {})
            for section, lines in sections.items():
                if not isinstance(lines, dict):
                    target.setdefault(section, lines)
                    continue
                into = target.setdefault(section, {})
                for written, meaning in lines.items():
                    if isinstance(meaning, dict):  # codes: column → value → code
                        into.setdefault(written, {})
                        for value, code in meaning.items():
                            into[written].setdefault(value, code)
                        continue
                    taken = section == "headers" and meaning != KEEP and meaning in into.values()
                    if written not in into and not taken:
                        into[written] = meaning
    return merged


def suggestion(table: str, section: str, written: str, meaning: str) -> str:
    """The lines to add to the mapping file, as one YAML snippet."""
    return f"{table}:\n  {section}:\n    {_quote(written)}: {meaning}"


def _quote(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style=None).splitlines()[0]
