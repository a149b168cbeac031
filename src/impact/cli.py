"""The ``impact`` command line. Turns workbench errors into messages and exit codes; only
real bugs show a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from . import __version__
from .errors import DataError, ImpactError, ParamsError

EXIT_OK, EXIT_USAGE, EXIT_DATA = 0, 2, 2


def _validate(args: argparse.Namespace) -> int:
    from .dataset import validate

    status = EXIT_OK
    for path in args.paths:
        issues = validate(path)
        errors = [i for i in issues if i.severity == "error"]
        warnings = [i for i in issues if i.severity == "warning"]
        notes = [i for i in issues if i.severity == "note"]
        shown = errors + ([] if args.no_warnings else warnings + notes)
        for issue in sorted(shown, key=lambda i: (i.file, i.row if i.row is not None else -1)):
            print(issue)
        _print_suggestions(path, errors + warnings)
        if errors:
            print(f"{path}: {len(errors)} error(s), {len(warnings)} warning(s)", file=sys.stderr)
            status = EXIT_DATA
            continue
        from .dataset import load

        data = load(path)
        counts = ", ".join(f"{name} {rows:,}" for name, rows in data.counts().items())
        print(f"{path}: ok, {len(warnings)} warning(s); {counts}")
    return status


def _print_suggestions(path: str, issues) -> None:
    """The lines that would settle the issues, merged into one block of the mapping file."""
    from .mapping import MAPPING_FILE

    merged: dict = {}
    for issue in issues:
        if issue.suggestion:
            _merge(merged, yaml.safe_load(issue.suggestion))
    if merged:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        print(f"\nSuggested lines for {folder / MAPPING_FILE} (check each before adding):")
        print(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False).rstrip())


def _merge(into: dict, more: dict) -> None:
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into.setdefault(key, value)


def _summary(args: argparse.Namespace) -> int:
    from .dataset import load
    from .describe import programme_overview

    for path in args.paths:
        data = load(path)
        print(f"\n== {path}: {data!r}")
        if data.projects is not None:
            overview = programme_overview(data)
            with pd.option_context(
                "display.width",
                120,
                "display.max_columns",
                20,
                "display.float_format",
                "{:,.2f}".format,
            ):
                print(overview.to_string())
        if data.published is not None:
            counts = data.published.groupby("programme_id", observed=True).size()
            print(
                "published figures per programme: "
                + ", ".join(f"{p} {n}" for p, n in counts.items())
            )
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from .simulate import check_params, default_params, simulate, write

    if args.params:
        try:
            params = yaml.safe_load(Path(args.params).read_text("utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ParamsError(f"{args.params}: cannot read parameters: {exc}") from None
        if not isinstance(params, dict):
            raise ParamsError(f"{args.params}: expected a mapping of parameters")
        check_params(params, origin=args.params)
    else:
        params = default_params()
    if args.seed is not None:
        params["seed"] = args.seed
    data = simulate(params)
    written = write(data, args.out, params)
    counts = ", ".join(f"{name} {rows:,}" for name, rows in data.counts().items())
    print(f"wrote {len(written)} files to {args.out} (seed {params['seed']}): {counts}")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .schema import to_markdown

    text = to_markdown()
    if args.out:
        Path(args.out).write_text(text, "utf-8")
    else:
        print(text)
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from .template import write_template

    path = write_template(args.kind, args.lang, args.out)
    print(f"wrote {path}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from .report import index, runner

    files = [Path(p) for p in args.params]
    if args.all:
        files += sorted(Path(args.params_dir).glob("*.yaml"))
    if not files:
        raise ParamsError("no parameters files: give PARAMS.yaml … or --all")
    outcomes = runner.run(
        files,
        root=Path(args.out),
        notebooks=Path(args.notebooks),
        jobs=args.jobs,
        force=args.force,
        language=args.lang,
        progress=not args.quiet,
    )
    page = index.write_index(Path(args.out))
    width = max(len(o.params) for o in outcomes)
    for outcome in outcomes:
        where = outcome.folder or ""
        print(f"{outcome.status:8} {outcome.params:{width}}  {outcome.seconds:6.1f} s  {where}")
        if outcome.message:
            print("         " + outcome.message.replace("\n", "\n         "), file=sys.stderr)
    counts = {
        s: sum(o.status == s for o in outcomes) for s in ("ok", "skipped", "failed", "invalid")
    }
    print(", ".join(f"{n} {s}" for s, n in counts.items() if n) + f"; index: {page}")
    if counts["invalid"]:
        return EXIT_USAGE
    return 1 if counts["failed"] else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="impact", description="Evaluate community micro-grant programmes."
    )
    parser.add_argument("--version", action="version", version=f"impact {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate",
        help="check data files and list every problem",
        description="Check a folder of CSV/Parquet files or an .xlsx workbook. Prints each "
        "problem as file:row: column: message (value). Exit 0 when clean, 2 when "
        "any error is found.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--no-warnings", action="store_true", help="print errors only")
    validate.set_defaults(run=_validate)

    summary = commands.add_parser("summary", help="print an overview of each programme")
    summary.add_argument("paths", nargs="+", metavar="PATH")
    summary.set_defaults(run=_summary)

    simulate = commands.add_parser(
        "simulate",
        help="generate a synthetic data set with known true effects",
        description="Write every table plus params.yaml to OUT. The same parameters and seed "
        "give byte-identical files.",
    )
    simulate.add_argument("--seed", type=int, help="random seed (default: the parameters')")
    simulate.add_argument("--out", required=True, metavar="DIR")
    simulate.add_argument(
        "--params", metavar="FILE", help="YAML parameters (default: the built-in ones)"
    )
    simulate.set_defaults(run=_simulate)

    run = commands.add_parser(
        "run",
        help="run report notebooks and publish them",
        description="Check each parameters file (refusing unknown keys), run its notebook "
        "with papermill, export HTML, tables and figures, and publish the report "
        "folder atomically. Unchanged reports are skipped. Exit 0 when every "
        "report is ok or skipped, 1 if a notebook failed (its previous report is "
        "kept), 2 if a parameters file is wrong.",
    )
    run.add_argument("params", nargs="*", metavar="PARAMS.yaml")
    run.add_argument("--all", action="store_true", help="every .yaml file in --params-dir")
    run.add_argument("--params-dir", default="params", metavar="DIR")
    run.add_argument("--notebooks", default="notebooks", metavar="DIR")
    run.add_argument("--out", default="reports", metavar="DIR")
    run.add_argument("--jobs", type=int, default=1, metavar="N", help="reports in parallel")
    run.add_argument("--force", action="store_true", help="rerun unchanged reports too")
    run.add_argument("--lang", choices=["zh", "en"], help="override each file's language")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(run=_run)

    schema = commands.add_parser("schema", help="print the data model as Markdown")
    schema.add_argument("--out", metavar="FILE")
    schema.set_defaults(run=_schema)

    template = commands.add_parser(
        "template",
        help="write the .xlsx workbook an office fills in",
        description="Write an entry workbook for one kind of programme: an instructions "
        "sheet, a sheet per table that kind uses, headers with units, drop-down lists for "
        "codes, number and date formats and example rows. Check it, once filled, with "
        "impact validate.",
    )
    template.add_argument(
        "--kind",
        required=True,
        choices=["competition", "fund", "incubator", "contest", "proposal_contest", "partnership"],
    )
    template.add_argument("--lang", choices=["zh", "en"], default="zh")
    template.add_argument("--out", required=True, metavar="FILE.xlsx")
    template.set_defaults(run=_template)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return EXIT_DATA
    except ImpactError as exc:
        print(f"impact: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("impact: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
