"""Every heading, label, axis and table header of the reports, in Chinese and English.

Notebooks and report sections take their words from here and nowhere else, so a Chinese
report has no English leftovers and a new language is one more column.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # report titles and headings
    "midterm_title": {
        "zh": "{programme} 第{round}届 中期评估报告",
        "en": "{programme}, round {round}: mid-term assessment",
    },
    "annual_title": {
        "zh": "{programme} {year}年度 影响力报告",
        "en": "{programme}: impact report {year}",
    },
    "explore_title": {"zh": "数据探索：{data}", "en": "Exploring {data}"},
    "compare_title": {"zh": "项目计划横向比较", "en": "Programmes side by side"},
    "overview": {"zh": "概况", "en": "Overview"},
    "indicators": {"zh": "指标完成情况", "en": "Indicator performance"},
    "at_risk": {"zh": "可持续风险提示", "en": "Projects at risk of not continuing"},
    "peers": {"zh": "同类项目比较", "en": "Comparison with peer projects"},
    "data_quality": {"zh": "数据质量", "en": "Data quality"},
    "funnel": {"zh": "申报与立项漏斗", "en": "Selection funnel"},
    "leverage": {"zh": "资源撬动", "en": "Leverage"},
    "matched_vs_standard": {
        "zh": "配比申报与普通申报比较",
        "en": "Matched versus standard applications",
    },
    "outputs": {"zh": "产出与单位成本", "en": "Outputs and cost per output"},
    "participation": {"zh": "参与效应", "en": "Participation effect"},
    "sustainability": {"zh": "可持续性", "en": "Sustainability"},
    "published": {"zh": "与公开案例比较", "en": "Comparison with published programmes"},
    "methods": {"zh": "方法说明", "en": "Methods"},
    "reproducibility": {"zh": "可复现信息", "en": "Reproducibility"},
    # table headers
    "project": {"zh": "项目", "en": "Project"},
    "project_id": {"zh": "项目编号", "en": "Project ID"},
    "title": {"zh": "项目名称", "en": "Title"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "plan": {"zh": "计划值", "en": "Plan"},
    "midterm": {"zh": "中期值", "en": "Mid-term"},
    "achieved": {"zh": "完成率", "en": "Achieved"},
    "light": {"zh": "状态", "en": "Status"},
    "green": {"zh": "正常", "en": "on track"},
    "amber": {"zh": "关注", "en": "watch"},
    "red": {"zh": "滞后", "en": "behind"},
    "risk": {"zh": "风险", "en": "Risk"},
    "reasons": {"zh": "主要原因", "en": "Main reasons"},
    "group": {"zh": "分组", "en": "Group"},
    "tier": {"zh": "层级", "en": "Tier"},
    "peer_median": {"zh": "同组中位数", "en": "Peer median"},
    "n": {"zh": "样本数", "en": "n"},
    "estimate": {"zh": "估计值", "en": "Estimate"},
    "ci": {"zh": "95%置信区间", "en": "95% interval"},
    "small_cell": {
        "zh": "样本少于5个，结果仅供参考",
        "en": "fewer than 5 projects: indicative only",
    },
    "stage": {"zh": "阶段", "en": "Stage"},
    "reached": {"zh": "数量", "en": "Reached"},
    "conversion": {"zh": "转化率", "en": "Conversion"},
    "grant_yuan": {"zh": "种子资金（元）", "en": "Seed grant (yuan)"},
    "leveraged_yuan": {"zh": "撬动资源（元）", "en": "Leveraged (yuan)"},
    "leverage_ratio": {"zh": "撬动比", "en": "Leverage ratio"},
    "programme": {"zh": "项目计划", "en": "Programme"},
    "value": {"zh": "数值", "en": "Value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "source": {"zh": "来源", "en": "Source"},
    "status": {"zh": "状态", "en": "Status"},
    "date": {"zh": "日期", "en": "Date"},
    "report": {"zh": "报告", "en": "Report"},
    "kind": {"zh": "类型", "en": "Kind"},
    "period": {"zh": "期次", "en": "Period"},
    "language": {"zh": "语言", "en": "Language"},
    "ok": {"zh": "成功", "en": "ok"},
    "failed": {"zh": "失败（保留上一版）", "en": "failed (previous report kept)"},
    "index_title": {"zh": "报告目录", "en": "Reports"},
    # stage and type names
    "idea": {"zh": "提案", "en": "idea"},
    "shortlisted": {"zh": "入围", "en": "shortlisted"},
    "approved": {"zh": "立项", "en": "approved"},
    "signed": {"zh": "签约实施", "en": "signed"},
    "completed": {"zh": "结项", "en": "completed"},
    "withdrawn": {"zh": "退出", "en": "withdrawn"},
    "standard": {"zh": "普通申报", "en": "standard"},
    "demonstration": {"zh": "示范类", "en": "demonstration"},
    "brand": {"zh": "品牌类", "en": "brand"},
    "seedling": {"zh": "育苗类", "en": "seedling"},
    "matched": {"zh": "配比申报", "en": "matched"},
    "activities": {"zh": "活动场次", "en": "activities"},
    "volunteer_person_times": {"zh": "志愿者人次", "en": "volunteer person-times"},
    "residents_served": {"zh": "服务居民人次", "en": "residents served (person-times)"},
    "core_team": {"zh": "骨干人数", "en": "core team"},
    "issues_solved": {"zh": "解决微事件", "en": "micro-issues solved"},
    "posts": {"zh": "宣传推文", "en": "posts"},
    "reads": {"zh": "阅读量", "en": "reads"},
    "ci_low": {"zh": "区间下限", "en": "lower bound"},
    "ci_high": {"zh": "区间上限", "en": "upper bound"},
    "att": {"zh": "效应", "en": "effect"},
    "se": {"zh": "标准误", "en": "std. error"},
    "overall": {"zh": "总体", "en": "overall"},
    "small": {"zh": "样本过少", "en": "small n"},
    "events": {"zh": "终止数", "en": "ended"},
    "median": {"zh": "中位存续（届）", "en": "median rounds"},
    "category": {"zh": "分类", "en": "category"},
    "programme_id": {"zh": "项目计划", "en": "programme"},
    "warning": {"zh": "提示", "en": "warning"},
    "year_joined": {"zh": "加入当年", "en": "year of joining"},
    "years_before": {"zh": "加入前{n}年", "en": "{n} years before joining"},
    "years_after": {"zh": "加入后{n}年", "en": "{n} years after joining"},
    "years_before_one": {"zh": "加入前1年", "en": "1 year before joining"},
    "years_after_one": {"zh": "加入后1年", "en": "1 year after joining"},
    "periods_since_joining": {"zh": "加入后年数", "en": "years since joining"},
    "effect_on": {"zh": "对{outcome}的效应", "en": "effect on {outcome}"},
    "volunteers_per_1000": {"zh": "每千人志愿者数", "en": "volunteers per 1,000 residents"},
    "satisfaction": {"zh": "居民满意度", "en": "resident satisfaction"},
    "rounds_survived": {"zh": "存续届数", "en": "rounds"},
    "share_going": {"zh": "仍在运行的比例", "en": "share still going"},
    "seed_grant_per_yuan": {
        "zh": "每元种子资金撬动资源（元）",
        "en": "leveraged yuan per seed yuan",
    },
    "funded_projects": {"zh": "资助项目数", "en": "funded projects"},
    "projects": {"zh": "个", "en": "projects"},
    "person-times": {"zh": "人次", "en": "person-times"},
    "yuan": {"zh": "元", "en": "yuan"},
    "not_reached": {"zh": "未达到", "en": "not reached"},
    "twfe_note": {
        "zh": "双向固定效应估计仅供对照：各社区加入时间不同且效应随时间变化时，"
        "该估计可能有偏，甚至方向相反（Goodman-Bacon 2021）。",
        "en": "Two-way fixed effects is shown for comparison only: with communities "
        "joining at different times and effects that change over time it can "
        "be biased, even in sign (Goodman-Bacon 2021).",
    },
    "did_assumptions": {
        "zh": "假设：若未参与，各批次社区的结果走势与从未参与的社区平行；参与前无预期效应。",
        "en": "Assumptions: without the programme, each cohort's outcome would "
        "have moved like that of never-joined communities; no effect "
        "before joining.",
    },
    "twfe_estimate": {
        "zh": "双向固定效应估计：{estimate:.2f}（标准误 {se:.2f}）",
        "en": "Two-way fixed effects: {estimate:.2f} (std. error {se:.2f})",
    },
    "pretrend": {
        "zh": "平行趋势检验：卡方 = {chi2:.1f}，自由度 {df}，p = {p:.3f}",
        "en": "Pre-trend test: chi2 = {chi2:.1f}, df = {df}, p = {p:.3f}",
    },
    "kind_midterm": {"zh": "中期评估", "en": "mid-term"},
    "kind_annual": {"zh": "年度报告", "en": "annual"},
    "kind_explore": {"zh": "数据探索", "en": "exploration"},
    "kind_compare": {"zh": "横向比较", "en": "comparison"},
    "behind": {"zh": "滞后指标", "en": "indicators behind"},
    "indicator_note": {
        "zh": "完成率为各指标中期值占计划值比例的中位数；状态：≥45% 正常，"
        "30%–45% 关注，<30% 滞后。每项指标的明细见随报告提供的电子表格中的“指标明细”表。",
        "en": "Achieved is the median over indicators of mid-term value ÷ plan; "
        "status: ≥ 45% on track, 30–45% watch, below 30% behind. Every "
        'indicator is in the sheet "Indicator detail" of the report\'s Excel workbook.',
    },
    "leverage_relative": {"zh": "配比/普通撬动比之比", "en": "matched ÷ standard leverage"},
    "matched_note": {
        "zh": "泊松拟似然广义线性模型（对数连接，种子资金为偏移量），控制团队人数，"
        "按社区聚类稳健标准误；比值>1表示配比申报撬动更多。",
        "en": "Poisson quasi-likelihood GLM (log link, seed grant as offset), "
        "adjusted for team size, errors clustered by community; above 1 "
        "means matched projects lever more.",
    },
    "one_type_only": {
        "zh": "本计划只有一种申报类型，无法比较。",
        "en": "Only one application type in this programme: nothing to compare.",
    },
    "output": {"zh": "产出", "en": "output"},
    "units": {"zh": "产出总量", "en": "units"},
    "cost_per_unit": {"zh": "单位成本（元）", "en": "yuan per unit"},
    "no_final_values": {"zh": "本届尚无结项数据。", "en": "No final values for this round yet."},
    "hazard_note": {
        "zh": "每届终止风险的互补双对数模型：风险比>1表示更易终止"
        "（{n}个项目届次，{events}个终止）。",
        "en": "Per-round hazard of ending (cloglog model): a hazard ratio above 1 "
        "means ending sooner ({n} project-rounds, {events} ended).",
    },
    "low_midterm": {"zh": "中期进度滞后", "en": "behind at mid-term"},
    "team_size": {"zh": "团队人数（每增1人）", "en": "team size (per member)"},
    "lineage_id": {"zh": "项目线", "en": "line"},
    "round": {"zh": "首届", "en": "first round"},
    "duration_rounds": {"zh": "存续届数", "en": "rounds funded"},
    "ended": {"zh": "已终止", "en": "ended"},
    "inferred": {"zh": "推断关联", "en": "link inferred"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "year": {"zh": "年度", "en": "year"},
    "active_share": {"zh": "活跃比例", "en": "active"},
    "registered_share": {"zh": "注册比例", "en": "registered"},
    "own_income_yuan": {"zh": "自有收入（元）", "en": "own income (yuan)"},
    "fund_donation_yuan": {"zh": "捐入社区基金（元）", "en": "to community fund (yuan)"},
    "self_financing_share": {"zh": "自我造血比例", "en": "self-financing share"},
    "method_leverage": {
        "zh": "撬动比为撬动资源总额除以种子资金总额（总额之比），置信区间为按社区整群重抽样的"
        "BCa自助法区间（Efron 1987）。",
        "en": "Leverage is total leveraged resources ÷ total seed grant (a ratio of sums); its "
        "interval is a BCa bootstrap resampling whole communities (Efron 1987).",
    },
    "method_did": {
        "zh": "参与效应采用交错进入双重差分（Callaway & Sant'Anna 2021），以从未参与的社区为"
        "对照，标准误由影响函数计算并按社区聚类，同时置信带由乘数自助法给出。",
        "en": "The participation effect is a staggered difference-in-differences (Callaway & "
        "Sant'Anna 2021) against never-joined communities, with influence-function "
        "standard errors clustered by community and multiplier-bootstrap bands.",
    },
    "method_survival": {
        "zh": "项目线按前序项目关联；生存曲线为Kaplan–Meier估计，风险比来自每届互补双对数模型。",
        "en": "Project lines follow predecessor links; survival is Kaplan–Meier and hazard "
        "ratios come from a per-round complementary log-log model.",
    },
    "method_risk": {
        "zh": "风险模型为逻辑回归，按项目计划分组交叉验证评估（AUC与校准）。",
        "en": "The risk model is a logistic regression assessed by cross-validation grouped "
        "by programme (AUC and calibration).",
    },
    "term": {"zh": "因素", "en": "factor"},
    "hazard_ratio": {"zh": "风险比", "en": "hazard ratio"},
    "spend_rate": {"zh": "资金使用率", "en": "grant spent"},
    "did_n": {
        "zh": "共{units}个社区，{cohorts}个加入批次；从未参与的社区为对照。",
        "en": "{units} communities in {cohorts} joining cohorts; never-joined "
        "communities are the comparison.",
    },
    # files and pages beside the report (tables named as workbook sheets)
    "more_rows": {"zh": "展开其余 {n} 行", "en": "Show the other {n} rows"},
    "about_sheet": {"zh": "报告说明", "en": "About"},
    "data": {"zh": "数据", "en": "Data"},
    "tables": {"zh": "表格", "en": "Tables"},
    "page_of": {"zh": "第 {page} 页，共 {pages} 页", "en": "page {page} of {pages}"},
    "pdf_skipped": {
        "zh": "未生成PDF：本机没有可用的Chromium浏览器（安装 chromium 后重新运行即可）。",
        "en": "PDF skipped: no Chromium browser on this machine (install chromium and run again).",
    },
    "pdf_failed": {
        "zh": "未生成PDF：Chromium 未能打印本页（报告网页和其他文件不受影响）。",
        "en": "PDF skipped: Chromium could not print the page (the page and other files stand).",
    },
    "footer": {
        "zh": "生成时间：{time} · 软件 impact {version} · 代码版本 {commit}",
        "en": "Generated {time} · impact {version} · code version {commit}",
    },
    "uncommitted": {"zh": "（含未提交的修改）", "en": " (with uncommitted changes)"},
    "table_indicator_performance": {"zh": "指标明细", "en": "Indicator detail"},
    "table_indicator_summary": {"zh": "项目完成情况", "en": "Projects at mid-term"},
    "table_risk_flags": {"zh": "可持续风险", "en": "Risk of not continuing"},
    "table_peer_comparison": {"zh": "同类项目比较", "en": "Peer comparison"},
    "table_leverage_by_tier": {"zh": "按层级的撬动比", "en": "Leverage by tier"},
    "table_leverage_by_application_type": {
        "zh": "按申报类型的撬动比",
        "en": "Leverage by application type",
    },
    "table_survival_medians": {"zh": "存续中位数", "en": "Median survival"},
    "table_cost_per_output": {"zh": "单位产出成本", "en": "Cost per output"},
    "table_hazard_ratios": {"zh": "终止风险比", "en": "Hazard ratios"},
    "table_lineages": {"zh": "存续最久的项目线", "en": "Longest project lines"},
    "table_self_financing": {"zh": "自我造血", "en": "Self-financing"},
    "table_data_quality": {"zh": "数据质量提示", "en": "Data quality notes"},
    # the data set's tables (explore)
    "data_table": {"zh": "数据表", "en": "Table"},
    "rows": {"zh": "行数", "en": "Rows"},
    "dataset_programmes": {"zh": "项目计划", "en": "programmes"},
    "dataset_rounds": {"zh": "届次", "en": "rounds"},
    "dataset_projects": {"zh": "项目", "en": "projects"},
    "dataset_funding": {"zh": "资金与资源", "en": "funding and resources"},
    "dataset_indicators": {"zh": "指标记录", "en": "indicator values"},
    "dataset_communities": {"zh": "社区", "en": "communities"},
    "dataset_panel": {"zh": "社区年度面板", "en": "community panel (yearly)"},
    "dataset_followups": {"zh": "结项后回访", "en": "follow-ups"},
    "dataset_published": {"zh": "公开案例数据", "en": "published figures"},
    "table_overview": {"zh": "数据概况", "en": "Data overview"},
    # risk reasons in words
    "application_type": {"zh": "申报类型", "en": "application type"},
    "theme": {"zh": "主题", "en": "theme"},
    "reason_team_size": {"zh": "团队人数", "en": "team size"},
    "reason_midterm_progress": {"zh": "中期进度", "en": "mid-term progress"},
    "reason_grant_yuan": {"zh": "种子资金", "en": "seed grant"},
    "reason_round": {"zh": "届次", "en": "round"},
    "reason_phase": {"zh": "项目期数（连续获资助的第几期）", "en": "phase (how many times funded)"},
    "reason_low": {"zh": "偏低", "en": " low"},
    "reason_high": {"zh": "偏高", "en": " high"},
    # sentences
    "no_issues": {"zh": "数据校验未发现问题。", "en": "Validation found no problem."},
    "generated": {"zh": "生成时间", "en": "Generated"},
}


def t(key: str, language: str, **values) -> str:
    """The text for ``key`` in ``language``, with ``{placeholders}`` filled. Unknown keys
    fall back to the key itself, so a code such as an indicator name still shows."""
    entry = TEXT.get(key)
    text = entry[language] if entry else key
    return text.format(**values) if values else text
