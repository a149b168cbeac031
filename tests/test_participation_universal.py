"""The universal base period of participation.did (R did's ``base_period =
"universal"``) against R did's own output on ehec (the knitr cache of R HonestDiD's
README, tests/reference/honestdid/) and against csdid 0.4.3 and moderndid 0.2.0 on mpdta
(tests/reference/did_mpdta/universal_*.csv, written by generate_universal.py there)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact.errors import EstimationError
from impact.participation import did
from impact.participation.aggregation import aggregate_cells

HERE = Path(__file__).parent
REFERENCE = HERE / "reference" / "honestdid"
MPDTA = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


def test_universal_base_period_reproduces_r_did_on_ehec(ehec):
    """R did's att_gt(control_group = "notyettreated", base_period = "universal") and
    aggte(type = "dynamic", min_e = -5, max_e = 5) on ehec (README knitr cache): the
    event-time effects and R's influence functions to 1e-15 (R printed bootstrap
    standard errors, so those are not compared)."""
    result = did(
        # as R's call: a state that never expanded gets the cohort 3000, after every year
        ehec.assign(yexp2=ehec.yexp2.fillna(3000)),
        outcome="dins", unit="stfips", time="year", cohort="yexp2",
        control="notyet", base_period="universal",
    )  # fmt: skip
    study = result.aggregate("dynamic", n_boot=0, min_e=-5, max_e=5)
    reference = pd.read_csv(REFERENCE / "r_did_universal_ehec.csv")
    assert study.drop(index="overall").index.tolist() == reference.event_time.tolist()
    assert study.att.drop(index="overall").to_numpy() == pytest.approx(
        reference.att.to_numpy(), abs=1e-15
    )
    assert study.att["overall"] == pytest.approx(0.0688253685253052, abs=1e-15)
    _, influence, _ = aggregate_cells(
        result.att_gt, result._influence, result._cohort_of_unit, "dynamic", -5, 5
    )
    r_influence = pd.read_csv(REFERENCE / "r_did_universal_ehec_influence.csv").to_numpy()
    assert np.abs(influence[:, 1:] - r_influence).max() < 1e-15


def test_universal_base_period_agrees_with_csdid_and_moderndid_on_mpdta():
    reference = pd.read_csv(HERE / "reference" / "did_mpdta" / "universal_dynamic.csv")
    mpdta = pd.read_csv(HERE / "data" / "mpdta.csv")
    scenarios = {
        "nev_dr": dict(control="never"),
        "nyt_dr": dict(control="notyet"),
        "nev_reg_lpop": dict(control="never", covariates=["lpop"], est_method="reg"),
    }
    for scenario, options in scenarios.items():
        ours = did(mpdta, **MPDTA, base_period="universal", **options)
        study = ours.aggregate("dynamic", n_boot=0)
        for source in ("csdid", "moderndid"):
            theirs = reference[(reference.scenario == scenario) & (reference.source == source)]
            rows = study.drop(index="overall")
            assert rows.index.tolist() == theirs.event_time.tolist()
            assert rows.att.to_numpy() == pytest.approx(theirs.att.to_numpy(), abs=1e-10)
            measured = theirs.se.notna().to_numpy()
            assert rows.se.to_numpy()[measured] == pytest.approx(
                theirs.se.to_numpy()[measured], rel=1e-6
            )
            assert study.att["overall"] == pytest.approx(theirs.overall_att.iloc[0], abs=1e-10)
            assert study.se["overall"] == pytest.approx(theirs.overall_se.iloc[0], rel=1e-6)


def test_universal_and_varying_share_the_post_period_effects():
    mpdta = pd.read_csv(HERE / "data" / "mpdta.csv")
    varying = did(mpdta, **MPDTA)
    universal = did(mpdta, **MPDTA, base_period="universal")
    assert universal.table.att.to_numpy() == pytest.approx(varying.table.att.to_numpy(), 1e-12)
    reference = universal.att_gt[universal.att_gt.time == universal.att_gt.cohort - 1]
    assert (reference.att == 0).all() and len(reference) == 3
    with pytest.raises(EstimationError, match="base_period must be"):
        did(mpdta, **MPDTA, base_period="fixed")
