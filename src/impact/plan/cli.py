"""The ``impact plan`` command's arguments and help (the command itself is in
:mod:`impact.cli`)."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Plan a study: for each design point, simulate REPLICATES data sets with the workbench's
generator, estimate each with the workbench's own estimators, and report power, bias, RMSE
and interval coverage against the planted truth, as a table (CSV, xlsx) and a plot of power,
in Chinese and English.

Estimands and intervals (no bootstrap; analytic standard errors):
  participation  overall participation effect on volunteers per 1,000 residents
                 (staggered difference-in-differences, Callaway & Sant'Anna, simple
                 aggregation); interval: estimate +/- z x influence-function se
  leverage       log(matched / standard leverage) at equal team size (Poisson QMLE,
                 offset log grant); interval: estimate +/- z x community-clustered se
Power is the share of replicates whose interval excludes 0 (a replicate the estimator could
not run on counts as not detected); coverage the share whose interval contains the truth;
both with exact 95% Monte-Carlo intervals.

The same seed gives the same numbers whatever --jobs, --chunk or cluster: each replicate's
seed is derived from (seed, design point, replicate) with numpy SeedSequence.

Runs in this process by default, in N local processes with --jobs N, or on a Dask cluster
with --scheduler ADDRESS (or the IMPACT_SCHEDULER environment variable); needs
pip install 'impact[cluster]' and impact installed on the workers (see docs/scaling.md).
Exit 0 when done, 2 when the design file is wrong (one line per problem), 130 on Ctrl-C
(the plan's tasks on the cluster are cancelled)."""

EPILOG = """\
design file (YAML; every key optional; defaults are the sample's generator parameters,
simulate_defaults.yaml):

  seed: 20220701           # seed of the whole plan
  replicates: 200          # data sets per design point
  alpha: 0.05              # test level; intervals are 1 - alpha
  design:                  # the base design
    communities: 24
    rounds: 4              # one round a year
    joining: early         # even | early (weights rounds..1) | late | [w1, w2, ...] per round
    joined_share: 0.6667   # share of communities joining by the last round; the rest never
    projects_per_round: 15 # funded projects per round
    matched_share: 0.2     # share of new projects choosing the matched type
    years_before: 5        # panel years before round 1
    years_after: 3         # panel years after the last round
    effect_at_join: 3.0    # participation effect in the joining year (volunteers per 1,000)
    effect_growth: 1.0     # further effect per year since joining
    volunteers_noise_sd: 1.5
    leverage_matched_ratio: 1.8
    leverage_sigma: 0.6
  grid:                    # knobs to vary: every combination is a design point
    communities: [12, 24, 48]
    rounds: [3, 4, 6]

writes to --out: plan-zh.csv, plan-en.csv, plan.xlsx, power-zh.png, power-en.png,
replicates.csv (every estimate and its seed), plan.yaml (the plan with defaults filled in)."""

PARSER_TEXT = {
    "description": DESCRIPTION,
    "epilog": EPILOG,
    "formatter_class": argparse.RawDescriptionHelpFormatter,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "design", nargs="?", metavar="DESIGN.yaml", help="design file (default: the sample's)"
    )
    parser.add_argument("--out", default="plan", metavar="DIR", help="output folder (plan)")
    parser.add_argument("--seed", type=int, help="override the file's seed")
    parser.add_argument("--replicates", type=int, metavar="N", help="override the file's")
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="local processes (default 1)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: $IMPACT_SCHEDULER; unset: local)",
    )
    parser.add_argument(
        "--chunk", type=int, metavar="K", help="replicates per task (default: ~20 tasks a point)"
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="R",
        help="on a cluster, retries of a task that fails (a lost worker's task is "
        "rescheduled anyway); default 2",
    )
    parser.add_argument(
        "--lang", choices=["zh", "en", "both"], default="both", help="outputs' language"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
