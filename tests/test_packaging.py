"""The project's own promises: conda and pip list the same dependencies, and the data-model
document is the schema's."""

import re
import tomllib

import yaml

from impact.schema import to_markdown

from .conftest import ROOT


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pip = dict(
        _name_and_spec(r)
        for r in project["dependencies"]
        + project["optional-dependencies"]["test"]
        + project["optional-dependencies"]["docs"]
    )
    conda_deps = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))["dependencies"]
    pip_section = [d["pip"] for d in conda_deps if isinstance(d, dict)]
    listed = [d for d in conda_deps if isinstance(d, str) and d != "pip"]
    listed += [d for section in pip_section for d in section]
    conda = dict(_name_and_spec(d) for d in listed)
    python = conda.pop("python")
    assert python == ">=" + project["requires-python"].lstrip(">=")
    assert conda == pip


def test_data_model_document_is_generated_from_the_schema():
    written = (ROOT / "docs" / "data-model.md").read_text("utf-8")
    assert written == to_markdown(), "run `make docs` to regenerate docs/data-model.md"


def test_reports_folder_holds_only_its_readme_in_git():
    ignore = (ROOT / ".gitignore").read_text("utf-8")
    assert "reports/*" in ignore and "!reports/README.md" in ignore
