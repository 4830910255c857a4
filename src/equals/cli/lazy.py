"""Lazily loaded command groups: ``equals --help`` lists commands without importing them.

Typer builds a command (its options, their types) by importing the module that defines it,
and every command module imports its library — pandas through ``equals.survey``, SQLAlchemy
through the store, DuckDB. Listing every command that way cost ~2.3 CPU s per run. Here a
group lists its commands from a static index (``commands.json``: name, defining module, help
texts) and imports a command's module only when that command runs (or its ``--help`` is asked
for), as click's documentation shows for "lazily loading subcommands".

The index is generated from the registered commands by ``python scripts/make_docs.py``
(:func:`index_json`) and ``tests/test_docs.py`` fails when it is stale, so help lists exactly
the commands that exist, with the same texts (they are translated like any help text:
``equals.cli.localise``). A command module joins the command line by being named in
:data:`MODULES`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

if TYPE_CHECKING:
    import typer

MODULES: tuple[str, ...] = (
    "equals.cli.analysis",
    "equals.cli.backup",
    "equals.cli.data",
    "equals.cli.evidence",
    "equals.cli.partners",
    "equals.cli.problems",
    "equals.cli.sessions",
    "equals.cli.sessions_people",
    "equals.cli.sessions_store",
    "equals.cli.survey",
    "equals.cli.survey_data",
    "equals.cli.survey_indicators",
    "equals.cli.users",
)
"""Every module that registers commands, in registration order (the order help lists them)."""

INDEX_PATH = Path(__file__).with_name("commands.json")


class Entry(NamedTuple):
    """One command or group of the index: what help lists, and where it is defined."""

    name: str
    module: str
    group: bool = False
    help: str | None = None
    short_help: str | None = None
    hidden: bool = False
    deprecated: bool = False
    rich_help_panel: str | None = None
    # A group's own settings: it is built from these without importing its module, unless it
    # has a callback (options of its own), when its module is imported to build it.
    no_args_is_help: bool = False
    invoke_without_command: bool = False
    epilog: str | None = None
    callback: bool = False

    def listing(self) -> dict[str, Any]:
        """What a stand-in for this entry shows in help: its name and help texts."""
        return {
            "name": self.name,
            "help": self.help,
            "short_help": self.short_help,
            "hidden": self.hidden,
            "deprecated": self.deprecated,
            "rich_help_panel": self.rich_help_panel,
        }


@cache
def index() -> dict[str, tuple[Entry, ...]]:
    """The command index by group path (``""`` the root, ``"sessions"``…), in listing order."""
    raw = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    return {path: tuple(Entry(**entry) for entry in entries) for path, entries in raw.items()}


class LazyCommand(TyperCommand):
    """A command's name and help texts, standing in for it until it is resolved."""

    def __init__(self, entry: Entry) -> None:
        super().__init__(**entry.listing())
        self.entry = entry

    def invoke(self, ctx: Any) -> Any:
        raise RuntimeError(f"command {self.entry.name!r} was run before it was loaded")


def root_app() -> typer.Typer:
    from equals.cli.app import app

    return app


