"""The data model: every table, its columns, types, units, allowed values, keys and links.

This module is the single home of the data model. ``docs/data-model.md`` is generated from
it (``impact schema``) and a test keeps the two in step. It imports nothing from the rest of
the package.

Column types
------------
``id``      identifier, kept as text (``001`` stays ``001``)
``text``    free text
``int``     whole number (years, round numbers)
``count``   whole number, not negative (people, activities, person-times)
``money``   yuan, not negative; accepts ``2,000``, ``2000元``, ``¥2000``, ``1.2万``
``number``  real number; accepts the same thousands separators and ``万``
``share``   a proportion between 0 and 1; accepts ``60%``
``ratio``   a non-negative ratio; accepts ``1:1`` or ``1：2`` (read as 1.0 and 0.5)
``date``    a calendar day; accepts ``2022-07-01``, ``2022/7/1``, ``2022.7.1``, ``2022年7月1日``
``bool``    accepts 是/否, 有/无, yes/no, true/false, y/n, 1/0
``category`` one of a fixed list of codes; Chinese names and near spellings are mapped
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

COLUMN_TYPES = (
    "id",
    "text",
    "int",
    "count",
    "money",
    "number",
    "share",
    "ratio",
    "date",
    "bool",
    "category",
)

# Ordered stages of the selection funnel; ``withdrawn`` can happen after any of them.
FUNNEL_STAGES = ("idea", "shortlisted", "approved", "signed", "completed")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    unit: str = ""
    aliases: tuple[str, ...] = ()
    # category code -> other spellings users write for it (Chinese names first)
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    references: str | None = None  # "table.column" this column must match

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")
        if (self.type == "category") != bool(self.allowed):
            raise ValueError(f"column {self.name}: categories need allowed values and only them")


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other file or sheet names, e.g. 项目

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _col(name, type_, description, **kw) -> Column:
    kw["aliases"] = tuple(kw.get("aliases", ()))
    return Column(name, type_, description, **kw)


#: Who applies: shared by projects and organisations.
APPLICANT_TYPES: dict[str, tuple[str, ...]] = {
    "committee": (
        "村委",
        "居委",
        "村(社区)",
        "村（社区）",
        "居委会",
        "村委会",
        "社区居委会",
        "村居委会",
        "village committee",
        "community committee",
    ),
    "social_organisation": (
        "社区社会组织",
        "社会组织",
        "social organization",
        "community organisation",
    ),
    "service_agency": (
        "社会服务机构",
        "社工机构",
        "社工服务机构",
        "社工站",
        "社工服务站",
        "social service agency",
    ),
    "volunteer_team": ("志愿服务团队", "志愿服务队", "志愿者团队", "志愿队", "volunteers"),
    "resident_group": (
        "居民团队",
        "居民自组织",
        "居民自治小组",
        "居民小组",
        "自组织",
        "居民团体",
        "居民",
        "residents",
    ),
    "business": ("企业", "商户", "商家", "company"),
    "individual": ("个人", "个人合伙人", "person"),
}


PROGRAMMES = Table(
    "programmes",
    "One micro-grant programme: a competition, fund or scheme run over several rounds.",
    (
        _col(
            "programme_id",
            "id",
            "Short stable identifier, e.g. `lishui`.",
            required=True,
            aliases=["programme", "program_id", "计划编号", "项目计划编号", "计划", "项目计划"],
        ),
        _col("name_zh", "text", "Name in Chinese.", aliases=["名称", "中文名称", "计划名称"]),
        _col("name_en", "text", "Name in English.", aliases=["英文名称", "name"]),
        _col("region", "text", "District, town or sub-district.", aliases=["地区", "区域", "街道"]),
        _col(
            "organiser",
            "text",
            "Office that runs it.",
            aliases=["organizer", "主办方", "主办单位", "组织方"],
        ),
        _col(
            "kind",
            "category",
            "Kind of programme.",
            required=True,
            aliases=["类型", "计划类型"],
            allowed={
                "competition": ("微创投大赛", "创投大赛", "大赛", "微创投", "venture competition"),
                "fund": ("自治金", "基金", "资金项目"),
                "incubator": ("孵化器", "孵化"),
                "proposal_contest": ("提案大赛", "金点子", "proposal contest"),
                "partnership": ("合伙人", "社区合伙人", "partners"),
            },
        ),
        _col(
            "round_numbering",
            "category",
            "How the programme names its rounds: `ordinal` (第4届, round 4) or `year` (a yearly "
            "fund whose round number is its year: 2024年度, not 第2024届). Blank: rounds from "
            "1900 on are read as years, smaller ones as ordinals.",
            aliases=["届次方式", "轮次方式", "届次命名"],
            allowed={
                "ordinal": ("届", "按届", "第N届", "届次"),
                "year": ("年度", "按年度", "年份", "yearly"),
            },
        ),
    ),
    key=("programme_id",),
    aliases=("programme", "programs", "计划", "项目计划"),
)

ROUNDS = Table(
    "rounds",
    "One round (届) of a programme: its year, calendar, budget and grant rules.",
    (
        _col(
            "programme_id",
            "id",
            "Programme.",
            required=True,
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col(
            "round",
            "int",
            "Round number within the programme, from 1.",
            required=True,
            aliases=["round_no", "届次", "届", "轮次", "第几届"],
        ),
        _col(
            "year",
            "int",
            "Year the round was launched.",
            required=True,
            aliases=["年度", "年份", "年"],
        ),
        _col(
            "call_date",
            "date",
            "Call for applications opened.",
            aliases=["launch_date", "征集日期", "启动日期", "发布日期"],
        ),
        _col("start_date", "date", "Implementation starts.", aliases=["开始日期", "实施开始"]),
        _col(
            "midterm_date",
            "date",
            "Mid-term assessment (中期评估).",
            aliases=["mid_term_date", "中期评估日期", "中期日期", "中期评估"],
        ),
        _col(
            "end_date",
            "date",
            "Closure of the funded period (结项).",
            aliases=["结项日期", "结束日期", "结项"],
        ),
        _col(
            "budget_yuan",
            "money",
            "Total seed money available.",
            unit="yuan",
            aliases=["budget", "预算", "总预算", "资金总额", "自治金总额"],
        ),
        _col(
            "grant_min_yuan",
            "money",
            "Smallest grant allowed.",
            unit="yuan",
            aliases=["grant_min", "资助下限", "最低资助"],
        ),
        _col(
            "grant_max_yuan",
            "money",
            "Largest grant allowed.",
            unit="yuan",
            aliases=["grant_max", "资助上限", "最高资助"],
        ),
        _col(
            "match_ratio",
            "ratio",
            "Organiser money per yuan the applicant raises for matched applications "
            "(1:1 is 1.0). Blank when the round has no matched type.",
            aliases=["配比比例", "配比"],
        ),
        _col(
            "label",
            "text",
            "The round's name as the programme writes it (第四届, 2024年度); reports use it "
            "when given.",
            aliases=["届次名称", "轮次名称", "名称"],
        ),
    ),
    key=("programme_id", "round"),
    aliases=("round", "届次", "轮次"),
)

#: The headers an office writes for the community column, in a project list and a roster
#: alike.
_COMMUNITY_HEADERS = (
    "community",
    "社区",
    "社区编号",
    "所属社区",
    "村社区",
    "村(社区)",
    "所属村(社区)",
    "村居",
    "居民区",
    "所在社区",
    "所属村居",
    "村(居)",
    "所属村(居)",
    "试点社区",
    "小区",
    "院落",
)

PROJECTS = Table(
    "projects",
    "One application or project: every idea that entered the funnel, funded or not.",
    (
        _col(
            "project_id",
            "id",
            "Unique identifier.",
            required=True,
            aliases=[
                "project",
                "项目编号",
                "项目id",
                "项目ID",
                "编号",
                "提案编号",
                "项目代码",
                "合伙人编号",
                "项目序号",
            ],
        ),
        _col(
            "programme_id",
            "id",
            "Programme.",
            required=True,
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col(
            "round",
            "int",
            "Round of the programme (a yearly fund writes the year); with the programme it "
            "must be a row of `rounds` when that table is present.",
            required=True,
            aliases=["届次", "届", "轮次", "期数", "年度"],
        ),
        _col(
            "round_label",
            "text",
            "The round as written where it is a name, not a number (2020年第三期, 第七届): "
            "filled by the loader from the round column; reports name the round by it when "
            "`rounds.label` is blank.",
            aliases=["届次名称", "期数名称"],
        ),
        _col(
            "community_id",
            "id",
            "Community where it runs.",
            references="communities.community_id",
            aliases=[*_COMMUNITY_HEADERS, "实施社区"],
        ),
        _col(
            "title",
            "text",
            "Project title.",
            aliases=[
                "项目名称",
                "名称",
                "项目",
                "提案名称",
                "项目名",
                "项目题目",
                "提案题目",
                "服务项目",
            ],
        ),
        _col(
            "applicant_type",
            "category",
            "Who applied (申报主体).",
            aliases=["applicant", "申报主体", "主体类型", "主体", "团队类型", "申报主体类型"],
            allowed=APPLICANT_TYPES,
        ),
        _col(
            "applicant_name",
            "text",
            "The applicant organisation, team or partner by name.",
            aliases=[
                "申报单位",
                "申报主体名称",
                "承接组织",
                "实施主体",
                "负责团队",
                "申请主体",
                "申请单位",
                "申报组织",
                "申报团队",
                "实施单位",
                "执行团队",
                "项目团队",
                "团队名称",
                "组织名称",
                "合伙人名称",
                "合伙人",
            ],
        ),
        _col(
            "partner_type",
            "category",
            "For a partner of a partnership scheme (社区合伙人, usually with no seed grant): a "
            "team, an individual or a business.",
            aliases=["合伙人类型", "合伙人类别"],
            allowed={
                "team": ("团队合伙人", "团队", "组织合伙人"),
                "individual": ("个人合伙人", "个人"),
                "business": (
                    "商企合伙人",
                    "商家合伙人",
                    "企业合伙人",
                    "商企",
                    "企业",
                    "商家",
                    "商户",
                    "商户合伙人",
                ),
            },
        ),
        _col(
            "theme",
            "text",
            "Theme or service category (e.g. 老年人服务类).",
            aliases=[
                "主题",
                "类别",
                "领域",
                "服务类别",
                "项目类别",
                "项目领域",
                "服务领域",
                "服务对象",
                "受益群体",
                "服务人群",
            ],
        ),
        _col(
            "peer_group",
            "text",
            "Peer-learning group the project belongs to, beside its tier (e.g. 社区小花园).",
            aliases=["分组", "group", "互学小组", "学习小组", "小组", "组别"],
        ),
        _col(
            "tier",
            "category",
            "Tier of a tiered fund.",
            aliases=["层级", "项目类型", "档次", "项目层级"],
            allowed={
                "demonstration": ("示范类", "示范"),
                "brand": ("品牌类", "品牌"),
                "seedling": ("育苗类", "育苗"),
            },
        ),
        _col(
            "application_type",
            "category",
            "Standard application, or matched: the applicant raises money the organiser matches.",
            aliases=["申报类型", "申报方式"],
            allowed={
                "standard": ("普通申报", "普通", "常规", "一般申报", "normal", "普通类", "一般类"),
                "matched": ("配比申报", "配比", "match", "配比类", "配比项目", "1:1配比"),
            },
        ),
        _col(
            "stage",
            "category",
            "Furthest funnel stage reached: idea → shortlisted → approved → signed → "
            "completed, or withdrawn.",
            required=True,
            aliases=[
                "funnel_stage",
                "阶段",
                "状态",
                "项目状态",
                "进度",
                "项目进度",
                "提案进度",
                "提案状态",
                "当前阶段",
                "当前状态",
                "进展",
                "项目进展",
                "status",
                "project_status",
            ],
            allowed={
                "idea": (
                    "提案",
                    "点子",
                    "征集",
                    "申报",
                    "applied",
                    "申请",
                    "报名",
                    "proposed",
                    "submitted",
                ),
                "shortlisted": ("入围", "初选", "遴选", "shortlist", "入选", "初审通过"),
                "approved": (
                    "立项",
                    "通过评审",
                    "通过",
                    "获资助",
                    "资助",
                    "funded",
                    "获批",
                    "立项资助",
                    "批准立项",
                ),
                "signed": (
                    "签约",
                    "实施",
                    "签约实施",
                    "实施中",
                    "中期",
                    "implementing",
                    "执行中",
                    "进行中",
                    "实施阶段",
                    "运行中",
                    # carried on (into the next round): running, not closed
                    "延续",
                    "继续实施",
                    "持续实施",
                    "延期",
                    "ongoing",
                    "in progress",
                ),
                "completed": (
                    "结项",
                    "完成",
                    "已结项",
                    "closed",
                    "结题",
                    "验收",
                    "通过验收",
                    "done",
                    "finished",
                    "complete",
                ),
                "withdrawn": (
                    "退出",
                    "撤回",
                    "终止",
                    "放弃",
                    "中止",
                    "取消",
                    "cancelled",
                    "canceled",
                    "dropped",
                    "terminated",
                ),
            },
        ),
        _col(
            "highest_stage",
            "category",
            "For a withdrawn project, the furthest stage it had reached before withdrawing; the "
            "funnel counts it there. Blank: counted at the first stage.",
            aliases=["退出前阶段", "撤回前阶段", "最高阶段", "已达阶段"],
            allowed={
                "idea": ("提案", "点子", "征集", "申报"),
                "shortlisted": ("入围", "初选", "遴选"),
                "approved": ("立项", "通过评审", "获资助"),
                "signed": ("签约", "签约实施", "实施"),
                "completed": ("结项", "完成", "已结项"),
            },
        ),
        _col(
            "predecessor_id",
            "id",
            "Project in an earlier round of the same programme that this one continues.",
            references="projects.project_id",
            aliases=["predecessor", "前序项目", "上届项目", "延续项目"],
        ),
        _col(
            "team_size",
            "count",
            "Core team members (骨干) at application.",
            unit="people",
            aliases=["团队人数", "骨干人数", "核心成员"],
        ),
        _col(
            "grant_yuan",
            "money",
            "Seed grant paid by the organiser (种子资金).",
            unit="yuan",
            aliases=[
                "grant",
                "seed_grant",
                "种子资金",
                "资助金额",
                "资助资金",
                "扶持资金",
                "补助金额",
                "实际支付金额",
                "自治金",
                "补助资金",
                "奖补金额",
                "奖补资金",
                "扶持金额",
                "补贴金额",
                "拨付金额",
                "资助经费",
                "资助额度",
                "种子基金",
                "自治基金资助",
                "基金资助",
            ],
        ),
        _col(
            "spent_yuan",
            "money",
            "Seed grant spent to date (at mid-term, or in all at closure); with the grant it "
            "gives the spend rate.",
            unit="yuan",
            aliases=[
                "spent",
                "已支出",
                "支出金额",
                "已使用资金",
                "资金使用",
                "已使用",
                "已使用金额",
                "实际使用",
                "实际支出",
                "使用金额",
            ],
        ),
        _col(
            "spent_midterm_yuan",
            "money",
            "Seed grant spent by the mid-term assessment (中期).",
            unit="yuan",
            aliases=["中期已使用", "中期支出", "中期已支出", "中期资金使用"],
        ),
        _col(
            "spent_final_yuan",
            "money",
            "Seed grant spent in all at closure (结项).",
            unit="yuan",
            aliases=["结项已使用", "结项支出", "结项已支出", "结项资金使用"],
        ),
        _col(
            "service_income_yuan",
            "money",
            "Income from the project's paid or low-fee services (低偿服务收入).",
            unit="yuan",
            aliases=["service_income", "服务收入", "低偿服务收入", "营业收入"],
        ),
        _col(
            "fund_donation_yuan",
            "money",
            "Given to a community fund out of the project's income (反哺社区基金).",
            unit="yuan",
            aliases=[
                "fund_donation",
                "捐入社区基金",
                "社区基金捐赠",
                "捐赠社区基金",
                "反哺社区基金",
                "反哺金额",
                "反哺资金",
                "回馈社区基金",
            ],
        ),
        _col(
            "leveraged_yuan",
            "money",
            "Leveraged resources reported as one total (撬动资金), for data without funding "
            "lines. With funding lines, leave blank.",
            unit="yuan",
            aliases=[
                "leveraged",
                "撬动资金",
                "撬动社会资源",
                "撬动资源",
                "撬动社会资金",
                "配套资金",
                "配比资金",
                "自筹资金",
                "自筹金额",
                "社会资金",
                "社会资源",
                "匹配资金",
            ],
        ),
        _col(
            "award",
            "text",
            "Award won, if any.",
            aliases=["奖项", "获奖", "获奖情况", "奖项名称"],
        ),
    ),
    key=("project_id",),
    aliases=("project", "项目", "项目表", "项目清单"),
)

FUNDING = Table(
    "funding",
    "One line of money or valued support received by a project.",
    (
        _col(
            "project_id",
            "id",
            "Project.",
            required=True,
            references="projects.project_id",
            aliases=["project", "项目编号", "项目id", "项目ID"],
        ),
        _col(
            "source",
            "category",
            "Where it came from.",
            required=True,
            aliases=["来源", "资金来源", "类型"],
            allowed={
                "seed_grant": ("种子资金", "资助资金", "seed", "grant", "自治基金资助", "基金资助"),
                "match": ("配比资金", "配比", "matched funds"),
                "donation": ("捐赠", "捐款", "社会捐赠", "户捐", "居民捐款", "个人捐赠"),
                "in_kind": ("实物", "物资", "实物捐赠", "in-kind", "实物折算", "物资折算"),
                "public_finance": ("财政资金", "财政", "政府资金", "public"),
                "foundation": ("基金会", "基金会资金"),
                "business": ("企业", "企业资金", "商家", "企业捐赠", "企业赞助"),
                "crowdfunding": ("众筹", "网络众筹"),
                "service_income": ("服务收入", "低偿服务收入", "收入"),
                "volunteer_time": (
                    "志愿服务折算",
                    "志愿时间",
                    "志愿者时间",
                    "volunteer time valued",
                ),
            },
        ),
        _col(
            "part_of_grant",
            "bool",
            "The line is part of the seed grant, paid by the organiser out of one of its own "
            "sources (e.g. a foundation 60% and public finance 40%): not leverage. Where the "
            "project's `grant_yuan` is blank, such lines make it up.",
            aliases=[
                "计入种子资金",
                "是否种子资金",
                "种子资金组成",
                "属于种子资金",
                "是否计入种子资金",
                "是否属于种子资金",
            ],
        ),
        _col(
            "amount_yuan",
            "money",
            "Amount, or value of in-kind support.",
            required=True,
            unit="yuan",
            aliases=["amount", "金额", "金额(元)", "金额（元）", "数额"],
        ),
        _col(
            "form",
            "category",
            "Cash or in kind. Blank is read from the source: in_kind and "
            "volunteer_time are in kind, the rest cash.",
            aliases=["形式", "现金或实物"],
            allowed={"cash": ("现金", "资金"), "in_kind": ("实物", "非现金", "in-kind")},
        ),
        _col("date", "date", "Date received.", aliases=["日期", "到账日期"]),
    ),
    aliases=("funding_lines", "funds", "资金", "资金明细", "资金来源"),
)

INDICATORS = Table(
    "indicators",
    "A project's value on an output indicator: planned, at mid-term, or final.",
    (
        _col(
            "project_id",
            "id",
            "Project.",
            required=True,
            references="projects.project_id",
            aliases=["project", "项目编号", "项目id", "项目ID"],
        ),
        _col(
            "indicator",
            "text",
            "Indicator code. Common ones: `activities`, `volunteer_person_times`, "
            "`residents_served` (person-times), `core_team`, `issues_solved`, `posts`, "
            "`reads`, `videos`.",
            required=True,
            aliases=["指标", "指标名称"],
        ),
        _col(
            "period",
            "category",
            "Plan, mid-term or final value.",
            required=True,
            aliases=["阶段", "时期", "期间"],
            allowed={
                "plan": ("计划", "目标", "计划值", "target", "目标值", "预期"),
                "midterm": ("中期", "中期评估", "mid-term", "mid_term", "中期值"),
                "final": (
                    "结项",
                    "终期",
                    "最终",
                    "期末",
                    "end",
                    "实际",
                    "实际值",
                    "实际完成",
                    "完成值",
                    "结项值",
                ),
            },
        ),
        _col(
            "value",
            "number",
            "Value; counts of people are person-times (人次).",
            required=True,
            aliases=["数值", "值", "数量"],
        ),
        _col("unit", "text", "Unit, e.g. person-times.", aliases=["单位"]),
    ),
    key=("project_id", "indicator", "period"),
    aliases=("indicator", "指标", "指标表", "产出指标"),
)

COMMUNITIES = Table(
    "communities",
    "A community (社区) or village where projects run.",
    (
        _col(
            "community_id",
            "id",
            "Identifier.",
            required=True,
            aliases=["community", "社区编号", "社区id", "社区ID", "社区", "村居", "居民区"],
        ),
        _col("name", "text", "Name.", aliases=["社区名称", "名称"]),
        _col("region", "text", "Town or sub-district.", aliases=["街道", "镇街", "地区"]),
        _col(
            "population",
            "count",
            "Resident population.",
            unit="people",
            aliases=["人口", "常住人口", "居民人数"],
        ),
        _col("households", "count", "Households.", unit="households", aliases=["户数"]),
    ),
    key=("community_id",),
    aliases=("community", "社区", "社区表"),
)

PANEL = Table(
    "panel",
    "Community-by-year outcomes, for participation effects. Any further numeric columns are "
    "kept as additional outcomes.",
    (
        _col(
            "community_id",
            "id",
            "Community.",
            required=True,
            references="communities.community_id",
            aliases=["community", "社区编号", "社区id", "社区ID", "社区"],
        ),
        _col("year", "int", "Year.", required=True, aliases=["年度", "年份", "年"]),
        _col(
            "volunteers_per_1000",
            "number",
            "Registered volunteers per 1,000 residents.",
            unit="per 1,000 residents",
            aliases=["志愿者比例", "每千人志愿者"],
        ),
        _col(
            "participation_rate",
            "share",
            "Share of residents who took part in community affairs in the year.",
            aliases=["参与率", "居民参与率"],
        ),
        _col(
            "satisfaction",
            "number",
            "Resident satisfaction score, 0–100.",
            unit="score",
            aliases=["满意度"],
        ),
    ),
    key=("community_id", "year"),
    aliases=("community_panel", "panel_data", "社区面板", "面板"),
)

FOLLOWUPS = Table(
    "followups",
    "What became of a project in a year after its grant.",
    (
        _col(
            "project_id",
            "id",
            "Project.",
            required=True,
            references="projects.project_id",
            aliases=["project", "项目编号", "项目id", "项目ID"],
        ),
        _col(
            "year",
            "int",
            "Year observed; not before the project's round.",
            required=True,
            aliases=["年度", "年份", "年"],
        ),
        _col(
            "status",
            "category",
            "Status in that year.",
            required=True,
            aliases=["状态", "运行状态"],
            allowed={
                "active": ("活跃", "运行", "持续", "继续", "延续"),
                "dormant": ("休眠", "暂停", "停滞"),
                "ended": ("终止", "停止", "结束", "解散"),
            },
        ),
        _col(
            "own_income_yuan",
            "money",
            "Income not from the organiser (自我造血).",
            unit="yuan",
            aliases=["own_income", "自有收入", "自筹资金", "收入"],
        ),
        _col(
            "fund_donation_yuan",
            "money",
            "Given to a community fund (社区基金).",
            unit="yuan",
            aliases=["fund_donation", "捐入社区基金", "社区基金捐赠"],
        ),
        _col(
            "registered",
            "bool",
            "Registered as an organisation with civil affairs.",
            aliases=["是否注册", "已注册", "登记注册"],
        ),
    ),
    key=("project_id", "year"),
    aliases=("followup", "follow_ups", "跟踪", "追踪", "跟踪调查"),
)

SOURCES = Table(
    "sources",
    "A published article that figures are taken from.",
    (
        _col("source_id", "id", "Identifier.", required=True, aliases=["来源编号"]),
        _col("publisher", "text", "Who published it.", required=True, aliases=["发布方", "来源"]),
        _col("title", "text", "Title as published.", required=True, aliases=["标题"]),
        _col(
            "published",
            "text",
            "Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD).",
            required=True,
            aliases=["发布日期", "日期"],
        ),
        _col("note", "text", "How the date or publisher was established.", aliases=["备注"]),
    ),
    key=("source_id",),
    aliases=("source", "来源", "文献"),
)

PUBLISHED = Table(
    "published",
    "Aggregates a programme published, for programmes that publish only totals.",
    (
        _col(
            "programme_id",
            "id",
            "Programme.",
            required=True,
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col("round", "int", "Round, if the figure belongs to one.", aliases=["届次", "届"]),
        _col("year", "int", "Year the figure refers to, if known.", aliases=["年度", "年份"]),
        _col("indicator", "text", "What is counted.", required=True, aliases=["指标"]),
        _col(
            "category",
            "text",
            "Breakdown within the indicator (e.g. a funnel stage or a "
            "beneficiary group); blank for a total.",
            aliases=["分类", "类别"],
        ),
        _col("value", "number", "Value as published.", required=True, aliases=["数值", "值"]),
        _col("unit", "text", "Unit.", required=True, aliases=["单位"]),
        _col(
            "qualifier",
            "category",
            "Whether the source gives an exact figure, a lower bound "
            "(“100+”) or an approximation (“about 300”).",
            aliases=["精度"],
            allowed={
                "exact": ("精确",),
                "at_least": ("以上", "多于", "+"),
                "about": ("约", "左右", "approx"),
            },
        ),
        _col(
            "source_id",
            "id",
            "Article the figure comes from.",
            required=True,
            references="sources.source_id",
            aliases=["source", "来源编号"],
        ),
        _col("note", "text", "What the figure means, in the source's terms.", aliases=["备注"]),
    ),
    key=("programme_id", "round", "year", "indicator", "category"),
    aliases=("published_aggregates", "aggregates", "公开数据", "汇总"),
)

AWARDS = Table(
    "awards",
    "An award a project won, with its date (a popularity vote's closing day, a ceremony).",
    (
        _col(
            "project_id",
            "id",
            "Project.",
            required=True,
            references="projects.project_id",
            aliases=["project", "项目编号", "项目id", "项目ID"],
        ),
        _col("award", "text", "Award as named.", required=True, aliases=["奖项", "奖项名称"]),
        _col(
            "date",
            "date",
            "Date awarded, or the day voting closed.",
            aliases=["获奖日期", "颁奖日期", "日期"],
        ),
        _col("votes", "count", "Votes received, for a vote.", unit="votes", aliases=["票数"]),
    ),
    key=("project_id", "award"),
    aliases=("award", "获奖", "获奖情况", "奖项", "评选结果"),
)

ORGANISATIONS = Table(
    "organisations",
    "A community organisation (社区社会组织) formed or supported through a programme, and "
    "whether it registered with civil affairs.",
    (
        _col(
            "organisation_id",
            "id",
            "Identifier.",
            required=True,
            aliases=["organisation", "组织编号", "编号"],
        ),
        _col("name", "text", "Name.", aliases=["组织名称", "名称"]),
        _col(
            "programme_id",
            "id",
            "Programme it was formed through.",
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col("round", "int", "Round it was formed in.", aliases=["届次", "届", "期数"]),
        _col(
            "community_id",
            "id",
            "Community.",
            references="communities.community_id",
            aliases=["community", "社区", "社区编号", "所属社区"],
        ),
        _col(
            "organisation_type",
            "category",
            "What kind of organisation.",
            aliases=["组织类型", "类型"],
            allowed=APPLICANT_TYPES,
        ),
        _col(
            "formed",
            "bool",
            "Formed through the programme (挖掘组建), rather than existing before it.",
            aliases=["新组建", "是否新组建", "新成立", "是否新成立"],
        ),
        _col(
            "registered",
            "bool",
            "Registered with civil affairs (民政登记).",
            aliases=["是否注册", "已注册", "民政登记", "是否登记"],
        ),
        _col(
            "registered_date",
            "date",
            "Date of registration.",
            aliases=["注册日期", "登记日期"],
        ),
    ),
    key=("organisation_id",),
    aliases=(
        "organisation",
        "organizations",
        "社区社会组织",
        "社会组织",
        "组织名单",
        "组织",
        "社区组织",
    ),
)

COMMUNITY_ROUNDS = Table(
    "community_rounds",
    "What a round did in one community: ideas residents proposed and those selected, and "
    "people cultivated (active residents, leaders).",
    (
        _col(
            "programme_id",
            "id",
            "Programme.",
            required=True,
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col("round", "int", "Round.", required=True, aliases=["届次", "届", "年度"]),
        _col(
            "community_id",
            "id",
            "Community.",
            required=True,
            references="communities.community_id",
            aliases=["community", "社区", "社区编号", "所属社区", "试点社区"],
        ),
        _col(
            "ideas_proposed",
            "count",
            "Ideas residents proposed (金点子).",
            unit="ideas",
            aliases=["征集点子", "征集金点子", "点子数", "提案数"],
        ),
        _col(
            "ideas_selected",
            "count",
            "Ideas selected to become projects.",
            unit="ideas",
            aliases=["入选点子", "入选项目", "入选数"],
        ),
        _col(
            "active_residents",
            "count",
            "Residents found active in community affairs (热心居民).",
            unit="people",
            aliases=["热心居民", "活跃居民", "热心居民人数"],
        ),
        _col(
            "leaders",
            "count",
            "Community leaders cultivated (领袖).",
            unit="people",
            aliases=["社区领袖", "突出领袖", "领袖人数"],
        ),
    ),
    key=("programme_id", "round", "community_id"),
    aliases=("community_round", "社区培育", "社区培育情况", "人才培育"),
)

PEOPLE = Table(
    "people",
    "A person a programme cultivates or enlists, one row each, from a roster (名册): a "
    "community leader, an active resident, a core member, a volunteer, an individual partner. "
    "Counts per community and round are derived from it (`impact.dataset.people_counts`).",
    (
        _col(
            "person_id",
            "id",
            "Identifier on the roster, if it has one.",
            aliases=["person", "人员编号", "编号", "名册编号", "志愿者编号", "领袖编号"],
        ),
        _col(
            "name",
            "text",
            "Name.",
            aliases=[
                "姓名",
                "名字",
                "人员姓名",
                "志愿者姓名",
                "领袖姓名",
                "能人姓名",
                "合伙人姓名",
            ],
        ),
        _col(
            "programme_id",
            "id",
            "Programme.",
            required=True,
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col(
            "round",
            "int",
            "Round in which they were found or cultivated. Blank: read from `date` by the "
            "rounds' years where that is unambiguous.",
            aliases=["届次", "届", "期数", "轮次", "批次", "年度"],
        ),
        _col(
            "date",
            "date",
            "Date recorded (identified, registered or joined).",
            aliases=["日期", "登记日期", "认定日期", "加入日期", "注册日期", "入册日期"],
        ),
        _col(
            "community_id",
            "id",
            "Community.",
            references="communities.community_id",
            aliases=list(_COMMUNITY_HEADERS),
        ),
        _col(
            "role",
            "category",
            "What the roster lists them as. A word the roster uses for some other kind of "
            "person is read as `other`, its words kept in `role_as_written`.",
            required=True,
            aliases=[
                "类别",
                "人员类别",
                "身份",
                "角色",
                "人员类型",
                "培育类别",
                "能人类别",
                "类型",
            ],
            allowed={
                "leader": (
                    "社区领袖",
                    "突出领袖",
                    "领袖",
                    "骨干领袖",
                    "居民领袖",
                    "带头人",
                    "领头人",
                    "leader",
                ),
                "active_resident": (
                    "热心居民",
                    "活跃居民",
                    "积极分子",
                    "社区能人",
                    "能人",
                    "居民骨干",
                    "active resident",
                ),
                "core_member": (
                    "骨干",
                    "核心成员",
                    "团队骨干",
                    "项目骨干",
                    "核心骨干",
                    "core member",
                ),
                "volunteer": ("志愿者", "志愿服务者", "义工", "volunteer"),
                "partner": ("个人合伙人", "合伙人", "partner"),
                "party_member": ("党员", "党员骨干", "party member"),
                # a roster's own word for a kind of person (一般能人, 文体达人): kept as
                # written beside it, with a warning, rather than refusing the roster
                "other": ("其他", "其它", "other"),
            },
        ),
        _col(
            "leads_project",
            "bool",
            "Leads a project.",
            aliases=["是否带领项目", "是否项目负责人", "是否负责项目", "是否牵头项目"],
        ),
        _col(
            "project_id",
            "id",
            "The project they lead or take part in (its identifier; a title the project "
            "table holds is read as its identifier, with a note).",
            references="projects.project_id",
            aliases=[
                "project",
                "项目编号",
                "带领项目",
                "所带项目",
                "所领项目",
                "负责项目",
                "牵头项目",
                "参与项目",
                "所属项目",
                "带领项目名称",
                "项目名称",
                "服务项目",
            ],
        ),
        _col(
            "gender",
            "category",
            "Gender.",
            aliases=["性别"],
            allowed={"female": ("女", "女性", "f"), "male": ("男", "男性", "m")},
        ),
        _col("age", "count", "Age.", unit="years", aliases=["年龄"]),
    ),
    key=("programme_id", "round", "person_id"),
    aliases=(
        "person",
        "roster",
        "名册",
        "花名册",
        "人员名册",
        "能人名册",
        "社区能人名册",
        "志愿者名册",
        "骨干名册",
        "领袖名册",
        "人才库",
        "志愿者",
    ),
)

COMMUNITY_FUNDS = Table(
    "community_funds",
    "A community fund (社区基金, 微基金) that projects give to and that pays out.",
    (
        _col(
            "fund_id",
            "id",
            "Identifier.",
            required=True,
            aliases=["fund", "基金编号", "编号"],
        ),
        _col("name", "text", "Name.", aliases=["基金名称", "名称"]),
        _col(
            "community_id",
            "id",
            "Community it serves.",
            references="communities.community_id",
            aliases=["community", "社区", "社区编号", "所属社区"],
        ),
        _col(
            "programme_id",
            "id",
            "Programme it belongs to.",
            references="programmes.programme_id",
            aliases=["programme", "计划编号", "计划"],
        ),
        _col("established", "date", "Date set up.", aliases=["成立日期", "设立日期"]),
    ),
    key=("fund_id",),
    aliases=("community_fund", "社区基金", "微基金"),
)

FUND_FLOWS = Table(
    "fund_flows",
    "Money into or out of a community fund.",
    (
        _col(
            "fund_id",
            "id",
            "Fund.",
            required=True,
            references="community_funds.fund_id",
            aliases=["fund", "基金编号", "基金"],
        ),
        _col("date", "date", "Date.", aliases=["日期"]),
        _col(
            "direction",
            "category",
            "Money in or out.",
            required=True,
            aliases=["收支", "收支类型", "方向"],
            allowed={"in": ("收入", "捐入", "存入"), "out": ("支出", "拨出", "使用")},
        ),
        _col(
            "amount_yuan",
            "money",
            "Amount.",
            required=True,
            unit="yuan",
            aliases=["amount", "金额"],
        ),
        _col(
            "project_id",
            "id",
            "Project that gave or received the money, if any.",
            references="projects.project_id",
            aliases=["project", "项目编号"],
        ),
        _col("purpose", "text", "What for, or where from.", aliases=["摘要", "用途", "事由"]),
    ),
    aliases=("fund_flow", "社区基金收支", "基金收支", "收支明细"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PROGRAMMES,
        ROUNDS,
        PROJECTS,
        FUNDING,
        INDICATORS,
        COMMUNITIES,
        PANEL,
        FOLLOWUPS,
        SOURCES,
        PUBLISHED,
        AWARDS,
        ORGANISATIONS,
        COMMUNITY_ROUNDS,
        PEOPLE,
        COMMUNITY_FUNDS,
        FUND_FLOWS,
    )
}


#: Tables each kind of programme uses, in the order an office fills them (the entry
#: template has a sheet for each).
KIND_TABLES: dict[str, tuple[str, ...]] = {
    "competition": ("programmes", "rounds", "communities", "projects", "funding", "indicators",
                    "awards"),
    "fund": ("programmes", "rounds", "communities", "projects", "funding", "indicators"),
    "incubator": ("programmes", "rounds", "communities", "projects", "indicators",
                  "community_rounds", "people", "community_funds", "fund_flows"),
    "proposal_contest": ("programmes", "rounds", "communities", "projects", "funding",
                         "indicators", "organisations"),
    "partnership": ("programmes", "rounds", "communities", "projects", "indicators",
                    "community_funds", "fund_flows"),
}  # fmt: skip


@lru_cache(maxsize=1 << 16)
def to_simplified(text: str) -> str:
    """Traditional Chinese characters as simplified ones (項目名稱 → 项目名称, 第七屆 → 第七届),
    by OpenCC's ``t2s`` conversion, which converts by phrase (乾隆 stays, 乾淨 → 干净);
    simplified text and text with no Chinese come back as they are."""
    if text.isascii():
        return text
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's converter, loaded when the first text with Chinese in it is read: a data
    set whose headers and values are all ASCII never imports it."""
    import opencc

    return opencc.OpenCC("t2s")


