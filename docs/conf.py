"""Sphinx configuration of impact's documentation site (``make docs``).

Sphinx with numpydoc, because the docstrings are numpydoc (Parameters, Returns, Examples)
and cross-reference with Sphinx roles (:func:, :class:, :mod:); myst-parser, so the
Markdown pages beside this file (the data model, estimator choices, mapping, scaling) are
part of the site as they are. Built with warnings as errors.
"""

project = "impact"
author = "impact contributors"
copyright = "impact contributors, MIT licence"  # noqa: A001 - Sphinx's name

extensions = ["sphinx.ext.autodoc", "numpydoc", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
root_doc = "index"

html_theme = "furo"
html_title = "impact"

autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters say the types in words
autodoc_default_options = {"members": True, "show-inheritance": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

myst_heading_anchors = 3

# docs/scheduling.md shows crontab lines, which Pygments has no lexer for
suppress_warnings = ["misc.highlighting_failure"]
