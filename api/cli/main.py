"""The `dealwise` command: subcommands are discovered from the modules of api/cli (each has `register`)."""

from __future__ import annotations

import importlib
import pkgutil

import typer

from api import cli

app = typer.Typer(name="dealwise", help="Dealwise: conversational AI sales assistant for Chinese B2B sales teams.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)

for _mod in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
    if _mod.name in {"main", "common"}:
        continue
    _module = importlib.import_module(f"api.cli.{_mod.name}")
    if hasattr(_module, "register"):
        _module.register(app)


if __name__ == "__main__":
    app()