def normalise_label(label: str) -> str:
    """Header or category spelling reduced to a comparable form.

    Full-width letters, digits and brackets become half-width (NFKC), traditional characters
    simplified (:func:`to_simplified`), line breaks and spaces between Chinese characters go,
    a leading ``*`` (a template's "required" mark) and trailing colons or punctuation go, the
    rest is lower case with separators as underscores. Units are not removed here: see
    :func:`split_unit`.
    """
    return _normalised(str(label))


@lru_cache(maxsize=1 << 16)
def _normalised(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).replace("\ufeff", "").replace("\u200b", "")
    text = to_simplified(text)
    text = _CJK_GAP.sub("", _FILL_MARK.sub("", text).strip())
    text = _EDGE_PUNCTUATION.sub("", text).strip().lower()
    text = re.sub(r"\s+", "_", text)
    for sep in ("-", "/", "."):
        text = text.replace(sep, "_")
    return text


# Units written after a header in any bracket style: 资金（元）, (元), 【元】, /元, (单位：万元).
HEADER_UNITS = (
    "万元", "千元", "亿元", "元", "人民币", "人次", "人", "个", "次", "场次", "场", "篇", "户",
    "名", "位", "天", "小时", "件", "项", "条", "支", "家", "平方米", "㎡", "m2", "%", "岁",
    "yuan", "rmb", "cny", "人民币元", "元人民币", "万元人民币",
)  # fmt: skip
# A unit that changes the values; CNY, RMB and 人民币 are yuan.
HEADER_SCALE = {"万元": 1e4, "千元": 1e3, "亿元": 1e8, "万元人民币": 1e4}
_UNIT = "|".join(re.escape(u) for u in sorted(HEADER_UNITS, key=len, reverse=True))
_UNIT_SUFFIX = re.compile(
    rf"^(?P<core>.*?)\s*(?:[(\[【〔]\s*(?:单位\s*[:：]?\s*)?(?P<unit>{_UNIT})\s*[)\]】〕]"
    rf"|[/／]\s*(?P<unit2>{_UNIT}))\s*[:：]?\s*$",
    re.IGNORECASE,
)
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff])\s+|\s+(?=[\u3000-\u9fff])")
# A template's "required"/"optional" mark after a header: 项目名称（必填）.
_FILL_MARK = re.compile(r"[(\[【]\s*(?:必填|选填|可选|非必填|required|optional)\s*[)\]】]", re.I)
_EDGE_PUNCTUATION = re.compile(r"^[*＊\s]+|[\s:：;；,，.。、*＊]+$")


