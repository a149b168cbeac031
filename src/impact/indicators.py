"""The catalogue of output indicators these programmes report, by their own names.

Offices name indicators in their own words (活动场次, 服务居民人次, 覆盖人群人次 …). Each
catalogue entry gives the code the workbench uses, the Chinese and English names, the unit
and the direction (whether more is better), and the other names offices write for it. An
indicator not in the catalogue is kept under the name the office wrote, never dropped; a
user can give it a code in ``impact-mapping.yaml`` (``indicators: names:``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .schema import normalise_label, split_unit

Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Indicator:
    """One output indicator: its code, names, unit and which way is better."""

    code: str
    zh: str
    en: str
    unit: str  # person-times, people, activities, yuan …
    direction: Direction = "higher"
    aliases: tuple[str, ...] = ()


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "activities",
        "活动场次",
        "activities",
        "activities",
        aliases=("活动次数", "开展活动", "活动数", "开展活动场次", "活动数量"),
    ),
    Indicator(
        "residents_served",
        "服务居民人次",
        "residents served (person-times)",
        "person-times",
        aliases=(
            "服务人次",
            "受益人次",
            "服务对象人次",
            "居民参与人次",
            "覆盖人群人次",
            "覆盖人次",
            "服务居民",
            "参与居民人次",
        ),
    ),
    Indicator(
        "volunteer_person_times",
        "志愿者人次",
        "volunteer person-times",
        "person-times",
        aliases=("志愿服务人次", "志愿者参与人次", "志愿者服务人次", "动员志愿者人次"),
    ),
    Indicator("volunteers", "志愿者人数", "volunteers", "people", aliases=("志愿者数",)),
    Indicator("volunteer_hours", "志愿服务时长", "volunteer hours", "hours", aliases=("志愿时长",)),
    Indicator(
        "core_team",
        "骨干人数",
        "core team members",
        "people",
        aliases=("核心成员", "骨干成员", "核心团队人数", "团队骨干", "核心骨干"),
    ),
    Indicator(
        "other_actors",
        "动员多元主体人次",
        "other actors mobilised (person-times)",
        "person-times",
        aliases=("多元主体参与人次", "撬动多元主体参与人次", "动员其他主体人次"),
    ),
    Indicator(
        "issues_solved",
        "解决微事件",
        "micro-issues solved",
        "issues",
        aliases=("解决微事件数", "解决问题数", "解决治理微事项", "治理微事项", "解决微事项"),
    ),
    Indicator(
        "meetings",
        "议事协商会",
        "consultation meetings",
        "meetings",
        aliases=("议事会", "协商会议", "议事协商会次数", "协商议事"),
    ),
    Indicator(
        "posts",
        "宣传推文",
        "posts",
        "posts",
        aliases=("推文数", "推文", "网络宣传", "宣传报道", "公众号推文", "网络推文"),
    ),
    Indicator("reads", "阅读量", "reads", "reads", aliases=("阅读人次", "点击量", "浏览量")),
    Indicator("videos", "宣传视频", "videos", "videos", aliases=("视频", "视频数", "短视频")),
    Indicator(
        "mechanisms",
        "提炼机制",
        "mechanisms distilled",
        "mechanisms",
        aliases=("机制", "工作机制", "形成机制", "提炼工作机制"),
    ),
    Indicator("jobs", "就业人数", "people finding jobs", "people", aliases=("带动就业", "就业")),
    Indicator(
        "businesses_started",
        "创业人数",
        "people starting businesses",
        "people",
        aliases=("创业", "带动创业"),
    ),
    Indicator(
        "donations_yuan",
        "募集善款",
        "donations raised",
        "yuan",
        aliases=("筹款", "公益募捐", "募捐金额", "义卖筹款"),
    ),
    Indicator("wishes_fulfilled", "实现微心愿", "wishes fulfilled", "wishes", aliases=("微心愿",)),
    Indicator("trainings", "培训场次", "trainings", "sessions", aliases=("培训", "培训次数")),
    Indicator(
        "beneficiaries", "受益人数", "beneficiaries (people)", "people", aliases=("服务对象人数",)
    ),
    Indicator("satisfaction", "满意度", "satisfaction", "score", aliases=("居民满意度",)),
    Indicator("complaints", "投诉数", "complaints", "complaints", "lower", ("投诉", "投诉数量")),
)

_BY_SPELLING: dict[str, str] = {}
for _entry in CATALOGUE:
    for _spelling in (_entry.code, _entry.zh, _entry.en, *_entry.aliases):
        _BY_SPELLING.setdefault(normalise_label(_spelling), _entry.code)


def indicator_code(name: str, user_names: dict[str, str] | None = None) -> str | None:
    """The catalogue code of an indicator written ``name`` (a unit in brackets is ignored:
    ``活动场次（场）`` is ``activities``), or None when it is not in the catalogue."""
    key = normalise_label(split_unit(str(name))[0])
    if user_names and key in user_names:
        return user_names[key]
    return _BY_SPELLING.get(key)


def recognise(names: pd.Series, user_names: dict[str, str] | None = None):
    """Indicator names as codes; names not in the catalogue kept as written.

    Returns the codes and the names kept as written (distinct, in order of appearance)."""
    uniques = names.dropna().unique()
    lookup = {u: indicator_code(u, user_names) for u in uniques}
    unknown = [str(u) for u, code in lookup.items() if code is None and str(u).strip()]
    mapped = {u: code or u for u, code in lookup.items()}
    return names.map(mapped).astype(names.dtype if len(names) else object), unknown


def catalogue_table() -> pd.DataFrame:
    """The catalogue as a table: code, zh, en, unit, direction, other names."""
    return pd.DataFrame(
        [
            {
                "code": i.code,
                "zh": i.zh,
                "en": i.en,
                "unit": i.unit,
                "direction": i.direction,
                "other_names": "、".join(i.aliases),
            }
            for i in CATALOGUE
        ]
    )
