"""The ``impact`` command line. Turns workbench errors into messages and exit codes; only
real bugs show a traceback."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import yaml

from . import __version__
from .errors import DataError, ImpactError, ParamsError

EXIT_OK, EXIT_USAGE, EXIT_DATA = 0, 2, 2
# impact run: 1 a report failed (its previous report kept), 3 the output folder could not be
# written, 75 another run holds the output folder (EX_TEMPFAIL: try again later).
EXIT_FAILED, EXIT_OUTPUT, EXIT_BUSY, EXIT_INTERRUPTED = 1, 3, 75, 130


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
    """The lines that would settle the issues, merged into one block of the mapping file
    (never two headers onto one column: :func:`impact.mapping.merge_suggestions`)."""
    from .mapping import MAPPING_FILE, merge_suggestions

    merged = merge_suggestions(i.suggestion for i in issues if i.suggestion)
    if merged:
        folder = Path(path) if Path(path).is_dir() else Path(path).parent
        print(f"\nSuggested lines for {folder / MAPPING_FILE} (check each before adding):")
        print(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False).rstrip())


def _summary(args: argparse.Namespace) -> int:
    import pandas as pd

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


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _run(args: argparse.Namespace) -> int:
    from .report import index, publish, runner
    from .report.status import STATUSES, Status

    if args.jobs < 1:
        raise ParamsError(f"--jobs must be at least 1 ({args.jobs})")
    if not args.wait >= 0:  # also refuses nan
        raise ParamsError(f"--wait must be 0 or more seconds ({args.wait})")
    files = [Path(p) for p in args.params]
    if args.all:
        folder = Path(args.params_dir)
        if not folder.is_dir():
            raise ParamsError(f"{folder}: no such folder of parameters files (--params-dir)")
        files += sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise ParamsError("no parameters files: give PARAMS.yaml … or --all")
    out = Path(args.out).expanduser()
    _check_out(out)
    scheduler = args.scheduler or os.environ.get("IMPACT_SCHEDULER") or None
    written: dict = {}

    def write_index() -> None:  # under the run's lock: no other run publishes meanwhile
        try:
            written["page"] = index.write_index(out)
        except OSError as exc:
            written["error"] = exc

    try:
        log = _log_file(args.log) if args.log else None
        outcomes = runner.run(
            files,
            root=out,
            notebooks=Path(args.notebooks),
            jobs=args.jobs,
            force=args.force,
            language=args.lang,
            progress=not args.quiet,
            wait=args.wait,
            log=log,
            scheduler=scheduler,
            after=write_index,
        )
    except publish.BusyError as exc:
        print(f"impact: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except publish.OutputError as exc:
        print(f"impact: {out}: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except runner.KernelError as exc:  # the machine, not the parameters: HOME, TMPDIR …
        print(f"impact: {exc}; published reports are unchanged", file=sys.stderr)
        return EXIT_OUTPUT
    except OSError as exc:  # the machine refused something else (the log, a full disk)
        print(f"impact: {publish.describe_os_error(exc)}", file=sys.stderr)
        return EXIT_OUTPUT
    page = written.get("page")
    if "error" in written:
        error = publish.describe_os_error(written["error"])
        print(f"impact: cannot write the index: {error}", file=sys.stderr)
    width = max(len(o.params) for o in outcomes)
    for outcome in outcomes:
        where = outcome.folder or ""
        via = f"  ({outcome.via})" if outcome.via else ""
        print(
            f"{outcome.status:8} {outcome.params:{width}}  {outcome.seconds:6.1f} s  {where}{via}"
        )
        if outcome.message:
            print("         " + outcome.message.replace("\n", "\n         "), file=sys.stderr)
    counts: dict[Status, int] = {s: sum(o.status == s for o in outcomes) for s in STATUSES}
    print(", ".join(f"{n} {s}" for s, n in counts.items() if n) + f"; index: {page or '-'}")
    if counts["invalid"]:
        return EXIT_USAGE
    if any(o.fault == "output" for o in outcomes) or page is None:
        return EXIT_OUTPUT
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def _check_out(out: Path) -> None:
    """Refuse an output folder that holds something else (``--out /``, ``~``, a data
    folder): a run locks, tidies and writes its index there."""
    from .report.params import KINDS

    try:
        if not out.is_dir() or (out / ".lock").exists() or (out / "index.html").exists():
            return
        # a project's reports/ folder may carry a README and git's or the desktop's
        # hidden files (the repository's own reports/README.md, where `make report` and
        # the deploy recipes write)
        entries = [
            e.name
            for e in out.iterdir()
            if e.name not in KINDS
            and not e.name.startswith(".")
            and not e.name.lower().startswith("readme")
        ]
    except OSError:
        return  # said in its own words when the run tries to use it
    if entries:
        shown = ", ".join(sorted(entries)[:3]) + (" …" if len(entries) > 3 else "")
        raise ParamsError(
            f"{out}: not a reports folder (it holds {shown}); give a new or empty folder with --out"
        )


def _log_file(name: str) -> Path:
    """The ``--log`` file, its folder made; checked before anything runs so that a log that
    cannot be written stops the run at once (exit 3) rather than after the reports."""
    from .report.publish import OutputError, describe_os_error

    path = Path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise OutputError(f"--log: cannot write {describe_os_error(exc, name)}") from None
    return path


def _plan(args: argparse.Namespace) -> int:
    from .plan import read_plan, run_plan, scheduler_address

    if args.jobs < 1 or (args.chunk is not None and args.chunk < 1) or args.retries < 0:
        raise ParamsError("--jobs and --chunk must be at least 1, --retries at least 0")
    spec = read_plan(args.design, seed=args.seed, replicates=args.replicates)
    result = run_plan(
        spec,
        jobs=args.jobs,
        scheduler=scheduler_address(args.scheduler),
        chunk=args.chunk,
        retries=args.retries,
        progress=not args.quiet,
    )
    languages = ("zh", "en") if args.lang == "both" else (args.lang,)
    written = result.write(args.out, languages)
    print(result.summary())
    print(
        f"{result.inputs['backend']}, {result.inputs['seconds']} s; wrote {len(written)} "
        f"files to {args.out}"
    )
    return EXIT_OK


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
        "folder atomically. Unchanged reports are skipped. One run at a time per output "
        "folder. Exit status: 0 every report ok or skipped; 1 a notebook failed (its "
        "previous report is kept); 2 a parameters file or its data is wrong, or the "
        "--scheduler cannot be reached (no notebook was started); 3 the machine refused "
        "(the output folder read-only, full or denied, the --log file, no Python kernel; "
        "nothing published half); 75 another run holds the output folder; "
        "130 interrupted. See docs/scheduling.md. With --scheduler the notebooks run on a "
        "Dask cluster and the reports are published here (docs/scaling.md).",
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
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another run holds the output folder, wait up to this long (default: 0, "
        "exit 75 at once)",
    )
    run.add_argument(
        "--log", metavar="FILE", help="append one JSON line per report (for schedulers)"
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="build on a Dask cluster, e.g. tcp://10.0.0.5:8786, publishing here (default: "
        "$IMPACT_SCHEDULER; unset: this machine, --jobs); needs impact[cluster]",
    )
    run.set_defaults(run=_run)

    from .plan.cli import PARSER_TEXT, add_arguments

    plan = commands.add_parser("plan", help="power of a study design, by simulation", **PARSER_TEXT)
    add_arguments(plan)
    plan.set_defaults(run=_plan)

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
    if threading.current_thread() is threading.main_thread():
        # a scheduler's stop (systemd, Airflow) is as clean as Ctrl-C, from the first instant
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except DataError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return EXIT_DATA
    except ImpactError as exc:
        print(f"impact: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("impact: interrupted; published reports are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
