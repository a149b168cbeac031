"""The overall row of every aggregation says what its interval is, and ``n_boot`` gives it
a bootstrap interval (issue 19, item 4).

Truths: R did's README (github.com/bcallaway11/did, commit 71ba8a5, README.md) prints,
for ``out <- att_gt(yname = "lemp", gname = "first.treat", idname = "countyreal",
tname = "year", xformla = ~1, data = mpdta, est_method = "reg")`` with R's default
multiplier bootstrap (1,000 draws):

    aggte(out, type = "dynamic"):  ATT -0.0772  Std. Error 0.0219  [-0.1201, -0.0344]
    aggte(out, type = "group"):    ATT -0.031   Std. Error 0.0126  [-0.0558, -0.0062]

Bootstrap standard errors vary from draw to draw (about 3% with a thousand draws), so
ours must come within 10% of R's; the estimates must match to R's digits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact.participation import AGGREGATIONS, did

HERE = Path(__file__).parent
MPDTA = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def result():
    return did(pd.read_csv(HERE / "data" / "mpdta.csv"), **MPDTA, est_method="reg")


@pytest.mark.parametrize(
    "kind, att, se, low, high",
    [("dynamic", -0.0772, 0.0219, -0.1201, -0.0344), ("group", -0.031, 0.0126, -0.0558, -0.0062)],
)
def test_overall_bootstrap_interval_is_rs(result, kind, att, se, low, high):
    table = result.aggregate(kind, n_boot=999, seed=3)
    overall = table.loc["overall"]
    assert overall.band == "bootstrap"
    assert round(overall.att, 4 if kind == "dynamic" else 3) == att
    z = 1.959964
    boot_se = (overall.band_high - overall.band_low) / (2 * z)
    assert boot_se == pytest.approx(se, rel=0.10)
    assert overall.band_low == pytest.approx(low, abs=0.1 * se * z)
    assert overall.band_high == pytest.approx(high, abs=0.1 * se * z)


@pytest.mark.parametrize("kind", AGGREGATIONS)
def test_every_overall_row_says_what_its_interval_is(result, kind):
    boot = result.aggregate(kind, n_boot=999, seed=0)
    plain = result.aggregate(kind, n_boot=0)
    assert boot.loc["overall", "band"] == "bootstrap"
    assert plain.loc["overall", "band"] == "pointwise"
    assert plain.loc["overall", ["band_low", "band_high"]].tolist() == pytest.approx(
        plain.loc["overall", ["ci_low", "ci_high"]].tolist()
    )
    # the bootstrap interval is its own, not the pointwise one, and close to it
    assert boot.loc["overall", "band_low"] != plain.loc["overall", "ci_low"]
    half_boot = boot.loc["overall", "band_high"] - boot.loc["overall", "att"]
    half_plain = plain.loc["overall", "ci_high"] - plain.loc["overall", "att"]
    assert half_boot == pytest.approx(half_plain, rel=0.15)
    rows = boot.drop(index="overall")
    assert (rows.band == "simultaneous").all()
    assert (plain.drop(index="overall").band == "none").all()


def test_bootstrap_interval_is_reproducible_and_follows_the_seed(result):
    first = result.aggregate("simple", n_boot=999, seed=7)
    again = result.aggregate("simple", n_boot=999, seed=7)
    other = result.aggregate("simple", n_boot=999, seed=8)
    assert first.equals(again)
    assert first.loc["overall", "band_low"] != other.loc["overall", "band_low"]


def test_headline_table_says_its_intervals_are_pointwise(result):
    assert (result.table["interval"] == "pointwise").all()
    z = 1.959964
    assert np.allclose(result.table.ci_high - result.table.att, z * result.table.se, rtol=1e-6)


def test_clustered_bootstrap_draws_per_cluster():
    data = pd.read_csv(HERE / "data" / "mpdta.csv")
    data["state"] = data.countyreal // 100  # coarser clusters than counties
    clustered = did(data, **MPDTA, cluster="state").aggregate("simple", n_boot=999)
    units = did(data, **MPDTA).aggregate("simple", n_boot=999)
    width = lambda t: t.loc["overall", "band_high"] - t.loc["overall", "band_low"]  # noqa: E731
    analytic = lambda t: t.loc["overall", "ci_high"] - t.loc["overall", "ci_low"]  # noqa: E731
    # each bootstrap interval follows its own analytic interval
    assert width(clustered) == pytest.approx(analytic(clustered), rel=0.15)
    assert width(units) == pytest.approx(analytic(units), rel=0.15)
