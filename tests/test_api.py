"""The researcher's API as a researcher meets it: what tab completion offers, one name per
thing, how results show themselves, and docstrings with Parameters, Returns and Examples
on every public function."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

import impact

from .conftest import ROOT

PUBLIC_MODULES = (
    "impact.leverage",
    "impact.participation",
    "impact.sustainability",
    "impact.describe",
    "impact.inputs",
    "impact.tables",
    "impact.style",
)


def test_dir_of_impact_offers_what_users_type():
    names = dir(impact)
    for name in ("load", "Dataset", "leverage", "participation", "sustainability", "etable"):
        assert name in names
    assert not [n for n in names if n.startswith("_") and n != "__version__"]
    assert "import_module" not in names and "errors" not in names


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_modules_show_only_their_public_names(name):
    module = importlib.import_module(name)
    assert sorted(dir(module)) == sorted(module.__all__)
    for public in module.__all__:
        assert hasattr(module, public), public
    assert not {"np", "pd", "dataclass", "annotations"} & set(dir(module))


def test_no_name_is_a_module_and_a_function():
    # sustainability had `km` (a module) beside `kaplan_meier`, `coxph` beside `cox`
    from impact import sustainability

    assert not {"km", "coxph", "zph", "hazard", "risk", "forms"} & set(dir(sustainability))


def _public_functions():
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for public in module.__all__:
            value = getattr(module, public)
            if inspect.isfunction(value):
                yield f"{name}.{public}", value


@pytest.mark.parametrize("name, function", list(_public_functions()), ids=lambda v: str(v))
def test_public_functions_have_numpydoc_parameters_returns_and_examples(name, function):
    doc = inspect.getdoc(function) or ""
    for section in ("Parameters", "Returns", "Examples"):
        assert re.search(rf"^{section}\n-{{{len(section)}}}$", doc, re.M), (name, section)
    documented = set(re.findall(r"^(\w+)(?:, \w+)*\s*$", doc.split("Returns")[0], re.M))
    for group in re.findall(r"^(\w+(?:, \w+)+)\s*$", doc.split("Returns")[0], re.M):
        documented |= set(group.split(", "))
    signature = inspect.signature(function)
    wanted = {
        p.name
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name != "self"
    }
    assert wanted <= documented, (name, sorted(wanted - documented))


@pytest.fixture(scope="module")
def loaded():
    """The data sets docstring examples load (their loading lines are +SKIP), each read
    once on first use."""
    paths = {
        "data": "data/sample",
        "hongshan": "data/programmes/hongshan",
        "gangwan": "data/programmes/gangwan",
        "published": "data/published",
    }
    cache: dict = {}

    def get(names):
        for name in names:
            if name in paths and name not in cache:
                cache[name] = impact.load(ROOT / paths[name])
        return {name: cache[name] for name in names if name in cache}

    return get


@pytest.mark.parametrize("name, function", list(_public_functions()), ids=lambda v: str(v))
def test_docstring_examples_run(name, function, loaded, monkeypatch):
    """Every example in a public docstring runs and prints what it says (loading lines are
    marked +SKIP and given the loaded sample instead, so the module's tests stay quick)."""
    import doctest

    import numpy as np
    import pandas as pd

    monkeypatch.chdir(ROOT)
    module = importlib.import_module(function.__module__)
    package = importlib.import_module(".".join(name.split(".")[:2]))
    globs = {**vars(package), **vars(module), "impact": impact, "pd": pd, "np": np}
    doc = inspect.getdoc(function) or ""
    globs |= loaded([n for n in ("data", "hongshan", "gangwan", "published") if n in doc])
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(function, name, globs=globs):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_old_short_names_still_work_with_a_deprecation_warning():
    from impact import sustainability

    with pytest.warns(DeprecationWarning, match="use impact.sustainability.kaplan_meier"):
        assert sustainability.km is sustainability.kaplan_meier
    with pytest.warns(DeprecationWarning, match="use impact.sustainability.cox$"):
        assert sustainability.coxph is sustainability.cox
    from impact.sustainability.coxph import cox_fit  # the module, by its full path

    assert callable(cox_fit)


@pytest.mark.slow  # an IPython shell with Jedi takes 10-30 s to start here
def test_ipython_tab_completion_offers_the_public_names():
    """What impact.<TAB> shows in a kernel (IPython's completer, Jedi included)."""
    from IPython.core.completer import provisionalcompleter
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.run_cell("import impact\nfrom impact import sustainability")
    with provisionalcompleter():
        top = {c.text for c in shell.Completer.completions("impact.", 7)}
        survival = {c.text for c in shell.Completer.completions("sustainability.", 15)}
    assert {"load", "Dataset", "leverage", "participation", "sustainability"} <= top
    assert "import_module" not in top and "np" not in survival
    assert "kaplan_meier" in survival and "km" not in survival
