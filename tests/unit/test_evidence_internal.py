"""Signals are internal: nothing on the champion briefing path can reach them.

The briefing path (its feature, its pure content, its storage reads, its model writer)
imports no evidence module and names no evidence table, so no quote from a note can
be drafted into text a champion reads, whatever a model writes.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BRIEFING_PATH = [
    *sorted((ROOT / "bot" / "briefings").glob("*.py")),
    *sorted((ROOT / "coaching" / "briefing").glob("*.py")),
    ROOT / "storage" / "briefings.py",
    ROOT / "prompts" / "llm" / "briefing_writer.py",
]
EVIDENCE_MODULES = (
    "coaching.evidence",
    "coaching.risk.evidence",
    "coaching.risk.case",
    "coaching.risk.rules",
    "coaching.risk.engine",
    "coaching.risk.DealEvidence",
    "coaching.risk.DealCase",
    "coaching.risk.Quote",
    "storage.activities",
    "prompts.llm.signal_reader",
)
EVIDENCE_NAMES = {
    "DealSignal",
    "DealActivity",
    "deal_signals",
    "deal_activities",
    "signals_for_deals",
    "activities_for_deals",
    "read_activities",
    "DealCase",
}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    found |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    found |= {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    return found


def test_the_briefing_path_exists() -> None:
    assert all(path.exists() for path in BRIEFING_PATH) and len(BRIEFING_PATH) > 10


def test_the_briefing_path_imports_no_evidence_module() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in BRIEFING_PATH
        for module in imports(path)
        if module.startswith(EVIDENCE_MODULES)
    ]
    assert offenders == []


def test_the_briefing_path_names_no_evidence_table_or_reader() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} names {name}"
        for path in BRIEFING_PATH
        for name in sorted(names(path) & EVIDENCE_NAMES)
    ]
    assert offenders == []
