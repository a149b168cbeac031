"""References for targets R's README does not print, from an independent Python
implementation of Rambachan & Roth: moderndid 0.2.0 (``moderndid.didhonest``, a port of
R HonestDiD by J. DeKlerk). Run once, by hand (about ten minutes):

    python generate_moderndid.py

Inputs: the README's TWFE event study on ehec (5 pre, 2 post periods), ``betahat`` and
``sigma`` in ``twfe_event_study.csv`` beside this script (written by the test helper
``tests/test_participation_sensitivity.py::readme_event_study`` and identical to R's).
moderndid draws the least-favourable critical value with numpy's generator, leaves out
s = 0 and takes the folded-normal quantile exactly, so C-LF intervals may differ from R's
(and ours) by a grid step of θ or two, and FLCI intervals by about 3e-5.
"""

import time
import warnings

import numpy as np
import pandas as pd
from moderndid.didhonest import create_sensitivity_results_rm, create_sensitivity_results_sm

warnings.filterwarnings("ignore")
study = pd.read_csv("twfe_event_study.csv")
betahat = study["betahat"].to_numpy()
sigma = study[[c for c in study.columns if c.startswith("sigma_")]].to_numpy()
rows = []
targets = {"average": [0.5, 0.5], "second": [0.0, 1.0]}
for target, l_vec in targets.items():
    start = time.perf_counter()
    sm = create_sensitivity_results_sm(
        betahat=betahat,
        sigma=sigma,
        num_pre_periods=5,
        num_post_periods=2,
        l_vec=np.array(l_vec),
        m_vec=[0.0, 0.01, 0.02, 0.03, 0.04, 0.05],
    )
    for r in sm.iter_rows(named=True):
        rows.append([target, "smoothness", "FLCI", r["m"], r["lb"], r["ub"]])
    rm = create_sensitivity_results_rm(
        betahat=betahat,
        sigma=sigma,
        num_pre_periods=5,
        num_post_periods=2,
        l_vec=np.array(l_vec),
        m_bar_vec=[0.0, 0.5, 1.0, 1.5, 2.0],
    )
    for r in rm.iter_rows(named=True):
        rows.append([target, "relative_magnitude", "C-LF", r["Mbar"], r["lb"], r["ub"]])
    print(target, f"{time.perf_counter() - start:.0f} s")
out = pd.DataFrame(rows, columns=["target", "restriction", "method", "m", "lb", "ub"])
out.to_csv("moderndid_other_targets.csv", index=False)
print(out.to_string())