def split_unit(label: str) -> tuple[str, str]:
    """A header and the unit written after it: ``种子资金（万元）`` → (``种子资金``, ``万元``).

    Only known units are split off (``所属村（社区）`` keeps its brackets). The header and
    unit are returned NFKC-normalised and simplified (``資助金額（萬元）``); the unit is
    ``""`` when there is none."""
    text = to_simplified(unicodedata.normalize("NFKC", str(label)).strip())
    text = _EDGE_PUNCTUATION.sub("", _FILL_MARK.sub("", text).strip())
    match = _UNIT_SUFFIX.match(text)
    if not match or not match.group("core").strip():
        return text, ""
    return match.group("core"), (match.group("unit") or match.group("unit2")).lower()


def header_key(label: str) -> tuple[str, str]:
    """The comparable form of a header with its unit removed, and that unit."""
    core, unit = split_unit(label)
    return normalise_label(core), unit


def table_for_name(name: str) -> Table | None:
    """The table a file stem or sheet name stands for (``项目`` → projects), or None."""
    key = normalise_label(name)
    for table in TABLES.values():
        if key == table.name or key in {normalise_label(a) for a in table.aliases}:
            return table
    return None


def header_map(table: Table) -> dict[str, str]:
    """Every accepted spelling of every column header → the column's name."""
    mapping: dict[str, str] = {}
    for column in table.columns:
        for spelling in (column.name, *column.aliases):
            mapping.setdefault(normalise_label(spelling), column.name)
    return mapping


