"""`python -m eks_platform plan`: the offline plan of a stack, without the cloud or the CLI.

Runs the Pulumi program under the recording mocks of `synth.py` with a stack file's config and
prints `plan.py`'s rendering. Importing this module is cheap: Pulumi and the program are only
imported when the command runs, so `max-pods` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

FORMATS = ("text", "json", "mermaid", "dot")


def add_plan_command(subparsers: argparse._SubParsersAction[Any],
                     error_cls: type[Exception]) -> None:
    """Register `plan`; user errors are raised as `error_cls` (one line, no traceback)."""
    parser = subparsers.add_parser(
        "plan",
        help="offline plan of a stack: resources, node groups, add-ons, critical path",
        description="Run the program under recording mocks with a stack's config and show "
                    "what `pulumi up` would create. No AWS credentials, no Pulumi CLI.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--stack", metavar="NAME",
                       help="stack NAME: Pulumi.NAME.yaml in the project's stack folder "
                            "(stacks/ here)")
    which.add_argument("--config-file", type=Path, metavar="PATH",
                       help="a stack file from elsewhere, named Pulumi.<stack>.yaml")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--project", type=Path, metavar="DIR",
                       help="the Pulumi project folder (holding Pulumi.yaml) to plan, from "
                            "any directory (default: the one at or above the current one)")
    where.add_argument("--program", type=Path, metavar="PATH",
                       help="Pulumi program to run (default: the project's __main__.py); "
                            "--stack then looks in that program's project")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json (secrets masked), mermaid or dot")
    parser.add_argument("--traceback", action="store_true",
                        help="show the Python traceback when the program itself fails")
    parser.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                        help="judge Kubernetes versions on this day (default: "
                             "$EKS_PLATFORM_DATE, else today in UTC)")
    parser.add_argument("--from-version", type=_minor, metavar="X.Y",
                        help="plan the upgrade of a cluster that runs X.Y today: the upgrade "
                             "guard, then the steps in order")
    parser.add_argument("--diff", type=Path, metavar="BEFORE.json",
                        help="compare with an earlier `plan --format json` of the stack or a "
                             "`pulumi stack export`: each resource created, updated, replaced "
                             "or deleted, with the inputs that cause it")
    parser.add_argument("--fail-on-replace", action="store_true",
                        help="with --diff: exit 3 if a cluster, KMS key, log group or VPC "
                             "would be replaced or deleted")
    parser.add_argument("--policy", choices=("strict",),
                        help="strict: also list the prod-like security controls the stack does "
                             "not hold (exit status 3 if any)")
    parser.set_defaults(run=lambda args: run_plan(args, error_cls))


def _day(text: str) -> date:
    from eks_platform.cluster.judgment_day import parse_day

    try:
        return parse_day(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _minor(text: str) -> str:
    from eks_platform.facts.versions import minor_key

    try:
        minor_key(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def synthesize_upgrade(program: Path, stack_file: Path, stack: str,
                       from_version: str | None) -> Graph:
    """The stack's graph; with `from_version`, run again with each of its clusters mocked as
    running that version, so the program's upgrade guard judges the step."""
    from eks_platform.tools.plan import clusters
    from eks_platform.tools.synth import synthesize_program

    graph = synthesize_program(program, stack_file, stack)
    if from_version is None:
        return graph
    live = {cluster.name: from_version for cluster in clusters(graph)}
    return synthesize_program(program, stack_file, stack, live_clusters=live)


def project_root(start: Path | None = None) -> Path:
    """The nearest directory from `start` (cwd) upward holding Pulumi.yaml, else `start`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "Pulumi.yaml").is_file():
            return folder
    return here


def stack_dir(root: Path) -> Path:
    """Where a project keeps its stack files: Pulumi.yaml's `stackConfigDir`, else next to
    Pulumi.yaml (Pulumi's default); without a Pulumi.yaml, `stacks/`."""
    import yaml

    try:
        project = yaml.safe_load((root / "Pulumi.yaml").read_text(encoding="utf-8"))
    except OSError:
        return root / "stacks"
    except yaml.YAMLError:
        project = None
    configured = project.get("stackConfigDir") if isinstance(project, dict) else None
    return root / str(configured) if configured else root


def available_stacks(folder: Path) -> list[str]:
    from eks_platform.tools.synth import stack_name

    return sorted({stack_name(p) for pattern in ("Pulumi.*.yaml", "Pulumi.*.yml")
                   for p in folder.glob(pattern)})


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to cwd when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _resolve(args: argparse.Namespace, root: Path,
             error_cls: type[Exception]) -> tuple[Path, str, str]:
    """(stack file, stack name, how to name the file in messages)."""
    if args.stack is not None:
        folder = stack_dir(root)
        for suffix in (".yaml", ".yml"):
            path = folder / f"Pulumi.{args.stack}{suffix}"
            if path.is_file():
                return path, args.stack, _shown(path)
        known = ", ".join(available_stacks(folder)) or "none"
        raise error_cls(f"plan: unknown stack {args.stack!r}: no {_shown(folder)}/"
                        f"Pulumi.{args.stack}.yaml (available stacks: {known})")
    from eks_platform.tools.synth import stack_name

    path = args.config_file
    try:
        stack = stack_name(path)
    except ValueError as error:
        raise error_cls(f"plan: {error}") from None
    if not path.is_file():
        raise error_cls(f"plan: no such stack file: {path}")
    return path, stack, str(path)


def settings_message(error: BaseException, stack: str, shown: str) -> str | None:
    """The user-facing message of a settings error anywhere in the exception chain (the
    program turns `SettingsError` into `pulumi.RunError`), naming the file actually read."""
    from pulumi import RunError

    from eks_platform.stack import SettingsError

    seen: set[int] = set()
    current: BaseException | None = error
    run_error: str | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SettingsError):
            # `settings.load()` names the file by stack; the plan may have read another path.
            if current.source == f"stacks/Pulumi.{stack}.yaml" or _same_file(current.source,
                                                                            shown):
                return str(SettingsError(shown, current.problems))
            return str(current)
        if isinstance(current, RunError) and run_error is None:
            run_error = str(current)
        current = current.__cause__ or current.__context__
    return run_error


