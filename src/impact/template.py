"""The entry template: the .xlsx workbook an office fills in for one kind of programme.

``impact template --kind fund --lang zh --out 自治金项目模板.xlsx`` writes an instructions
sheet (填表说明) first, then a sheet per table that kind of programme uses, with headers in
the chosen language and their units (``种子资金（元）``), a drop-down list for every code and
yes/no column, number and date formats, a frozen header, widths fitted for Chinese, and
example rows that load as they are. Everything comes from :mod:`impact.schema`, so the
template and the loader cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .errors import ParamsError
from .schema import KIND_TABLES, TABLES, Column, Table

__all__ = [
    "KIND_NAMES",
    "write_template",
]

Language = Literal["zh", "en"]

#: What users may type for a kind on the command line.
KIND_NAMES = {"contest": "proposal_contest", **{k: k for k in KIND_TABLES}}

# Project columns only some kinds use; the rest of the projects table is common to all.
# leveraged_yuan, spent_yuan and award are left out everywhere: the template asks for
# funding lines, spending by period and an awards sheet instead.
_PROJECT_ONLY = {
    "application_type": ("competition",),
    "tier": ("fund",),
    "peer_group": ("fund", "competition"),
    "highest_stage": ("proposal_contest", "competition", "fund", "incubator"),
    "partner_type": ("partnership",),
    "service_income_yuan": ("partnership", "incubator"),
    "fund_donation_yuan": ("partnership", "incubator"),
    "grant_yuan": ("competition", "fund", "incubator", "proposal_contest"),
    "spent_midterm_yuan": ("competition", "fund", "incubator", "proposal_contest"),
    "spent_final_yuan": ("competition", "fund", "incubator", "proposal_contest"),
    "leveraged_yuan": (),
    "spent_yuan": (),
    "award": (),
    "round_label": (),  # the loader fills it from a round written as a name
}

_TABLE_ZH = {
    "programmes": ("计划", "项目计划：名称、主办单位、类型，一行。"),
    "rounds": ("届次", "每一届（或每一年度）的日期、预算和资助规则。"),
    "communities": ("社区名单", "项目所在的社区或村。"),
    "projects": ("项目汇总表", "每个申报或项目一行，包括未立项的。"),
    "funding": ("资金明细", "项目收到的每一笔资金或折价的实物、志愿服务。"),
    "indicators": ("指标完成情况", "每个项目每个指标的计划值、中期值或结项值，一行一个。"),
    "awards": ("获奖情况", "项目获得的奖项和日期。"),
    "organisations": ("社区社会组织", "计划中组建或培育的社区社会组织，是否在民政登记。"),
    "community_rounds": ("社区培育情况", "每届每个社区征集和入选的点子、培育的居民骨干。"),
    "people": ("人员名册", "培育的社区领袖、热心居民、骨干和志愿者，每人一行。"),
    "community_funds": ("社区基金", "社区基金或微基金。"),
    "fund_flows": ("社区基金收支", "社区基金的每一笔收入和支出。"),
}
# units as the loader reads them in a header (impact.schema.HEADER_UNITS)
_UNIT_ZH = {"yuan": "元", "people": "人", "households": "户", "ideas": "个", "years": "岁"}
_TYPE_ZH = {
    "id": "编号（文本）",
    "text": "文本",
    "int": "整数",
    "count": "非负整数",
    "money": "金额（元）",
    "number": "数值",
    "share": "比例（0–1或百分数）",
    "ratio": "比例（如1:1）",
    "date": "日期",
    "bool": "是/否",
    "category": "从下拉列表选择",
}
# Chinese spellings shown in drop-downs where the first listed one is not the plainest
_CODE_ZH = {"committee": "村居委会", "withdrawn": "撤回", "partnership": "社区合伙人"}
# Headers where the first Chinese spelling is not the plainest for a template
_HEADER_ZH = {"name_zh": "计划名称", "organiser": "主办单位"}
_NUMBER_FORMATS = {
    "money": "#,##0.00",
    "count": "0",
    "int": "0",
    "number": "0.00",
    "share": "0%",
    "ratio": "0.00",
    "date": "yyyy-mm-dd",
}
_BOOL = {"zh": ("是", "否"), "en": ("yes", "no")}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def kind_of(name: str) -> str:
    """The programme kind code for a name typed by a user (``contest`` → proposal_contest)."""
    if name not in KIND_NAMES:
        raise ParamsError(f"unknown kind {name!r}; kinds are {', '.join(KIND_NAMES)}")
    return KIND_NAMES[name]


def template_columns(table: Table, kind: str) -> tuple[Column, ...]:
    """The columns of ``table`` a programme of ``kind`` fills in."""
    if table.name != "projects":
        return table.columns
    return tuple(c for c in table.columns if kind in _PROJECT_ONLY.get(c.name, (kind,)))


def header(column: Column, lang: Language) -> str:
    """The header a template writes: ``种子资金（元）`` or ``grant_yuan``. English headers are
    the column names, which carry their unit (``_yuan``)."""
    if lang == "en":
        return column.name
    chinese = _HEADER_ZH.get(column.name) or next(
        (a for a in column.aliases if _is_chinese(a)), column.name
    )
    unit = _UNIT_ZH.get(column.unit)
    return f"{chinese}（{unit}）" if unit else chinese


def code_label(code: str, column: Column, lang: Language) -> str:
    """How a code is offered in a drop-down: its Chinese name, or the code itself."""
    if lang == "en":
        return code
    if code in _CODE_ZH and _CODE_ZH[code] in column.allowed[code]:
        return _CODE_ZH[code]
    return next((s for s in column.allowed[code] if _is_chinese(s)), code)


def sheet_name(table: Table, lang: Language) -> str:
    return _TABLE_ZH[table.name][0] if lang == "zh" else table.name


def examples(kind: str) -> dict[str, list[dict]]:
    """Example rows for every table, in codes, consistent across tables (they load clean)."""
    yearly = kind in ("fund", "partnership")
    round_no = 2024 if yearly else 1
    funded = kind != "partnership"
    project = {
        "project_id": "P001",
        "programme_id": "demo",
        "round": round_no,
        "community_id": "C01",
        "title": "楼道微更新",
        "applicant_type": "resident_group",
        "applicant_name": "楼道自治小组",
        "theme": "社区环境",
        "stage": "completed" if funded else "signed",
        "team_size": 6,
    }
    if funded:
        project |= {"grant_yuan": 5000.0, "spent_midterm_yuan": 2400.0, "spent_final_yuan": 5000.0}
    idea = {
        "project_id": "P002",
        "programme_id": "demo",
        "round": round_no,
        "community_id": "C01",
        "title": "长者助餐点子",
        "applicant_type": "resident_group",
        "stage": "idea",
    }
    extra = {
        "competition": {"application_type": "matched", "peer_group": "社区环境"},
        "fund": {"tier": "seedling", "peer_group": "楼道美化"},
        "partnership": {
            "applicant_type": "business",
            "applicant_name": "示例社区咖啡馆",
            "title": "长者低偿咖啡课",
            "partner_type": "business",
            "service_income_yuan": 2000.0,
            "fund_donation_yuan": 300.0,
        },
        "incubator": {"service_income_yuan": 600.0, "fund_donation_yuan": 90.0},
        "proposal_contest": {},
    }[kind]
    project |= extra
    if "application_type" in extra:
        idea["application_type"] = "standard"
    if kind == "fund":
        idea["tier"] = "seedling"
    funding = [
        {"project_id": "P001", "source": "donation", "amount_yuan": 1500.0, "form": "cash"},
        {"project_id": "P001", "source": "in_kind", "amount_yuan": 800.0, "form": "in_kind"},
    ]
    if kind == "competition":
        funding.insert(0, {"project_id": "P001", "source": "match", "amount_yuan": 5000.0})
    if kind == "proposal_contest":
        funding = [
            {"project_id": "P001", "source": "foundation", "amount_yuan": 3000.0,
             "part_of_grant": True},
            {"project_id": "P001", "source": "public_finance", "amount_yuan": 2000.0,
             "part_of_grant": True},
        ]  # fmt: skip
    name = {
        "competition": "示例街道社会治理微创投大赛",
        "fund": "示例街道自治金项目",
        "incubator": "示例区社区治理孵化器",
        "proposal_contest": "示例区社区金点子提案大赛",
        "partnership": "示例街道社区合伙人",
    }[kind]
    return {
        "programmes": [
            {
                "programme_id": "demo",
                "name_zh": name,
                "region": "示例街道",
                "organiser": "示例街道办事处",
                "kind": kind,
                "round_numbering": "year" if yearly else "ordinal",
            }
        ],
        "rounds": [
            {
                "programme_id": "demo",
                "round": round_no,
                "year": 2024,
                "label": "2024年度" if yearly else "第一届",
                "call_date": dt.date(2024, 3, 1),
                "start_date": dt.date(2024, 4, 1),
                "midterm_date": dt.date(2024, 7, 15),
                "end_date": dt.date(2024, 12, 31),
                "budget_yuan": 100000.0,
                "grant_min_yuan": 2000.0 if funded else None,
                "grant_max_yuan": 10000.0 if funded else None,
                "match_ratio": 1.0 if kind == "competition" else None,
            }
        ],
        "communities": [
            {
                "community_id": "C01",
                "name": "示例社区",
                "region": "示例街道",
                "population": 8000,
                "households": 3000,
            }
        ],
        "projects": [project, idea],
        "funding": funding,
        "indicators": [
            {
                "project_id": "P001",
                "indicator": "activities",
                "period": "plan",
                "value": 6,
                "unit": "场",
            },
            {
                "project_id": "P001",
                "indicator": "activities",
                "period": "final",
                "value": 8,
                "unit": "场",
            },
            {
                "project_id": "P001",
                "indicator": "residents_served",
                "period": "final",
                "value": 320,
                "unit": "人次",
            },
        ],  # fmt: skip
        "awards": [
            {
                "project_id": "P001",
                "award": "人气之星",
                "date": dt.date(2025, 1, 12),
                "votes": 1200,
            },
        ],  # fmt: skip
        "organisations": [
            {
                "organisation_id": "O001",
                "name": "楼道自治小组",
                "programme_id": "demo",
                "round": round_no,
                "community_id": "C01",
                "organisation_type": "resident_group",
                "formed": True,
                "registered": False,
            }
        ],
        "community_rounds": [
            {
                "programme_id": "demo",
                "round": round_no,
                "community_id": "C01",
                "ideas_proposed": 12,
                "ideas_selected": 3,
                # as many as the example roster lists: the loader checks the two agree
                "active_residents": 1,
                "leaders": 1,
            }
        ],
        "people": [
            {
                "person_id": "R001",
                "name": "张阿姨",
                "programme_id": "demo",
                "round": round_no,
                "community_id": "C01",
                "role": "leader",
                "leads_project": True,
                "project_id": "P001",
                "gender": "female",
                "age": 58,
            },
            {
                "person_id": "R002",
                "name": "李师傅",
                "programme_id": "demo",
                "round": round_no,
                "community_id": "C01",
                "role": "active_resident",
                "leads_project": False,
                "gender": "male",
                "age": 63,
            },
        ],
        "community_funds": [
            {
                "fund_id": "F01",
                "name": "示例社区微基金",
                "community_id": "C01",
                "programme_id": "demo",
                "established": dt.date(2024, 6, 1),
            }
        ],
        "fund_flows": [
            {
                "fund_id": "F01",
                "date": dt.date(2024, 9, 30),
                "direction": "in",
                "amount_yuan": extra.get("fund_donation_yuan", 300.0),
                "project_id": "P001",
                "purpose": "服务收入捐赠",
            },
            {
                "fund_id": "F01",
                "date": dt.date(2024, 10, 15),
                "direction": "out",
                "amount_yuan": 50.0,
                "purpose": "社区活动物资",
            },
        ],  # fmt: skip
    }


def _cell_value(value, column: Column, lang: Language):
    if value is None:
        return None
    if column.type == "category":
        return code_label(value, column, lang)
    if column.type == "bool":
        return _BOOL[lang][0] if value else _BOOL[lang][1]
    return value


def _display_width(text: str) -> int:
    return sum(2 if _is_chinese(ch) or ord(ch) > 0x3000 else 1 for ch in str(text))


def _instructions(book: Workbook, kind: str, lang: Language, tables: list[Table]) -> None:
    sheet = book.active
    sheet.title = "填表说明" if lang == "zh" else "instructions"
    zh = lang == "zh"
    lines = (
        [
            "填表说明",
            "1. 每个工作表是一张表，请在表头下逐行填写，表头不要改动；示例行请替换为本计划的数据。",
            "2. 带下拉箭头的列请从列表中选择；金额以元为单位，日期写作2024-03-01。",
            "3. 编号把各表连起来：项目的计划编号、届次、社区要与“计划”“届次”“社区名单”中的一致。",
            "4. 人数按人次填写的指标，100人次可以是20人参加5次。",
            "5. 填好后运行 impact validate 文件名.xlsx 检查。",
        ]
        if zh
        else [
            "Instructions",
            "1. Each sheet is one table: fill in one row per record under the header, keep the "
            "header as it is, and replace the example rows with your own.",
            "2. Columns with a drop-down take a value from its list; money is in yuan; dates are "
            "written 2024-03-01.",
            "3. Identifiers link the sheets: a project's programme, round and community must be "
            "rows of programmes, rounds and communities.",
            "4. Attendance indicators are person-times: 100 person-times may be 20 people five "
            "times.",
            "5. Check the filled workbook with: impact validate FILE.xlsx",
        ]
    )
    rows: list[list] = [[line] for line in lines] + [[]]
    heading = ["工作表", "列", "类型", "必填", "可选值"] if zh else [
        "sheet", "column", "type", "required", "allowed values"
    ]  # fmt: skip
    rows.append(heading)
    for table in tables:
        description = _TABLE_ZH[table.name][1] if zh else table.description
        rows.append([sheet_name(table, lang), description])
        for column in template_columns(table, kind):
            allowed = ""
            if column.type == "category":
                allowed = "、".join(code_label(c, column, lang) for c in column.allowed)
            elif column.type == "bool":
                allowed = "/".join(_BOOL[lang])
            required = ("是" if zh else "yes") if column.required else ""
            kind_text = _TYPE_ZH[column.type] if zh else column.type
            rows.append(["", header(column, lang), kind_text, required, allowed])
    for row in rows:
        sheet.append(row)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    for cell in sheet[len(lines) + 2]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (16, 30, 18, 8, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    if not zh:
        sheet.column_dimensions["B"].width = 60


def write_template(kind: str, lang: Language, out: str | Path) -> Path:
    """Write the entry workbook for a programme of ``kind`` in language ``lang``.

    Parameters
    ----------
    kind
        ``competition``, ``fund``, ``incubator``, ``proposal_contest`` (or ``contest``) or
        ``partnership``.
    lang
        ``zh`` (Chinese headers with units, Chinese codes) or ``en`` (column names, codes).
    out
        Path of the .xlsx file to write.

    Returns
    -------
    Path
        The file written. It loads with :func:`impact.load` as it is (the example rows are
        valid data) and after the office replaces the examples with its own rows.

    Examples
    --------
    >>> write_template("fund", "zh", "自治金项目模板.xlsx")   # doctest: +SKIP
    """
    kind = kind_of(kind)
    if lang not in ("zh", "en"):
        raise ParamsError(f"unknown language {lang!r}; languages are zh, en")
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ParamsError(f"{out}: the template is an .xlsx workbook; name it FILE.xlsx")
    tables = [TABLES[name] for name in KIND_TABLES[kind]]
    rows_by_table = examples(kind)
    book = Workbook()
    _instructions(book, kind, lang, tables)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for table in tables:
        sheet = book.create_sheet(sheet_name(table, lang))
        columns = template_columns(table, kind)
        headers = [header(c, lang) for c in columns]
        sheet.append(headers)
        for example in rows_by_table[table.name]:
            sheet.append([_cell_value(example.get(c.name), c, lang) for c in columns])
        last = 1000  # drop-downs reach well below the examples
        for position, (column, text) in enumerate(zip(columns, headers, strict=True), 1):
            letter = get_column_letter(position)
            top = sheet.cell(1, position)
            top.font, top.fill = bold, fill
            top.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            values = [text] + [str(r.get(column.name, "")) for r in rows_by_table[table.name]]
            sheet.column_dimensions[letter].width = min(
                40, max(8, *(_display_width(v) for v in values)) + 2
            )
            number_format = _NUMBER_FORMATS.get(column.type)
            if number_format:  # on the column, so rows typed later take it too
                sheet.column_dimensions[letter].number_format = number_format
                for row in range(2, sheet.max_row + 1):
                    sheet.cell(row, position).number_format = number_format
            choices = None
            if column.type == "category":
                choices = [code_label(c, column, lang) for c in column.allowed]
            elif column.type == "bool":
                choices = list(_BOOL[lang])
            if choices:
                check = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle="请从列表中选择" if lang == "zh" else "Choose from the list",
                    error=("可选：" if lang == "zh" else "Allowed: ") + "、".join(choices),
                )
                check.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(check)
        sheet.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
