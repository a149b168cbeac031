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
def kept():
    return loaded.Kept()


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target)
    return target


def _same(a, b) -> None:
    for name, value in vars(a).items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, getattr(b, name))
        else:
            assert value == getattr(b, name), name


def test_a_kept_data_set_equals_a_fresh_reading_and_is_the_callers_own(folder, kept, monkeypatch):
    first = kept.load(folder)
    reads = []
    monkeypatch.setattr(impact.dataset, "load", lambda p: reads.append(p))
    second = kept.load(folder)
    assert reads == []  # not read again
    _same(second, first)
    second.projects.loc[second.projects.index[0], "title"] = "changed by a report"
    third = kept.load(folder)
    assert third.projects.title.iloc[0] == first.projects.title.iloc[0]
    assert third.projects is not second.projects


def test_an_edited_added_or_removed_file_is_read_afresh(folder, kept):
    before = kept.load(folder)
    projects = folder / "projects.csv"
    lines = projects.read_text("utf-8-sig").splitlines(keepends=True)
    projects.write_text("".join(lines[:-1]), "utf-8")  # one project fewer
    after = kept.load(folder)
    assert len(after.projects) == len(before.projects) - 1
    _same(after, impact.load(folder))
    (folder / "notes.txt").write_text("an office note", "utf-8")
    assert loaded.digest(folder) != loaded.digest(folder.parent / "missing")
    key = loaded.digest(folder)
    (folder / "notes.txt").unlink()
    assert loaded.digest(folder) != key


def test_only_the_last_few_are_kept_and_large_data_never(folder, kept, tmp_path, monkeypatch):
    reads = []
    for number in range(loaded.KEEP + 1):
        other = tmp_path / f"copy{number}"
        shutil.copytree(folder, other)
        kept.load(other)
    real = impact.dataset.load
    monkeypatch.setattr(impact.dataset, "load", lambda p: reads.append(p) or real(p))
    kept.load(tmp_path / f"copy{loaded.KEEP}")  # the last: kept
    kept.load(tmp_path / "copy0")  # the first: no longer kept
    assert reads == [tmp_path / "copy0"]
    monkeypatch.setattr(loaded, "MAX_BYTES", 10)
    assert loaded.digest(folder) is None


def test_a_kernel_without_a_store_reads_afresh_and_a_warm_one_keeps(folder, monkeypatch):
    """Plain papermill or JupyterLab: no store, every report reads its data. The runner's
    warm-up gives the kernel's shell a store for the kernel's life."""
    from IPython.core.interactiveshell import InteractiveShell

    from impact.report import warm

    assert loaded.for_this_kernel() is None
    shell = InteractiveShell.instance()
    try:
        warm.give_store(shell)
        assert isinstance(loaded.for_this_kernel(), loaded.Kept)
        first = loaded.load_kept(folder)
        monkeypatch.setattr(impact.dataset, "load", lambda p: pytest.fail("read again"))
        _same(loaded.load_kept(folder), first)
    finally:
        InteractiveShell.clear_instance()
