from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def clean_dir() -> Path:
    return DATA / "clean"


@pytest.fixture
def repo_root() -> Path:
    return ROOT
