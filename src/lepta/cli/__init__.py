"""The `lepta` command.

    lepta --version
    lepta render app.module:App        # server-render a component to stdout

(`new`, `dev`, `build` and `serve` come with the browser runtime.)
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..ssr import render_to_string
from ..view import Component


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lepta", description="Lepta's command line.")
    parser.add_argument("--version", action="version", version="lepta %s" % __version__)
    commands = parser.add_subparsers(dest="command")
    render = commands.add_parser("render", help="server-render a component to stdout")
    render.add_argument("target", help="module:Component, e.g. app.views:App")
    args = parser.parse_args(argv)
    if args.command == "render":
        return _render(args.target)
    parser.print_help()
    return 2


def _render(target: str) -> int:
    module_name, _, name = target.partition(":")
    if not module_name or not name:
        print("lepta render: give module:Component, e.g. app.views:App", file=sys.stderr)
        return 2
    sys.path.insert(0, ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        print("lepta render: cannot import %s: %s" % (module_name, exc), file=sys.stderr)
        return 1
    component = getattr(module, name, None)
    if not isinstance(component, Component):
        print(
            "lepta render: %s has no component %r (mark it with @component)"
            % (module_name, name),
            file=sys.stderr,
        )
        return 1
    print(render_to_string(component))
    return 0
