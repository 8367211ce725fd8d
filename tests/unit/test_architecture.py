"""DESIGN.md's dependency rule, checked on the source tree."""

import ast
import re
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


SQL_CALL = re.compile(r"\bsession\.|(?<![\w.])(?:select|update|delete)\(")


def test_sql_lives_in_storage() -> None:
    """Use cases call storage functions with the session; they never query it themselves."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in ("bot", "coaching", "prompts")
        for path in sources(package)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SQL_CALL.search(line) and not line.lstrip().startswith(("def ", "#"))
    ]
    assert found == []


def test_bot_top_level_holds_only_wiring() -> None:
    """Everything else in bot/ lives in a package named after its job."""
    top = sorted(path.name for path in (ROOT / "bot").glob("*.py"))
    assert top == ["__init__.py", "bootstrap.py", "settings.py"]


def project_imports(path: Path, package_dirs: dict[str, Path]) -> set[str]:
    """The project modules `path` imports (deferred and type-only imports count too)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: len(module.split(".")) - node.level + is_package]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            targets.add(origin)
            targets.update(f"{origin}.{alias.name}" for alias in node.names)
    found = set()
    for target in targets:
        owner = target
        while owner and owner not in package_dirs:
            owner = owner.rpartition(".")[0]
        if owner and owner != module and not module.startswith(f"{owner}."):
            found.add(owner)
    return found


def test_no_import_cycles() -> None:
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for package in ("bot", "coaching", "prompts", "storage")
        for path in sources(package)
    }
    graph = {module: project_imports(path, modules) for module, path in modules.items()}
    done: set[str] = set()

    def cycle_from(module: str, trail: list[str]) -> list[str] | None:
        if module in trail:
            return [*trail[trail.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            cycle = cycle_from(imported, [*trail, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    cycles = [cycle for module in sorted(graph) if (cycle := cycle_from(module, []))]
    assert cycles == []
