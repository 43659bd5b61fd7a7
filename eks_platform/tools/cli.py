"""`python -m eks_platform ...`: the max-pods calculator and the offline plan.

Each subcommand imports only what it needs: `max-pods` never imports Pulumi, so one call
answers in a fraction of a second.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn


class CliError(Exception):
    """A user error: printed as one line, exit status 2, no traceback."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


def _add_max_pods(sub: argparse._SubParsersAction[_Parser]) -> None:
    parser = sub.add_parser(
        "max-pods",
        help="max pods per node, as AWS's max-pods-calculator.sh computes it",
        description="Max pods per node, with the flags of AWS's max-pods-calculator.sh.",
    )
    parser.add_argument("--instance-type", action="append", default=[], metavar="TYPE",
                        help="instance type, any case (repeat for several; each printed once)")
    parser.add_argument("--all", action="store_true", help="every instance type in the table")
    from eks_platform.nodes.maxpods.options import DEFAULT_CNI_VERSION

    parser.add_argument("--cni-version", default=DEFAULT_CNI_VERSION, metavar="VERSION",
                        help=f"VPC CNI version, e.g. 1.19.2 (default {DEFAULT_CNI_VERSION}: "
                             "every vpc-cni add-on EKS offers today is newer; the answer only "
                             "changes below 1.9, which has no prefix delegation)")
    parser.add_argument("--cni-custom-networking-enabled", action="store_true",
                        help="pods use ENIs in other subnets (ENIConfig): one ENI fewer")
    parser.add_argument("--cni-prefix-delegation-enabled", action="store_true",
                        help="/28 prefixes per ENI slot (Nitro instances, CNI >= 1.9)")
    parser.add_argument("--cni-max-eni", type=int, metavar="N",
                        help="use at most N ENIs of the default network card")
    parser.add_argument("--show-max-allowed", action="store_true",
                        help="the raw maximum, without the 110/250 ceiling")
    parser.set_defaults(run=_run_max_pods)


def _run_max_pods(args: argparse.Namespace) -> int:
    from eks_platform.nodes.maxpods import (
        InvalidCniVersionError,
        MaxPodsOptions,
        UnknownInstanceTypeError,
        known_instance_types,
        max_pods,
    )

    if args.all and args.instance_type:
        raise CliError("max-pods: give --instance-type or --all, not both")
    # EC2 names are lower case; a type given twice is answered once, in the order given.
    given = dict.fromkeys(t.strip().lower() for t in args.instance_type)
    types: list[str] = known_instance_types() if args.all else list(given)
    if not types:
        raise CliError("max-pods: give at least one --instance-type, or --all")
    try:
        options = MaxPodsOptions(
            cni_version=args.cni_version,
            custom_networking=args.cni_custom_networking_enabled,
            prefix_delegation=args.cni_prefix_delegation_enabled,
            max_enis=args.cni_max_eni,
            show_max_allowed=args.show_max_allowed,
        )
        answers = [(t, max_pods(t, options)) for t in types]
    except (InvalidCniVersionError, UnknownInstanceTypeError, ValueError) as error:
        raise CliError(f"max-pods: {error}") from None
    if len(answers) == 1 and not args.all:
        print(answers[0][1])
    else:
        sys.stdout.write("".join(f"{t}\t{n}\n" for t, n in answers))
    return 0


PROG = "eks-platform"
DESCRIPTION = """\
Amazon EKS on Pulumi, offline tools. `max-pods` answers what AWS's max-pods-calculator.sh
answers for an instance type and a VPC CNI configuration; `plan` shows what `pulumi up` would
create for a stack (resources, node groups, add-on versions, deploy order) without AWS
credentials or the Pulumi CLI. Also runs as `python -m eks_platform`."""


def build_parser() -> _Parser:
    parser = _Parser(prog=PROG, description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_max_pods(sub)
    from eks_platform.tools.plan_cli import add_plan_command

    add_plan_command(sub, CliError)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        status: int = args.run(args)
    except CliError as error:
        print(error, file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
