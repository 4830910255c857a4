"""Quality notes per indicator (``quality.yaml``): conceptual clarity, established methodology,
regularity of collection, each rated high / medium / low with its basis and a note."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

import yaml

from equals.core.errors import DataFileError
from equals.core.i18n import Msg

QUALITY_FILE = "quality.yaml"
CRITERIA = ("conceptual_clarity", "established_methodology", "regularity")


class Rating(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class QualityNote:
    indicator: str
    conceptual_clarity: Rating
    established_methodology: Rating
    regularity: Rating
    basis: str
    note: str


def quality_from_descriptor(
    data: Any, *, where: str = QUALITY_FILE, indicators: Iterable[str] = ()
) -> dict[str, QualityNote]:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        raise DataFileError(Msg("expected a mapping with an 'indicators' mapping"), location=where)
    out: dict[str, QualityNote] = {}
    for ind, item in data["indicators"].items():
        at = f"{where}: indicators.{ind}"
        if not isinstance(item, dict):
            raise DataFileError(Msg("expected a mapping"), location=at)
        ratings = {}
        for c in CRITERIA:
            try:
                ratings[c] = Rating(str(item.get(c)))
            except ValueError:
                raise DataFileError(
                    Msg(
                        "%(field)s: %(value)s is not one of high, medium, low",
                        field=c,
                        value=repr(item.get(c)),
                    ),
                    location=at,
                ) from None
        out[str(ind)] = QualityNote(
            indicator=str(ind),
            basis=" ".join(str(item.get("basis", "")).split()),
            note=" ".join(str(item.get("note", "")).split()),
            **ratings,
        )
    missing = sorted(set(indicators) - set(out))
    if missing:
        raise DataFileError(
            Msg("no quality note for %(indicators)s", indicators=", ".join(missing)),
            location=where,
        )
    return out


def load_quality(indicators: Iterable[str] = ()) -> dict[str, QualityNote]:
    """The bundled quality notes; every id in ``indicators`` must have one."""
    text = resources.files("equals.analysis").joinpath(QUALITY_FILE).read_text("utf-8")
    return quality_from_descriptor(
        yaml.safe_load(text), where=f"equals/analysis/{QUALITY_FILE}", indicators=indicators
    )