def _same_file(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def failure_message(error: BaseException, shown: str, program: Path) -> str:
    """One line for a failure that is not a settings error: an unreadable stack file, a
    program that does not compile, or a program that raised."""
    if isinstance(error, UnicodeDecodeError):
        return f"{shown} is not UTF-8 text ({error.reason} at byte {error.start})"
    if isinstance(error, SyntaxError):
        return f"{error.filename or program}, line {error.lineno}: {error.msg}"
    if isinstance(error, OSError) and error.strerror:
        return f"cannot read {error.filename or shown}: {error.strerror}"
    text = " ".join(str(error).split()) or "(no message)"
    return (f"the program {program} failed: {type(error).__name__}: {text} "
            "(--traceback shows where)")


def run_plan(args: argparse.Namespace, error_cls: type[Exception]) -> int:
    program: Path = args.program or project_root(args.project) / "__main__.py"
    if args.project is not None and not (args.project / "Pulumi.yaml").is_file():
        raise error_cls(f"plan: no Pulumi.yaml in {args.project}")
    if not program.is_file():
        raise error_cls(f"plan: no such program: {program}")
    stack_file, stack, shown = _resolve(args, project_root(program.parent), error_cls)

    from eks_platform.cluster.judgment_day import judged_on, judgment_day
    from eks_platform.tools import plan

    try:
        day = args.date or judgment_day()
    except ValueError as error:
        raise error_cls(f"plan: {error}") from None
    gaps = None
    try:
        with judged_on(day):
            graph = synthesize_upgrade(program, stack_file, stack, args.from_version)
            if args.policy is not None:
                gaps = policy_gaps(stack_file, shown)
    except Exception as error:
        message = settings_message(error, stack, shown)
        if message is not None:
            print(message, file=sys.stderr)
            return 1
        if args.traceback:
            raise
        raise error_cls(f"plan: {failure_message(error, shown, program)}") from None
    if args.diff is not None:
        return _show_diff(args, graph, stack, error_cls)
    if args.fail_on_replace:
        raise error_cls("plan: --fail-on-replace needs --diff BEFORE.json")
    if args.format == "json":
        import json

        document = plan.to_json(graph, stack, day=day, from_version=args.from_version)
        if gaps is not None:
            document["policy"] = {"name": args.policy,
                                  "notHeld": [{"control": g.control.id, "why": g.why}
                                              for g in gaps]}
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    elif args.format == "mermaid":
        text = plan.render_mermaid(graph)
    elif args.format == "dot":
        text = plan.render_dot(graph, stack)
    else:
        text = plan.render_text(graph, stack, day=day, from_version=args.from_version)
    sys.stdout.write(text)
    if gaps is None:
        return 0
    from eks_platform.stack.policy import report

    if args.format == "text":
        sys.stdout.write("\n" + report(gaps))
    elif args.format != "json":
        sys.stderr.write(report(gaps))
    return 3 if gaps else 0


def _show_diff(args: argparse.Namespace, graph: Graph, stack: str,
               error_cls: type[Exception]) -> int:
    """`--diff`: the changes from the earlier record; exit 3 on a stateful loss when asked."""
    import json

    from eks_platform.tools.plan.diff import DiffInputError, diff_graph, render_diff

    try:
        document = json.loads(args.diff.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise error_cls(f"plan: cannot read {args.diff}: {error}") from None
    try:
        result = diff_graph(document, graph, stack)
    except DiffInputError as error:
        raise error_cls(f"plan: {args.diff}: {error}") from None
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_json(), indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write(render_diff(result))
    losses = result.stateful_losses()
    if args.fail_on_replace and losses:
        names = ", ".join(f"{c.op} {c.name} ({c.type})" for c in losses)
        print(f"plan: --fail-on-replace: {names}", file=sys.stderr)
        return 3
    return 0


def policy_gaps(stack_file: Path, shown: str) -> list[Any]:
    """The stack file's settings held to the strict policy (secrets as the plan places them)."""
    from eks_platform.stack import parse, read_stack_file
    from eks_platform.stack.policy import strict_gaps
    from eks_platform.stack.source import with_secret_placeholders

    placed, _ = with_secret_placeholders(read_stack_file(stack_file))
    return list(strict_gaps(parse(placed, shown)))
