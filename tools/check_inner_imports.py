"""Fail on an import inside a function of first-party code.

An import inside a function usually hides a cycle: module A needs B at import
time and B needs A, so one side imports late. The dependency direction of
docs/architecture.md (checked by import-linter's contracts, which do see inner
imports) is only honest if the code does not lean on this. Allowed:

- imports inside `ready()` of an app's apps.py (models are loaded only then);
- imports under `if TYPE_CHECKING:`;
- heavy libraries imported lazily on purpose (LAZY below), and any other
  third-party module: only first-party imports can dodge a first-party cycle;
- KNOWN: cycle dodges still waiting for their domain to move out of cohorts.
  Each must still exist (remove it from the list when its code goes), so the
  list only shrinks.

Usage: python tools/check_inner_imports.py [paths...]; exit status 1 on a finding.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The first-party packages are import-linter's (pyproject.toml), so an app
# added there is checked here too; their folders at the top, and the plugins'.
FIRST_PARTY = set(
    tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "root_packages"
    ]
)
SOURCES = [
    *sorted(name for name in FIRST_PARTY if (ROOT / name).is_dir()),
    "plugins",
    "examples",
]
# Third-party libraries that cost seconds or much memory to import and serve
# one download each: imported where used so that starting Django stays quick.
LAZY = {"weasyprint", "openpyxl"}
# path: function: module imported. Each goes when its domain leaves cohorts.
KNOWN = {
    # within cohorts: group_pages and catalogue import the models
    ("cohorts/models.py", "get_context", "cohorts.group_pages"),
    ("cohorts/models.py", "get_context", "cohorts.catalogue"),
    # outside the domain split
    ("content/models.py", "get_context", "content.filters"),
    ("lms/demo.py", "load_people", "lms.roles"),
    ("plugins/toolkits/lms_toolkits/models.py", "get_context", "lms_toolkits.filters"),
}


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: always first-party
            return [f"{'.' * node.level}{node.module or ''}"]
        return [node.module or ""]
    return [alias.name for alias in node.names]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _first_party(module: str) -> bool:
    return module.startswith(".") or module.split(".")[0] in FIRST_PARTY


def inner_imports(path: Path, relative: str) -> list[tuple[str, str, str, int]]:
    """(path, function, module, line) for each inner first-party import."""
    found = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for orelse in child.orelse:
                    visit(orelse, function)
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if child.name == "ready" and path.name == "apps.py":
                    continue
                visit(child, child.name)
                continue
            if function and isinstance(child, ast.Import | ast.ImportFrom):
                for module in _imported(child):
                    root = module.split(".")[0]
                    if _first_party(module) and root not in LAZY:
                        found.append((relative, function, module, child.lineno))
            visit(child, function)

    visit(ast.parse(path.read_text(), filename=str(path)), None)
    return found


def python_files(paths: list[str]):
    for name in paths:
        base = ROOT / name
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            if "migrations" in path.parts or "tests" in path.relative_to(ROOT).parts:
                continue
            yield path


def main(argv: list[str]) -> int:
    paths = argv or SOURCES
    findings = []
    for path in python_files(paths):
        findings.extend(inner_imports(path, path.relative_to(ROOT).as_posix()))
    seen = {(path, function, module) for path, function, module, _ in findings}
    failed = False
    for path, function, module, line in findings:
        if (path, function, module) not in KNOWN:
            failed = True
            print(
                f"{path}:{line}: `{module}` imported inside {function}(): import it "
                "at the top; if that makes a cycle, the lower module must not "
                "need the higher one (send a signal or event instead)."
            )
    if not argv:
        for path, function, module in sorted(KNOWN - seen):
            failed = True
            print(
                f"{path}: {function}() no longer imports `{module}`: "
                "remove it from KNOWN in tools/check_inner_imports.py."
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
