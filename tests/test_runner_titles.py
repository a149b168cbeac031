"""Report titles come from the catalogue and the data: a mid-term names its round as the data
do, an exploration or a comparison the programmes it covers (never a data folder's name),
and a Chinese title has no English word."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

import impact
from impact.report.params import read_params
from impact.report.runner.titles import title

ROOT = Path(__file__).resolve().parents[1]


@cache
def loaded(folder: str):
    return impact.load(ROOT / folder)


def titled(name: str, language: str, **changes) -> str:
    params = read_params(ROOT / "params" / name, language)
    if changes:
        params = params.model_copy(update=changes)
    return title(params, loaded(str(params.data)))


@pytest.fixture(autouse=True)
def in_the_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_a_midterm_names_its_round_as_the_data_do():
    # data/programmes/lishui call round 4 第四届, not the generic 第4届
    assert titled("midterm-lishui-4.yaml", "zh").endswith("第四届中期评估报告")
    assert "round 4" in titled("midterm-lishui-4.yaml", "en")


def test_an_exploration_names_its_programmes_not_its_data_folder():
    zh, en = titled("explore-sample.yaml", "zh"), titled("explore-sample.yaml", "en")
    assert "sample" not in zh + en
    assert zh == "数据探索：全部资助计划" and en == "Exploring all programmes"
    one = titled("explore-sample.yaml", "zh", programme="fund_like")
    assert one == "数据探索：自治金项目（模拟）"


def test_each_comparison_names_what_it_compares():
    names = sorted(p.name for p in (ROOT / "params").glob("compare-*.yaml"))
    titles = [titled(name, "zh") for name in names]
    assert len(set(titles)) == len(titles), titles
    assert titled("compare-lishui.yaml", "zh").startswith("里水镇")


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "params").glob("*.yaml")))
def test_chinese_titles_have_no_english_word(name):
    found = re.findall(r"[A-Za-z]{2,}", titled(name, "zh"))
    assert found == [], found
