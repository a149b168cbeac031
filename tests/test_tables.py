"""Results that go into a paper: Markdown and LaTeX tables, several models side by side,
bootstrap draws kept with their seed, notes in the table's caption, short reprs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung

import impact
from impact.leverage import cost_per_output, leverage_ratio
from impact.sustainability import cox, kaplan_meier
from impact.tables import etable


@pytest.fixture(scope="module")
def lung():
    return load_lung()


@pytest.fixture(scope="module")
def fits(lung):
    small = cox(lung, duration="time", event="status", covariates=["age", "sex"])
    large = cox(lung, duration="time", event="status", covariates=["age", "sex", "ph.ecog"])
    return small, large


def test_to_markdown_is_a_pipe_table_with_title_and_notes(fits):
    small, _ = fits
    text = small.to_markdown()
    lines = text.splitlines()
    assert lines[0] == f"**{small.title}**"
    header = next(line for line in lines if line.startswith("| term"))
    assert header.split(" | ")[1] == "estimate"
    sex = next(line for line in lines if line.startswith("| sex"))
    assert sex.split(" | ")[1] == "-0.513"  # R: -0.513219
    assert any(line.startswith("Note: hazard_ratio > 1") for line in lines)


def test_to_latex_escapes_and_uses_booktabs(fits):
    _, large = fits
    text = large.to_latex(label="tab:cox")
    assert text.startswith("\\begin{table}") and "\\label{tab:cox}" in text
    assert "\\toprule" in text and "\\bottomrule" in text
    assert "hazard\\_ratio" in text and "ph.ecog & 0.464" in text
    # the note about the row R also leaves out is in the caption
    assert "1 row(s) of 228 left out for missing values (ph.ecog: 1)" in text


def test_notes_reach_the_tables_attrs_and_summary(fits):
    _, large = fits
    assert large.table.attrs["notes"] == [str(n) for n in large.notes]
    assert "ph.ecog: 1" in large.table.attrs["caption"]
    assert "ph.ecog: 1" in str(large.summary())
    assert large.notes[0].key == "dropped_missing"
    assert large.notes[0].as_dict()["columns"] == {"ph.ecog": 1}


def test_etable_sets_models_side_by_side(fits):
    small, large = fits
    side = etable({"(1)": small, "(2)": large})
    table = side.table
    assert list(table.columns) == ["(1)", "(2)"]
    assert list(table.index) == ["age", "", "sex", "", "ph.ecog", "", "N"]
    assert table.loc["sex"].tolist() == ["-0.513", "-0.553"]  # R: -0.513219, -0.552612
    assert table.iloc[3].tolist() == ["(0.167)", "(0.168)"]  # R se: 0.167458, 0.167739
    assert table.loc["ph.ecog"].tolist() == ["", "0.464"]
    assert table.loc["N"].tolist() == ["228", "227"]
    latex = side.to_latex()
    assert latex.count("\\midrule") == 2  # under the header, above the foot
    assert "| ph.ecog |  | 0.464 |" in side.to_markdown()
    ci = etable([small], stat="ci").table
    low, high = small.table.loc["sex", ["ci_low", "ci_high"]]
    assert ci.iloc[3, 0] == f"[{low:.3f}, {high:.3f}]"


def test_etable_takes_aggregations_and_refuses_a_table_without_estimates(repo_root):
    from impact.participation import did

    mpdta = pd.read_csv(repo_root / "tests" / "data" / "mpdta.csv")
    result = did(mpdta, outcome="lemp", unit="countyreal", time="year", cohort="first.treat")
    side = etable({"overall": result, "dynamic": result.aggregate("dynamic", n_boot=0)})
    assert "simple" in side.table.index and "0" in side.table.index
    curves = kaplan_meier(load_lung(), duration="time", event="status")
    with pytest.raises(impact.InputError, match="etable"):
        etable([curves])


def test_keep_draws_keeps_the_replicates_and_the_seed():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "grant": rng.integers(2, 20, 60) * 1000.0,
            "lev": rng.integers(0, 30, 60) * 1000.0,
            "type": ["a", "b"] * 30,
            "community": np.repeat(np.arange(20), 3),
        }
    )
    options = dict(leveraged="lev", grant="grant", by="type", cluster="community", n_boot=300)
    kept = leverage_ratio(frame, **options, seed=7, keep_draws=True)
    assert kept.draws.shape == (300, 2) and list(kept.draws.columns) == ["a", "b"]
    assert kept.draws.attrs["seed"] == 7 and kept.inputs["seed"] == 7
    # the draws are the bootstrap's: their standard deviation is the table's se
    assert kept.draws.std(ddof=1).tolist() == pytest.approx(kept.table.se.tolist())
    again = leverage_ratio(frame, **options, seed=7, keep_draws=True)
    pd.testing.assert_frame_equal(kept.draws, again.draws)
    assert leverage_ratio(frame, **options, seed=7).draws is None
    cost = cost_per_output(
        frame, cost="grant", outputs="lev", cluster="community", n_boot=100, keep_draws=True
    )
    assert cost.draws.shape == (100, 1)


def test_results_print_short_text_not_a_dataclass_dump(fits):
    small, _ = fits
    text = repr(small)
    assert text.startswith("CoxResult: Cox proportional hazards")
    assert "inputs=" not in text and "table=" not in text
    assert len(text.splitlines()) < 15
    assert "<table" in small._repr_html_()
    curves = kaplan_meier(load_lung(), duration="time", event="status", by="sex")
    assert "median" in repr(curves) and len(repr(curves).splitlines()) < 12
    assert repr(curves.logrank).startswith("log-rank: chi2(1)")


def test_att_keeps_its_bootstrap_draws_when_asked():
    from impact.participation import att

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"y": rng.normal(size=80), "t": np.repeat([0, 1], 40)})
    result = att(
        frame,
        outcome="y",
        treatment="t",
        method="diff",
        se="bootstrap",
        n_boot=200,
        seed=3,
        keep_draws=True,
    )
    assert result.draws.shape == (200, 1) and result.draws.attrs["seed"] == 3
    assert result.table.se.iloc[0] == pytest.approx(result.draws.effect.std(ddof=1))
    assert att(frame, outcome="y", treatment="t", method="diff").draws is None
