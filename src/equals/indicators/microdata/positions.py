"""Where each key of a YAML mapping file is: dotted path → (line, column), both 1-based.

Problems of a mapping name a dotted path (``concepts.internet_use.column``); with the file's
positions they also name the line and column, so an editor can jump there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import yaml

from equals.core.problems import Problem

Positions = Mapping[str, tuple[int, int]]


def yaml_positions(text: str) -> dict[str, tuple[int, int]]:
    """Every mapping key's position in ``text`` (``{}`` if it is not valid YAML)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[str, tuple[int, int]] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                path = f"{prefix}.{key.value}" if prefix else str(key.value)
                out.setdefault(path, (key.start_mark.line + 1, key.start_mark.column + 1))
                walk(value, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                path = f"{prefix}[{i}]"
                out.setdefault(path, (item.start_mark.line + 1, item.start_mark.column + 1))
                walk(item, path)

    if root is not None:
        walk(root, "")
    return out


def locate(problem: Problem, positions: Positions) -> Problem:
    """``problem`` with the line and column of its field (or of the nearest enclosing key)."""
    loc = problem.location
    if loc.field is None or loc.line is not None or not positions:
        return problem
    path = loc.field
    while path:
        if path in positions:
            line, column = positions[path]
            return replace(problem, location=replace(loc, line=line, column=column))
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return problem


def locate_all(problems: Iterable[Problem], positions: Positions) -> list[Problem]:
    return [locate(p, positions) for p in problems]