_BELONGS = ("所属", "所在", "所处")  # 所属居民区 is 居民区: "the … it belongs to"


def find_spelling(spellings: dict[str, str], key: str) -> str | None:
    """The column a header key names in ``spellings`` (from :func:`header_map`); a key
    that says "the … it belongs to" (所属居民区, 所在社区) also matches without those words."""
    found = spellings.get(key)
    if found is None and key.startswith(_BELONGS) and len(key) > 3:
        found = spellings.get(key[2:])
    return found


def category_map(column: Column) -> dict[str, str]:
    """Every accepted spelling of a category value → its code.

    Chinese spellings are also accepted with a leading 已 (已立项 is 立项). A negation (未, 不,
    非, 无, 没有; not, non, un in English) reverses a code's meaning, so 未立项 is never read as
    ``approved``: where :data:`NEGATED_CODES` says what the negation means (未立项 → the stage
    before approved), the negated spelling maps there; otherwise it maps to nothing and is
    reported."""
    return dict(_category_map(column.name, _frozen(column.allowed)))


def _frozen(allowed: dict[str, tuple[str, ...]]) -> tuple:
    return tuple((code, tuple(spellings)) for code, spellings in allowed.items())


@lru_cache(maxsize=256)
def _category_map(name: str, allowed: tuple) -> tuple[tuple[str, str], ...]:
    allowed_map = dict(allowed)
    mapping: dict[str, str] = {}
    for code, spellings in allowed_map.items():
        for spelling in (code, *spellings):
            mapping.setdefault(normalise_label(spelling), code)
    for code, spellings in allowed_map.items():
        for spelling in spellings:
            if _CJK.search(spelling) and not spelling.startswith(NEGATIONS):
                mapping.setdefault(normalise_label("已" + spelling), code)
    for code, target in NEGATED_CODES.get(name, {}).items():
        for spelling in (code, *allowed_map[code]):
            if _CJK.search(spelling) and not spelling.startswith(NEGATIONS):
                for prefix in NEGATIONS:
                    mapping.setdefault(normalise_label(prefix + spelling), target)
            elif not _CJK.search(spelling):
                for prefix in _LATIN_NEGATIONS:
                    mapping.setdefault(prefix + normalise_label(spelling), target)
    return tuple(mapping.items())


