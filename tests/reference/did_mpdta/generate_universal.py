"""Universal-base-period references on mpdta from two independent Python ports of R
``did`` (run once, by hand, in an environment with csdid 0.4.3 and moderndid 0.2.0):

    python generate_universal.py ../../data/mpdta.csv

For each scenario: att_gt(..., base_period="universal", no bootstrap) and the dynamic
aggregation; writes ``universal_dynamic.csv`` (scenario, source, event_time, att, se,
overall_att, overall_se) and ``universal_attgt.csv`` (scenario, source, cohort, time,
att, se).
"""

import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
data = pd.read_csv(sys.argv[1])
SCENARIOS = {
    "nev_dr": dict(control="nevertreated", xformla=None, est="dr"),
    "nyt_dr": dict(control="notyettreated", xformla=None, est="dr"),
    "nev_reg_lpop": dict(control="nevertreated", xformla="lpop", est="reg"),
}
dynamic, cells = [], []


def csdid_run(name, control, xformla, est):
    from csdid.att_gt import ATTgt

    formula = f"lemp~{xformla}" if xformla else None
    fit = ATTgt(
        yname="lemp",
        tname="year",
        idname="countyreal",
        gname="first.treat",
        data=data,
        xformla=formula,
        control_group=[control],
    ).fit(est_method=est, base_period="universal", bstrap=False)
    summary = fit.summ_attgt(n=4).summary2
    for _, row in summary.iterrows():
        cells.append(
            [name, "csdid", row["Group"], row["Time"], row["ATT(g, t)"], row["Std. Error"]]
        )
    fit.aggte(typec="dynamic", bstrap=False)
    agg = fit.atte
    for e, a, s in zip(agg["egt"], agg["att_egt"], np.asarray(agg["se_egt"]).ravel(), strict=True):
        dynamic.append([name, "csdid", e, a, s, agg["overall_att"], agg["overall_se"]])


def moderndid_run(name, control, xformla, est):
    import moderndid

    frame = data.copy()
    out = moderndid.att_gt(
        data=frame,
        yname="lemp",
        tname="year",
        idname="countyreal",
        gname="first.treat",
        xformla=f"~{xformla}" if xformla else None,
        control_group=control,
        est_method=est,
        base_period="universal",
        boot=False,
        cband=False,
    )
    for g, t, a, s in zip(out.groups, out.times, out.att_gt, out.se_gt, strict=True):
        cells.append([name, "moderndid", g, t, a, s])
    agg = moderndid.aggte(out, type="dynamic", boot=False, cband=False)
    for e, a, s in zip(agg.event_times, agg.att_by_event, agg.se_by_event, strict=True):
        dynamic.append([name, "moderndid", e, a, s, agg.overall_att, agg.overall_se])


for name, spec in SCENARIOS.items():
    for run in (csdid_run, moderndid_run):
        try:
            run(name, spec["control"], spec["xformla"], spec["est"])
        except Exception as exc:  # say which failed; the other source still counts
            print(f"{run.__name__} {name}: {type(exc).__name__}: {exc}")

pd.DataFrame(
    dynamic, columns=["scenario", "source", "event_time", "att", "se", "overall_att", "overall_se"]
).to_csv("universal_dynamic.csv", index=False)
pd.DataFrame(cells, columns=["scenario", "source", "cohort", "time", "att", "se"]).to_csv(
    "universal_attgt.csv", index=False
)
print(pd.read_csv("universal_dynamic.csv").to_string())
