"""The report kernel's kept data sets (impact.report.loaded): a data set read again with the
same files is a copy of the first reading, its own; any change to the files reads afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import impact
from impact.report import loaded

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(loaded, "_KEPT", type(loaded._KEPT)())
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def _same(a, b) -> None:
    for name, value in vars(a).items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, getattr(b, name))
        else:
            assert value == getattr(b, name), name


def test_a_kept_data_set_equals_a_fresh_reading_and_is_the_callers_own(folder, monkeypatch):
    first = loaded.load_kept(folder)
    reads = []
    monkeypatch.setattr(impact.dataset, "load", lambda p: reads.append(p))
    second = loaded.load_kept(folder)
    assert reads == []  # not read again
    _same(second, first)
    second.projects.loc[second.projects.index[0], "title"] = "changed by a report"
    third = loaded.load_kept(folder)
    assert third.projects.title.iloc[0] == first.projects.title.iloc[0]
    assert third.projects is not second.projects


def test_an_edited_added_or_removed_file_is_read_afresh(folder):
    before = loaded.load_kept(folder)
    projects = folder / "projects.csv"
    lines = projects.read_text("utf-8-sig").splitlines(keepends=True)
    projects.write_text("".join(lines[:-1]), "utf-8")  # one project fewer
    after = loaded.load_kept(folder)
    assert len(after.projects) == len(before.projects) - 1
    _same(after, impact.load(folder))
    (folder / "notes.txt").write_text("an office note", "utf-8")
    assert loaded.digest(folder) != loaded.digest(folder.parent / "missing")
    key = loaded.digest(folder)
    (folder / "notes.txt").unlink()
    assert loaded.digest(folder) != key


def test_only_the_last_few_are_kept_and_large_data_never(folder, tmp_path, monkeypatch):
    others = []
    for number in range(loaded.KEEP + 1):
        other = tmp_path / f"copy{number}"
        shutil.copytree(folder, other)
        loaded.load_kept(other)
        others.append(other)
    assert len(loaded._KEPT) == loaded.KEEP
    monkeypatch.setattr(loaded, "MAX_BYTES", 10)
    assert loaded.digest(folder) is None
