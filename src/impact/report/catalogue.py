"""Every heading, label, axis and table header of the reports, in Chinese and English.

Notebooks and report sections take their words from here and nowhere else, so a Chinese
report has no English leftovers and a new language is one more column.
"""

from __future__ import annotations

from ..participation.statement import SENTENCES

TEXT: dict[str, dict[str, str]] = {
    # report titles and headings
    "midterm_title": {
        "zh": "{programme}{round_label}中期评估报告",
        "en": "{programme}, {round_label}: mid-term assessment",
    },
    "annual_title": {
        "zh": "{programme}{year}年度影响力报告",
        "en": "{programme}: impact report {year}",
    },
    "explore_title": {"zh": "数据探索：{programmes}", "en": "Exploring {programmes}"},
    "compare_title": {
        "zh": "{programmes}与同类资助计划比较",
        "en": "{programmes} beside programmes of their kind",
    },
    "all_programmes": {"zh": "全部资助计划", "en": "all programmes"},
    "programmes_counted": {"zh": "{n}个资助计划", "en": "{n} programmes"},
    "names_joiner": {"zh": "、", "en": ", "},
    "overview": {"zh": "概况", "en": "Overview"},
    "indicators": {"zh": "指标完成情况", "en": "Indicator performance"},
    "at_risk": {"zh": "项目延续风险提示", "en": "Projects at risk of not continuing"},
    "peers": {"zh": "同类项目比较", "en": "Comparison with peer projects"},
    "data_quality": {"zh": "数据质量", "en": "Data quality"},
    "funnel": {"zh": "申报与立项各阶段", "en": "Selection funnel"},
    "leverage": {"zh": "资源撬动", "en": "Leverage"},
    "matched_vs_standard": {
        "zh": "配比申报与普通申报比较",
        "en": "Matched versus standard applications",
    },
    "outputs": {"zh": "产出与单位成本", "en": "Outputs and cost per output"},
    "participation": {"zh": "参与项目对社区的影响", "en": "Participation effect"},
    "sustainability": {"zh": "可持续性", "en": "Sustainability"},
    "published": {"zh": "与公开数据比较", "en": "Comparison with published programmes"},
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
    "risk": {"zh": "终止风险", "en": "Risk"},
    "reasons": {"zh": "主要原因", "en": "Main reasons"},
    "group": {"zh": "分组", "en": "Group"},
    "tier": {"zh": "层级", "en": "Tier"},
    "peer_median": {"zh": "同组中位数", "en": "Peer median"},
    "n": {"zh": "项目数", "en": "Projects"},
    "estimate": {"zh": "估计值", "en": "Estimate"},
    "ci": {"zh": "95%置信区间", "en": "95% interval"},
    "small_cell": {
        "zh": "项目少于5个的分组，结果仅供参考。",
        "en": "Groups of fewer than 5 projects are indicative only.",
    },
    "stage": {"zh": "阶段", "en": "Stage"},
    "reached": {"zh": "数量", "en": "Reached"},
    "conversion": {"zh": "通过率", "en": "Conversion"},
    "grant_yuan": {"zh": "种子资金（元）", "en": "Seed grant (yuan)"},
    "leveraged_yuan": {"zh": "撬动社会资源（元）", "en": "Leveraged (yuan)"},
    "leverage_ratio": {"zh": "撬动比", "en": "Leverage ratio"},
    "programme": {"zh": "资助计划", "en": "Programme"},
    "value": {"zh": "数值", "en": "Value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "source": {"zh": "来源", "en": "Source"},
    "status": {"zh": "状态", "en": "Status"},
    "date": {"zh": "日期", "en": "Date"},
    "report": {"zh": "报告", "en": "Report"},
    "kind": {"zh": "类型", "en": "Kind"},
    "period": {"zh": "时间", "en": "Period"},
    "language": {"zh": "语言", "en": "Language"},
    "ok": {"zh": "已生成", "en": "ok"},
    "failed": {"zh": "生成失败（保留上一版）", "en": "failed (previous report kept)"},
    "index_title": {"zh": "报告目录", "en": "Reports"},
    "index_ok": {"zh": "已生成", "en": "ok"},
    "index_failed_kept": {"zh": "本次生成失败，仍为上一版", "en": "failed, previous kept"},
    "index_failed_none": {"zh": "生成失败，尚无报告", "en": "failed, no report yet"},
    "index_whole_data": {"zh": "多个计划", "en": "Several programmes"},
    "index_data_name": {"zh": "（数据：{data}）", "en": " (data: {data})"},
    "index_details": {"zh": "失败详情", "en": "details"},
    "index_empty": {"zh": "尚无中文报告。", "en": "No reports in English yet."},
    "index_other_en": {"zh": "英文版报告目录", "en": "English reports"},
    "index_other_zh": {"zh": "中文版报告目录", "en": "Reports in Chinese (中文)"},
    # stage and type names
    "idea": {"zh": "提案", "en": "idea"},
    "shortlisted": {"zh": "入围", "en": "shortlisted"},
    "approved": {"zh": "立项", "en": "approved"},
    "signed": {"zh": "签约实施", "en": "signed"},
    "completed": {"zh": "结项", "en": "completed"},
    "withdrawn": {"zh": "退出", "en": "withdrawn"},
    "standard": {"zh": "普通申报", "en": "standard"},
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
    "att": {"zh": "效应值", "en": "Effect"},
    "se": {"zh": "标准误", "en": "Standard error"},
    "overall": {"zh": "总体", "en": "overall"},
    "small": {"zh": "项目过少", "en": "too few projects"},
    "events": {"zh": "终止项目数", "en": "Ended"},
    "median": {"zh": "存续届数中位数", "en": "Median (rounds)"},
    "category": {"zh": "分类", "en": "category"},
    "programme_id": {"zh": "资助计划", "en": "programme"},
    "warning": {"zh": "提示", "en": "warning"},
    "year_joined": {"zh": "加入当年", "en": "year of joining"},
    "years_before": {"zh": "加入前{n}年", "en": "{n} years before joining"},
    "years_after": {"zh": "加入后{n}年", "en": "{n} years after joining"},
    "years_before_one": {"zh": "加入前1年", "en": "1 year before joining"},
    "years_after_one": {"zh": "加入后1年", "en": "1 year after joining"},
    "periods_since_joining": {"zh": "加入后年数", "en": "years since joining"},
    "effect_on": {"zh": "对{outcome}的影响", "en": "effect on {outcome}"},
    "volunteers_per_1000": {"zh": "每千人志愿者数", "en": "volunteers per 1,000 residents"},
    "satisfaction": {"zh": "居民满意度", "en": "resident satisfaction"},
    "rounds_survived": {"zh": "存续届数", "en": "rounds"},
    "round_tick": {"zh": "{n}届", "en": "{n}"},
    "share_going": {"zh": "仍在延续的项目比例", "en": "share still going"},
    "seed_grant_per_yuan": {
        "zh": "每元种子资金撬动社会资源（元）",
        "en": "leveraged yuan per seed yuan",
    },
    "funded_projects": {"zh": "资助项目数", "en": "funded projects"},
    "projects": {"zh": "项目数", "en": "projects"},
    "person-times": {"zh": "人次", "en": "person-times"},
    "yuan": {"zh": "元", "en": "yuan"},
    "not_reached": {"zh": "未达到", "en": "not reached"},
    "twfe_note": {
        "zh": "双向固定效应估计（传统做法）仅供对照：各社区加入时间不同、且影响随时间变化时，"
        "这种估计可能有偏差，甚至方向相反（Goodman-Bacon 2021）。",
        "en": "Two-way fixed effects is shown for comparison only: with communities "
        "joining at different times and effects that change over time it can "
        "be biased, even in sign (Goodman-Bacon 2021).",
    },
    "did_assumptions": {
        "zh": "前提假设：如果没有参与项目，"
        "各批加入社区的变化趋势与从未参与的社区相同（即平行趋势）；"
        "社区在正式加入前不会因预期而提前变化。",
        "en": "Assumptions: without the programme, each cohort's outcome would "
        "have moved like that of never-joined communities; no effect "
        "before joining.",
    },
    "twfe_estimate": {
        "zh": "双向固定效应估计：{estimate:.2f}（标准误{se:.2f}）",
        "en": "Two-way fixed effects: {estimate:.2f} (std. error {se:.2f})",
    },
    "pretrend": {
        "zh": "平行趋势检验（对参与前各批次、各年份的差异作联合检验）："
        "检验统计量{chi2:.1f}（自由度{df}），p值{p}。p值越小，"
        "说明参与前两类社区的走势差异越明显，通常p值小于0.05即视为存在差异。",
        "en": "Pre-trend test (all pre-joining cells jointly): χ² = {chi2:.1f}, df = {df}, p {p}",
    },
    "pretrend_event_time": {
        "zh": "平行趋势检验（按加入前各年份平均；受数据所限，无法对各批次、各年份逐一作联合检验）"
        "：检验统计量{chi2:.1f}（自由度{df}），p值{p}。p值越小，"
        "说明参与前两类社区的走势差异越明显，通常p值小于0.05即视为存在差异。",
        "en": "Pre-trend test (averages by years before joining; the joint test of all cells "
        "cannot be computed, its covariance matrix is singular): χ² = {chi2:.1f}, df = {df}, "
        "p {p}",
    },
    "kind_midterm": {"zh": "中期评估", "en": "mid-term"},
    "kind_annual": {"zh": "年度报告", "en": "annual"},
    "kind_explore": {"zh": "数据探索", "en": "exploration"},
    "kind_compare": {"zh": "横向比较", "en": "comparison"},
    "behind": {"zh": "滞后指标", "en": "indicators behind"},
    "indicator_note": {
        "zh": "完成率为项目各项指标中期值占计划值比例的中位数，并对照时间进度判断："
        "达到按时间应完成部分的九成及以上为正常，六成至九成为关注，不足六成为滞后。"
        "各项指标明细见随报告附送的电子表格中的“指标明细”表。",
        "en": "Achieved is the median over indicators of mid-term value ÷ plan, judged against "
        "the time gone: on track from 90% of the share due, watch from 60%, behind below. "
        "Every indicator is in the 'Indicator detail' sheet of the workbook.",
    },
    "leverage_relative": {
        "zh": "配比申报与普通申报撬动比之比",
        "en": "Matched ÷ standard leverage",
    },
    "matched_note": {
        "zh": "比值大于1表示配比申报项目每元种子资金撬动的资源多于普通申报，小于1则相反。"
        "计算方法：泊松拟似然广义线性模型（对数连接，以种子资金为偏移量），控制团队人数；"
        "标准误按社区聚类并作小样本校正，参与比较的社区或配比项目较少时，区间会很宽。",
        "en": "Poisson quasi-likelihood GLM (log link, seed grant as offset), "
        "adjusted for team size, errors clustered by community with a small-sample "
        "correction (Bell & McCaffrey 2002): the interval widens with few communities "
        "informing the comparison, and is wide when few projects are matched; above 1 "
        "means matched projects lever more.",
    },
    "one_type_only": {
        "zh": "本年度只有一种申报类型，无需比较。",
        "en": "Only one application type this year: nothing to compare.",
    },
    "output": {"zh": "产出", "en": "output"},
    "units": {"zh": "产出总量", "en": "units"},
    "cost_per_unit": {"zh": "单位成本（元）", "en": "yuan per unit"},
    "no_final_values": {"zh": "本届尚无结项数据。", "en": "No final values for this round yet."},
    "hazard_note": {
        "zh": "风险比大于1表示该因素使项目更容易终止，小于1表示更容易延续（按届次累计{n}个项目，"
        "其中{events}个终止；方法为互补双对数模型）。",
        "en": "Per-round hazard of ending (cloglog model): a hazard ratio above 1 "
        "means ending sooner ({n} project-rounds, {events} ended).",
    },
    "low_midterm": {"zh": "中期进度滞后", "en": "behind at mid-term"},
    "team_size": {"zh": "团队人数（每增加1人）", "en": "team size (per member)"},
    "lineage_id": {"zh": "延续项目编号", "en": "Project across rounds"},
    "round": {"zh": "起始届次", "en": "first round"},
    "duration_rounds": {"zh": "存续届数", "en": "rounds funded"},
    "ended": {"zh": "已终止", "en": "ended"},
    "inferred": {"zh": "推断的延续关系", "en": "link inferred"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "year": {"zh": "年度", "en": "year"},
    "active_share": {"zh": "仍在运行比例", "en": "still running"},
    "registered_share": {"zh": "已登记比例", "en": "registered"},
    "own_income_yuan": {"zh": "自有收入（元）", "en": "own income (yuan)"},
    "fund_donation_yuan": {"zh": "捐入社区基金（元）", "en": "to community fund (yuan)"},
    "self_financing_share": {"zh": "自我造血比例", "en": "self-financing share"},
    "method_leverage": {
        "zh": "撬动比为撬动社会资源总额除以种子资金总额（总额之比，而非各项目比值的平均）；"
        "置信区间按社区整群重抽样，采用对数尺度的学生化自助法，并按社区数作小样本校正。",
        "en": "Leverage is total leveraged resources ÷ total seed grant (a ratio of sums); its "
        "interval is a studentised (bootstrap-t) interval on the log ratio resampling whole "
        "communities, corrected for few communities (Davison & Hinkley 1997; Hesterberg 2015).",
    },
    "method_did": {
        "zh": "参与项目对社区的影响采用分批加入情形下的双重差分法（Callaway & Sant'Anna 2021）"
        "估计，以从未参与的社区为对照；标准误按社区聚类，联合置信带由乘数自助法给出。",
        "en": "The participation effect is a staggered difference-in-differences (Callaway & "
        "Sant'Anna 2021) against never-joined communities, with influence-function "
        "standard errors clustered by community and multiplier-bootstrap bands.",
    },
    "method_survival": {
        "zh": "项目跨届延续按前后届项目的关联认定；延续曲线采用Kaplan–Meier法估计，"
        "风险比来自按届次的互补双对数模型。",
        "en": "Projects are followed across rounds through their predecessor links; survival is "
        "Kaplan–Meier and hazard ratios come from a per-round complementary log-log model.",
    },
    "method_risk": {
        "zh": "项目延续风险模型为逻辑回归，按资助计划分组交叉验证，评估其区分能力（曲线下面积，"
        "AUC）与校准程度。",
        "en": "The risk model is a logistic regression assessed by cross-validation grouped "
        "by programme (AUC and calibration).",
    },
    "term": {"zh": "因素", "en": "factor"},
    "hazard_ratio": {"zh": "风险比", "en": "hazard ratio"},
    "spend_rate": {"zh": "资金使用率", "en": "grant spent"},
    "did_n": {
        "zh": "共{units}个社区，分{cohorts}批加入；以从未参与的社区为对照。",
        "en": "{units} communities in {cohorts} joining cohorts; never-joined "
        "communities are the comparison.",
    },
    # files and pages beside the report (tables named as workbook sheets)
    "more_rows": {"zh": "展开其余{n}行", "en": "Show the other {n} rows"},
    "about_sheet": {"zh": "报告说明", "en": "About"},
    "data": {"zh": "数据", "en": "Data"},
    "tables": {"zh": "表格", "en": "Tables"},
    "page_of": {"zh": "第 {page} 页，共 {pages} 页", "en": "page {page} of {pages}"},
    "pdf_skipped": {
        "zh": "未生成PDF：本机没有可用的浏览器（安装 chromium 后重新运行即可）。",
        "en": "PDF skipped: no Chromium browser on this machine (install chromium and run again).",
    },
    "pdf_failed": {
        "zh": "未生成PDF：浏览器未能打印本页（报告网页和其他文件不受影响）。",
        "en": "PDF skipped: Chromium could not print the page (the page and other files stand).",
    },
    "footer": {
        "zh": "生成时间：{time} · 软件 impact {version} · 代码版本 {commit}",
        "en": "Generated {time} · impact {version} · code version {commit}",
    },
    "uncommitted": {"zh": "（含未提交的修改）", "en": " (with uncommitted changes)"},
    "sheet_indicator_performance": {"zh": "指标明细", "en": "Indicator detail"},
    # published figures' indicators and categories (compare report)
    "matched_social_money_yuan": {
        "zh": "配比项目撬动社会资金",
        "en": "social money raised by matched projects",
    },
    "match_ratio": {"zh": "配比比例", "en": "match ratio"},
    "grant_min_yuan": {"zh": "种子资金下限", "en": "minimum seed grant"},
    "grant_max_yuan": {"zh": "种子资金上限", "en": "maximum seed grant"},
    "implementation_months": {"zh": "执行期限", "en": "implementation period"},
    "other_actors_mobilised": {"zh": "动员多元主体人次", "en": "other actors mobilised"},
    "popularity_vote_winners": {"zh": "最佳人气奖获奖项目", "en": "popularity vote winners"},
    "most_effective_awards": {"zh": "最具成效奖获奖项目", "en": "most effective awards"},
    "consultation_meetings": {"zh": "议事协商会议", "en": "consultation meetings"},
    "consultation_participants": {"zh": "会议出席人数", "en": "consultation participants"},
    "vegetable_deliveries": {"zh": "鲜菜到户行动", "en": "vegetable deliveries"},
    "elders_served": {"zh": "受助长者", "en": "elders served"},
    "charity_days": {"zh": "农场公益日", "en": "charity days"},
    "charity_raised_yuan": {"zh": "公益日筹款", "en": "raised on charity days"},
    "wishes_fulfilled": {"zh": "实现长者微心愿", "en": "wishes fulfilled"},
    "projects_by_beneficiary": {
        "zh": "按受益人群分的项目数",
        "en": "projects by beneficiary group",
    },
    "disabled": {"zh": "残疾人", "en": "disabled people"},
    "elderly": {"zh": "老年人", "en": "elderly people"},
    "youth": {"zh": "青少年", "en": "young people"},
    "special_groups": {"zh": "特定人群", "en": "special groups"},
    "comprehensive": {"zh": "综合", "en": "comprehensive"},
    "people_started_business": {"zh": "带动创业人数", "en": "people who started a business"},
    "people_found_jobs": {"zh": "带动就业人数", "en": "people who found jobs"},
    "organisations_running_projects": {
        "zh": "承接项目的社区组织",
        "en": "organisations running projects",
    },
    "funding_share": {"zh": "资金来源占比", "en": "share of the money"},
    "foundation": {"zh": "基金会", "en": "foundation"},
    "public_finance": {"zh": "财政资金", "en": "public finance"},
    "district_trainings": {"zh": "全区大型培训会", "en": "district trainings"},
    "coaching_sessions": {"zh": "赛前辅导会", "en": "coaching sessions"},
    "guidance_visits": {"zh": "项目实施指导", "en": "guidance visits"},
    "expert_sessions": {"zh": "专家专场培训", "en": "expert sessions"},
    "monitoring_visits": {"zh": "现场监测和能力督导", "en": "on-site monitoring visits"},
    "party_members_cultivated": {"zh": "培养党员", "en": "party members cultivated"},
    "projects_by_tier": {"zh": "按层级分的项目数", "en": "projects by tier"},
    "peer_groups": {"zh": "同伴学习小组", "en": "peer-learning groups"},
    "pilot_communities": {"zh": "试点社区", "en": "pilot communities"},
    "community_leaders": {"zh": "社区领袖", "en": "community leaders"},
    "resident_ideas": {"zh": "居民点子", "en": "resident ideas"},
    "projects_signed_intent": {"zh": "签订合作意向的项目", "en": "projects with signed intent"},
    "business_partners": {"zh": "商家合伙人", "en": "business partners"},
    "sky_farm_area_m2": {"zh": "空中农场面积", "en": "sky farm area"},
    "low_fee_discount_share": {
        "zh": "低偿服务低于市场价的幅度",
        "en": "low-fee discount below market price",
    },
    "income_donated_share": {
        "zh": "收入捐入社区基金比例",
        "en": "share of income given to the fund",
    },
    "community farm project": {"zh": "爱心农场项目", "en": "community farm project"},
    "Heao": {"zh": "荷坳社区", "en": "Heao"},
    "Haiwan": {"zh": "海湾社区", "en": "Haiwan"},
    "volunteers": {"zh": "志愿者人数", "en": "volunteers"},
    # sentences
    "no_issues": {"zh": "数据校验未发现问题。", "en": "Validation found no problem."},
    "generated": {"zh": "生成时间", "en": "Generated"},
}

#: Words of the report sections (issue 8): scope, reasons a section cannot be computed,
#: key findings, the mid-term's statuses and risk reasons, the published comparison.
SECTION_TEXT: dict[str, dict[str, str]] = {
    # headings
    "key_findings": {"zh": "主要发现", "en": "Key findings"},
    "commentary": {"zh": "评估方意见", "en": "Evaluator's commentary"},
    "recommendations": {"zh": "建议", "en": "Recommendations"},
    "status_overview": {"zh": "进度总览", "en": "Progress at a glance"},
    "hazard_ratios": {"zh": "影响项目延续的因素", "en": "What makes a project end"},
    "lineages": {"zh": "项目延续情况", "en": "Projects across rounds"},
    "self_financing": {"zh": "自我造血", "en": "Self-financing"},
    "published_all": {"zh": "各地公开发布的数据", "en": "Figures the published programmes report"},
    # failures, in one sentence
    "section_not_estimable": {
        "zh": "现有数据不足以支撑本节的测算。",
        "en": "The data do not allow this estimate.",
    },
    "section_failed": {
        "zh": "本节未能生成，其余部分不受影响；详细原因已记录在报告文件夹中。",
        "en": "This section could not be produced; the rest of the report is unaffected and "
        "the details are recorded in the report's folder.",
    },
    "no_projects": {"zh": "数据中缺少项目信息表。", "en": "The data have no project table."},
    "no_projects_round": {
        "zh": "本届没有项目记录。",
        "en": "No projects are recorded for this round.",
    },
    "no_projects_year": {
        "zh": "本年度没有项目记录。",
        "en": "No projects are recorded for this year.",
    },
    "no_indicators": {
        "zh": "数据中没有指标完成情况表，无法计算进度。",
        "en": "The data have no indicator table, so progress cannot be computed.",
    },
    "no_midterm_values": {
        "zh": "本届尚无同时填报计划值和中期值的指标，无法计算进度。",
        "en": "No indicator of this round has both a plan and a mid-term value yet.",
    },
    "no_stage": {
        "zh": "数据未记录各项目所处的阶段，无法统计申报与立项各阶段的数量。",
        "en": "The data do not record each project's stage, so there is no funnel.",
    },
    "no_seed_grant": {
        "zh": "本计划不发放种子资金，撬动比与单位成本不适用。",
        "en": "This programme's projects have no seed grant, so leverage and cost per output "
        "do not apply.",
    },
    "no_leverage_data": {
        "zh": "数据未记录各项目撬动的社会资源（资金明细或撬动资源合计），无法计算撬动比。",
        "en": "The data record no leveraged resources (funding lines or a leveraged total), so "
        "there is no leverage ratio.",
    },
    "no_outputs": {
        "zh": "数据中没有指标完成情况表，无法计算单位产出成本。",
        "en": "The data have no indicator table, so there are no outputs to cost.",
    },
    "no_seed_grant_history": {
        "zh": "本计划不发放种子资金，而项目延续按获资助的届次认定，因此不适用。",
        "en": "This programme pays no seed grants, and a project's continuation is counted in "
        "funded rounds, so this does not apply.",
    },
    "no_panel": {
        "zh": "数据中没有各社区逐年的统计数据，无法评估参与项目对社区的影响。",
        "en": "The data have no yearly community panel, so the participation effect cannot "
        "be estimated.",
    },
    "outcome_missing": {
        "zh": "社区逐年数据中没有所选的结果指标，无法评估参与项目对社区的影响。",
        "en": "The community panel has no column {outcome}.",
    },
    "no_joined_communities": {
        "zh": "社区逐年数据中没有参与过项目的社区，无法评估参与项目对社区的影响。",
        "en": "No community in the panel has joined the programme yet.",
    },
    "no_application_type": {
        "zh": "数据未记录申报类型，无法比较配比申报与普通申报。",
        "en": "The data do not record the application type, so matched and standard "
        "applications cannot be compared.",
    },
    "no_matched": {
        "zh": "本年度没有配比申报项目，无需比较。",
        "en": "This programme had no matched applications this year: nothing to compare.",
    },
    "one_round_only": {
        "zh": "目前只有一届数据，尚无法判断项目能否延续。",
        "en": "There is only one round so far, so whether projects continue cannot be seen yet.",
    },
    "hazard_no_covariates": {
        "zh": "各项目在申报类型、团队规模等因素上没有差异，无法分析影响项目延续的因素。",
        "en": "The projects do not differ in any of the factors, so there is nothing to estimate.",
    },
    "hazard_dropped": {
        "zh": "以下因素在各项目间没有差异，未纳入模型：{factors}。",
        "en": "Left out because they do not vary between projects: {factors}.",
    },
    "no_followups": {
        "zh": "数据中没有结项后的跟踪记录，无法评估项目的自我造血能力。",
        "en": "The data have no follow-ups after closure, so self-financing cannot be assessed.",
    },
    "no_peer_group": {
        "zh": "数据未记录项目层级、分组或主题，无法进行同类比较。",
        "en": "The data record no tier, peer group or theme, so there are no peers to compare.",
    },
    "risk_no_history": {
        "zh": "已知延续结果的往届项目太少（终止、延续至少各需5个），暂不评估延续风险。",
        "en": "Too few earlier projects with a known outcome at this mid-term (at least 5 "
        "ended and 5 continued are needed) to assess the risk of not continuing.",
    },
    "no_published": {
        "zh": "未找到公开数据，无法比较。",
        "en": "No published figures were found at {path}.",
    },
    "nothing_comparable": {
        "zh": "本报告数据与公开数据没有口径相同的指标。",
        "en": "No figure of these data has the same unit as a published one.",
    },
    "no_findings": {
        "zh": "现有数据不足以形成主要发现，详见以下各节。",
        "en": "The data do not allow key findings; see the sections below.",
    },
    # captions, labels
    "caption_n": {"zh": "共{n}{unit}", "en": "n = {n} {unit}"},
    "caption_level": {"zh": "；区间为{level}置信区间", "en": "; {level} intervals"},
    "unit_projects": {"zh": "个项目", "en": "projects"},
    "unit_applications": {"zh": "份申报", "en": "applications"},
    "unit_communities": {"zh": "个社区", "en": "communities"},
    "unit_project_rounds": {"zh": "个项目（按届次累计）", "en": "project-rounds"},
    "unit_lines": {
        "zh": "个项目（跨届延续的只计一次）",
        "en": "projects (each counted once across rounds)",
    },
    "unit_rows": {"zh": "条记录", "en": "rows"},
    "unit_tables": {"zh": "张表", "en": "tables"},
    "unit_programmes": {"zh": "个资助计划", "en": "programmes"},
    "unit_published_figures": {"zh": "项公开数据", "en": "published figures"},
    "round_label": {"zh": "第{round}届", "en": "round {round}"},
    "year_label": {"zh": "{year}年", "en": "{year}"},
    "list_separator": {"zh": "；", "en": "; "},
    "cumulative_to": {
        "zh": "本节为截至{year}年的累计数据（含往届）。",
        "en": "This section is cumulative to {year} (earlier rounds included).",
    },
    # published figures
    "published_check": {"zh": "与公开报道数据核对", "en": "Against the published figures"},
    "other_programmes": {"zh": "与同类计划比较", "en": "Programmes of the same kind"},
    "own_value": {"zh": "本报告数据", "en": "These data"},
    "check_summary": {
        "zh": "本计划公开报道的数据中，{agree}项与本报告数据一致，{differ}项不一致，"
        "{absent}项本报告未统计。",
        "en": "Of the programme's published figures, {agree} agree with these data, {differ} "
        "differ and {absent} are not in them.",
    },
    "verdict_not_recorded": {"zh": "本报告未统计", "en": "not in these data"},
    "with_category": {"zh": "{name}（{category}）", "en": "{name} ({category})"},
    "same_kind_note": {
        "zh": "以下仅列出{n}个同类计划公开发布、且与本报告口径相同的数据，仅供参考。",
        "en": "Only figures published by {n} programmes of the same kind, in the same measure "
        "as these data, are listed; for reference.",
    },
    "show_rows": {"zh": "展开{n}行", "en": "Show {n} rows"},
    "sources_named": {"zh": "来源：{sources}。", "en": "Sources: {sources}."},
    "plan_total": {"zh": "计划值", "en": "Plan"},
    "achieved_share": {"zh": "完成率", "en": "Achieved"},
    "total_row": {"zh": "合计", "en": "total"},
    "share_of_formed": {"zh": "占新组建比例", "en": "share of those formed"},
    "no_same_kind": {
        "zh": "公开数据中没有同类计划口径相同的数据。",
        "en": "No published programme of the same kind reports the same measures.",
    },
    "limit_no_same_kind": {
        "zh": "尚无同类计划公开发布的可比数据",
        "en": "no programme of the same kind has published comparable figures",
    },
    "amount_yuan": {"zh": "金额（元）", "en": "Amount (yuan)"},
    # money
    "money_and_leverage": {"zh": "资金投入与撬动", "en": "Money and leverage"},
    "money_role": {"zh": "资金类别", "en": "Money"},
    "money_source": {"zh": "来源", "en": "Source"},
    "money_form": {"zh": "形式", "en": "Form"},
    "money_grant": {"zh": "种子资金", "en": "seed grant"},
    "money_leveraged": {"zh": "撬动社会资源", "en": "brought in"},
    "source_seed_grant": {"zh": "主办方", "en": "organiser"},
    "source_public_finance": {"zh": "财政资金", "en": "public finance"},
    "source_foundation": {"zh": "基金会", "en": "foundation"},
    "source_match": {"zh": "配比资金（申报方自筹）", "en": "matched funds (raised by applicants)"},
    "source_donation": {"zh": "社会捐赠", "en": "donations"},
    "source_in_kind": {"zh": "实物捐赠", "en": "in-kind gifts"},
    "source_business": {"zh": "企业支持", "en": "business support"},
    "source_crowdfunding": {"zh": "众筹", "en": "crowdfunding"},
    "source_service_income": {"zh": "服务收入", "en": "service income"},
    "source_volunteer_time": {"zh": "志愿服务折价", "en": "volunteer time"},
    "source_other": {"zh": "其他", "en": "other"},
    "source_leveraged_unspecified": {"zh": "未区分来源", "en": "not broken down"},
    "form_cash": {"zh": "现金", "en": "cash"},
    "form_in_kind": {"zh": "实物", "en": "in kind"},
    "form_volunteer_time": {"zh": "志愿服务", "en": "volunteer time"},
    "form_unspecified": {"zh": "未注明", "en": "not stated"},
    "cofunding_note": {
        "zh": "种子资金中，财政资金{public}元，其他出资方{other}元，"
        "即每1元财政资金带动其他资金{ratio}元（联合出资撬动）。这部分属于主办方自身筹措的资金，"
        "不计入撬动的社会资源。",
        "en": "Of the seed money, {public} yuan was public finance and {other} yuan came from "
        "other funders: {ratio} yuan per yuan of public money (co-funding leverage). It is the "
        "organiser's own money, not leverage.",
    },
    "leverage_ratio_heading": {"zh": "撬动比", "en": "Leverage ratio"},
    "caption_scope": {"zh": "口径：{scope}", "en": "Covers: {scope}"},
    "caption_separator": {"zh": "；", "en": "; "},
    # how robust a participation effect is (Rambachan & Roth)
    "pretrend_rejects": {
        "zh": "平行趋势检验未通过（p值{p}）：参与项目的社区与对照社区在参与前就已呈现不同走势，"
        "因此下表结果不能直接看作参与项目带来的变化。下面先说明走势存在偏差时结论能否成立。",
        "en": "The pre-trend test rejects parallel trends (p {p}): the communities that "
        "joined were already moving differently before joining, so the effects below cannot "
        "be read as what joining changed. Below, first: how large such deviations may be "
        "before the conclusion fails.",
    },
    "sensitivity_axis": {
        "zh": "参与后趋势偏差为参与前最大偏差的倍数",
        "en": "deviation after joining, as a multiple of the largest before",
    },
    "sensitivity_effect": {"zh": "加入当年的影响", "en": "effect in the year of joining"},
    "original_interval": {"zh": "原置信区间", "en": "original"},
    "robust_interval": {"zh": "考虑偏差后的区间", "en": "allowing for deviations"},
    # mid-term: the pace, spending as a second signal
    "pace_halfway": {
        "zh": "本届起止日期不全，按中期评估时执行期过半计算时间进度。",
        "en": "The round's dates are incomplete: the mid-term is taken as halfway.",
    },
    "pace_dates": {
        "zh": "按本届起止日期，中期评估时执行期已过{share}，以此作为时间进度。",
        "en": "By the round's dates, {share} of its implementation had gone at the mid-term; "
        "progress is judged against that.",
    },
    "spending_counts": {
        "zh": "本届{total}个项目中，{slow}个资金使用明显慢于时间进度，{fast}个明显快于时间进度，"
        "{normal}个未见明显偏离。",
        "en": "Of {total} projects this round, {slow} are spending clearly slower than the time "
        "gone, {fast} clearly faster, and {normal} show no clear departure.",
    },
    "spending": {"zh": "资金使用进度", "en": "Spending at mid-term"},
    "spending_counts_none": {
        "zh": "本届{total}个项目的资金使用均未明显偏离时间进度。",
        "en": "None of the {total} projects this round spends clearly off the pace of the time "
        "gone.",
    },
    "spending_summary_none": {
        "zh": "{total}个项目中期资金使用率的中位数为{median}，按时间进度应达到约{expected}；"
        "均未明显偏离时间进度。",
        "en": "The median project had spent {median} of its grant at mid-term, against about "
        "{expected} by the time gone; none is clearly off the pace.",
    },
    "method_spending": {
        "zh": "中期资金使用率为中期已使用资金除以种子资金，对照执行期已过的比例判断：不足应达比例"
        "一半的为明显偏慢；已用九成以上而执行期尚余三成以上的为明显偏快。",
        "en": "Spending at mid-term is the money spent ÷ the seed grant, judged against the "
        "share of the round gone: clearly slow below half of it; clearly fast at 90% spent "
        "with more than 30 points of the round to go.",
    },
    "by_what": {"zh": "分组方式", "en": "Grouped by"},
    "application_type": {"zh": "申报类型", "en": "application type"},
    "applicant_type": {"zh": "申报主体", "en": "applicant"},
    "spending_summary": {
        "zh": "{total}个项目中期资金使用率的中位数为{median}，按时间进度应达到约{expected}；"
        "明显偏离时间进度的项目{flagged}个，原因见下表“说明”栏。",
        "en": "The median project had spent {median} of its grant at mid-term, against about "
        "{expected} by the time gone; {flagged} of {total} are clearly off the pace (reasons "
        "below).",
    },
    "spending_slow": {
        "zh": "资金使用明显慢于时间进度（已用{spent}，按时间应约{expected}）",
        "en": "spending clearly slower than the time gone ({spent} spent, about {expected} due)",
    },
    "spending_fast": {
        "zh": "资金使用明显快于时间进度（已用{spent}，按时间应约{expected}），后期资金可能不足",
        "en": "spending clearly faster than the time gone ({spent} spent, about {expected} due): "
        "money may run short later",
    },
    "spending_peers": {"zh": "；同组中位数{median}", "en": "; peers' median {median}"},
    "signal": {"zh": "资金使用", "en": "Spending"},
    "signal_slow": {"zh": "明显偏慢", "en": "clearly slow"},
    "signal_fast": {"zh": "明显偏快", "en": "clearly fast"},
    "signal_normal": {"zh": "未见明显偏离", "en": "no clear departure"},
    "signal_reason": {"zh": "说明", "en": "Why"},
    "expected_by_time": {"zh": "按时间应达到", "en": "Due by the time gone"},
    "median_progress": {"zh": "完成率中位数", "en": "Median progress"},
    "median_spend": {"zh": "资金使用率中位数", "en": "Median share spent"},
    "behind_or_watch": {"zh": "滞后或需关注", "en": "Behind or to watch"},
    "no_spending": {
        "zh": "数据未记录中期资金使用情况。",
        "en": "The data do not record spending at mid-term.",
    },
    "limit_no_spending": {
        "zh": "需要各项目中期的资金使用额",
        "en": "needs each project's spending at mid-term",
    },
    "finding_spending": {
        "zh": "资金使用（按时间应约{expected}）：{slow}个项目明显偏慢，"
        "{fast}个明显偏快{examples}。",
        "en": "Spending (about {expected} due by the time gone): {slow} projects clearly slow, "
        "{fast} clearly fast{examples}.",
    },
    "finding_spent_item": {"zh": "{title}已用{spent}", "en": "{title}, {spent} spent"},
    "finding_flagged": {
        "zh": "资金使用明显偏离时间进度的项目：{names}。",
        "en": "Clearly off the pace: {names}.",
    },
    "finding_examples": {"zh": "（如{names}）", "en": " (such as {names})"},
    "finding_worst_item": {"zh": "{title}（{why}）", "en": "{title} ({why})"},
    # figures that point different ways, said
    "raw_adjusted_differ": {
        "zh": "直接比较，配比申报每元种子资金撬动{matched}元，普通申报{standard}元；"
        "考虑团队规模等因素后，两者之比为{adjusted}，高低关系相反："
        "直接比较看到的差异来自两类项目在这些因素上的不同，而非申报类型本身。",
        "en": "Unadjusted, matched applications brought in {matched} yuan per seed yuan and "
        "standard ones {standard}; adjusted for team size and the like their ratio is "
        "{adjusted}, the other way round: the difference comes from how the two kinds of "
        "project differ in those factors, not from the application type itself.",
    },
    "raw_adjusted_differ_uncertain": {
        "zh": "直接比较，配比申报每元种子资金撬动{matched}元，普通申报{standard}元；"
        "考虑团队规模等因素后，两者之比为{adjusted}，高低关系相反，且置信区间包含1："
        "现有数据尚不能判断两类申报孰高孰低。",
        "en": "Unadjusted, matched applications brought in {matched} yuan per seed yuan and "
        "standard ones {standard}; adjusted for team size and the like their ratio is "
        "{adjusted}, the other way round, and its interval spans 1: which kind brings in "
        "more cannot be told from these data.",
    },
    "finding_matched_adjusted": {
        "zh": "但考虑团队规模等因素后，两者高低关系相反，详见下文比较。",
        "en": " Adjusted for team size and the like, the difference points the other way "
        "(see the comparison below).",
    },
    "overall_interval_wider": {
        "zh": "总体的置信区间比各分组更宽，超出了各分组区间的范围：各组项目较少时，"
        "总体区间还要反映两类项目所占比例的随机波动。",
        "en": "The overall interval reaches beyond every group's: with few projects per group, "
        "it also reflects how the mix of projects varies between samples, so it is wider.",
    },
    # the indicator tracking table
    "tracking": {"zh": "指标跟踪表", "en": "Indicator tracking table"},
    "tracking_by": {"zh": "按{group}分", "en": "By {group}"},
    "group_tier": {"zh": "层级", "en": "tier"},
    "group_peer_group": {"zh": "同伴学习小组", "en": "peer group"},
    "group_theme": {"zh": "主题", "en": "theme"},
    "group_community_id": {"zh": "社区", "en": "community"},
    "target": {"zh": "计划值", "en": "Target"},
    "midterm_actual": {"zh": "中期实际值", "en": "Actual at mid-term"},
    "midterm_share": {"zh": "中期完成率", "en": "Achieved at mid-term"},
    "midterm_compared": {"zh": "中期计入项目数", "en": "Projects counted (mid-term)"},
    "final_actual": {"zh": "结项实际值", "en": "Actual at closure"},
    "final_share": {"zh": "结项完成率", "en": "Achieved at closure"},
    "final_compared": {"zh": "结项计入项目数", "en": "Projects counted (closure)"},
    "tracking_counted": {
        "zh": "完成率只计入同时填写了计划值和实际值的项目（{counted}）。",
        "en": "Shares achieved count only projects with both a target and a value ({counted}).",
    },
    "tracking_counted_midterm": {"zh": "中期最多{n}个", "en": "up to {n} at mid-term"},
    "tracking_counted_final": {"zh": "结项最多{n}个", "en": "up to {n} at closure"},
    "tracking_lower": {
        "zh": "{names}越少越好，完成率按计划值除以实际值计算。",
        "en": "For {names} less is better: the share achieved is the target ÷ the actual.",
    },
    "no_indicator_values": {
        "zh": "数据未记录各项目的指标值。",
        "en": "The data record no indicator values for the projects.",
    },
    "no_indicator_plans": {
        "zh": "数据未记录指标的计划值，无法计算完成率。",
        "en": "The data record no targets for the indicators, so no share achieved.",
    },
    "limit_no_indicator_values": {
        "zh": "需要各项目指标的计划值与实际值（指标完成情况表）",
        "en": "needs each project's indicators with targets and actual values",
    },
    "limit_no_indicator_plans": {
        "zh": "需要各项目指标的计划值",
        "en": "needs each indicator's targets",
    },
    # the first screen of an annual report
    "headline_sheet": {"zh": "本期成果一览", "en": "At a glance"},
    "scope": {"zh": "口径", "en": "Covers"},
    "published_value": {"zh": "公开报道数", "en": "Published"},
    "check": {"zh": "核对", "en": "Check"},
    "scope_year_all": {"zh": "{period}全部申报", "en": "all applications, {period}"},
    "scope_year_funded": {"zh": "{period}资助项目", "en": "funded projects, {period}"},
    "scope_to_date": {"zh": "截至{year}年", "en": "up to {year}"},
    "scope_round_funded": {"zh": "{period}资助项目", "en": "funded projects, {period}"},
    "verdict_agrees": {"zh": "一致", "en": "agrees"},
    "verdict_differs": {
        "zh": "相差{difference}（{share}）",
        "en": "differs by {difference} ({share})",
    },
    "value_interval": {
        "zh": "{value}（{level}置信区间{low}–{high}）",
        "en": "{value} ({level} interval {low}–{high})",
    },
    "sentence": {"zh": "{text}。", "en": "{text}."},
    "clause_separator": {"zh": "，", "en": ", "},
    "bracketed": {"zh": "（{text}）", "en": " ({text})"},
    "interval_words": {
        "zh": "（{level}置信区间{low}–{high}元）",
        "en": " ({level} interval {low}–{high})",
    },
    "first_scope": {"zh": "{period}：{what}。", "en": "{period}: {what}."},
    "first_applications": {"zh": "收到申报{n}份", "en": "{n} applications"},
    "first_funded": {"zh": "资助{n}个项目", "en": "{n} projects funded"},
    "first_partners": {"zh": "签约合伙人{n}个", "en": "{n} partners signed up"},
    "partner_projects": {"zh": "合伙人数", "en": "partners"},
    "first_completed": {"zh": "其中{n}个已结项", "en": "{n} of them completed"},
    "first_seed": {"zh": "种子资金共{amount}元", "en": "{amount} yuan of seed money"},
    "first_spent": {
        "zh": "至中期已使用{amount}元，占{share}（执行期已过{expected}）",
        "en": "{amount} yuan ({share}) spent by the mid-term, with {expected} of the time gone",
    },
    "spent_midterm_yuan": {"zh": "中期已使用资金", "en": "spent by the mid-term"},
    "spent_share": {"zh": "中期资金使用率", "en": "share of the grant spent by the mid-term"},
    "scope_round_all": {"zh": "{period}全部申报", "en": "all applications, {period}"},
    "first_payer": {"zh": "{payer}出资{share}", "en": "{payer} {share}"},
    "first_cofunding": {
        "zh": "由{shares}，每1元财政资金带动其他资金{ratio}元",
        "en": "paid by {shares}: {ratio} yuan from others per yuan of public money",
    },
    "first_leveraged": {
        "zh": "撬动社会资源{amount}元{forms}",
        "en": "{amount} yuan of other resources brought in{forms}",
    },
    "first_match": {
        "zh": "其中配比申报项目自筹配比资金{amount}元",
        "en": "{amount} yuan of it matched funds raised by matched applications",
    },
    "first_ratio": {
        "zh": "每1元种子资金撬动{ratio}元{interval}",
        "en": "{ratio} yuan per seed yuan{interval}",
    },
    "form_amount_cash": {"zh": "现金{amount}元", "en": "{amount} yuan cash"},
    "form_amount_in_kind": {"zh": "实物折价{amount}元", "en": "{amount} yuan in kind"},
    "form_amount_volunteer_time": {
        "zh": "志愿服务折价{amount}元",
        "en": "{amount} yuan of volunteer time",
    },
    "output_phrase_residents_served": {
        "zh": "服务居民{value}人次",
        "en": "{value} person-times of residents served",
    },
    "output_phrase_activities": {"zh": "开展活动{value}场", "en": "{value} activities"},
    "output_phrase_volunteer_person_times": {
        "zh": "志愿者参与{value}人次",
        "en": "{value} volunteer person-times",
    },
    "output_phrase_issues_solved": {
        "zh": "解决社区微事件{value}件",
        "en": "{value} micro-issues solved",
    },
    "output_phrase_core_team": {"zh": "骨干成员{value}人", "en": "{value} core team members"},
    "output_phrase_other_actors_mobilised": {
        "zh": "动员多元主体参与{value}人次",
        "en": "{value} person-times of other actors mobilised",
    },
    "first_against_plan": {
        "zh": "（计划{plan}{unit}，完成率{share}）",
        "en": " (plan {plan}: {share})",
    },
    "first_cost": {
        "zh": "平均每服务1人次使用种子资金{cost}元",
        "en": "{cost} yuan of seed money per person-time served",
    },
    "first_outputs": {"zh": "产出：{text}。", "en": "Outputs: {text}."},
    "figure_named": {"zh": "{name}{value}", "en": "{name} {value}"},
    "first_published": {
        "zh": "与公开报道的数据核对：{text}。",
        "en": "Against the programme's own published figures: {text}.",
    },
    "first_published_agree": {
        "zh": "{n}项一致（如{named}）",
        "en": "{n} agree (such as {named})",
    },
    "first_published_differ": {
        "zh": "；{n}项不一致：{listed}",
        "en": "; {n} differ: {listed}",
    },
    "first_published_differs_item": {
        "zh": "{name}公开报道为{published}，本报告为{own}",
        "en": "{name} published as {published}, {own} in these data",
    },
    "completed_projects": {"zh": "已结项项目数", "en": "projects completed"},
    "cofunding_leverage": {
        "zh": "每1元财政资金带动其他资金（元）",
        "en": "other money per yuan of public money",
    },
    "leveraged_cash_yuan": {"zh": "其中现金", "en": "of which cash"},
    "leveraged_in_kind_yuan": {"zh": "其中实物折价", "en": "of which in kind"},
    "leveraged_volunteer_time_yuan": {
        "zh": "其中志愿服务折价",
        "en": "of which volunteer time",
    },
    "cost_per_person_time": {
        "zh": "每服务1人次使用种子资金",
        "en": "seed money per person-time served",
    },
    "u_yuan_per_person_time": {"zh": "元/人次", "en": "yuan per person-time"},
    # what a report cannot answer (its closing box): the data that would answer it
    "limits": {"zh": "本报告数据尚不能回答的问题", "en": "What these data cannot answer yet"},
    "enumeration": {"zh": "、", "en": ", "},
    "p_value": {"zh": "为{p}", "en": "= {p}"},
    "p_small": {"zh": "小于0.001", "en": "< 0.001"},
    "funnel_one_stage": {
        "zh": "数据只记录了“{stage}”这一个阶段，无法统计申报与立项各阶段的数量。",
        "en": "The data record one stage only ({stage}), so there is no funnel.",
    },
    "limit_line": {"zh": "{questions}：{why}。", "en": "{questions}: {why}."},
    "limit_failed": {
        "zh": "计算时出错，详情已记录在报告文件夹中",
        "en": "the computation failed; the details are in the report's folder",
    },
    "limit_not_estimable": {
        "zh": "现有数据不足以完成估计",
        "en": "the data do not allow the estimate",
    },
    "limit_no_projects": {"zh": "需要项目记录", "en": "needs the projects' records"},
    "limit_no_projects_year": {
        "zh": "需要本年度的项目记录",
        "en": "needs this year's project records",
    },
    "limit_no_projects_round": {
        "zh": "需要本届的项目记录",
        "en": "needs this round's project records",
    },
    "limit_no_findings": {"zh": "需要项目记录", "en": "needs the projects' records"},
    "limit_no_indicators": {
        "zh": "需要各项目指标的计划值与中期值",
        "en": "needs each project's indicators with plan and mid-term values",
    },
    "limit_no_midterm_values": {
        "zh": "需要同时填写计划值与中期值的指标记录",
        "en": "needs indicators with both a plan and a mid-term value",
    },
    "limit_no_stage": {
        "zh": "需要记录每个申报所处的阶段（提案、入围、立项、签约实施、结项）",
        "en": "needs the stage each application reached (idea, shortlisted, approved, signed, "
        "completed)",
    },
    "limit_funnel_one_stage": {
        "zh": "数据只记录了“{stage}”这一个阶段；需要记录未入选的申报和各阶段的数量",
        "en": "the data record only one stage ({stage}); needs the applications not selected "
        "and the count at each stage",
    },
    "limit_no_seed_grant": {
        "zh": "本计划不发放种子资金，不适用",
        "en": "this programme pays no seed grants, so it does not apply",
    },
    "limit_no_seed_grant_history": {
        "zh": "本计划不发放种子资金，不适用",
        "en": "this programme pays no seed grants, so it does not apply",
    },
    "limit_no_leverage_data": {
        "zh": "需要记录各项目撬动的社会资源（资金明细或撬动资源合计）",
        "en": "needs the resources each project brought in (funding lines or a leveraged total)",
    },
    "limit_no_outputs": {
        "zh": "需要各项目的产出指标（指标完成情况表）",
        "en": "needs each project's outputs (an indicator table)",
    },
    "limit_no_final_values": {
        "zh": "需要结项时的指标数值",
        "en": "needs the indicators' final values",
    },
    "limit_no_panel": {
        "zh": "需要各社区参与前后逐年的统计数据（如志愿者人数、居民满意度）",
        "en": "needs a yearly panel of the communities before and after they joined",
    },
    "limit_outcome_missing": {
        "zh": "需要社区逐年数据中包含所评估的结果指标",
        "en": "needs the outcome {outcome} in the community panel",
    },
    "limit_no_joined_communities": {
        "zh": "需要社区逐年数据中包含已参与项目的社区",
        "en": "needs communities in the panel that have joined",
    },
    "limit_no_application_type": {
        "zh": "需要记录申报类型（配比申报或普通申报）",
        "en": "needs the application type (matched or standard)",
    },
    "limit_no_matched": {
        "zh": "本年度没有配比申报项目，不适用",
        "en": "no matched applications this year, so it does not apply",
    },
    "limit_one_type_only": {
        "zh": "本年度只有一种申报类型，不适用",
        "en": "only one application type this year, so it does not apply",
    },
    "limit_one_round_only": {
        "zh": "需要两届以上的项目记录",
        "en": "needs project records of two rounds or more",
    },
    "limit_hazard_no_covariates": {
        "zh": "需要项目在申报类型、团队规模等因素上有所不同",
        "en": "needs projects that differ in application type, team size and the like",
    },
    "limit_no_followups": {
        "zh": "需要结项后的跟踪记录（是否仍在运行、自有收入、是否登记）",
        "en": "needs follow-ups after closure (still running, own income, registered)",
    },
    "limit_no_peer_group": {
        "zh": "需要记录项目层级、分组或主题",
        "en": "needs each project's tier, peer group or theme",
    },
    "limit_risk_no_history": {
        "zh": "需要更多已知延续结果的往届项目（终止、延续至少各5个）",
        "en": "needs more earlier projects with a known outcome (at least 5 ended and 5 continued)",
    },
    "limit_no_published": {"zh": "需要公开报道的数据", "en": "needs published figures"},
    "limit_nothing_comparable": {
        "zh": "公开数据中没有口径相同的指标",
        "en": "no published figure is in the same unit",
    },
    "limit_no_published_for_programme": {
        "zh": "本计划尚无公开发布的数据",
        "en": "this programme has published no figures",
    },
    "limit_no_table_awards": {"zh": "需要获奖记录", "en": "needs the awards"},
    "limit_no_table_community_rounds": {
        "zh": "需要各社区的点子征集与人才培育记录",
        "en": "needs the ideas and people cultivated per community",
    },
    "limit_no_table_community_funds": {
        "zh": "需要社区基金的收支记录",
        "en": "needs the community funds' money in and out",
    },
    "limit_no_table_organisations": {
        "zh": "需要社区社会组织的组建与登记记录",
        "en": "needs the community organisations formed and registered",
    },
    "limit_no_beneficiary": {
        "zh": "需要记录项目的受益人群或主题分类",
        "en": "needs each project's beneficiary category or theme",
    },
    # methods, each named only where a report used it
    "method_level": {
        "zh": "本报告区间均为{level}置信区间。",
        "en": "All intervals are {level}.",
    },
    "method_progress": {
        "zh": "中期进度为各指标中期值占计划值的比例（越少越好的指标取计划值除以中期值），"
        "项目完成率取其各项指标的中位数。",
        "en": "Progress at mid-term is each indicator's mid-term value ÷ its plan (plan ÷ value "
        "where less is better); a project's share is the median over its indicators.",
    },
    "method_tracking": {
        "zh": "指标跟踪表按指标汇总各项目的计划值与实际值，完成率为实际值占计划值的比例"
        "（越少越好的指标反向计算），只计入同时填写计划值与实际值的项目。",
        "en": "The indicator tracking table sums each indicator's plan and actual values over "
        "projects; the share achieved is actual ÷ plan (the other way where less is "
        "better), over projects that report both.",
    },
    "method_funnel": {
        "zh": "申报与立项各阶段的通过率为进入该阶段的数量占上一阶段的比例，"
        "区间采用威尔逊得分区间。",
        "en": "Each stage's conversion is its count ÷ the stage before's, with Wilson intervals.",
    },
    "method_cofunding": {
        "zh": "联合出资撬动为其他出资方的出资额除以财政资金（总额之比）。",
        "en": "Co-funding leverage is other funders' money ÷ public money (a ratio of sums).",
    },
    "method_cost": {
        "zh": "单位产出成本为种子资金总额除以产出总量（总额之比），置信区间按社区整群重抽样，"
        "采用学生化自助法。",
        "en": "Cost per output is total seed grant ÷ total output (a ratio of sums), with "
        "studentised bootstrap intervals resampling communities.",
    },
    "method_matched": {
        "zh": "配比申报与普通申报的比较采用泊松回归（以撬动的社会资源为结果、种子资金为暴露量），"
        "控制团队规模，标准误按社区聚类。",
        "en": "Matched and standard applications are compared by a Poisson regression of "
        "leveraged resources with the seed grant as exposure, adjusted for team size, with "
        "standard errors clustered by community.",
    },
    "method_options": {
        "zh": "本报告区间均为{level}置信区间；自助法重抽样{n_boot}次，随机种子{seed}。",
        "en": "All intervals are {level}; {n_boot} bootstrap replicates, seed {seed}.",
    },
    # mid-term
    "status_on_track": {"zh": "正常", "en": "on track"},
    "status_watch": {"zh": "关注", "en": "watch"},
    "status_behind": {"zh": "滞后", "en": "behind"},
    "status_counts": {
        "zh": "本届{total}个项目中，{behind}个进度滞后，{watch}个需关注，{on_track}个进度正常。",
        "en": "Projects this round: {total}; behind: {behind}; to watch: {watch}; "
        "on track: {on_track}.",
    },
    "status_unknown": {
        "zh": "另有{unknown}个项目缺少计划值或中期值，无法判断进度。",
        "en": "{unknown} more have no plan or no mid-term value, so their progress is unknown.",
    },
    "progress_by_spending": {
        "zh": "本届未报送中期指标数值，进度只能从资金使用看："
        "以下仅标出资金使用明显偏离时间进度的项目，其余项目不作判断。",
        "en": "These data hold no indicator values at mid-term, so progress can only be seen in "
        "spending: only projects clearly off the pace of the time gone are flagged; the rest "
        "are not judged.",
    },
    "project_count": {"zh": "项目数", "en": "projects"},
    "lagging_header": {
        "zh": "未达进度的指标（中期值/计划值）",
        "en": "Indicators not on track (mid-term / plan)",
    },
    "lagging_item": {
        "zh": "{indicator}{value}/{plan}（{share}）",
        "en": "{indicator} {value}/{plan} ({share})",
    },
    "peers_note": {
        "zh": "同组中位数不含该项目本身，同组其他项目数不含本项目。按与同组的差距排序，"
        "差距最大的在前。",
        "en": "The peer median leaves the project itself out; peers counts the others. "
        "Sorted by the gap to peers, largest first.",
    },
    "peer_count": {"zh": "同组其他项目数", "en": "peers"},
    "risk_quality_useful": {
        "zh": "模型的区分能力（曲线下面积，AUC）为{auc:.2f}："
        "从往届项目中任取一个后来终止的和一个后来延续的，"
        "模型判定前者风险更高的概率为{auc_pct}（50%即与随机猜测无异）。排序可作为关注重点的参考。"
        "（依据往届已知结果的{n}个项目，按届次累计，其中{events}个终止。）",
        "en": "Model discrimination (AUC) is {auc:.2f}: for an earlier project that ended and "
        "one that continued, the model rates the first as riskier {auc_pct} of the time "
        "(50% is chance). The ranking can guide attention. (From {n} earlier "
        "project-rounds with a known outcome, {events} of which ended.)",
    },
    "risk_quality_modest": {
        "zh": "模型的区分能力（曲线下面积，AUC）为{auc:.2f}："
        "从往届项目中任取一个后来终止的和一个后来延续的，"
        "模型判定前者风险更高的概率为{auc_pct}（50%即与随机猜测无异）。区分能力一般，"
        "排序仅供参考。（依据往届已知结果的{n}个项目，按届次累计，其中{events}个终止。）",
        "en": "Model discrimination (AUC) is {auc:.2f}: for an earlier project that ended and "
        "one that continued, the model rates the first as riskier {auc_pct} of the time "
        "(50% is chance): a modest ranking, indicative only. (From {n} earlier "
        "project-rounds with a known outcome, {events} of which ended.)",
    },
    "risk_quality_chance": {
        "zh": "模型的区分能力（曲线下面积，AUC）为{auc:.2f}，与随机猜测（0.50）相差无几，"
        "因此不按风险排序；下表按中期进度排列，仅列出模型提示的因素。"
        "（依据往届已知结果的{n}个项目，按届次累计，其中{events}个终止。）",
        "en": "Model discrimination (AUC) is {auc:.2f}, hardly better than chance (0.50), so "
        "projects are not ranked by risk; they are listed by mid-term progress with the "
        "factors the model points to. (From {n} earlier project-rounds with a known "
        "outcome, {events} of which ended.)",
    },
    "risk_scope": {
        "zh": "模型只使用本届中期评估时已经知道的往届结果。",
        "en": "The model learns only from outcomes already known at this round's mid-term.",
    },
    "risk_programmes": {
        "zh": "往届结果来自{programmes}个资助计划；模型按资助计划分组交叉验证，"
        "上述区分能力即用于一个新的资助计划时可预期的水平。",
        "en": "The earlier outcomes come from {programmes} programmes in the data; the model "
        "is cross-validated by programme, so its discrimination is what an unseen programme "
        "can expect.",
    },
    "reasons_text": {"zh": "主要原因", "en": "Main reasons"},
    "reason_midterm_progress_low": {"zh": "中期进度偏低", "en": "low mid-term progress"},
    "reason_midterm_progress_high": {"zh": "中期进度较高", "en": "high mid-term progress"},
    "reason_team_size_low": {"zh": "团队人数较少", "en": "small team"},
    "reason_team_size_high": {"zh": "团队人数较多", "en": "large team"},
    "reason_phase_low": {"zh": "首次获资助的新项目", "en": "first funded round"},
    "reason_phase_high": {"zh": "已连续多届获资助", "en": "funded for several rounds"},
    "reason_application_type_standard": {
        "zh": "普通申报（无配比资金）",
        "en": "standard application (no matched funds)",
    },
    "reason_application_type_matched": {"zh": "配比申报", "en": "matched application"},
    "direction_low": {"zh": "偏低", "en": " low"},
    "direction_high": {"zh": "偏高", "en": " high"},
    # annual
    "overall_simple": {"zh": "总体（加入后各年平均）", "en": "overall (years after joining)"},
    "overall_simple_note": {
        "zh": "“总体”为各参与社区加入后各年效应的加权平均；其余各行为加入前后各年的效应，"
        "加入前各年的效应应接近零。",
        "en": "“Overall” averages the effect over every joined community-year after joining; the "
        "other rows are by year before and after joining, and those before joining should be near "
        "zero.",
    },
    "pretrend_caution": {
        "zh": "注意：参与前需比较的时点数远多于社区数，即使实际没有差异，"
        "该检验也常常显示存在差异，检验结果仅供参考。",
        "en": "Caution: there are many more pre-joining cells than communities, so this test "
        "often rejects even when there is no difference; read it as indicative only.",
    },
    "event_time": {"zh": "加入后第{k}年", "en": "year {k} since joining"},
    "did_n_programme": {
        "zh": "本计划共{units}个社区，分{cohorts}批加入，其中{never}个从未参与的社区作为对照，"
        "对照社区均位于本计划所在地区。",
        "en": "{units} communities of this programme in {cohorts} joining cohorts; {never} "
        "never joined and are the comparison, all from the programme's own area.",
    },
    "did_n_programme_counted": {
        "zh": "本计划共{units}个社区，分{cohorts}批加入，其中{never}个社区从未参与。",
        "en": "{units} communities of this programme in {cohorts} joining cohorts; {never} "
        "never joined.",
    },
    "did_notyet": {
        "zh": "本计划从未参与的社区不足，改以当时尚未加入的社区作为对照。",
        "en": "Too few communities of this programme never joined, so communities that had not "
        "yet joined are the comparison.",
    },
    "finding_scope": {
        "zh": "{year}年（{rounds}）共收到申报{applications}份，{funded}个项目获得资助。",
        "en": "In {year} ({rounds}) there were {applications} applications and {funded} "
        "funded projects.",
    },
    "finding_scope_fund": {
        "zh": "{year}年共收到申报{applications}份，{funded}个项目获得资助。",
        "en": "In {year} there were {applications} applications and {funded} funded projects.",
    },
    "finding_leverage": {
        "zh": "{n}个资助项目获得种子资金{grant}元，撬动社会资源{leveraged}元，"
        "每1元种子资金撬动{ratio}元（{level}置信区间{low}–{high}元）。",
        "en": "{n} funded projects received {grant} yuan of seed money and brought in {leveraged} "
        "yuan more: {ratio} yuan per seed yuan ({level} interval {low}–{high}).",
    },
    "finding_leverage_point": {
        "zh": "{n}个资助项目获得种子资金{grant}元，撬动社会资源{leveraged}元，"
        "每1元种子资金撬动{ratio}元（项目或社区太少，无法给出置信区间）。",
        "en": "{n} funded projects received {grant} yuan of seed money and brought in {leveraged} "
        "yuan more: {ratio} yuan per seed yuan (too few projects or communities for an "
        "interval).",
    },
    "finding_continuation": {
        "zh": "截至{year}年，在已知下一届去向的{known}个项目（按届次累计）中，"
        "{continued}个延续到下一届（占{share}，{level}置信区间{low}–{high}）。",
        "en": "Up to {year}, {continued} of {known} project-rounds with a known outcome "
        "continued into the next round ({share}; {level} interval {low}–{high}).",
    },
    "finding_comparison": {
        "zh": "平均每个资助项目撬动社会资源{own}元；据公开报道，{other}（{when}）"
        "平均每个项目撬动{published}元。",
        "en": "Each funded project brought in {own} yuan on average; the published {other} "
        "({when}) reports {published} yuan per project.",
    },
    "finding_matched": {
        "zh": "配比申报项目（{n_matched}个）每1元种子资金撬动{matched}元，"
        "普通申报项目为{standard}元。",
        "en": "Matched projects ({n_matched}) brought in {matched} yuan per seed yuan, standard "
        "ones {standard}.",
    },
    "finding_tiers": {
        "zh": "资助项目按层级分：{tiers}；共{groups}个同伴学习小组。",
        "en": "Funded projects by tier: {tiers}; {groups} peer-learning groups.",
    },
    "tier_count": {"zh": "{tier}{n}个", "en": "{tier} {n}"},
    "finding_tiers_only": {
        "zh": "资助项目按层级分：{tiers}。",
        "en": "Funded projects by tier: {tiers}.",
    },
    "finding_one_programme_no_grant": {
        "zh": "{programme}全部届次共有{projects}个合作项目，不发放种子资金。",
        "en": "{programme}, all rounds: {projects} projects, with no seed grants.",
    },
    "stage_applications": {"zh": "申报", "en": "applications"},
    "finding_people": {
        "zh": "{communities}个社区共征集点子{ideas}个、入选{selected}个，"
        "发掘热心居民{residents}人、培育社区领袖{leaders}人。",
        "en": "In {communities} communities residents proposed {ideas} ideas ({selected} "
        "selected); {residents} active residents and {leaders} leaders were found.",
    },
    "finding_fund": {
        "zh": "{funds}个社区基金累计收入{money_in}元、支出{money_out}元，结余{balance}元。",
        "en": "{funds} community funds took in {money_in} yuan and paid out {money_out} yuan; "
        "{balance} yuan remain.",
    },
    "finding_funnel": {"zh": "申报与立项各阶段：{chain}。", "en": "Funnel: {chain}."},
    "finding_organisations": {
        "zh": "新组建社区社会组织{formed}个，其中{registered}个完成民政登记（占{share}）。",
        "en": "{formed} community organisations were formed, {registered} of them registered "
        "({share}).",
    },
    "finding_partners": {
        "zh": "{partners}个合伙人中{earning}个有服务收入，共{income}元，"
        "捐入社区基金{donated}元（占服务收入的{share}）。",
        "en": "Of {partners} partners, {earning} earned {income} yuan from services and gave "
        "{donated} yuan ({share}) to the community fund.",
    },
    "finding_comparison_self": {
        "zh": "平均每个资助项目撬动社会资源{own}元；公开报道的数据（{when}）为撬动{total}元、"
        "平均每个项目{published}元。",
        "en": "Each funded project brought in {own} yuan on average; the programme's own "
        "published figures ({when}) are {total} yuan leveraged, {published} yuan per project.",
    },
    "finding_programme": {
        "zh": "{programme}最近一届（{when}）：资助项目{funded}个，种子资金{grant}元。",
        "en": "{programme}, latest round ({when}): {funded} funded projects, {grant} yuan of "
        "seed money.",
    },
    "finding_programme_leverage": {
        "zh": "{programme}最近一届（{when}）：资助项目{funded}个，种子资金{grant}元，"
        "撬动社会资源{leveraged}元，每1元种子资金撬动{ratio}元。",
        "en": "{programme}, latest round ({when}): {funded} funded projects, {grant} yuan of "
        "seed money, {leveraged} yuan more brought in ({ratio} per seed yuan).",
    },
    "finding_one_programme": {
        "zh": "{programme}历届共收到申报{projects}份，其中{funded}个项目获资助，"
        "种子资金合计{grant}元。",
        "en": "{programme}, all rounds: {projects} applications, {funded} of them funded, "
        "{grant} yuan of seed money in all.",
    },
    "scope_all_rounds": {"zh": "历届资助项目", "en": "funded projects, all rounds"},
    "finding_worst": {"zh": "进度最慢的项目：{titles}。", "en": "Furthest behind: {titles}."},
    "finding_risk_useful": {
        "zh": "项目延续风险模型的区分能力为{auc:.2f}，可作为排序参考。",
        "en": "The continuation risk model discriminates well enough to rank (AUC {auc:.2f}).",
    },
    "finding_risk_modest": {
        "zh": "项目延续风险模型的区分能力为{auc:.2f}，区分能力一般，仅供参考。",
        "en": "The continuation risk model discriminates modestly (AUC {auc:.2f}): "
        "indicative only.",
    },
    "finding_risk_chance": {
        "zh": "项目延续风险模型的区分能力为{auc:.2f}，与随机猜测相差无几，不作排序依据。",
        "en": "The continuation risk model is hardly better than chance (AUC {auc:.2f}) and is "
        "not used to rank projects.",
    },
    "finding_dataset": {
        "zh": "本数据涵盖{programmes}个资助计划，历届共收到申报{projects}份，"
        "其中{funded}个项目获资助，种子资金合计{grant}元。",
        "en": "The data hold {programmes} programmes and {projects} applications, {funded} of "
        "them funded with {grant} yuan of seed money in all.",
    },
    "all": {"zh": "全部", "en": "all"},
    "demonstration": {"zh": "示范类", "en": "demonstration"},
    "brand": {"zh": "品牌类", "en": "brand"},
    "seedling": {"zh": "育苗类", "en": "seedling"},
    # units of published and own figures
    "u_applicants": {"zh": "份", "en": "applicants"},
    "u_issues": {"zh": "件", "en": "issues"},
    "u_complaints": {"zh": "件", "en": "complaints"},
    "u_hours": {"zh": "小时", "en": "hours"},
    "u_score": {"zh": "分", "en": "points"},
    "u_projects": {"zh": "个", "en": "projects"},
    "u_yuan": {"zh": "元", "en": "yuan"},
    "u_person-times": {"zh": "人次", "en": "person-times"},
    "u_people": {"zh": "人", "en": "people"},
    "u_activities": {"zh": "场", "en": "activities"},
    "u_micro-issues": {"zh": "件", "en": "micro-issues"},
    "u_posts": {"zh": "篇", "en": "posts"},
    "u_reads": {"zh": "次", "en": "reads"},
    "u_videos": {"zh": "个", "en": "videos"},
    "u_mechanisms": {"zh": "项", "en": "mechanisms"},
    "u_ratio": {"zh": "倍", "en": "ratio"},
    "u_months": {"zh": "个月", "en": "months"},
    "u_meetings": {"zh": "次", "en": "meetings"},
    "u_deliveries": {"zh": "次", "en": "deliveries"},
    "u_days": {"zh": "天", "en": "days"},
    "u_wishes": {"zh": "个", "en": "wishes"},
    "u_ideas": {"zh": "个", "en": "ideas"},
    "u_organisations": {"zh": "个", "en": "organisations"},
    "u_share": {"zh": "比例", "en": "share"},
    "u_sessions": {"zh": "次", "en": "sessions"},
    "u_visits": {"zh": "次", "en": "visits"},
    "u_groups": {"zh": "个", "en": "groups"},
    "u_communities": {"zh": "个", "en": "communities"},
    "u_partners": {"zh": "个", "en": "partners"},
    "u_m²": {"zh": "平方米", "en": "m²"},
    "no_published_for_programme": {
        "zh": "本计划没有公开发布的数据。",
        "en": "This programme has no published figures.",
    },
    # sections by kind of programme
    "applications": {"zh": "申报情况", "en": "Applications"},
    "awards": {"zh": "评选与奖项", "en": "Awards"},
    "tiers_and_groups": {"zh": "项目层级与分组", "en": "Tiers and peer groups"},
    "ideas_and_people": {"zh": "点子征集与人才培育", "en": "Ideas and people cultivated"},
    "community_fund": {"zh": "社区基金", "en": "Community fund"},
    "beneficiaries": {"zh": "受益人群分类", "en": "Beneficiary categories"},
    "organisations": {"zh": "社区社会组织培育", "en": "Community organisations"},
    "partners": {"zh": "社区合伙人", "en": "Partners"},
    "peer_group": {"zh": "同伴学习小组", "en": "Peer group"},
    "funded": {"zh": "获资助", "en": "funded"},
    "funded_share": {"zh": "获资助比例", "en": "share funded"},
    "award": {"zh": "奖项", "en": "award"},
    "grant_median": {"zh": "种子资金中位数（元）", "en": "median seed grant (yuan)"},
    "community": {"zh": "社区", "en": "community"},
    "ideas_proposed": {"zh": "征集点子", "en": "ideas proposed"},
    "ideas_selected": {"zh": "入选点子", "en": "ideas selected"},
    "active_residents": {"zh": "热心居民", "en": "active residents"},
    "leaders": {"zh": "社区领袖", "en": "leaders"},
    "fund": {"zh": "基金名称", "en": "fund"},
    "money_in_yuan": {"zh": "收入（元）", "en": "in (yuan)"},
    "money_out_yuan": {"zh": "支出（元）", "en": "out (yuan)"},
    "balance_yuan": {"zh": "结余（元）", "en": "balance (yuan)"},
    "fund_donations": {
        "zh": "项目收入中捐入社区基金共{amount}元。",
        "en": "Projects gave {amount} yuan of their income to the community fund.",
    },
    "share": {"zh": "占比", "en": "share"},
    "measure": {"zh": "类别", "en": "measure"},
    "organisations_all": {"zh": "参与的社区社会组织", "en": "organisations taking part"},
    "organisations_formed": {"zh": "新组建社区社会组织", "en": "formed through the programme"},
    "organisations_registered": {"zh": "新组建并完成民政登记的组织", "en": "formed and registered"},
    "registered_share_note": {
        "zh": "新组建的组织中{share}已完成民政登记。",
        "en": "{share} of the organisations formed have registered with civil affairs.",
    },
    "committee": {"zh": "村（居）委会", "en": "village or community committee"},
    "social_organisation": {"zh": "社区社会组织", "en": "community social organisation"},
    "service_agency": {"zh": "社工机构", "en": "social-service agency"},
    "volunteer_team": {"zh": "志愿服务队", "en": "volunteer team"},
    "resident_group": {"zh": "居民自组织", "en": "resident group"},
    "business": {"zh": "企业", "en": "business"},
    "individual": {"zh": "个人合伙人", "en": "individual"},
    "team": {"zh": "团队合伙人", "en": "team"},
    "partners_header": {"zh": "合伙人数", "en": "partners"},
    "service_income_yuan": {"zh": "服务收入（元）", "en": "service income (yuan)"},
    "donated_share": {"zh": "捐入社区基金比例", "en": "share given to the fund"},
    "unit_funds": {"zh": "个基金", "en": "funds"},
    "unit_organisations": {"zh": "个组织", "en": "organisations"},
    "unit_partners": {"zh": "个合伙人", "en": "partners"},
    "no_table_awards": {"zh": "数据未记录获奖情况。", "en": "The data record no awards."},
    "no_table_community_rounds": {
        "zh": "数据未记录各社区的点子征集与人才培育情况。",
        "en": "The data record no ideas or people cultivated per community.",
    },
    "no_table_community_funds": {
        "zh": "数据未记录社区基金的收支。",
        "en": "The data record no community fund money in or out.",
    },
    "no_table_organisations": {
        "zh": "数据未记录社区社会组织的组建与登记。",
        "en": "The data record no community organisations formed or registered.",
    },
    "no_beneficiary": {
        "zh": "数据未记录项目的受益人群或主题分类。",
        "en": "The data record no beneficiary category or theme.",
    },
    # published figures: indicator and category names
    "Pingnan": {"zh": "平南社区", "en": "Pingnan"},
    "Hehua": {"zh": "禾花社区", "en": "Hehua"},
    "Nanbeitai": {"zh": "南北台社区", "en": "Nanbeitai"},
    # values as a source wrote them
    "written_at_least": {"zh": "{number}余", "en": "{number}+"},
    "written_about": {"zh": "约{number}", "en": "about {number}"},
    "as_written": {"zh": "（原文）", "en": " (as written)"},
    # comparison
    "this_data": {"zh": "本报告数据", "en": "these data"},
    "published_note": {
        "zh": "仅列出与本报告口径（单位）相同的公开数据；本报告数据为该届或该年度的合计。",
        "en": "Only published figures in the same unit as these data are listed; these data's "
        "figures are totals of the round or year shown.",
    },
    "applicants": {"zh": "申报数", "en": "applicants"},
    "matched_projects": {"zh": "配比申报项目数", "en": "matched projects"},
    "paid_out_yuan": {"zh": "资助金额", "en": "seed money paid"},
    "videos": {"zh": "宣传视频", "en": "videos"},
    "mechanisms": {"zh": "提炼机制", "en": "mechanisms distilled"},
    "people": {"zh": "人", "en": "people"},
    "micro-issues": {"zh": "件", "en": "micro-issues"},
    "table": {"zh": "数据表", "en": "Table"},
    "rows": {"zh": "记录数", "en": "Rows"},
    "table_programmes": {"zh": "资助计划", "en": "programmes"},
    "table_rounds": {"zh": "届次", "en": "rounds"},
    "table_projects": {"zh": "项目", "en": "projects"},
    "table_funding": {"zh": "资金明细", "en": "funding"},
    "table_indicators": {"zh": "指标完成情况", "en": "indicators"},
    "table_communities": {"zh": "社区名单", "en": "communities"},
    "table_panel": {"zh": "社区逐年统计", "en": "community panel"},
    "table_followups": {"zh": "结项后跟踪", "en": "follow-ups"},
    "table_awards": {"zh": "获奖情况", "en": "awards"},
    "table_organisations": {"zh": "社区社会组织", "en": "organisations"},
    "table_community_rounds": {"zh": "社区培育情况", "en": "community rounds"},
    "table_community_funds": {"zh": "社区基金", "en": "community funds"},
    "table_fund_flows": {"zh": "社区基金收支", "en": "fund flows"},
    "table_sources": {"zh": "数据来源", "en": "sources"},
    "table_published": {"zh": "公开数据", "en": "published figures"},
}
_TWICE = set(TEXT) & set(SECTION_TEXT)
if _TWICE:  # one meaning per key: a section word may not silently replace another
    raise RuntimeError(f"catalogue keys defined twice: {sorted(_TWICE)}")
TEXT.update(SECTION_TEXT)
TEXT.update(SENTENCES)  # the sensitivity analysis's sentences, written with its estimator


def t(key: str, language: str, **values) -> str:
    """The text for ``key`` in ``language``, with ``{placeholders}`` filled. Unknown keys
    fall back to the key itself, so a code such as an indicator name still shows."""
    entry = TEXT.get(key)
    text = entry[language] if entry else key
    return text.format(**values) if values else text
