"""Every word a plan's table and plot show, in Chinese and English, in one place."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # design knobs
    "communities": {"zh": "社区数", "en": "communities"},
    "rounds": {"zh": "届数", "en": "rounds"},
    "joining": {"zh": "加入节奏", "en": "joining pattern"},
    "joined_share": {"zh": "加入社区占比", "en": "share of communities joining"},
    "projects_per_round": {"zh": "每届资助项目数", "en": "funded projects per round"},
    "matched_share": {"zh": "配比申报占比", "en": "share of matched applications"},
    "years_before": {"zh": "首届前观测年数", "en": "panel years before round 1"},
    "years_after": {"zh": "末届后观测年数", "en": "panel years after the last round"},
    "effect_at_join": {"zh": "加入当年效应", "en": "effect in the joining year"},
    "effect_growth": {"zh": "每年效应增量", "en": "effect growth per year"},
    "volunteers_noise_sd": {"zh": "结果噪声标准差", "en": "outcome noise (sd)"},
    "leverage_matched_ratio": {"zh": "配比撬动倍数真值", "en": "true matched leverage ratio"},
    "leverage_sigma": {"zh": "撬动噪声（对数标准差）", "en": "leverage noise (log sd)"},
    # joining patterns
    "even": {"zh": "均匀", "en": "even"},
    "early": {"zh": "前多后少", "en": "early"},
    "late": {"zh": "前少后多", "en": "late"},
    # estimands
    "estimand": {"zh": "估计对象", "en": "estimand"},
    "participation": {
        "zh": "参与效应（每千人志愿者数）",
        "en": "participation effect (volunteers per 1,000)",
    },
    "leverage": {
        "zh": "配比与普通申报撬动比（对数）",
        "en": "matched vs standard leverage (log ratio)",
    },
    # table columns
    "truth": {"zh": "真值", "en": "true value"},
    "replicates": {"zh": "模拟次数", "en": "replicates"},
    "estimated": {"zh": "成功估计次数", "en": "estimated"},
    "mean_estimate": {"zh": "估计均值", "en": "mean estimate"},
    "bias": {"zh": "偏差", "en": "bias"},
    "bias_se": {"zh": "偏差的模拟误差", "en": "bias Monte-Carlo se"},
    "rmse": {"zh": "均方根误差", "en": "RMSE"},
    "sd_estimate": {"zh": "估计值标准差", "en": "sd of estimates"},
    "mean_se": {"zh": "标准误均值", "en": "mean standard error"},
    "power": {"zh": "检验效能", "en": "power"},
    "power_low": {"zh": "检验效能下限", "en": "power, lower 95%"},
    "power_high": {"zh": "检验效能上限", "en": "power, upper 95%"},
    "coverage": {"zh": "区间覆盖率", "en": "interval coverage"},
    "coverage_low": {"zh": "覆盖率下限", "en": "coverage, lower 95%"},
    "coverage_high": {"zh": "覆盖率上限", "en": "coverage, upper 95%"},
    # plot
    "plot_title": {
        "zh": "检验效能（{level}置信区间不含零的比例）",
        "en": "Power: share of replicates whose {level} interval excludes 0",
    },
    "nominal": {"zh": "检验水平 {alpha}", "en": "test level {alpha}"},
    "target": {"zh": "常用目标 80%", "en": "usual target 80%"},
    "single_point": {"zh": "单一设计", "en": "one design"},
    "sheet": {"zh": "功效分析", "en": "power analysis"},
}


def t(key: str, language: str, **values) -> str:
    """The text of ``key`` in ``language``, with ``values`` filled in; unknown keys are a
    bug, not a silent English fallback."""
    return TEXT[key][language].format(**values)


def value_text(value, language: str) -> str:
    """A knob's value as a reader sees it (patterns translated, numbers plain)."""
    if isinstance(value, str) and value in TEXT:
        return TEXT[value][language]
    if isinstance(value, list):
        return "/".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
