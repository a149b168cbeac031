"""The shared display pieces: Summary, StatisticalTest, check_ci and yuan."""

import pandas as pd
import pytest

from impact.errors import EstimationError, ImpactError
from impact.results import Result, StatisticalTest, Summary, check_ci, yuan


@pytest.mark.parametrize("bad", [95, 0, 1, -0.5, 1.5, "x", None, True])
def test_check_ci_refuses_levels_outside_0_1(bad):
    with pytest.raises(EstimationError, match="between 0 and 1") as info:
        check_ci(bad)
    assert isinstance(info.value, ImpactError) and isinstance(info.value, ValueError)


def test_check_ci_suggests_the_fraction():
    with pytest.raises(ValueError, match=r"ci=0.95"):
        check_ci(95)
    assert check_ci(0.9) == 0.9


def test_yuan_has_separators():
    assert yuan(3928000) == "3,928,000 yuan"
    assert yuan(686404.16 / 253537) == "2.71 yuan"  # Hongshan cost per person-time
    assert yuan(float("nan")) == "–"


def test_summary_prints_as_text_and_renders_html():
    table = pd.DataFrame({"grant_yuan": [3928000.0], "ratio": [1.23456]}, index=["all"])
    summary = Result(table, inputs={"n": 3}, title="A <title>").summary()
    assert isinstance(summary, Summary)
    text = str(summary)
    assert repr(summary) == text and "3,928,000 yuan" in text and "1.235" in text
    assert "A <title>" in summary
    page = summary._repr_html_()
    assert "A &lt;title&gt;" in page and "<table" in page and "3,928,000 yuan" in page


def test_statistical_test_reads_like_a_record_and_a_dict():
    test = StatisticalTest("log-rank", "equal survival", 3.5, 2, 0.1738)
    assert test["p"] == test.p and test["chi2"] == 3.5 and dict(**test)["df"] == 2
    assert "log-rank: chi2(2) = 3.500, p = 0.1738" in str(test)
    with pytest.raises(AttributeError):
        test.p = 0.5  # frozen


def test_dataset_shows_tables_rows_and_validation(clean_dir):
    import impact

    data = impact.load(clean_dir)
    text = repr(data)
    assert "validated: no problems found" in text and "projects" in text and "\n" in text
    page = data._repr_html_()
    assert "<table>" in page and "projects" in page and "validated" in page
