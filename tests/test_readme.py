"""Every Python example in the README runs, in order, in one namespace, on the embedded
data (data/sample, data/programmes), as a reader would paste it into a fresh kernel."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_the_readme_has_its_examples():
    blocks = _python_blocks()
    assert len(blocks) >= 2
    assert "dataset_funnel(hongshan)" in "".join(blocks)
    assert " df" not in "".join(blocks) and "(df" not in "".join(blocks)


def test_every_readme_example_runs(monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for number, block in enumerate(_python_blocks(), start=1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
        except Exception as error:  # noqa: BLE001 - name the block that failed
            pytest.fail(f"README python block {number} fails: {type(error).__name__}: {error}")
    plt.close("all")
    # what the README says the examples show
    from impact import leverage

    hongshan = namespace["hongshan"]
    assert leverage.dataset_funnel(hongshan).table.reached.tolist()[:4] == [2336, 376, 190, 185]
    cost = leverage.cost_per_output(
        namespace["outputs"], cost="grant_yuan", outputs=["residents_served"], n_boot=0
    )
    assert round(float(cost.table.cost_per_unit.iloc[0]), 2) == 2.71
    assert "\\begin{tabular}" in capsys.readouterr().out
    # "the same numbers": the plain-DataFrame form on project_resources
    data, funded = namespace["data"], namespace["funded"]
    by_type = leverage.dataset_leverage(data, by="application_type").table
    plain = leverage.leverage_ratio(
        funded,
        leveraged="leveraged_yuan",
        grant="grant_yuan",
        by="application_type",
        cluster="community_id",
    ).table
    for column in ("leverage", "ci_low", "ci_high", "n"):
        assert plain[column].tolist() == pytest.approx(by_type[column].tolist(), rel=1e-12)
