"""Reading the YAML files people edit (playbooks, prompts), with errors that say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


def read_yaml_mapping(
    path: Path, what: str, error: type[Exception], expected: str
) -> dict[str, Any]:
    """The file's top-level mapping, or `error` naming the file and what is wrong.

    `what` names the kind of file ("playbook"); `expected` says what the mapping holds.
    """
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise error(f"{what} {path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise error(f"{what} {path} must be a mapping with {expected}")
    return raw
