"""Report figures: their style, their size on a phone's page, and drawing one into a
:class:`~impact.report.blocks.Figure` block (SVG with its text kept as text, and a PNG drawn
in a Chinese font that was checked, see :mod:`.fonts`).

Figures keep their natural size on the page: no wider than a phone's page, their text at
the page's body size (12 pt = 16 CSS px), long category names wrapped, a legend with long
entries moved below the plot.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata

from ..fonts import check_glyphs
from .blocks import Figure

#: matplotlib settings for report figures: a figure no wider than a phone's page, its text
#: at the page's body size (12 pt = 16 CSS px at natural size).
FIGURE_RC = {
    "figure.figsize": (3.6, 2.9),
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
}
LABEL_WIDTH = 12  # in half-width characters: a Chinese character counts two
CLOSING = set("）)】」』”’，。、；：！？%")
AXIS_WIDTH = 24
PNG_DPI = 200


def style(font: str) -> dict:
    """matplotlib settings for a report's figures drawn in ``font``."""
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "impact",  # the same figure gives the same SVG ids run after run
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"],
        "axes.unicode_minus": False,
        **FIGURE_RC,
    }


def figure_block(ax, name: str, font: str, alt: str = "") -> Figure:
    """Draw the figure of ``ax`` (fitted to a phone's page) as a block, and close it. Call
    it inside ``matplotlib.rc_context(style(font))``."""
    import matplotlib.pyplot as plt

    figure = ax.figure
    try:
        fit_figure(figure)
        # the tight layout measured once, for both files (each save would measure it again)
        figure.get_layout_engine().execute(figure)
        figure.set_layout_engine("none")
        text = io.StringIO()
        figure.savefig(text, format="svg", metadata={"Date": None})
        picture = io.BytesIO()
        with check_glyphs(font):
            figure.savefig(picture, format="png", dpi=PNG_DPI)
        width, height = figure.get_size_inches()
    finally:
        plt.close(figure)
    svg = text.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg") :], flags=re.S)
    return Figure(
        name=name,
        svg=svg,
        png=base64.b64encode(picture.getvalue()).decode("ascii"),
        width_in=round(float(width), 3),
        height_in=round(float(height), 3),
        font=font,
        alt=alt,
    )


def fit_figure(figure) -> None:
    """A figure drawn elsewhere (an estimator's ``plot()``) made as wide as a phone's page,
    its text no smaller than the page's body text."""
    from matplotlib.text import Text

    width, height = figure.get_size_inches()
    target = FIGURE_RC["figure.figsize"][0]
    if width > target:
        figure.set_size_inches(target, max(min(height * target / width * 1.25, 4.2), 2.6))
    for text in figure.findobj(Text):
        if text.get_text() and text.get_fontsize() < FIGURE_RC["font.size"]:
            text.set_fontsize(FIGURE_RC["font.size"])
    for ax in figure.axes:  # long category names on the y axis wrap instead of overflowing
        labels = ax.get_yticklabels()
        if any(_width(label.get_text()) > LABEL_WIDTH for label in labels):
            ax.set_yticks(ax.get_yticks(), [_wrap(label.get_text()) for label in labels])
        _legend_below(ax)
        for label in (ax.xaxis.label, ax.yaxis.label):  # axis titles in at most two lines
            if _width(label.get_text()) > AXIS_WIDTH:
                label.set_text(_wrap(label.get_text(), AXIS_WIDTH, 2))
    # tight, whatever layout the estimator's plot chose (impact.style's is constrained):
    # the legend moved below and the wrapped labels need the room measured now
    figure.set_layout_engine("tight")


def _legend_below(ax) -> None:
    """A legend with long entries (programme names) goes below the plot, wrapped, so it
    neither covers the curves nor runs off the figure."""
    legend = ax.get_legend()
    if legend is None:
        return
    labels = [text.get_text() for text in legend.get_texts()]
    if not any(_width(label) > 16 for label in labels):
        return
    wrapped = [_wrap(label, AXIS_WIDTH, 2) for label in labels]
    handles = getattr(legend, "legend_handles", None) or legend.legendHandles
    ax.legend(
        handles,
        wrapped,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.3),
        frameon=False,
        fontsize=FIGURE_RC["font.size"],
    )
    lines = sum(label.count("\n") + 1 for label in wrapped)
    width, height = ax.figure.get_size_inches()
    ax.figure.set_size_inches(width, height + 0.25 * lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int = LABEL_WIDTH, most: int = 3) -> str:
    """``text`` in lines of at most ``width`` (words kept whole where there are spaces,
    Chinese broken anywhere), at most ``most`` lines."""
    lines, line = [], ""
    for token in re.findall(r"\S+\s*|\s+", text) if " " in text else list(text):
        closing = token in CLOSING  # a closing mark never starts a line
        if line and _width(line + token.rstrip()) > width and not closing:
            lines.append(line.rstrip())
            line = ""
        line += token
    lines.append(line.rstrip())
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)
