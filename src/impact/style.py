"""One look for every figure: the estimators' ``.plot()`` and the reports' figures.

The style is seaborn's ``whitegrid`` axes with the ``notebook`` context and the
``colorblind`` palette, as matplotlib settings (:func:`rc`), applied only inside
:func:`context`, so importing or plotting never changes a user's global matplotlib
settings. CJK fonts come first where installed, so Chinese labels render in reports.

Helpers every plot uses:

- :func:`labels`: override a figure's title and axis labels (``title=``, ``xlabel=``,
  ``ylabel=`` on every ``.plot()``);
- :func:`integer_ticks`: whole numbers only on an axis of periods or event times;
- :func:`ratio_ticks`: readable ticks on a log axis of ratios (0.5, 1, 2 …), no
  overlapping ``3×10⁻¹`` minor labels.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["PALETTE", "context", "integer_ticks", "labels", "ratio_ticks", "rc"]

#: seaborn's colour-blind-safe palette (first colour: estimates; grey: before joining).
PALETTE = "colorblind"

_CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei"]


def rc(font_scale: float = 1.0) -> dict[str, Any]:
    """The matplotlib settings of the style.

    seaborn's ``whitegrid`` axes and ``notebook`` context at ``font_scale``, the
    colour-blind palette, CJK fonts before DejaVu Sans, and figures saved tight.

    Parameters
    ----------
    font_scale
        Scales every font (seaborn's ``font_scale``).

    Returns
    -------
    dict
        matplotlib rc settings, for ``matplotlib.rc_context``.

    Examples
    --------
    >>> rc()["axes.grid"]
    True
    """
    import seaborn as sns
    from cycler import cycler

    settings: dict[str, Any] = {}
    settings.update(sns.axes_style("whitegrid"))
    settings.update(sns.plotting_context("notebook", font_scale=font_scale))
    settings["axes.prop_cycle"] = cycler(color=sns.color_palette(PALETTE).as_hex())
    settings["font.sans-serif"] = [*_CJK_FONTS, "DejaVu Sans", "Arial", "sans-serif"]
    settings["axes.unicode_minus"] = False  # CJK fonts lack U+2212
    settings["savefig.bbox"] = "tight"
    settings["figure.constrained_layout.use"] = True  # labels and titles never cut off
    settings["figure.figsize"] = (6.4, 4.0)
    settings["figure.dpi"] = 100
    return settings


def _unchanged(key: str) -> bool:
    """Whether matplotlib's setting ``key`` is still its default (nobody set it)."""
    import matplotlib as mpl

    try:
        return bool(mpl.rcParams[key] == mpl.rcParamsDefault[key])
    except (KeyError, TypeError, ValueError):
        return False


@contextlib.contextmanager
def context(font_scale: float = 1.0, *, keep_settings: bool = False) -> Iterator[None]:
    """Apply the style inside a ``with`` block only; global settings are left alone.

    Parameters
    ----------
    font_scale
        Scales every font.
    keep_settings
        Apply only the settings still at matplotlib's defaults, so that what a user or a
        report has set (figure size, fonts) wins: how every ``.plot()`` applies the style.

    Returns
    -------
    contextlib.AbstractContextManager
        The context in which the style applies.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with context():
    ...     figure, ax = plt.subplots()
    >>> ax.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    True
    >>> plt.close(figure)
    """
    import matplotlib as mpl

    settings = rc(font_scale)
    if keep_settings:
        settings = {k: v for k, v in settings.items() if _unchanged(k)}
    with mpl.rc_context(settings):
        yield


def labels(ax, *, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None):
    """Set whichever of the title and axis labels are given.

    Parameters
    ----------
    ax
        matplotlib axes.
    title, xlabel, ylabel
        Text to set; None leaves the figure's own.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots()
    >>> labels(ax, xlabel="rounds").get_xlabel()
    'rounds'
    >>> plt.close(figure)
    """
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    return ax


def integer_ticks(axis) -> None:
    """Ticks at whole numbers only (periods, event times, rounds).

    Parameters
    ----------
    axis
        A matplotlib axis (``ax.xaxis``).

    Returns
    -------
    None
        The axis is changed in place.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots()
    >>> _ = ax.plot([-7, 3], [0, 1])
    >>> integer_ticks(ax.xaxis)
    >>> all(float(t).is_integer() for t in ax.get_xticks())
    True
    >>> plt.close(figure)
    """
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


#: Ticks offered on a log axis of ratios, by decade.
_RATIO_STEPS = (1.0, 2.0, 5.0)


def ratio_ticks(axis, low: float, high: float) -> None:
    """Readable ticks on a log axis spanning ``low`` to ``high``.

    1, 2, 3, 5 per decade within a decade, 1, 2, 5 up to three decades, else 1 per decade,
    labelled plainly (0.5, 1, 2), with the minor tick labels that overlap into
    "3×10⁻¹4×10⁻¹" switched off.

    Parameters
    ----------
    axis
        A matplotlib axis on a log scale.
    low, high
        The range the ticks must cover.

    Returns
    -------
    None
        The axis is changed in place.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots()
    >>> ax.set_xscale("log")
    >>> ratio_ticks(ax.xaxis, 0.3, 1.4)
    >>> [float(t) for t in ax.get_xticks()]
    [0.3, 0.5, 1.0]
    >>> plt.close(figure)
    """
    import numpy as np
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    low, high = max(float(low), 1e-12), max(float(high), 1e-12)
    if not np.isfinite(low) or not np.isfinite(high) or low >= high:
        low, high = 0.5, 2.0
    decades = np.arange(np.floor(np.log10(low)) - 1, np.ceil(np.log10(high)) + 2)
    span = np.log10(high / low)
    steps = (1.0, 2.0, 3.0, 5.0) if span <= 1 else _RATIO_STEPS if span <= 3 else (1.0,)
    ticks = sorted({float(f"{s * 10**d:.6g}") for d in decades for s in steps})
    inside = [t for t in ticks if low / 1.05 <= t <= high * 1.05]
    if len(inside) < 2:
        below = [t for t in ticks if t < low]
        above = [t for t in ticks if t > high]
        inside = below[-1:] + inside + above[:1]
    axis.set_major_locator(FixedLocator(inside))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    axis.set_minor_formatter(NullFormatter())


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
