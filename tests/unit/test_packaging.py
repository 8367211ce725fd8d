"""The image and the install are what the README says (no Docker daemon here to build
them): the Dockerfile's commands are the README's, it runs as a non-root user, compose
migrates before the bot, and the locks pin every dependency pyproject.toml asks for."""

import json
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split()[0].upper(), line.partition(" ")[2].strip())
        for line in lines
        if line and not line.startswith("#")
    ]


def readme_production_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running in production\n")[1].split("\n## ")[0]
    block = section.split("```sh\n")[1].split("```")[0]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def command(arguments: str) -> str:
    """A RUN/CMD argument as a shell line (exec form joined)."""
    return " ".join(json.loads(arguments)) if arguments.startswith("[") else arguments


def test_the_dockerfile_runs_the_readmes_commands_as_a_non_root_user() -> None:
    steps = instructions()
    readme = readme_production_commands()
    runs = [command(args) for kind, args in steps if kind == "RUN" and "pip install" in args]
    assert runs == [line for line in readme if line.startswith("pip install")]
    [cmd] = [command(args) for kind, args in steps if kind == "CMD"]
    assert cmd == "dealcoach run" and cmd in readme
    users = [args for kind, args in steps if kind == "USER"]
    assert users and users[-1] not in {"root", "0"}
    last_user = max(i for i, (kind, _) in enumerate(steps) if kind == "USER")
    assert all(kind != "RUN" for kind, _ in steps[last_user:])  # nothing runs as root after
    [healthcheck] = [args for kind, args in steps if kind == "HEALTHCHECK"]
    assert "/livez" in healthcheck


def test_compose_migrates_postgresql_before_the_bot_starts() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    readme = readme_production_commands()
    assert " ".join(compose["migrate"]["command"]) == "dealcoach db upgrade" in readme
    assert " ".join(compose["bot"]["command"]) == "dealcoach run"
    depends = compose["bot"]["depends_on"]["migrate"]["condition"]
    assert depends == "service_completed_successfully"
    url = compose["bot"]["environment"]["DEALCOACH_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@postgres:5432/" in url


def pins(lock: str) -> dict[str, str]:
    lines = (ROOT / lock).read_text(encoding="utf-8").splitlines()
    found = [line.split("==") for line in lines if "==" in line and not line.startswith(" ")]
    return {canonicalize_name(name): version.split()[0] for name, version in found}


def test_the_locks_pin_what_pyproject_asks_for_within_major_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for lock, requirements in (
        ("requirements.lock", project["dependencies"]),
        (
            "requirements-dev.lock",
            project["dependencies"] + project["optional-dependencies"]["dev"],
        ),
    ):
        pinned = pins(lock)
        for text in requirements:
            requirement = Requirement(text)
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{name} is not in {lock}: run `make lock`"
            assert requirement.specifier.contains(pinned[name]), (
                f"{lock} pins {name}=={pinned[name]}, outside {requirement.specifier}: "
                "run `make lock`"
            )
    runtime = [Requirement(text) for text in project["dependencies"]]
    unbounded = [
        str(r) for r in runtime if not any(s.operator in {"<", "==", "~="} for s in r.specifier)
    ]
    assert unbounded == ["tzdata>=2024.1"]  # time zone data is versioned by year