class LazyGroup(TyperGroup):
    """A group whose commands not yet imported are :class:`LazyCommand` stand-ins, replaced
    by the real command when resolved (to run it, show its help or complete its arguments)."""

    lazy_path: tuple[str, ...] = ()
    lazy_typer: typer.Typer | None = None  # whose registrations hold the real commands
    lazy_module: str = ""  # the module that defines the group (imported to find lazy_typer)

    def fill(self) -> None:
        """Add the index's commands not registered yet, as stand-ins; sub-groups too."""
        entries = index().get(" ".join(self.lazy_path), ())
        for entry in entries:
            command = self.commands.get(entry.name)
            if command is None:
                self.commands[entry.name] = LazyCommand(entry)
            elif entry.group and isinstance(command, TyperGroup):
                make_lazy(command, _group_info(self._typer(), entry.name).typer_instance,
                          (*self.lazy_path, entry.name))  # fmt: skip

    def _typer(self) -> typer.Typer:
        if self.lazy_typer is None:
            if self.lazy_module:
                importlib.import_module(self.lazy_module)
            found: typer.Typer | None = root_app()
            for name in self.lazy_path:
                assert found is not None
                found = _group_info(found, name).typer_instance
            self.lazy_typer = found
        assert self.lazy_typer is not None
        return self.lazy_typer

    def list_commands(self, ctx: Any) -> list[str]:
        """Index order (the order of registration), then anything registered since."""
        listed = [e.name for e in index().get(" ".join(self.lazy_path), ())]
        seen = set(listed)
        return [n for n in listed if n in self.commands] + [
            n for n in self.commands if n not in seen
        ]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args:
            self.load(str(args[0]))
        return super().resolve_command(ctx, args)

    def load(self, name: str) -> Any:
        """The command ``name``, imported and built if it was a stand-in (then localised into
        the current language, as the root localised the stand-in)."""
        command = self.commands.get(name)
        if isinstance(command, LazyCommand):
            from equals.cli.localise import localise

            command = self._build(command.entry)
            localise(command)
            self.commands[name] = command
        return command

    def _build(self, entry: Entry) -> Any:
        app = root_app()
        path = (*self.lazy_path, entry.name)
        if entry.group and not entry.callback:  # listed from the index: no import yet
            group = LazyGroup(
                **entry.listing(),
                no_args_is_help=entry.no_args_is_help,
                invoke_without_command=entry.invoke_without_command,
                epilog=entry.epilog,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
            group.lazy_path, group.lazy_module = path, entry.module
            group.fill()
            return group
        importlib.import_module(entry.module)
        if entry.group:
            info = _group_info(self._typer(), entry.name)
            built = typer.main.get_group_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
            return make_lazy(built, info.typer_instance, path)
        return typer.main.get_command_from_info(
            _command_info(self._typer(), entry.name),
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
        )


def _command_name(info: CommandInfo) -> str:
    assert info.callback is not None
    return info.name or typer.main.get_command_name(info.callback.__name__)


def _stale(name: str) -> RuntimeError:
    return RuntimeError(
        f"command {name!r} is in the command index but not registered: the index is stale "
        "(run python scripts/make_docs.py)"
    )


def _command_info(parent: typer.Typer, name: str) -> CommandInfo:
    for info in parent.registered_commands:
        if _command_name(info) == name:
            return info
    raise _stale(name)


def _group_info(parent: typer.Typer, name: str) -> TyperInfo:
    for info in parent.registered_groups:
        solved = typer.main.solve_typer_info_defaults(info)
        if solved.name == name:
            return info
    raise _stale(name)


@cache
def _lazy_class(cls: type[TyperGroup]) -> type[LazyGroup]:
    if issubclass(cls, LazyGroup):
        return cls
    if cls is TyperGroup:
        return LazyGroup
    return type(f"Lazy{cls.__name__}", (LazyGroup, cls), {})


def make_lazy(group: TyperGroup, typer_instance: Any, path: tuple[str, ...]) -> LazyGroup:
    """Make ``group`` (built by Typer from the commands registered so far) list the rest of
    its commands from the index and load them when resolved."""
    group.__class__ = _lazy_class(type(group))
    assert isinstance(group, LazyGroup)
    group.lazy_typer = typer_instance
    group.lazy_path = path
    group.fill()
    return group


def load_all(command: Any) -> Any:
    """Resolve every stand-in below ``command`` (for the reference docs and the catalogue
    extraction, which need every command's options)."""
    if isinstance(command, LazyGroup):
        for name in list(command.commands):
            command.load(name)
    for sub in (getattr(command, "commands", None) or {}).values():
        load_all(sub)
    return command


def full_command() -> Any:
    """The whole ``equals`` click command tree, every command loaded."""
    return load_all(typer.main.get_command(root_app()))


# -- the index, generated ---------------------------------------------------------------------


def _module_of(typer_instance: Any, modules: Iterable[Any]) -> str:
    for module in modules:
        if any(value is typer_instance for value in vars(module).values()):
            return str(module.__name__)
    raise RuntimeError("a command group is defined in no module of equals.cli.lazy.MODULES")


def _entries(typer_instance: Any, group: Any, path: str, out: dict[str, list[dict[str, Any]]],
             modules: list[Any]) -> None:  # fmt: skip
    """Index entries of one group, in the order Typer registers them (commands, then groups)."""
    rows: list[dict[str, Any]] = []
    named: list[tuple[str, str, bool, Any]] = [
        (_command_name(info), str(getattr(info.callback, "__module__", "")), False, None)
        for info in typer_instance.registered_commands
    ]
    groups: list[tuple[str, str, bool, Any]] = []
    for info in typer_instance.registered_groups:
        solved = typer.main.solve_typer_info_defaults(info)
        module = _module_of(info.typer_instance, modules)
        groups.append((str(solved.name), module, True, info.typer_instance))
    # The order of MODULES, whatever order this process imported them in (a command already
    # run imports its module first); within a module, the order it registers them.
    rank = {name: i for i, name in enumerate(MODULES)}
    named = sorted(named, key=lambda n: rank.get(n[1], len(rank)))
    named += sorted(groups, key=lambda n: rank.get(n[1], len(rank)))
    for name, module, is_group, sub_typer in named:
        command = group.commands[name]
        panel = getattr(command, "rich_help_panel", None)
        panel = getattr(panel, "value", panel)  # Typer's DefaultPlaceholder of None
        entry = Entry(name, module, is_group, command.help, command.short_help, command.hidden,
                      command.deprecated, panel)  # fmt: skip
        if is_group:
            entry = entry._replace(
                no_args_is_help=command.no_args_is_help,
                invoke_without_command=command.invoke_without_command,
                epilog=command.epilog,
                callback=command.callback is not None or bool(command.params),
            )
        defaults = Entry(name, module)
        rows.append({k: v for k, v in entry._asdict().items()
                     if k in ("name", "module") or v != getattr(defaults, k)})  # fmt: skip
        if is_group:
            sub_path = f"{path} {name}".strip()
            _entries(sub_typer, command, sub_path, out, modules)
    out[path] = rows


def index_json() -> str:
    """The index of every registered command, as ``commands.json`` holds it."""
    modules = [importlib.import_module(name) for name in MODULES]
    app = root_app()
    tree = typer.main.get_command(app)
    out: dict[str, list[dict[str, Any]]] = {}
    _entries(app, tree, "", out, modules)
    ordered = {path: out[path] for path in sorted(out)}
    return json.dumps(ordered, ensure_ascii=False, indent=1) + "\n"
