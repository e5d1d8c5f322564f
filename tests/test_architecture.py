"""DESIGN.md's layering, checked over the source (our equivalent of import-linter).

- The core (package ``conference``) never imports a domain; ``conference/main.py`` is the one
  place that wires domains in.
- The domains (``streaming``, ``posters``, ``exhibitors``) never import each other, nor the
  wiring (``conference.main``, ``conference.cli``).
- Importing a module does no work that creates an engine, settings or a hub: such calls sit
  inside functions, run when the app factory or the command line asks.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.source_imports import imported

ROOT = Path(__file__).resolve().parent.parent
CORE = "conference"
DOMAINS = frozenset({"streaming", "posters", "exhibitors"})
FIRST_PARTY = DOMAINS | {CORE}
WIRING = "conference.main"
# Modules that sit above the wiring and may reach the domains through it (never directly):
# the command line, ``python -m conference`` and the Alembic environment (which needs every
# model's metadata).
ABOVE_WIRING = frozenset({"conference.cli", "conference.__main__", "conference.db.migrations.env"})
# What a domain must never import.
WIRING_MODULES = frozenset({"conference.main", "conference.cli", "conference.__main__"})

# Calls that build an engine, settings, a hub or an app; allowed only inside functions.
CALLS_NOT_AT_IMPORT = frozenset(
    {
        "create_engine",
        "create_async_engine",
        "sa_create_async_engine",
        "Database",
        "Settings",
        "load_settings",
        "with_secret_key",
        "create_backend",
        "MemoryBackend",
        "RedisBackend",
        "build_context",
        "create_app",
        "create_app_from_env",
    }
)


@dataclass(frozen=True)
class Module:
    name: str
    source: str
    is_package: bool = False
    path: str = ""


def top(name: str) -> str:
    return name.partition(".")[0]


def _with_parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


def imported_names(module: Module, known: Iterable[str] = ()) -> set[str]:
    """Every first-party module ``module`` imports, at any depth of its code.

    Importing ``a.b.c`` runs ``a`` and ``a.b`` too, so parents count. ``from a import b``
    counts ``a`` and, when ``a.b`` is a module, ``a.b``. ``importlib.import_module("x")``
    and ``__import__("x")`` with a literal name count as well.
    """
    known = set(known)
    found: set[str] = set()
    for name, maybe in imported(
        module.source,
        module.name,
        is_package=module.is_package,
        filename=module.path or module.name,
    ):
        if not maybe:
            found |= _with_parents(name)
        elif name in known:
            found.add(name)
    return {n for n in found if top(n) in FIRST_PARTY and n != module.name}


def import_graph(modules: Mapping[str, Module]) -> dict[str, set[str]]:
    return {name: imported_names(m, modules) for name, m in modules.items()}


def _path(graph: Mapping[str, set[str]], start: str, goal: str) -> list[str]:
    """The shortest import chain from ``start`` to ``goal`` (breadth first)."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            chain = [current]
            while (before := previous[chain[-1]]) is not None:
                chain.append(before)
            return chain[::-1]
        for nxt in sorted(graph.get(current, ())):
            if nxt not in previous:
                previous[nxt] = current
                queue.append(nxt)
    return []


