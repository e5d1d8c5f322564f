"""What a Python source imports, read from its syntax tree (nothing is run): shared by the
layering check of the code (tests/test_architecture.py) and the tests' own rules
(tests/test_test_rules.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def imported(
    source: str, module: str, *, is_package: bool = False, filename: str = "<source>"
) -> Iterator[tuple[str, bool]]:
    """(name, maybe) for every import in ``source``, the module ``module``, at any depth of
    its code: ``maybe`` marks ``a.b`` of ``from a import b``, a module only if ``a.b`` is
    one (``b`` may be a function). Relative imports are resolved against the package;
    ``importlib.import_module("x")`` and ``__import__("x")`` with a literal name count."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, False
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            yield base, False
            for alias in node.names:
                yield f"{base}.{alias.name}", True
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield first.value, False
