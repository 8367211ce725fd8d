"""DESIGN.md's dependency rule, checked on the source tree."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def offenders(paths: list[Path], banned: tuple[str, ...]) -> list[str]:
    found = []
    for path in paths:
        for module in imported_modules(path):
            if module.split(".")[0] in banned:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


def test_sources_exist() -> None:
    assert sources("coaching") and sources("bot") and sources("storage")


def test_coaching_is_pure() -> None:
    banned = (
        "sqlalchemy",
        "alembic",
        "slack_bolt",
        "slack_sdk",
        "botbuilder",
        "aiohttp",
        "bot",
        "storage",
        "prompts",
    )
    assert offenders(sources("coaching"), banned) == []


def test_storage_knows_no_transport() -> None:
    banned = ("slack_bolt", "slack_sdk", "botbuilder", "aiohttp", "bot")
    assert offenders(sources("storage"), banned) == []


@pytest.mark.parametrize(
    ("sdk", "home"), [(("slack_bolt", "slack_sdk"), "slack"), (("botbuilder",), "teams")]
)
def test_chat_sdks_stay_in_their_folder(sdk: tuple[str, ...], home: str) -> None:
    outside = [
        path
        for package in ("bot", "coaching", "storage", "prompts")
        for path in sources(package)
        if (ROOT / "bot" / home) not in path.parents
    ]
    assert offenders(outside, sdk) == []


def test_langchain_and_openai_stay_in_the_model_layer() -> None:
    outside = [
        path
        for package in ("bot", "coaching", "storage", "prompts")
        for path in sources(package)
        if (ROOT / "prompts" / "llm") not in path.parents
    ]
    banned = ("langchain", "langchain_core", "langchain_openai", "openai")
    assert offenders(outside, banned) == []
