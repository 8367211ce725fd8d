"""Prompt templates for model tasks: one versioned YAML file per task and version.

A file `<task>.v<N>.yaml` holds metadata (task, version, description, data) and two
Jinja2 templates, `system` and `user`. `load_prompt(task)` picks the newest version;
everything is checked at load so a broken file fails at start, not mid-conversation.

Text a user typed (deal notes, answers, names) is data, never instructions: each
variable listed under `data` must be rendered through the `data` filter, which puts
it between `<tag>` delimiters that the value itself cannot close.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, StrictUndefined, TemplateError, meta, nodes
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coaching.data_files import read_yaml_mapping

PROMPTS_DIR = Path(__file__).parent
_FILE_NAME = re.compile(r"^(?P<task>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")
_TAG_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PromptError(Exception):
    """A prompt file is missing or invalid, or was rendered with the wrong values."""


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    """A prompt ready to send; `prompt_id` ("task@version") goes with the model output."""

    system: str
    user: str
    prompt_id: str

    def messages(self) -> list[tuple[str, str]]:
        """The (role, content) pairs chat models (LangChain's included) accept."""
        return [("system", self.system), ("user", self.user)]


class _PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(pattern=_TAG_NAME.pattern)
    version: int = Field(gt=0)
    description: str = Field(min_length=1)
    data: tuple[str, ...] = ()
    system: str = Field(min_length=1)
    user: str = Field(min_length=1)


def data_block(value: object, tag: str) -> str:
    """Wrap user-supplied text in `<tag>` delimiters it cannot break out of.

    A sequence becomes one item per line. Any `<tag>` or `</tag>` inside the value is
    removed, so the value cannot end the block early and smuggle text outside it.
    """
    if not _TAG_NAME.match(tag):
        raise PromptError(f"data tag {tag!r} must be lowercase letters, digits and _")
    if isinstance(value, str):
        text = value
    elif isinstance(value, Iterable):
        text = "\n".join(str(item) for item in value)
    else:
        text = str(value)
    text = re.sub(rf"<\s*/?\s*{tag}\s*>", "", text, flags=re.IGNORECASE).strip()
    return f"<{tag}>\n{text}\n</{tag}>"


_ENV = Environment(
    undefined=StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_ENV.filters["data"] = data_block


class PromptTemplate:
    """One validated prompt file; `render(**values)` fills it in."""

    def __init__(self, source: Path, spec: _PromptFile) -> None:
        self.source = source
        self.task = spec.task
        self.version = spec.version
        self.description = spec.description
        self.prompt_id = f"{spec.task}@{spec.version}"
        try:
            trees = [_ENV.parse(spec.system), _ENV.parse(spec.user)]
            self._system, self._user = (_ENV.from_string(tree) for tree in trees)
        except TemplateError as exc:
            raise PromptError(f"prompt {source}: template error: {exc}") from None
        self.variables: frozenset[str] = frozenset().union(
            *(meta.find_undeclared_variables(tree) for tree in trees)
        )
        _check_data_variables(source, spec.data, self.variables, trees)

    def render(self, **values: object) -> RenderedPrompt:
        """Fill in both parts; every variable the templates use must be given."""
        missing = sorted(self.variables - values.keys())
        if missing:
            raise PromptError(f"prompt {self.prompt_id} needs values for: {', '.join(missing)}")
        try:
            system = self._system.render(values).strip()
            user = self._user.render(values).strip()
        except TemplateError as exc:
            raise PromptError(f"prompt {self.prompt_id} ({self.source}): {exc}") from None
        return RenderedPrompt(system=system, user=user, prompt_id=self.prompt_id)

    def __repr__(self) -> str:
        return f"<PromptTemplate {self.prompt_id} from {self.source}>"


def _check_data_variables(
    source: Path, data: tuple[str, ...], variables: frozenset[str], trees: list[nodes.Template]
) -> None:
    """Each `data` variable is used, and only as `{{ name | data("tag") }}` or in an if test.

    Any other use (a loop, a `set`, plain `{{ name }}`) could print it outside delimiters.
    """
    unused = sorted(set(data) - variables)
    if unused:
        raise PromptError(f"prompt {source}: data variable {unused[0]!r} is not used")
    for tree in trees:
        allowed = {
            id(node.node)
            for node in tree.find_all(nodes.Filter)
            if node.name == "data" and isinstance(node.node, nodes.Name)
        }
        for branch in tree.find_all(nodes.If):
            test = branch.test
            tested = [test] if isinstance(test, nodes.Name) else test.find_all(nodes.Name)
            allowed.update(id(name) for name in tested)
        for name in tree.find_all(nodes.Name):
            if name.name in data and id(name) not in allowed:
                raise PromptError(
                    f"prompt {source}: data variable {name.name!r} must be rendered as "
                    f'{{{{ {name.name} | data("tag") }}}} so it stays between delimiters'
                )


def prompt_versions(task: str, directory: Path = PROMPTS_DIR) -> list[int]:
    """The versions of `task` found in `directory`, oldest first."""
    versions = []
    for path in directory.glob(f"{task}.v*.yaml"):
        match = _FILE_NAME.match(path.name)
        if match and match["task"] == task:
            versions.append(int(match["version"]))
    return sorted(versions)


def load_prompt(
    task: str, version: int | None = None, directory: Path = PROMPTS_DIR
) -> PromptTemplate:
    """The prompt for `task` at `version`, or its newest version; PromptError if invalid."""
    versions = prompt_versions(task, directory)
    if not versions:
        raise PromptError(f"no prompt file for task {task!r} in {directory} ({task}.v1.yaml)")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        found = ", ".join(str(number) for number in versions)
        raise PromptError(f"prompt {task!r} has no version {chosen} (found {found})")
    return _load_file(directory / f"{task}.v{chosen}.yaml")


@cache
def _load_file(path: Path) -> PromptTemplate:
    raw = read_yaml_mapping(path, "prompt", PromptError, "task, version, system, user")
    try:
        spec = _PromptFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        )
        raise PromptError(f"prompt {path} is invalid: {problems}") from None
    match = _FILE_NAME.match(path.name)
    if match is None or (match["task"], int(match["version"])) != (spec.task, spec.version):
        raise PromptError(
            f"prompt {path} says task {spec.task!r} version {spec.version}; "
            f"name the file {spec.task}.v{spec.version}.yaml"
        )
    return PromptTemplate(path, spec)