NEGATIONS = ("未", "不", "非", "无", "没有")
_LATIN_NEGATIONS = ("not_", "non_", "non", "un", "no_")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# What a negated code means, per column. A stage not reached means the project stopped at the
# stage before it: 未入围 → idea, 未立项 / 未通过 → shortlisted, 未签约 → approved,
# 未结项 → signed. 非配比 is a standard application; a follow-up 不活跃 is dormant.
NEGATED_CODES: dict[str, dict[str, str]] = {
    "stage": {
        later: earlier for earlier, later in zip(FUNNEL_STAGES, FUNNEL_STAGES[1:], strict=False)
    },
    "application_type": {"matched": "standard"},
    "status": {"active": "dormant"},  # 不活跃, 未运行: not going, not (yet) ended
}


def negated_code(column: Column, value: str) -> str | None:
    """The code a negated value (未签约, not signed) denies, or None when ``value`` is not a
    negation."""
    text = code_stem(normalise_label(value))
    positive = category_map(Column(column.name, column.type, "", allowed=column.allowed))
    stems = {code_stem(k): c for k, c in positive.items()}
    prefixes = NEGATIONS if _CJK.search(text) else _LATIN_NEGATIONS
    for prefix in prefixes:
        if text.startswith(prefix) and text[len(prefix) :]:
            rest = text[len(prefix) :].removeprefix("已")
            if rest in positive or rest in stems:
                return positive.get(rest) or stems[rest]
    return None


