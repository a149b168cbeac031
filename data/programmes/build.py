"""Build the five source programmes as their offices would plausibly send them.

Each programme in ``/work/shared/seeds`` (see DOMAIN.md) becomes a project-level data set
in ``data/programmes/<programme>/``: Chinese headers with units, title rows, a totals row,
as an .xlsx workbook with Chinese sheet names, GBK CSV or UTF-8-with-BOM CSV. Every figure
an article publishes is kept exactly; everything else (names of most projects, single
amounts, dates within a month, how totals split across projects) is invented from a fixed
seed, and each programme's README.md says which is which.

Run from the repository root::

    python data/programmes/build.py               # rewrite data/programmes/
    python data/programmes/build.py --out DIR     # write elsewhere (the test does this)

The same script gives the same files, byte for byte (workbooks included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

SEED = 20241124
PLAIN = False  # set by --plain
TOTAL = "合计"


# --------------------------------------------------------------------------- helpers


def split_total(rng: np.random.Generator, total: int, n: int, minimum: int = 0) -> np.ndarray:
    """``n`` whole numbers, each at least ``minimum``, adding up to ``total`` exactly."""
    spare = total - n * minimum
    if spare < 0:
        raise ValueError(f"cannot split {total} into {n} parts of at least {minimum}")
    weights = rng.gamma(2.0, 1.0, n)
    return rng.multinomial(spare, weights / weights.sum()) + minimum


def split_cents(rng: np.random.Generator, total_yuan: float, n: int, low: float) -> np.ndarray:
    """``n`` amounts in yuan with cents, each at least ``low``, adding up to ``total_yuan``."""
    cents = split_total(rng, round(total_yuan * 100), n, round(low * 100))
    return cents / 100


class Sheet:
    """One table as an office lays it out: a title line, optionally a second line, the
    header, the rows, a totals row, and notes under a blank row."""

    def __init__(
        self,
        name: str,
        frame: pd.DataFrame,
        title: str,
        subtitle: str = "",
        totals: dict | None = None,
        notes: tuple[str, ...] = (),
        groups: tuple[tuple[str, tuple[str, ...]], ...] = (),
        plain_frame: pd.DataFrame | None = None,
    ) -> None:
        self.name, self.frame, self.title = name, frame, title
        self.subtitle, self.totals, self.notes = subtitle, totals, notes
        # merged group cells over some columns in a two-row header, e.g. 资金情况（元） over
        # 种子资金, 中期已使用, 结项已使用 (the columns' unit moves up to the group); a column
        # named 计划|活动场次 shows 活动场次 under its group
        self.groups = groups
        self.plain_frame = plain_frame  # the table in the loader's own shape, if not frame

    def plain(self) -> Sheet:
        """The same table with nothing around it, headers without units, no 序号."""
        frame = self.frame if self.plain_frame is None else self.plain_frame
        frame = frame.drop(columns=["序号"], errors="ignore")
        for header in [h for h in frame.columns if h.endswith("（万元）")]:
            frame = frame.assign(**{header: frame[header] * 1e4})
        frame = frame.rename(columns=lambda h: re.sub(r"（万?元）$", "", h))
        frame = frame.apply(lambda column: column.map(_month_to_day))
        return Sheet(self.name, frame, "")

    def lines(self) -> list[list]:
        if not self.title:
            return [list(self.frame.columns)] + [
                [_cell(v) for v in row] for row in self.frame.itertuples(index=False)
            ]
        width = len(self.frame.columns)
        pad = [None] * (width - 1)
        rows = [[self.title, *pad]]
        if self.subtitle:
            rows.append([self.subtitle, *pad])
        rows.append(list(self.frame.columns))
        rows += [[_cell(v) for v in row] for row in self.frame.itertuples(index=False)]
        if self.totals is not None:
            rows.append([self.totals.get(c) for c in self.frame.columns])
        if self.notes:
            rows.append([None] * width)
            rows += [[note, *pad] for note in self.notes]
        return rows


def _cell(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _month_to_day(value):
    """``2022年7月`` (a month, as articles write it) as its first day."""
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月", value) if isinstance(value, str) else None
    return f"{match[1]}-{int(match[2]):02d}-01" if match else value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def write_csv(sheet: Sheet, folder: Path, encoding: str) -> Path:
    """As Excel saves CSV: CRLF, every field as shown, GBK or UTF-8 with BOM."""
    path = folder / f"{sheet.name}.csv"
    text = "".join(",".join(_quote(_text(v)) for v in row) + "\r\n" for row in sheet.lines())
    path.write_bytes(text.encode(encoding))
    return path


def _quote(field: str) -> str:
    if any(ch in field for ch in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def write_workbook(sheets: list[Sheet], path: Path, instructions: list[str]) -> Path:
    """An .xlsx with a 填表说明 sheet first, then one sheet per table with its title merged
    across the table."""
    book = Workbook()
    cover = book.active
    cover.title = "填表说明"
    for number, line in enumerate(instructions, start=1):
        cover.cell(number, 1, line)
    cover.column_dimensions["A"].width = 90
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        width = len(sheet.frame.columns)
        lines = sheet.lines()
        if sheet.groups:
            lines = _two_row_header(ws, sheet, lines)
        for r, row in enumerate(lines, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        for c, header in enumerate(sheet.frame.columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = max(10, 2 * len(str(header)) + 2)
    stamp = dt.datetime(2024, 11, 24)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "impact data/programmes/build.py"
    book.save(path)
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """Give every member of the saved workbook the same time stamp, so the same data give the
    same bytes (openpyxl stamps members and the modified date with the time of saving)."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members:
            if name == "docProps/core.xml":
                content = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*<",
                    rb"<dcterms:modified\1>2024-11-24T00:00:00Z<",
                    content,
                )
            info = zipfile.ZipInfo(name, date_time=(2024, 11, 24, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)


def _two_row_header(ws, sheet: Sheet, lines: list[list]) -> list[list]:
    """Split the header line in two: each group's label merged across its columns above
    their names without the unit, every other header merged down over both rows."""
    at = 1 + bool(sheet.subtitle)  # the header line's index
    headers = lines[at]
    top, bottom = list(headers), [None] * len(headers)
    row = at + 1  # 1-based worksheet row of the top header line
    grouped = set()
    for label, members in sheet.groups:
        positions = [headers.index(m) for m in members]
        for position in positions:
            top[position] = None
            bottom[position] = re.sub(r"（元）$", "", headers[position].split("|")[-1])
        top[positions[0]] = label
        ws.merge_cells(
            start_row=row, start_column=positions[0] + 1, end_row=row, end_column=positions[-1] + 1
        )
        grouped.update(positions)
    for position in range(len(headers)):
        if position not in grouped:
            ws.merge_cells(
                start_row=row, start_column=position + 1, end_row=row + 1, end_column=position + 1
            )
    return lines[:at] + [top, bottom] + lines[at + 1 :]


def emit(
    folder: Path,
    sheets: list[Sheet],
    *,
    encoding: str = "",
    workbook: str = "",
    instructions: tuple[str, ...] | list[str] = (),
) -> None:
    """Write a programme's sheets as its office sends them: one workbook, or a CSV per
    sheet in ``encoding``. In plain mode (``--plain``), every sheet is a UTF-8 CSV with the
    header only, units left out of the headers, no title, totals or notes: the same data in
    the layout the loader has always read, to compare the office layout against."""
    folder.mkdir(parents=True, exist_ok=True)
    if PLAIN:
        for sheet in sheets:
            write_csv(sheet.plain(), folder, "utf-8")
    elif workbook:
        write_workbook(sheets, folder / workbook, list(instructions))
    else:
        for sheet in sheets:
            write_csv(sheet, folder, encoding)


def write_readme(folder: Path, text: str) -> None:
    (folder / "README.md").write_text(text.strip() + "\n", "utf-8")


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.insert(0, "序号", range(1, len(frame) + 1))
    return frame


def _programme_row(pid, name, region, organiser, kind, numbering) -> pd.DataFrame:
    return pd.DataFrame(
        [[pid, name, region, organiser, kind, numbering]],
        columns=["计划编号", "计划名称", "地区", "主办单位", "计划类型", "届次方式"],
    )


def _single_round(pid, year, label, called, started, closed) -> pd.DataFrame:
    """The rounds sheet of a programme that has had one round (届次 1)."""
    return pd.DataFrame(
        [[pid, 1, year, label, called, started, closed]],
        columns=["计划编号", "届次", "年度", "届次名称", "征集日期", "开始日期", "结项日期"],
    )


# --------------------------------------------------------------------------- Lishui


def lishui(out: Path, rng: np.random.Generator) -> None:
    """Lishui 4th micro-venture competition (seed 000): one .xlsx workbook."""
    pid = "lishui"
    villages = ["和同村", "上街村", "建星村", "洲村", "同声社区", "甘蕉社区", "海南洲社区"]
    villages += ["大冲社区", "邓岗社区", "里水社区", "沙涌村", "赤山村"]
    communities = pd.DataFrame({"社区": villages, "镇街": "里水镇"})

    # 25 applicants, 15 funded (article); 3 funded as matched, raising 12,000 in all
    # the article names eight funded projects, their teams and (through the names) their
    # communities: three "most effective" (the farm, the e-bike parking, the culture guides)
    # and five popularity-vote winners, ranked by score
    named = [
        ("“党建引领,邻里互助”农场建设计划", "洲村社区志愿服务队", "洲村", "志愿服务团队"),
        ("金沙半岛小区电动自行车停放治理项目", "同声社区公共服务中心", "同声社区",
         "社会服务机构"),
        ("“知民俗,晓乡情” 甘蕉社区最美导赏线评选活动", "甘蕉社区志愿服务队", "甘蕉社区",
         "志愿服务团队"),
        ("悦园小区荒地变形计", "悦园小区楼长志愿服务队", None, "志愿服务团队"),
        ("打造楼栋“生命通道”,“岭南魅力”微动员", "岭南厂生活区融爱互助小组", None,
         "社区社会组织"),
        ("“青创海南洲,共读齐议事”海南洲社区关爱新市民行动", "海南洲糖果花园妇女微家",
         "海南洲社区", "社区社会组织"),
        ("“幸福小院子”大冲社区共建品质空间微改造项目", "大冲社区志愿服务队", "大冲社区",
         "志愿服务团队"),
        ("“绿荫绕社区,共筑家乡美”邓岗社区微改造项目", "邓岗社区志愿服务队", "邓岗社区",
         "志愿服务团队"),
    ]  # fmt: skip
    titles_funded = [t for t, *_ in named] + [f"社区微治理行动{n}（虚构）" for n in range(1, 8)]
    applicant_types = ["村(社区)", "社区社会组织", "社会服务机构", "志愿服务团队"]
    kinds = rng.choice(applicant_types, 25)
    kinds[8:12] = applicant_types  # every type the article names applied
    kinds[:8] = [k for *_, k in named]
    matched = np.zeros(25, bool)
    matched[[3, 7, 11]] = True
    match_amounts = {3: 5000.0, 7: 4000.0, 11: 3000.0}  # sum 12,000 (article)
    grants = np.where(matched, 0.0, rng.choice([6000.0, 8000.0, 10000.0], 25))
    for position, amount in match_amounts.items():
        grants[position] = amount  # 1:1 match: the seed grant equals the money raised
    funded = np.arange(25) < 15
    grants = np.where(funded, grants, np.nan)
    titles = titles_funded + [f"未立项申报{n}（虚构）" for n in range(1, 11)]
    project_ids = [f"LS4-{n:02d}" for n in range(1, 26)]
    spent_mid = np.where(funded, np.round(grants * rng.uniform(0.35, 0.6, 25), -1), np.nan)
    projects = pd.DataFrame(
        {
            "项目编号": project_ids,
            "计划编号": pid,
            "届次": 4,
            "所属村（社区）": rng.choice(villages, 25),
            "项目名称": titles,
            "申报主体": kinds,
            "申报单位": [team for _, team, *_ in named]
            + [f"申报单位{n:02d}（虚构）" for n in range(9, 26)],
            "申报类型": np.where(matched, "配比申报", "普通申报"),
            "项目状态": np.where(funded, "结项", "申报"),
            "种子资金（元）": grants,
            "中期已使用（元）": spent_mid,
            "结项已使用（元）": grants,
        }
    )
    for position, (_, _, community, _) in enumerate(named):
        if community:
            projects.loc[position, "所属村（社区）"] = community

    # 62,619 yuan leveraged (article): 12,000 matched, 489 from the farm's charity days,
    # the rest invented donations, in-kind support and business money over the 15 projects
    lines = [(project_ids[p], "配比资金", a, "现金") for p, a in match_amounts.items()]
    lines.append((project_ids[0], "捐赠", 489.0, "现金"))
    rest = split_total(rng, 62619 - 12000 - 489, 15, 500)
    sources = rng.choice(["捐赠", "实物", "企业", "志愿服务折算"], 15)
    for position in range(15):
        form = "实物" if sources[position] in ("实物", "志愿服务折算") else "现金"
        lines.append((project_ids[position], sources[position], float(rest[position]), form))
    funding = pd.DataFrame(lines, columns=["项目编号", "资金来源", "金额（元）", "形式"])
    funding["到账日期"] = "2022-10-15"

    # totals over the 15 funded projects in three months (article)
    totals = {
        "骨干人数": 211,
        "活动场次": 141,
        "动员多元主体人次": 2161,
        "解决微事件": 39,
        "服务居民人次": 13903,
        "视频": 5,
        "宣传推文": 51,
        "阅读量": 20392,
        "提炼机制": 2,
    }
    units = {"骨干人数": "人", "服务居民人次": "人次", "动员多元主体人次": "人次"}
    minimum = {"骨干人数": 5, "活动场次": 4, "服务居民人次": 100, "宣传推文": 1}
    rows = []
    for name, total in totals.items():
        parts = split_total(rng, total, 15, minimum.get(name, 0))
        rows += [
            (project_ids[p], name, "结项", int(parts[p]), units.get(name, "")) for p in range(15)
        ]
    # the community farm alone (article)
    farm = {
        "议事协商会议": (4, "场"),
        "会议出席人数": (38, "人"),
        "志愿者人数": (79, "人"),
        "鲜菜到户行动": (11, "场"),
        "受助长者": (361, "人"),
        "农场公益日": (3, "场"),
        "实现长者微心愿": (9, "个"),
    }
    rows += [(project_ids[0], name, "结项", v, u) for name, (v, u) in farm.items()]
    indicators = pd.DataFrame(rows, columns=["项目编号", "指标名称", "阶段", "数值", "单位"])

    # popularity vote 8-12 Jan 2023, 5 winners; 3 "most effective" (article)
    popular = [3, 4, 5, 6, 7]  # in the article's order, by score (the votes are invented)
    votes = sorted(rng.integers(800, 3000, 5), reverse=True)
    effective = [0, 1, 2]
    awards = pd.DataFrame(
        [
            (project_ids[p], "最佳人气奖", "2023-01-12", int(v))
            for p, v in zip(popular, votes, strict=True)
        ]
        + [(project_ids[p], "最具成效奖", "2023-03-02", None) for p in effective],
        columns=["项目编号", "奖项", "获奖日期", "票数"],
    )
    # the office keeps indicators across: a row per project, 计划 (plan, invented) and 结项
    # groups over the indicator names, blank where a project has no value
    names = [*totals, *farm]
    final = indicators.pivot(index="项目编号", columns="指标名称", values="数值")
    final = final.reindex(index=project_ids[:15], columns=names)
    plan = (final * rng.uniform(0.8, 1.1, final.shape)).round()
    wide = pd.concat([plan.add_prefix("计划|"), final], axis=1).reset_index()
    wide.columns.name = None
    long = pd.DataFrame(
        [
            (row["项目编号"], column.split("|")[-1], "计划" if "|" in column else "结项", value)
            for _, row in wide.iterrows()
            for column, value in row.iloc[1:].items()
            if value == value  # not blank
        ],
        columns=["项目编号", "指标名称", "阶段", "数值"],
    )
    rounds = pd.DataFrame(
        [[pid, 4, 2022, "第四届", "2022年7月", "2022-10-01", "2022-11-15", "2022-12-31",
          "1:1", 2000, 10000]],
        columns=["计划编号", "届次", "年度", "届次名称", "征集日期", "开始日期", "中期评估日期",
                 "结项日期", "配比比例", "资助下限（元）", "资助上限（元）"],
    )  # fmt: skip
    sheets = [
        Sheet(
            "计划",
            _programme_row(
                pid,
                "里水镇“善治郁水 益动青创”社会治理微创投大赛",
                "佛山市南海区里水镇",
                "里水镇综合治理办公室",
                "微创投大赛",
                "届",
            ),
            "项目计划",
        ),
        Sheet("届次", rounds, "届次信息"),
        Sheet("社区名单", communities, "里水镇村（社区）名单"),
        Sheet(
            "项目汇总表",
            _numbered(projects),
            "里水镇第四届社会治理微创投大赛项目汇总表",
            subtitle="填报单位：里水镇综合治理办公室    填报日期：2023年3月2日",
            groups=(
                ("资金情况（元）", ("种子资金（元）", "中期已使用（元）", "结项已使用（元）")),
            ),
            totals={
                "序号": TOTAL,
                "项目名称": "共25个",
                "种子资金（元）": float(np.nansum(grants)),
                "结项已使用（元）": float(np.nansum(grants)),
            },
        ),
        Sheet(
            "资金明细",
            funding,
            "撬动社会资源明细",
            totals={"项目编号": TOTAL, "金额（元）": float(funding["金额（元）"].sum())},
        ),
        Sheet(
            "指标完成情况",
            wide,
            "项目产出指标完成情况（三个月执行期）",
            groups=(("计划", tuple(f"计划|{n}" for n in names)), ("结项", tuple(names))),
            plain_frame=long,
        ),
        Sheet("获奖情况", awards, "评选结果"),
    ]
    folder = out / pid
    emit(
        folder,
        sheets,
        workbook="里水镇第四届微创投大赛.xlsx",
        instructions=[
            "里水镇第四届社会治理微创投大赛 数据汇总",
            "1. 金额单位为元；配比申报项目的种子资金与链接的社会资金1:1等额。",
            "2. 指标完成情况为三个月执行期的结项数。",
        ],
    )
    write_readme(
        folder,
        """
# Lishui 4th micro-venture competition (里水镇第四届社会治理微创投大赛)

Source: seeds/000 (`lishui_2023` in data/published). One workbook, `里水镇第四届微创投大赛.xlsx`,
with a 填表说明 sheet, Chinese sheet names, title rows, a two-row header on the projects
(资金情况（元） merged over 种子资金, 中期已使用, 结项已使用), indicators written across (a row per
project, 计划 and 结项 merged over the indicator names), and a 合计 row under the projects and
the funding lines.

From the article: 25 applicants, 15 funded; the eight projects it names with their teams and
communities (three most effective, five popularity winners in order of score); the
applicant types; matched type (1:1, three
projects raising 12,000 yuan); launch July 2022; totals over three months (211 core team,
141 activities, 2,161 person-times of other actors, 39 micro-issues, 13,903 resident
person-times served, 62,619 yuan leveraged, 5 videos, 51 posts, 20,392 reads, 2 mechanisms);
the popularity vote 8-12 Jan 2023 (5 winners) and 3 most-effective awards (dated on the
results show, 2 March 2023); the community farm's own figures (4 meetings, 38 people,
79 volunteers, 11 deliveries, 361 elders, 3 charity days raising 489 yuan, 9 wishes); the
village names 和同村, 上街村, 建星村.

Invented (marked （虚构） where a name is invented): the other seven funded and ten unfunded
titles and their applicants, the communities of two named projects, the seed grants of
standard projects, which projects were matched, the split of every total across projects,
the sources of leveraged money other than the 12,000 and 489 yuan, dates other than the
month of the call (implementation set to the three months October to December 2022), the
votes, every planned (计划) value. The article's 2,000-10,000 yuan range is for the
matched type; every grant here lies within it.
""",
    )


# --------------------------------------------------------------------------- Weifang


def weifang(out: Path, rng: np.random.Generator) -> None:
    """Weifang Xincun 2024 autonomy fund (seed 001): a GBK CSV folder."""
    pid = "weifang_xincun"
    residential = [f"潍坊{n}村居民区" for n in ("一", "二", "三", "四", "五", "六", "七")]
    residential += ["泾东居民区", "福山居民区", "源竹居民区", "峨山居民区", "崂山居民区"]
    named = {
        "示范类": ["活力二村益路同行", "开心坊自治家园理事会", "618客堂间"],
        "品牌类": ["空中蔬菜乐园", "欢乐帮帮团", "相悦邻聚里"],
        "育苗类": ["文明养宠和谐社区", "凯往家的列车", "福源连心桥"],
    }
    counts = {"示范类": 8, "品牌类": 21, "育苗类": 26}  # article
    grant_range = {"示范类": (30000, 50000), "品牌类": (15000, 30000), "育苗类": (5000, 15000)}
    groups = ["群体融入", "邻里会客厅", "社区小花园", "团队培育", "楼道美化", "公益服务"]
    rows = []
    for tier, n in counts.items():
        titles = named[tier] + [f"{tier[:2]}自治项目{k}（虚构）" for k in range(1, n - 2)]
        low, high = grant_range[tier]
        for title in titles:
            grant = float(rng.integers(low // 1000, high // 1000 + 1) * 1000)
            rows.append(
                {
                    "项目名称": title,
                    "居民区": residential[int(rng.integers(len(residential)))],
                    "项目层级": tier,
                    "互学小组": None,
                    "负责团队": f"{title[:4]}自治团队（虚构）",
                    "自治金（元）": grant,
                    "中期已使用（元）": float(round(grant * rng.uniform(0.3, 0.6), -2)),
                    "项目状态": "实施中",
                }
            )
    projects = pd.DataFrame(rows)
    # six peer-learning groups (article), every group holding projects of each tier
    projects["互学小组"] = [groups[k % 6] for k in rng.permutation(len(projects))]
    projects.insert(0, "项目编号", [f"WF2024-{n:02d}" for n in range(1, len(projects) + 1)])
    projects.insert(1, "计划编号", pid)
    projects.insert(2, "年度", 2024)
    projects = projects.rename(columns={"自治金（元）": "资助金额（元）"})
    rounds = pd.DataFrame(
        [[pid, 2024, 2024, "2024年度", "2024-03-01", "2024-04-15", "2024-09-20", "2024-12-31",
          projects["资助金额（元）"].sum() / 1e4]],
        columns=["计划编号", "届次", "年度", "届次名称", "征集日期", "开始日期", "中期评估日期",
                 "结项日期", "自治金总额（万元）"],
    )  # fmt: skip
    sheets = [
        Sheet(
            "计划",
            _programme_row(
                pid,
                "潍坊新村街道自治金项目",
                "上海市浦东新区潍坊新村街道",
                "潍坊新村街道社会工作办",
                "自治金",
                "年度",
            ),
            "项目计划",
        ),
        Sheet("届次", rounds, "年度信息"),
        Sheet(
            "社区名单",
            pd.DataFrame({"居民区": residential, "街道": "潍坊新村街道"}),
            "潍坊新村街道居民区名单",
        ),
        Sheet(
            "项目汇总表",
            _numbered(projects),
            "潍坊新村街道2024年度自治金项目汇总表",
            subtitle="填报单位：潍坊新村街道社会工作办    填报日期：2024年9月30日",
            totals={
                "序号": TOTAL,
                "项目名称": "共55个",
                "项目层级": "示范类8个，品牌类21个，育苗类26个",
                "资助金额（元）": float(projects["资助金额（元）"].sum()),
                "中期已使用（元）": float(projects["中期已使用（元）"].sum()),
            },
            notes=("备注：中期已使用金额截至中期评估会。", "制表人：（虚构）  审核人：（虚构）"),
        ),
    ]
    folder = out / pid
    emit(folder, sheets, encoding="gbk")
    write_readme(
        folder,
        """
# Weifang Xincun 2024 autonomy-fund projects (潍坊新村街道2024年自治金项目)

Source: seeds/001 (`weifang_2024` in data/published). A folder of GBK CSV files as Excel
on a Chinese Windows machine saves them (CRLF), with title rows, a 填报单位 line, a 合计 row
(`示范类8个，品牌类21个，育苗类26个`) and notes under the table. Rounds are years
(`届次方式` 年度): the round is 2024, named 2024年度.

From the article: 55 projects in three tiers, 8 demonstration (示范类), 21 brand (品牌类),
26 seedling (育苗类); the nine named projects and their tiers; six peer-learning groups
(群体融入, 邻里会客厅, 社区小花园, 团队培育, 楼道美化, 公益服务); a mid-term evaluation; the
projects still being carried out. The year's budget is written in 万元 (ten thousand
yuan), as the sum of the invented grants.

Invented: every other title (marked （虚构）), teams, residential areas of each project, the
grants (by tier) and spending at mid-term, which project is in which group, all dates.
""",
    )


# --------------------------------------------------------------------------- Longgang


def longgang(out: Path, rng: np.random.Generator) -> None:
    """Longgang 'V创空间' incubator (seed 002): a UTF-8-with-BOM CSV folder."""
    pid = "longgang"
    pilots = ["平南社区", "荷坳社区", "禾花社区"]  # the 3 pilot communities (article)
    titles = {
        "平南社区": ["禁止高空抛物宣传", "反诈骗宣传", "文明养犬宣传", "平南邻里议事（虚构）"],
        "荷坳社区": [
            "小小社会人——倡导交通安全文明出行宣传",
            "荷坳楼道微更新（虚构）",
            "荷坳长者陪伴（虚构）",
        ],
        "禾花社区": ["禾花亲子共读（虚构）", "禾花垃圾分类（虚构）", "禾花社区花园（虚构）"],
    }
    titles["平南社区"].append("平南环境守护（虚构）")  # 11 projects: "10余个" (article)
    rows = []
    for community, names in titles.items():
        for title in names:
            grant = float(rng.integers(5, 21) * 100)
            rows.append(
                {
                    "项目名称": title,
                    "所属社区": community,
                    "申报主体": "居民团队",
                    "负责团队": f"{title[:4]}居民小组（虚构）",
                    "资助资金（元）": grant,
                    "项目状态": "实施中",
                }
            )
    projects = pd.DataFrame(rows)
    projects.insert(0, "项目编号", [f"LG1-{n:02d}" for n in range(1, len(projects) + 1)])
    projects.insert(1, "计划编号", pid)
    projects.insert(2, "届次", 1)
    # 100+ active residents and 16 leaders across the three (article); Heao chose among 12
    # ideas (article); the other communities' idea counts are invented
    active = split_total(rng, 112, 3, 30)
    leaders = split_total(rng, 16, 3, 4)
    cultivation = pd.DataFrame(
        {
            "计划编号": pid,
            "届次": 1,
            "试点社区": pilots,
            "征集点子": [int(rng.integers(8, 16)), 12, int(rng.integers(8, 16))],
            "入选点子": [len(titles[c]) for c in pilots],
            "热心居民": active,
            "突出领袖": leaders,
        }
    )
    funds = pd.DataFrame(
        {
            "基金编号": [f"LG-F{n}" for n in range(1, 4)],
            "基金名称": [f"{c}微基金" for c in pilots],
            "所属社区": pilots,
            "计划编号": pid,
            "成立日期": "2019-10-01",
        }
    )
    flows = []
    for n, community in enumerate(pilots, start=1):
        money_in = float(rng.integers(20, 60) * 100)
        flows.append((f"LG-F{n}", "2019-10-15", "收入", money_in, None, "爱心企业捐赠（虚构）"))
        continuing = projects[projects["所属社区"] == community]["项目编号"].iloc[0]
        flows.append(
            (f"LG-F{n}", "2019-12-20", "支出", money_in / 2, continuing, "支持项目持续（虚构）")
        )
    fund_flows = pd.DataFrame(
        flows, columns=["基金编号", "日期", "收支", "金额（元）", "项目编号", "摘要"]
    )
    rounds = _single_round(pid, 2019, "第一期", "2019-07-01", "2019-08-15", "2019-12-31")
    sheets = [
        Sheet(
            "计划",
            _programme_row(
                pid,
                "“V创空间”基层社会治理特色孵化器",
                "深圳市龙岗区",
                "龙岗社会创新中心",
                "孵化器",
                "届",
            ),
            "项目计划",
        ),
        Sheet("届次", rounds, "期次信息"),
        Sheet("社区名单", pd.DataFrame({"社区": pilots, "街道": "龙岗区"}), "试点社区名单"),
        Sheet(
            "项目汇总表",
            _numbered(projects),
            "“V创空间”孵化项目汇总表",
            totals={
                "序号": TOTAL,
                "项目名称": f"共{len(projects)}个",
                "资助资金（元）": float(projects["资助资金（元）"].sum()),
            },
        ),
        Sheet(
            "社区培育情况",
            cultivation,
            "试点社区居民骨干培育情况",
            totals={
                "计划编号": TOTAL,
                "征集点子": int(cultivation["征集点子"].sum()),
                "入选点子": int(cultivation["入选点子"].sum()),
                "热心居民": int(active.sum()),
                "突出领袖": int(leaders.sum()),
            },
        ),
        Sheet("社区基金", funds, "社区微基金"),
        Sheet("社区基金收支", fund_flows, "社区微基金收支明细"),
    ]
    folder = out / pid
    emit(folder, sheets, encoding="utf-8-sig")
    write_readme(
        folder,
        """
# Longgang "V创空间" grassroots-governance incubator (龙岗区“V创空间”)

Source: seeds/002 (`longgang_2019` in data/published). A folder of UTF-8-with-BOM CSV files
(as WPS or a web system exports them, CRLF) with title rows and 合计 rows.

From the article: three pilot communities (平南, 荷坳, 禾花); 100+ active residents and 16
leaders found across them (here 112 and 16); 10+ projects incubated (here 11); Pingnan's
three resident groups (high-rise littering, anti-fraud, civilised dog keeping); Heao's
call for ideas in July, where the children's traffic-safety project was chosen among 12
ideas; a community micro-fund so that projects continue.

Invented: the other titles (marked （虚构）), grants, how residents and leaders split across
communities, the other communities' idea counts, the micro-funds' names, dates and flows.
""",
    )


# --------------------------------------------------------------------------- Hongshan


def hongshan(out: Path, rng: np.random.Generator) -> None:
    """Hongshan 1st Golden Idea proposal contest (seed 003): one .xlsx workbook."""
    pid = "hongshan"
    streets = ["西屯街道", "西城街道", "永巨街道", "站前街道", "三中街道", "长青街道"]
    communities = [f"{s[:2]}{k}社区" for s in streets for k in "甲乙丙丁戊己"]
    communities[0], communities[6] = "老爷庙社区", "红山郡社区"  # named in the article
    region = {c: streets[i // 6] for i, c in enumerate(communities)}

    # funnel (article): 2,336 ideas, 376 improved, 190 passed the review, 185 signed
    n_ideas, n_short, n_approved, n_signed = 2336, 376, 190, 185
    stage = np.array(
        ["结项"] * n_signed
        + ["撤回"] * (n_approved - n_signed)
        + ["入围"] * (n_short - n_approved)
        + ["提案"] * (n_ideas - n_short)
    )
    highest = np.where(stage == "撤回", "立项", None)
    # beneficiary categories of the 185 (article)
    categories = ["残疾人服务类"] * 6 + ["老年人服务类"] * 58 + ["青少年服务类"] * 30
    categories += ["特定人群服务类"] * 14 + ["综合人群服务类"] * 77
    categories = list(rng.permutation(categories))
    theme = categories + list(
        rng.choice(sorted(set(categories)), n_ideas - n_signed)
    )  # the others' categories are invented
    payments = split_cents(rng, 686404.16, n_signed, 1000.0)  # paid out in all (article)
    grant = np.concatenate([payments, np.full(n_ideas - n_signed, np.nan)])
    # 113 community organisations ran the 185 projects (article)
    runners = [f"红山区社区社会组织{n:03d}（虚构）" for n in range(1, 114)]
    applicant = np.array(
        list(runners) + list(rng.choice(runners, n_signed - 113)) + [None] * (n_ideas - n_signed),
        dtype=object,
    )
    project_ids = [f"HS1-{n:04d}" for n in range(1, n_ideas + 1)]
    projects = pd.DataFrame(
        {
            "项目编号": project_ids,
            "计划编号": pid,
            "届次": 1,
            "所属社区": rng.choice(communities, n_ideas),
            "提案名称": [f"金点子提案{n:04d}（虚构）" for n in range(1, n_ideas + 1)],
            "服务类别": theme,
            "承接组织": applicant,
            "项目状态": stage,
            "退出前阶段": highest,
            "实际支付金额（元）": grant,
        }
    )
    # the foundation paid 60% and public finance 40% of the project money (article)
    foundation = np.round(payments * 0.6, 2)
    public = np.round(payments - foundation, 2)
    funding = pd.DataFrame(
        {
            "项目编号": np.repeat(project_ids[:n_signed], 2),
            "资金来源": ["基金会", "财政资金"] * n_signed,
            "金额（元）": np.column_stack([foundation, public]).ravel(),
            "计入种子资金": "是",
        }
    )
    # totals over the 185 (article)
    totals = {
        "活动场次": (9175, "场", 5),
        "覆盖人群人次": (253537, "人次", 100),
        "志愿者人次": (24598, "人次", 10),
        "带动创业人数": (153, "人", 0),
        "带动就业人数": (554, "人", 0),
    }
    rows = []
    for name, (total, unit, low) in totals.items():
        parts = split_total(rng, total, n_signed, low)
        rows += [(project_ids[p], name, "结项", int(parts[p]), unit) for p in range(n_signed)]
    indicators = pd.DataFrame(rows, columns=["项目编号", "指标名称", "阶段", "数值", "单位"])
    # 649 community organisations formed, 66 registered with civil affairs (article); six
    # of the registered ones are named in the article
    registered_names = [
        "企业社会责任行动联盟",
        "昭乌达社区老年协会",
        "创艺手工体验交流中心",
        "晓菲志愿服务站",
        "红枫叶心智障碍家庭互助中心",
        "致慧青少年家庭教育服务中心",
    ]
    names = registered_names + [f"社区社会组织{n:03d}（虚构）" for n in range(7, 650)]
    registered = np.zeros(649, bool)
    registered[:66] = True
    organisations = pd.DataFrame(
        {
            "组织编号": [f"HS-ORG{n:03d}" for n in range(1, 650)],
            "组织名称": names,
            "计划编号": pid,
            "届次": 1,
            "所属社区": rng.choice(communities, 649),
            "组织类型": "社区社会组织",
            "新组建": "是",
            "民政登记": np.where(registered, "是", "否"),
        }
    )
    rounds = _single_round(pid, 2017, "首届", "2017-03-01", "2017-06-01", "2017-12-31")
    sheets = [
        Sheet(
            "计划",
            _programme_row(
                pid,
                "红山区社区“金点子”提案大赛",
                "内蒙古赤峰市红山区",
                "红山区",
                "金点子",
                "届",
            ),
            "项目计划",
        ),
        Sheet("届次", rounds, "届次信息"),
        Sheet(
            "社区名单",
            pd.DataFrame({"社区": communities, "街道": [region[c] for c in communities]}),
            "红山区社区名单",
        ),
        Sheet(
            "项目汇总表",
            _numbered(projects),
            "红山区首届社区“金点子”提案大赛项目台账",
            totals={
                "序号": TOTAL,
                "提案名称": f"共{n_ideas}个",
                "实际支付金额（元）": 686404.16,
            },
        ),
        Sheet(
            "资金明细",
            funding,
            "项目资金来源明细（基金会60%，财政40%）",
            totals={"项目编号": TOTAL, "金额（元）": 686404.16},
        ),
        Sheet("指标完成情况", indicators, "项目成效指标"),
        Sheet("社区社会组织", organisations, "大赛中挖掘组建的社区社会组织"),
    ]
    folder = out / pid
    emit(
        folder,
        sheets,
        workbook="红山区首届金点子提案大赛.xlsx",
        instructions=[
            "红山区首届社区“金点子”提案大赛 台账",
            "1. 项目资金60%由赤峰市弘善社区发展基金会提供，40%由财政提供，均计入种子资金。",
            "2. 撤回的项目在“退出前阶段”注明撤回前已到达的阶段。",
        ],
    )
    write_readme(
        folder,
        """
# Hongshan 1st community "Golden Idea" proposal contest (红山区首届社区“金点子”提案大赛)

Source: seeds/003 (`hongshan_2018` in data/published). One workbook,
`红山区首届金点子提案大赛.xlsx`, with a 填表说明 sheet, title rows and 合计 rows.

From the article: the funnel 2,336 ideas → 376 improved → 190 passed the sub-district
review → 185 signed and implemented (here the 5 that passed and did not sign are withdrawn
with 立项 as the stage they had reached); the 185 by category (disabled 6, elderly 58, youth
30, special groups 14, comprehensive 77); 686,404.16 yuan paid; the foundation's 60% and
public finance's 40% (each project's payment split so, both part of the seed grant);
9,175 activities, 253,537 person-times covered, 24,598 volunteer person-times, 153
businesses started, 554 jobs; 113 organisations ran the projects; 649 organisations formed,
66 registered, six of them named; the communities 老爷庙 and 红山郡. Published but not in
the project data: 3 trainings, 38 coaching sessions, 500+ guidance visits, 10 expert
sessions, 93 monitoring visits, 395 party members.

Invented: titles (marked （虚构）), communities of projects and organisations, each
project's payment and share of every total, which 5 withdrew, the non-signed ideas'
categories, organisation names other than the six, all dates, the year (2017).
""",
    )


# --------------------------------------------------------------------------- Gangwan


def gangwan(out: Path, rng: np.random.Generator) -> None:
    """Gangwan 'community partner' scheme 2024 (seed 004): a GBK CSV folder."""
    pid = "gangwan"
    # Haiwan: 15 business partners (article), one of them running the sky farm, plus a team
    # and an individual; Nanbeitai: partners with signed intent; 43 in all ("40多个")
    partners = [("海湾社区", "商企合伙人", f"海湾商企合伙人{n:02d}（虚构）") for n in range(1, 16)]
    partners += [("海湾社区", "团队合伙人", "海湾亲子志愿团队（虚构）")]
    partners += [("海湾社区", "个人合伙人", "海湾个人合伙人01（虚构）")]
    kinds = ["团队合伙人"] * 14 + ["个人合伙人"] * 8 + ["商企合伙人"] * 4
    partners += [("南北台社区", k, f"南北台{k}{n:02d}（虚构）") for n, k in enumerate(kinds, 1)]
    projects = pd.DataFrame(partners, columns=["所属社区", "合伙人类型", "合伙人名称"])
    projects.insert(0, "项目编号", [f"GW2024-{n:02d}" for n in range(1, len(projects) + 1)])
    projects.insert(1, "计划编号", pid)
    projects.insert(2, "年度", 2024)
    projects.insert(3, "项目名称", [f"合伙人服务项目{n:02d}（虚构）" for n in range(1, 44)])
    projects.loc[0, "项目名称"] = "天空农场低偿课程"  # ~300 m² rooftop farm (article)
    projects["项目状态"] = "签约"
    # low-fee services: 15% of service income goes to the community fund (article); the
    # incomes are invented, in multiples of 20 yuan so that 15% is whole yuan
    earning = np.zeros(len(projects), bool)
    earning[:15] = True
    earning[[17, 20, 25]] = True
    income = np.where(earning, rng.integers(20, 400, len(projects)) * 20.0, np.nan)
    projects["服务收入（元）"] = income
    projects["捐入社区基金（元）"] = np.round(income * 0.15, 2)
    funds = pd.DataFrame(
        {
            "基金编号": ["GW-HW", "GW-NBT"],
            "基金名称": ["海湾社区基金", "南北台社区基金"],
            "所属社区": ["海湾社区", "南北台社区"],
            "计划编号": pid,
            "成立日期": "2024-06-01",
        }
    )
    fund_of = {"海湾社区": "GW-HW", "南北台社区": "GW-NBT"}
    flows = [
        (fund_of[c], "2024-09-30", "收入", d, p, "合伙人服务收入15%捐赠")
        for p, c, d in zip(
            projects["项目编号"],
            projects["所属社区"],
            projects["捐入社区基金（元）"],
            strict=True,
        )
        if d == d  # not missing
    ]
    flows.append(("GW-HW", "2024-10-15", "支出", 500.0, None, "长者关爱活动物资（虚构）"))
    fund_flows = pd.DataFrame(
        flows, columns=["基金编号", "日期", "收支", "金额（元）", "项目编号", "摘要"]
    )
    rounds = pd.DataFrame(
        [[pid, 2024, 2024, "2024年", "2024-06-01", "2024-07-01"]],
        columns=["计划编号", "届次", "年度", "届次名称", "征集日期", "开始日期"],
    )
    sheets = [
        Sheet(
            "计划",
            _programme_row(
                pid,
                "港湾街道“社区合伙人”招募",
                "广州市南沙区港湾街道",
                "港湾街道",
                "社区合伙人",
                "年度",
            ),
            "项目计划",
        ),
        Sheet("届次", rounds, "年度信息"),
        Sheet(
            "社区名单",
            pd.DataFrame({"社区": ["海湾社区", "南北台社区"], "街道": "港湾街道"}),
            "试点社区名单",
        ),
        Sheet(
            "项目台账",
            _numbered(projects),
            "港湾街道2024年社区合伙人项目台账",
            totals={
                "序号": TOTAL,
                "项目名称": f"共{len(projects)}个",
                "服务收入（元）": float(np.nansum(income)),
                "捐入社区基金（元）": float(np.nansum(projects["捐入社区基金（元）"])),
            },
        ),
        Sheet("社区基金", funds, "社区基金"),
        Sheet("社区基金收支", fund_flows, "社区基金收支明细"),
    ]
    folder = out / pid
    emit(folder, sheets, encoding="gbk")
    write_readme(
        folder,
        """
# Gangwan "community partner" scheme 2024 (港湾街道“社区合伙人”)

Source: seeds/004 (`gangwan_2024` in data/published). A folder of GBK CSV files (CRLF) with
title rows and a 合计 row. No project has a seed grant: partners bring their own services.

From the article: two pilot communities (海湾, 南北台); 40+ projects with intent to
cooperate (here 43); Haiwan's 15 business partners; the sky farm (about 300 m²) as the first
low-fee pilot, at 50% under market price, giving 15% of its service income to the community
fund; team and individual partners.

Invented: partner names and projects (marked （虚构）), the split between communities and
types beyond Haiwan's 15 businesses, which partners earn income and how much, the funds'
dates and the one payment out.
""",
    )


BUILDERS = {
    "lishui": lishui,
    "weifang_xincun": weifang,
    "longgang": longgang,
    "hongshan": hongshan,
    "gangwan": gangwan,
}


def build(out: Path) -> None:
    """Write every programme under ``out``, each from its own seeded generator so that
    changing one leaves the others as they are."""
    for offset, builder in enumerate(BUILDERS.values()):
        builder(Path(out), np.random.default_rng(SEED + offset))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path("data") / "programmes"), metavar="DIR")
    parser.add_argument("--plain", action="store_true", help="plain UTF-8 CSV layout")
    arguments = parser.parse_args()
    PLAIN = arguments.plain
    build(Path(arguments.out))
