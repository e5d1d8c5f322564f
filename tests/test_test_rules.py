"""The tests' own rules, checked over tests/ (as tests/test_architecture.py checks the code).

- Helpers come from helper modules (conftest.py, tests/factories.py, tests/waiting.py,
  tests/<package>/<helper>.py), never from a test module: importing one runs its tests'
  module-level code again under another name, and ties two test files together so that
  moving a test breaks another.
- A test module never sleeps a fixed time hoping something has happened: it waits for the
  thing itself (an event, a queue, :mod:`tests.waiting`, Playwright's ``expect``). A sleep
  inside a loop is a poll, and ``sleep(0)`` only yields to the event loop: both may stay.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

from tests.source_imports import imported

TESTS = Path(__file__).resolve().parent


def is_test_module(name: str) -> bool:
    """Whether a dotted module name is one pytest collects (``test_*.py``, ``*_test.py``)."""
    last = name.rpartition(".")[2]
    return last.startswith("test_") or last.endswith("_test")


def imported_test_modules(
    source: str, module: str, *, is_package: bool = False, known: Collection[str] | None = None
) -> list[str]:
    """The test modules of ours that ``source`` (the module ``module``) imports; with
    ``known``, only names of modules that exist (``from x import test_y`` may name a
    function)."""
    return sorted(
        {
            name
            for name, maybe in imported(source, module, is_package=is_package)
            if name.partition(".")[0] == "tests"
            and is_test_module(name)
            and (known is None or not maybe or name in known)
        }
    )


def fixed_sleeps(source: str) -> list[int]:
    """Lines of ``sleep(...)`` calls outside any loop, but for ``sleep(0)``."""
    found: list[int] = []

    def visit(node: ast.AST, in_loop: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_loop = False  # a function defined in a loop does not run in it
        if isinstance(node, ast.Call) and _is_sleep(node) and not in_loop:
            found.append(node.lineno)
        inside = in_loop or isinstance(node, ast.For | ast.AsyncFor | ast.While)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(source), in_loop=False)
    return found


def _is_sleep(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name != "sleep":
        return False
    first = call.args[0] if call.args else None
    return not (isinstance(first, ast.Constant) and first.value == 0)


def python_files() -> Iterator[tuple[str, Path, bool]]:
    """(dotted name, path, is a package) of every Python file under tests/."""
    for path in sorted(TESTS.rglob("*.py")):
        parts = list(path.relative_to(TESTS.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        yield ".".join(parts), path, is_package


# --- the rules, on this repository -------------------------------------------------------


def test_the_tests_are_found() -> None:
    names = {name for name, _, _ in python_files()}
    assert {"tests.conftest", "tests.waiting", "tests.realtime.test_gateway"} <= names


def test_no_module_imports_a_test_module() -> None:
    files = list(python_files())
    known = {name for name, _, _ in files}
    offenders = {
        name: imported
        for name, path, is_package in files
        if (
            imported := imported_test_modules(
                path.read_text(), name, is_package=is_package, known=known
            )
        )
    }
    assert offenders == {}, "move what they share into a helper module (see tests/waiting.py)"


def test_test_modules_sleep_only_to_poll() -> None:
    offenders = {
        str(path.relative_to(TESTS.parent)): lines
        for name, path, _ in python_files()
        if (is_test_module(name) or path.name == "conftest.py")
        and (lines := fixed_sleeps(path.read_text()))
    }
    assert offenders == {}, "wait for a condition instead (tests/waiting.py)"


# --- the checkers, on made-up sources ----------------------------------------------------


def test_import_checker_catches_every_way_of_naming_a_test_module() -> None:
    module = "tests.realtime.test_chat"
    for source in (
        "from tests.realtime.test_gateway import signed_in\n",
        "import tests.realtime.test_gateway\n",
        "from tests.realtime import test_gateway\n",
        "from .test_gateway import signed_in\n",
        "from . import test_gateway\n",
        "def f():\n    from tests.realtime.test_gateway import signed_in\n",
        "importlib.import_module('tests.realtime.test_gateway')\n",
    ):
        assert imported_test_modules(source, module) == ["tests.realtime.test_gateway"], source
    assert imported_test_modules("from ..test_cli import run_cli\n", module) == ["tests.test_cli"]


def test_import_checker_accepts_helper_modules() -> None:
    source = (
        "import pytest\n"
        "from tests import services\n"
        "from tests.factories import UserFactory\n"
        "from tests.realtime.live_session import signed_in\n"
        "from tests.e2e.conftest import live_server\n"
        "from . import live_session\n"
        "from conference.realtime import test_mode\n"  # not ours to police
    )
    assert imported_test_modules(source, "tests.realtime.test_chat") == []


def test_sleep_checker_catches_fixed_sleeps_and_lets_polls_be() -> None:
    source = """
import asyncio, time
from time import sleep

async def test_hoping():
    await asyncio.sleep(0.5)
    time.sleep(1)
    sleep(0.1)
    await asyncio.sleep(0)
    for _ in range(3):
        await asyncio.sleep(0.1)
    while not done():
        time.sleep(0.05)
        def later():
            time.sleep(2)
"""
    assert fixed_sleeps(source) == [6, 7, 8, 15]