# --------------------------------------------------------------------------- code words

# A code word as offices vary it: a suffix (团队型, 示范类, 已结项的), 已 before it, and words
# for the same thing (商户 / 商家 / 商铺).
_CODE_SUFFIX = re.compile(r"(?:型|类|的)+$")
_CODE_VARIANTS = (("商户", "商家"), ("商铺", "商家"), ("店铺", "商家"), ("商企", "商家"))


def code_stem(key: str) -> str:
    """The stem of a normalised code word: 团队型 → 团队, 已结项的 → 结项, 商户型 → 商家."""
    stem = key.removeprefix("已") if len(key) > 2 else key
    stem = _CODE_SUFFIX.sub("", stem) or stem
    for variant, plain in _CODE_VARIANTS:
        stem = stem.replace(variant, plain)
    return stem


def match_code(key: str, codes: dict[str, str]) -> tuple[str | None, tuple[str, ...], str]:
    """The code a normalised value names, with ``codes`` (spelling → code, from
    :func:`category_map` and the mapping file): ``(code, (), how)`` where ``how`` is
    ``""`` for a spelling as listed, ``"stem"`` for one read by its stem (团队型 is 团队) and
    ``"word"`` for a listed word inside it (结项（优秀）); ``(None, candidates, "")`` when
    several codes fit (the value is then refused, naming them); ``(None, (), "")`` when none
    does, or when a negation stands before the word found (非示范 is never 示范)."""
    if key in codes:
        return codes[key], (), ""
    stems: dict[str, set[str]] = {}
    for spelling, code in codes.items():
        stems.setdefault(code_stem(spelling), set()).add(code)
    found = stems.get(code_stem(key))
    if found:
        if len(found) == 1:
            return next(iter(found)), (), "stem"
        return None, tuple(sorted(found)), ""
    if not _CJK.search(key):
        return None, (), ""
    hits = [s for s in codes if len(s) >= 2 and _CJK.search(s) and s in key]
    longest = [s for s in hits if not any(s != t and s in t for t in hits)]
    for spelling in longest:
        before = key[: key.index(spelling)]
        if before.endswith(NEGATIONS):
            return None, (), ""  # a negation this column gives no meaning
    named = {codes[s] for s in longest}
    if len(named) == 1:
        return next(iter(named)), (), "word"
    return None, tuple(sorted(named)), ""