def _reachable(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for nxt in graph.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    seen.discard(start)
    return seen


def layering_violations(modules: Mapping[str, Module]) -> list[str]:
    """Every break of DESIGN.md's import rule, as readable sentences (empty when clean)."""
    graph = import_graph(modules)
    problems: list[str] = []

    def forbid(importer: str, imported: str, rule: str) -> None:
        chain = " -> ".join(_path(graph, importer, imported))
        problems.append(f"{importer} imports {imported} ({rule}): {chain}")

    for name in sorted(modules):
        package = top(name)
        direct = graph[name]
        if package == CORE and name != WIRING:
            # Directly: only main.py wires domains in.
            for imported in sorted(n for n in direct if top(n) in DOMAINS):
                forbid(name, imported, "the core never imports a domain; only main.py wires")
            # Indirectly: e.g. through importing conference.main.
            if name not in ABOVE_WIRING:
                for imported in sorted(_reachable(graph, name) - direct):
                    if top(imported) in DOMAINS:
                        forbid(name, imported, "the core reaches a domain indirectly")
        elif package in DOMAINS:
            for imported in sorted(_reachable(graph, name)):
                if top(imported) in DOMAINS and top(imported) != package:
                    forbid(name, imported, "domains never import each other")
                elif imported in WIRING_MODULES:
                    forbid(name, imported, "domains never import the wiring")
    return problems


class _ImportTimeCalls(ast.NodeVisitor):
    """Calls executed when the module is imported: module and class bodies, decorators,
    default values; not function bodies."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in CALLS_NOT_AT_IMPORT:
            self.calls.append((node.lineno, name))
        self.generic_visit(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)


def import_time_calls(source: str) -> list[tuple[int, str]]:
    visitor = _ImportTimeCalls()
    visitor.visit(ast.parse(source))
    return visitor.calls


def source_modules() -> dict[str, Module]:
    """Every Python file of the four top-level packages, by dotted name."""
    modules: dict[str, Module] = {}
    for package in sorted(FIRST_PARTY):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            parts = list(relative.parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            name = ".".join(parts)
            modules[name] = Module(name, path.read_text(), is_package, str(path))
    return modules


# --- the rules, on this repository -------------------------------------------------------


def test_source_tree_is_found() -> None:
    modules = source_modules()
    assert {"conference.main", "conference.cli", "exhibitors", "posters", "streaming"} <= set(
        modules
    )
    # The wiring really does import a domain, so the checks below look at real edges.
    assert "exhibitors" in import_graph(modules)[WIRING]


def test_layering() -> None:
    assert layering_violations(source_modules()) == []


def test_no_engine_settings_or_hub_built_at_import_time() -> None:
    offenders = {
        name: calls
        for name, module in source_modules().items()
        if (calls := import_time_calls(module.source))
    }
    assert offenders == {}


def test_importing_every_module_builds_no_engine_settings_or_client(tmp_path: Path) -> None:
    """The same, observed: import everything in a fresh interpreter with the constructors
    wrapped, then call them once to show the wrapping sees calls."""
    names = [
        name
        for name in source_modules()
        if name != "conference.__main__" and not name.startswith("conference.db.migrations")
    ]
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, str(script), *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["imported"] == len(names)
    assert seen["at_import"] == []
    assert seen["control"] == ["Settings", "create_async_engine", "Redis"]


PROBE = """
import importlib, json, sys

import pydantic_settings
import redis.asyncio
import sqlalchemy
import sqlalchemy.engine
import sqlalchemy.ext.asyncio
import sqlalchemy.ext.asyncio.engine

calls = []

def wrap(owner, attribute, label):
    original = getattr(owner, attribute)
    def recorded(*args, **kwargs):
        calls.append(label if label else type(args[0]).__name__)
        return original(*args, **kwargs)
    setattr(owner, attribute, recorded)

for owner in (sqlalchemy, sqlalchemy.engine):
    wrap(owner, "create_engine", "create_engine")
for owner in (sqlalchemy.ext.asyncio, sqlalchemy.ext.asyncio.engine):
    wrap(owner, "create_async_engine", "create_async_engine")
wrap(pydantic_settings.BaseSettings, "__init__", None)
wrap(redis.asyncio.Redis, "__init__", None)

for name in sys.argv[1:]:
    importlib.import_module(name)
at_import = list(calls)
calls.clear()

from conference.db.engine import create_engine
from conference.realtime.backends import RedisBackend
from conference.settings import Settings

Settings(database_url="sqlite:///:memory:")
create_engine("sqlite+aiosqlite:///:memory:")
RedisBackend("redis://127.0.0.1:1/0")._connection()
print(json.dumps({"imported": len(sys.argv) - 1, "at_import": at_import, "control": calls}))
"""


# --- the checkers catch what they should ------------------------------------------------


def _modules(**sources: str) -> dict[str, Module]:
    """Modules from ``dotted__name=source`` pairs; a trailing ``__init`` marks a package."""
    modules = {}
    for key, source in sources.items():
        name = key.replace("__", ".")
        is_package = name.endswith(".init")
        if is_package:
            name = name.removesuffix(".init")
        modules[name] = Module(name, source, is_package)
    return modules


def test_checker_accepts_the_allowed_shape() -> None:
    modules = _modules(
        conference__main="from exhibitors import router\nimport posters.models\n",
        conference__cli="from conference.main import build_context\n",
        conference__db__engine="from sqlalchemy import event\n",
        exhibitors__router="from conference.db import engine\nfrom . import service\n",
        exhibitors__service="import conference.db.engine\n",
        posters__models="from conference.db.engine import Base\n",
    )
    assert layering_violations(modules) == []


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (
            {"conference__health": "from exhibitors.models import Sponsor\n"},
            "conference.health imports exhibitors (the core never imports a domain",
        ),
        (
            {"conference__health": "def f():\n    import streaming.jobs\n"},
            "conference.health imports streaming.jobs (the core never imports a domain",
        ),
        (
            {"conference__cli": "import posters\n"},
            "conference.cli imports posters (the core never imports a domain",
        ),
        (
            {
                "conference__health": "from conference import main\n",
                "conference__main": "import exhibitors\n",
            },
            "conference.health imports exhibitors (the core reaches a domain indirectly)"
            ": conference.health -> conference.main -> exhibitors",
        ),
        (
            {"exhibitors__service": "from posters.models import Poster\n"},
            "exhibitors.service imports posters.models (domains never import each other)",
        ),
        (
            {"posters__init": "from streaming import player\n"},
            "posters imports streaming (domains never import each other)",
        ),
        (
            {"streaming__jobs": "import importlib\nimportlib.import_module('exhibitors.x')\n"},
            "streaming.jobs imports exhibitors (domains never import each other)",
        ),
        (
            {"exhibitors__router": "from conference.main import DatabaseNotMigrated\n"},
            "exhibitors.router imports conference.main (domains never import the wiring)",
        ),
        (
            {"exhibitors__router": "from conference import cli\n"},
            "exhibitors.router imports conference.cli (domains never import the wiring)",
        ),
    ],
)
def test_checker_catches_violation(sources: dict[str, str], expected: str) -> None:
    defaults = {"conference__init": "", "conference__main": "", "conference__cli": ""}
    modules = _modules(**{**defaults, **sources})
    problems = layering_violations(modules)
    assert any(p.startswith(expected) for p in problems), problems


def test_relative_imports_resolve_against_the_package() -> None:
    inside = Module("exhibitors.booths.router", "from ..models import Booth\nfrom . import x\n")
    package = Module("exhibitors.booths", "from .models import Booth\n", is_package=True)
    known = {"exhibitors.booths.x"}
    assert imported_names(inside, known) == {
        "exhibitors",
        "exhibitors.models",
        "exhibitors.booths",
        "exhibitors.booths.x",
    }
    assert imported_names(package) == {"exhibitors", "exhibitors.booths.models"}


def test_import_time_checker_catches_calls_outside_functions() -> None:
    source = """
from conference.settings import Settings, load_settings
from conference.db import engine

settings = Settings()
ENGINE = engine.create_engine("sqlite://")

class Holder:
    hub = create_backend("memory://")

    def method(self):
        return Settings()

@decorate(load_settings())
def build(default=Database("sqlite://")):
    engine.create_engine("sqlite://")
    return lambda: Settings()

async def run():
    return create_app()
"""
    assert import_time_calls(source) == [
        (5, "Settings"),
        (6, "create_engine"),
        (9, "create_backend"),
        (14, "load_settings"),
        (15, "Database"),
    ]
