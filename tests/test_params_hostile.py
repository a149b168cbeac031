"""Parameters that cannot hurt: odd encodings read, YAML bombs and deep nesting refused at
once, names that would leave the output folder refused, data that is not data refused, and
every problem of every file of a batch reported before any notebook starts."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from impact import cli
from impact.errors import ParamsError
from impact.report import params as params_module
from impact.report import publish, runner
from impact.report.params import ReportParams, read_params

ROOT = Path(__file__).resolve().parents[1]
# The classic "billion laughs" in 378 bytes: nine levels of nine aliases each.
BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def write_bytes(folder: Path, raw: bytes, name: str = "p.yaml") -> Path:
    path = folder / name
    path.write_bytes(raw)
    return path


TEXT = "kind: explore\ndata: data/sample\nlanguage: zh\ntitle: 里水镇微创投中期评估\n"


@pytest.mark.parametrize(
    "raw",
    [TEXT.encode("utf-8"), b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT.encode("gbk")],
    ids=["utf-8", "utf-8-bom", "gbk"],
)
def test_parameters_files_in_utf8_bom_or_gbk_are_read(tmp_path, raw):
    assert read_params(write_bytes(tmp_path, raw)).title == "里水镇微创投中期评估"


def test_a_file_in_no_known_encoding_is_one_line(tmp_path):
    path = write_bytes(tmp_path, b"kind: explore\ntitle: \xff\xfe\x80\x81\n")
    with pytest.raises(ParamsError, match=r"not text in UTF-8 or GBK") as raised:
        read_params(path)
    assert len(str(raised.value).splitlines()) == 1


def test_alias_bomb_is_refused_at_once(tmp_path):
    assert len(BOMB.encode()) < 400
    path = write_bytes(tmp_path, BOMB.encode())
    began = time.perf_counter()
    with pytest.raises(ParamsError, match="anchors and aliases"):
        read_params(path)
    assert time.perf_counter() - began < 0.5


def test_deep_nesting_and_large_files_are_refused(tmp_path):
    deep = write_bytes(tmp_path, b"options: " + b"[" * 5000 + b"]" * 5000 + b"\n", "deep.yaml")
    with pytest.raises(ParamsError, match="nested deeper than"):
        read_params(deep)
    large = write_bytes(tmp_path, b"# padding\n" * 10_000, "large.yaml")
    with pytest.raises(ParamsError, match="larger than 64 KiB"):
        read_params(large)


@pytest.mark.parametrize(
    "programme", ["../../../escaped", "/etc", "a/b", "..", ".hidden", "-rf", "a" * 65, ""]
)
def test_programme_names_that_would_leave_the_output_folder_are_refused(tmp_path, programme):
    path = write_bytes(
        tmp_path,
        f"kind: midterm\ndata: data/sample\nprogramme: '{programme}'\nround: 4\n".encode(),
    )
    with pytest.raises(ParamsError, match="programme: must be a plain name"):
        read_params(path)


def test_every_output_folder_stays_under_the_root(tmp_path):
    for programme in ("lishui_like", "里水", "x-1"):
        params = ReportParams(kind="midterm", data="data/sample", programme=programme, round=4)
        folder = params.output_folder(tmp_path)
        assert folder.resolve().is_relative_to(tmp_path.resolve())
    # Even a name that slipped past validation could not leave the root.
    forged = ReportParams.model_construct(
        kind="midterm", data=Path("d"), programme="../../x", round=4, language="zh"
    )
    with pytest.raises(ParamsError, match="would not stay under"):
        forged.output_folder(tmp_path / "out")


@pytest.mark.parametrize(
    "data, why",
    [
        ("/", "not a data folder impact recognises"),
        ("/etc", "not a data folder impact recognises"),
        ("/etc/passwd", "not a data file"),
        ("nowhere", "no such file or folder"),
    ],
)
def test_data_must_be_something_the_loader_recognises(tmp_path, data, why):
    path = write_bytes(tmp_path, f"kind: explore\ndata: {data}\n".encode())
    began = time.perf_counter()
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    assert f"{path}: data: {why}" in str(raised.value)
    assert time.perf_counter() - began < 1


def test_every_problem_of_a_file_is_reported_together(tmp_path):
    path = write_bytes(
        tmp_path, b"kind: midterm\ndata: nowhere\nprogramme: ../x\nround: four\ncolour: red\n"
    )
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    lines = str(raised.value).splitlines()
    for fragment in ("data: no such file", "programme: must be", "round: Input", "colour:"):
        assert any(fragment in line for line in lines), fragment
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_a_bad_file_stops_the_whole_batch_before_any_notebook(tmp_path, monkeypatch, capsys):
    good = write_bytes(tmp_path, b"kind: explore\ndata: tests/data/clean\nlanguage: en\n", "a.yaml")
    bad = write_bytes(
        tmp_path, b"kind: midterm\ndata: data/sample\nprogramme: nobody\nround: 4\n", "b.yaml"
    )
    worse = write_bytes(tmp_path, BOMB.encode(), "c.yaml")

    def no_notebooks(*args, **kwargs):
        raise AssertionError("a notebook started")

    monkeypatch.setattr("impact.report.runner.build._execute", no_notebooks)
    monkeypatch.setattr(runner.WarmKernel, "start", no_notebooks)
    out = tmp_path / "out"
    status = cli.main(["run", str(good), str(bad), str(worse), "--out", str(out), "--quiet"])
    assert status == 2
    captured = capsys.readouterr()
    assert "b.yaml: programme: not in data/sample" in captured.err
    assert "c.yaml: not valid YAML" in captured.err and "anchors and aliases" in captured.err
    assert "not-run" in captured.out and "2 invalid" in captured.out
    assert "Traceback" not in captured.err
    assert not [p for p in out.rglob("*") if p.name == "report.html"]


def test_data_that_cannot_be_read_is_one_line(tmp_path, monkeypatch, capsys):
    path = write_bytes(tmp_path, b"kind: explore\ndata: tests/data/clean\n")

    def denied(self, source):
        raise PermissionError(13, "Permission denied", str(source / "projects.csv"))

    monkeypatch.setattr(runner.Inputs, "snapshot", denied)
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "data: cannot read tests/data/clean/projects.csv: Permission denied (EACCES)" in err


def test_safe_name_pattern_is_the_documented_one():
    assert params_module.SAFE_NAME.match("lishui_like")
    assert not params_module.SAFE_NAME.match("lishui like")


def test_recognised_suffixes_are_the_loaders():
    from impact import io

    assert params_module.CSV_SUFFIXES == io.CSV_SUFFIXES
    assert params_module.PARQUET_SUFFIXES == io.PARQUET_SUFFIXES
    assert params_module.EXCEL_SUFFIXES == io.EXCEL_SUFFIXES


# Found by the fault catalogue (bench/faults.py): each of these was a hang, a silent
# skip or a failing notebook instead of one line and exit 2.


def test_a_pipe_named_like_a_parameters_file_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    began = time.perf_counter()
    with pytest.raises(ParamsError, match="not a regular file"):
        read_params(fifo)
    assert time.perf_counter() - began < 1


@pytest.mark.parametrize(
    "raw, says",
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (TEXT.encode("utf-16"), "UTF-16 text (or binary); save it as UTF-8"),
    ],
    ids=["empty", "comment", "utf-16"],
)
def test_empty_and_utf16_files_say_what_they_are(tmp_path, raw, says):
    path = write_bytes(tmp_path, raw)
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    assert str(raised.value).startswith(f"{path}: {says}")


@pytest.mark.parametrize("kind", ["fifo", "device", "broken"])
def test_a_data_folder_whose_table_is_not_a_regular_file_is_refused(tmp_path, kind):
    folder = tmp_path / "d"
    shutil.copytree(ROOT / "tests/data/clean", folder)
    (folder / "funding.csv").unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(folder / "funding.csv")
    else:
        (folder / "funding.csv").symlink_to("/dev/zero" if kind == "device" else "nowhere")
    path = write_bytes(tmp_path, f"kind: explore\ndata: {folder}\n".encode())
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    assert "data: funding.csv is not a regular file" in str(raised.value)


def test_reading_data_never_blocks_on_a_pipe(tmp_path):
    fifo = tmp_path / "projects.csv"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        publish.read_regular(fifo)


@pytest.mark.parametrize(
    "line, key",
    [
        ('title: "a\\0b"', "title"),
        ('title: "two\\nlines"', "title"),
        ('title: "\\e[31mred"', "title"),
        ('options: {commentary: "nul \\0 here"}', "options.commentary"),
        ('options: {recommendations: ["ok", "bell \\a"]}', "options.recommendations"),
    ],
)
def test_control_characters_in_text_are_refused(tmp_path, line, key):
    untitled = TEXT.replace("title: 里水镇微创投中期评估\n", "")
    path = write_bytes(tmp_path, (untitled + line).encode())
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    assert f"{path}: {key}: contains a control character" in str(raised.value)


def test_commentary_may_have_several_lines(tmp_path):
    path = write_bytes(tmp_path, (TEXT + 'options: {commentary: "one\\n\\ttwo"}\n').encode())
    assert read_params(path).options.commentary == "one\n\ttwo"


def test_published_figures_given_but_missing_are_a_problem(tmp_path):
    path = write_bytes(tmp_path, (TEXT + "options: {published: /proc}\n").encode())
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    assert f"{path}: options.published: not a data folder impact recognises" in str(raised.value)


@pytest.mark.parametrize("programme", ['"a\\nb"', '"a\\0b"', "x" * 300])
def test_a_refused_value_is_shown_on_one_short_line(tmp_path, programme):
    raw = f"kind: midterm\ndata: data/sample\nround: 1\nprogramme: {programme}\n"
    path = write_bytes(tmp_path, raw.encode())
    with pytest.raises(ParamsError) as raised:
        read_params(path)
    (line,) = str(raised.value).splitlines()
    assert "\0" not in line and len(line) < len(str(path)) + 250


def test_a_file_with_an_unknown_key_still_has_its_round_checked(tmp_path, capsys):
    """Every problem of a file at once: the unknown key and the round the data lacks."""
    path = write_bytes(
        tmp_path,
        b"kind: midterm\ndata: data/programmes/lishui\nprogramme: lishui\nround: 99\ncolour: red\n",
    )
    status = cli.main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert status == 2
    err = capsys.readouterr().err
    assert f"{path}: colour: unknown key" in err
    assert f"{path}: round: programme lishui has rounds" in err
    assert err.count(f"{path}: ") == 2