# --------------------------------------------------------------------------- qualified headers

# Words beside a known name that make the header hold something else: a request or plan, a
# rate, a share or an average, what is left or was spent of it, a description of it, a yes/no
# question about it.
_QUALIFIER_CHANGES = re.compile(
    r"申请|申报|计划|预算|预计|拟|目标|预期|率|%|比例|比率|占比|差额|人均|平均|剩余|结余|使用|支出|"
    r"花费|退回|说明|情况|备注|来源|方式|类型|用途|明细|描述|是否|"
    r"request|plan|budget|target|expected|rate|share|ratio|average|mean|per|remain|spent|"
    r"note|description|type|source|whether",
    re.IGNORECASE,
)
# Words that make a header describe an earlier round: its project identifier is the
# predecessor's (上届项目编号); anything else of an earlier round is not this round's figure.
_EARLIER_ROUND = re.compile(
    r"上届|上一届|上期|上一期|往届|前届|前一届|上年度|上年|去年|previous|prior|last", re.I
)
_EARLIER_COLUMNS = {"project_id": "predecessor_id"}
_JOINED = re.compile(
    r"及|和|与|、|加|或|\+|&|(?<![a-z])and(?![a-z])|(?<=[\u4e00-\u9fff])_(?=[\u4e00-\u9fff])"
)


@dataclass(frozen=True)
class Qualified:
    """What a header that qualifies a known name (执行团队骨干人数) is read as."""

    column: str | None  # the column, or None when it stays unknown
    spelling: str = ""  # the known name found in it
    candidates: tuple[tuple[str, str], ...] = ()  # (column, name) pairs when several fit


