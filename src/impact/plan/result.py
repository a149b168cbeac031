"""What a plan found, per design point and estimand: power, bias, RMSE, interval coverage,
with Monte-Carlo intervals; as a table (CSV, xlsx) and a plot of power, in zh and en."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .catalogue import t, value_text
from .design import PlanSpec

SUMMARY_COLUMNS = [
    "estimand",
    "truth",
    "replicates",
    "estimated",
    "mean_estimate",
    "bias",
    "bias_se",
    "rmse",
    "sd_estimate",
    "mean_se",
    "power",
    "power_low",
    "power_high",
    "coverage",
    "coverage_low",
    "coverage_high",
]


def clopper_pearson(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for a Monte-Carlo proportion (power or coverage)."""
    from scipy import stats

    if trials == 0:
        return np.nan, np.nan
    tail = (1 - level) / 2
    low = stats.beta.ppf(tail, successes, trials - successes + 1) if successes else 0.0
    high = (
        stats.beta.ppf(1 - tail, successes + 1, trials - successes) if successes < trials else 1.0
    )
    return float(low), float(high)


def summarise(replicates: pd.DataFrame, truths: pd.DataFrame) -> pd.DataFrame:
    """One row per design point and estimand.

    Power counts a replicate whose estimator could not run as not detected (the study
    would have seen nothing); bias, RMSE and coverage are over the replicates estimated."""
    rows = []
    for (point, estimand), group in replicates.groupby(["point", "estimand"], sort=True):
        truth = truths.loc[(point, estimand), "truth"]
        ok = group[group.failure == ""]
        error = ok.estimate - truth
        detected = int(((group.ci_low > 0) | (group.ci_high < 0)).sum())
        covered = int(((ok.ci_low <= truth) & (truth <= ok.ci_high)).sum())
        n, m = len(group), len(ok)
        power_low, power_high = clopper_pearson(detected, n)
        coverage_low, coverage_high = clopper_pearson(covered, m)
        rows.append(
            {
                "point": point,
                "estimand": estimand,
                "truth": truth,
                "replicates": n,
                "estimated": m,
                "mean_estimate": ok.estimate.mean(),
                "bias": error.mean(),
                "bias_se": ok.estimate.std(ddof=1) / np.sqrt(m) if m > 1 else np.nan,
                "rmse": float(np.sqrt((error**2).mean())) if m else np.nan,
                "sd_estimate": ok.estimate.std(ddof=1) if m > 1 else np.nan,
                "mean_se": ok.se.mean(),
                "power": detected / n,
                "power_low": power_low,
                "power_high": power_high,
                "coverage": covered / m if m else np.nan,
                "coverage_low": coverage_low,
                "coverage_high": coverage_high,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PlanResult:
    """A finished plan.

    ``table``: one row per design point and estimand (the grid's knobs, then
    :data:`SUMMARY_COLUMNS`); ``replicates``: every replicate's estimate, standard error,
    interval and seed, for audit; ``spec``: the checked plan; ``inputs``: how it ran (which
    backend, how many workers, tasks), which does not change any number."""

    spec: PlanSpec
    table: pd.DataFrame
    replicates: pd.DataFrame
    inputs: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return "Power analysis by simulation (impact plan)"

    def summary(self) -> str:
        shown = self.table.drop(columns=["point"])
        with pd.option_context("display.width", 160, "display.max_columns", 30):
            text = shown.to_string(index=False, float_format=lambda v: f"{v:.3g}")
        return f"{self.title}; seed {self.spec.seed}, {self.spec.replicates} per point\n{text}"

    def localized(self, language: str) -> pd.DataFrame:
        """The table with headers and values in ``language`` (for CSV and xlsx)."""
        table = self.table.drop(columns=["point"]).copy()
        for knob in self.spec.grid:
            table[knob] = table[knob].map(lambda v: value_text(v, language))
        table["estimand"] = table.estimand.map(lambda e: t(e, language))
        return table.rename(columns={c: t(c, language) for c in table.columns})

    def plot(self, ax=None, *, language: str = "en", x: str | None = None):
        """Power against ``x`` (default: communities, else rounds, else the first grid knob),
        one panel per estimand, one line per combination of the other knobs, with Monte-Carlo
        95% bars, the test level and the usual 80% target."""
        import matplotlib.pyplot as plt

        knobs = list(self.spec.grid)
        if x is None:
            x = next(
                (k for k in ("communities", "rounds") if k in knobs), knobs[0] if knobs else None
            )
        estimands = list(dict.fromkeys(self.table.estimand))
        with plt.rc_context(_fonts()):
            if ax is None:
                fig, axes = plt.subplots(
                    1, len(estimands), figsize=(5 * len(estimands), 3.8), squeeze=False
                )
                axes = list(axes[0])
            else:
                axes = list(np.atleast_1d(ax))
                fig = axes[0].figure
            others = [k for k in knobs if k != x]
            for axis, estimand in zip(axes, estimands, strict=False):
                rows = self.table[self.table.estimand == estimand]
                groups = rows.groupby(others, sort=False) if others else [((), rows)]
                for key, line in groups:
                    key = key if isinstance(key, tuple) else (key,)
                    label = ", ".join(
                        f"{t(k, language)}={value_text(v, language)}"
                        for k, v in zip(others, key, strict=True)
                    ) or t("single_point", language)
                    positions = line[x].map(lambda v: value_text(v, language)) if x else [label]
                    power = line.power.to_numpy(float)
                    axis.errorbar(
                        list(positions),
                        power,
                        yerr=[
                            power - line.power_low.to_numpy(float),
                            line.power_high.to_numpy(float) - power,
                        ],
                        marker="o",
                        capsize=3,
                        label=label,
                    )
                alpha = self.spec.alpha
                axis.axhline(
                    alpha,
                    color="grey",
                    linestyle=":",
                    label=t("nominal", language, alpha=f"{alpha:g}"),
                )
                axis.axhline(0.8, color="grey", linestyle="--", label=t("target", language))
                axis.set_ylim(0, 1.02)
                axis.set_title(t(estimand, language), fontsize=10)
                axis.set_xlabel(t(x, language) if x else "")
                axis.set_ylabel(t("power", language))
                axis.legend(fontsize=7)
            level = f"{1 - self.spec.alpha:.0%}"
            fig.suptitle(t("plot_title", language, level=level), fontsize=11)
            fig.tight_layout()
        return axes

    def write(self, out: str | Path, languages: tuple[str, ...] = ("zh", "en")) -> list[Path]:
        """Write ``plan-<lang>.csv`` (UTF-8 with BOM, for Excel), ``plan.xlsx`` (one sheet
        per language), ``power-<lang>.png``, ``replicates.csv`` and ``plan.yaml`` (the
        checked plan with every default filled in). Returns the paths written."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import yaml

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for language in languages:
            path = out / f"plan-{language}.csv"
            self.localized(language).to_csv(path, index=False, encoding="utf-8-sig")
            written.append(path)
        path = out / "plan.xlsx"
        with pd.ExcelWriter(path) as excel:
            for language in languages:
                self.localized(language).to_excel(
                    excel, sheet_name=t("sheet", language), index=False
                )
        written.append(path)
        for language in languages:
            axes = self.plot(language=language)
            path = out / f"power-{language}.png"
            with plt.rc_context(_fonts()):
                axes[0].figure.savefig(path, dpi=120)
            plt.close(axes[0].figure)
            written.append(path)
        path = out / "replicates.csv"
        self.replicates.to_csv(path, index=False)
        written.append(path)
        path = out / "plan.yaml"
        document = {**self.spec.model_dump(mode="json"), "ran": self.inputs}
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
        written.append(path)
        return written


def _fonts() -> dict:
    """A checked Chinese font for the Chinese plot (matplotlib's default where there is
    none: the English plot still draws)."""
    from ..fonts import FontError, chinese_font

    try:
        families = [chinese_font(), "DejaVu Sans"]
    except FontError:
        families = ["DejaVu Sans"]
    return {"font.family": "sans-serif", "font.sans-serif": families, "axes.unicode_minus": False}