def qualified_column(header: str, table: Table, taken: set[str] | frozenset = frozenset()):
    """The column a header names with a qualifier around a known name: 执行团队骨干人数 holds
    骨干人数 (team_size), 本届资助金额 holds 资助金额, ``Project title`` holds ``title``.

    Known names of Chinese words count from three characters, English ones as whole words of
    four letters or more; columns in ``taken`` (already read from another header) are not
    offered. The name that ends the header is its head (执行团队 only qualifies 骨干人数);
    without one, a single name inside it decides. Words that change what the name holds
    (申请资助金额, 资金使用率, 是否获奖) leave it unknown, and a header of an earlier round
    (上届项目编号) names the predecessor's identifier. Returns a :class:`Qualified` whose
    ``column`` is None when nothing fits or several names do (``candidates`` then lists them).
    """
    key = header_key(header)[0]
    if not key:
        return Qualified(None)
    found: list[tuple[int, int, str, str]] = []  # start, end, spelling, column
    earlier = _EARLIER_ROUND.search(key)
    for spelling, column in header_map(table).items():
        # 上期项目编号 beside 项目编号: the earlier round's identifier is still free
        free = earlier and _EARLIER_COLUMNS.get(column, column) not in taken
        if (column in taken and not free) or spelling == key:
            continue
        for start, end in _occurrences(key, spelling):
            found.append((start, end, spelling, column))
    found = [
        f
        for f in found
        if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0]) for o in found)
    ]
    if not found:
        return Qualified(None)
    ends = [f for f in found if f[1] == len(key)]
    chosen = max(ends, key=lambda f: f[1] - f[0]) if ends else None
    columns = {f[3] for f in found}
    joined = len(columns) > 1 and _JOINED.search(key)  # 资助金额及自筹资金: two figures
    if (chosen is None or joined) and len(columns) > 1:
        pairs = tuple(sorted({(f[3], f[2]) for f in found}))
        return Qualified(None, candidates=pairs)
    start, end, spelling, column = chosen or found[0]
    qualifier = key[:start] + " " + key[end:]
    if _EARLIER_ROUND.search(qualifier):
        column = _EARLIER_COLUMNS.get(column)
        if column is None or column in taken or column not in table.names:
            return Qualified(None)
    elif _QUALIFIER_CHANGES.search(qualifier):
        return Qualified(None)
    return Qualified(column, spelling)


def _occurrences(key: str, spelling: str) -> list[tuple[int, int]]:
    """Where a known name stands inside a header key: Chinese names of three characters or
    more anywhere, English ones of four letters or more as whole words."""
    if _CJK.search(spelling):
        if len(spelling) < 3:
            return []
        found, start = [], key.find(spelling)
        while start >= 0:
            found.append((start, start + len(spelling)))
            start = key.find(spelling, start + 1)
        return found
    if len(spelling) < 4:
        return []
    pattern = rf"(?<![a-z0-9]){re.escape(spelling)}(?![a-z0-9])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, key)]


_TYPE_TEXT = {
    "id": "identifier (text)",
    "text": "text",
    "int": "integer",
    "count": "count ≥ 0",
    "money": "yuan ≥ 0",
    "number": "number",
    "share": "share 0–1",
    "ratio": "ratio ≥ 0",
    "date": "date",
    "bool": "yes/no",
    "category": "category",
}


def to_markdown() -> str:
    """The data model as a Markdown document (``docs/data-model.md`` is this text)."""
    lines = [
        "# The data model",
        "",
        "<!-- Generated by `impact schema` from src/impact/schema.py; edit that, not this. -->",
        "",
        "A data set is a folder of CSV or Parquet files, one per table, named after the table",
        "(`projects.csv`) or one of its Chinese names (`项目.csv`); or an `.xlsx` workbook with",
        "a sheet per table. Any subset of tables may be present: leverage needs only `projects`",
        "and `funding`. Headers may be written in English or Chinese as listed; values may use",
        "the spellings described under *Types*. Every table may carry further columns: they are",
        "kept as they are, with a warning in case one is a misspelt known column.",
        "How sheets laid out by offices are read (title rows, two-row headers, units in",
        "headers, totals and notes) and how to map unknown headers, codes and indicator",
        "names in `impact-mapping.yaml` is described in [mapping.md](mapping.md).",
        "",
        "**Row numbers** in messages are those a spreadsheet shows: the header is row 1.",
        "",
        "## Types",
        "",
        "| type | meaning | accepted spellings |",
        "|---|---|---|",
        "| identifier | text key; `001` stays `001` | any |",
        "| integer, count | whole numbers; counts not negative | `12`, `1,200` |",
        "| yuan | money in yuan, not negative | `2000`, `2,000`, `2000元`, `¥2000`, `1.2万` |",
        "| number | real number | as yuan, negatives allowed |",
        "| share | proportion 0–1 | `0.6`, `60%` |",
        "| ratio | non-negative ratio | `1`, `1:1`, `1：2` (read as a ÷ b) |",
        "| date | calendar day | `2022-07-01`, `2022/7/1`, `2022.7.1`, `2022年7月1日` |",
        "| yes/no | boolean | 是/否, 有/无, yes/no, true/false, y/n, 1/0 |",
        "| category | one of the codes listed | the code, or a listed Chinese or English name |",
        "",
        "Person counts of attendances are **person-times** (人次): 100 person-times may be 20",
        "people five times. The funnel stages are ordered "
        + " → ".join(FUNNEL_STAGES)
        + "; `withdrawn` can follow any stage.",
        "",
    ]
    for table in TABLES.values():
        key = ", ".join(table.key) if table.key else "none (lines may repeat)"
        lines += [
            f"## `{table.name}`",
            "",
            table.description,
            "",
            f"Key: {key}. File or sheet names: `{table.name}`"
            + "".join(f", `{a}`" for a in table.aliases)
            + ".",
            "",
            "| column | type | unit | required | description | allowed values | "
            "also accepted as header |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in table.columns:
            allowed = "<br>".join(
                f"`{code}` ({', '.join(spellings[:3])})" if spellings else f"`{code}`"
                for code, spellings in c.allowed.items()
            )
            if c.references:
                allowed = f"must match `{c.references}`"
            lines.append(
                f"| `{c.name}` | {_TYPE_TEXT[c.type]} | {c.unit} | "
                f"{'yes' if c.required else ''} | {c.description} | {allowed} | "
                f"{', '.join(c.aliases)} |"
            )
        lines.append("")
    lines += [
        "## Tables by kind of programme",
        "",
        "The tables each kind of programme (`programmes.kind`) uses; `impact template --kind "
        "KIND` writes a workbook with a sheet for each.",
        "",
        "| kind | tables |",
        "|---|---|",
        *(
            f"| `{kind}` | " + ", ".join(f"`{t}`" for t in tables) + " |"
            for kind, tables in KIND_TABLES.items()
        ),
        "",
        "## Checks across tables",
        "",
        "Errors (exit status 2): a required column or value missing; a value of the wrong",
        "type or not an allowed code (the nearest code is suggested); negative money or",
        "counts; a duplicate key; a link to a row that does not exist (a project's round, a",
        "funding line's project, a panel row's community …); a predecessor that is not in an",
        "earlier round of the same programme; round dates out of order (call ≤ start ≤",
        "mid-term ≤ end); a project with a grant whose stage is below `approved`; a follow-up",
        "year before the project's round.",
        "",
        "Warnings (possible but worth a look): leveraged resources above 50× a project's grant;",
        "person-times above 100× the community's population; a grant outside the round's",
        "range; an unknown column or file.",
        "",
    ]
    return "\n".join(lines)
