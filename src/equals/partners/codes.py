"""Code lists of the registry: IATI 2.03 codelists (bundled copies), target groups, governance
bodies and country codes, each with its label for people."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import cache
from importlib import resources

import yaml
from lxml import etree

from equals.core.errors import ValidationError
from equals.core.i18n import N_, Msg

DATA = resources.files("equals.partners") / "data"

ACTIVE_STATUS = "2"  # IATI ActivityStatus "Implementation"
GENDER_MARKER = "1"  # IATI PolicyMarker 1: Gender Equality
GOVERNANCE_BODIES = {
    "co-founder": N_("Co-founder"),
    "steering-committee": N_("Steering committee"),
    "secretariat": N_("Secretariat"),
}
SEXES = ("female", "male", "total")


def _parser() -> etree.XMLParser:
    """An XML parser that expands no entities and fetches nothing from the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def codelist(name: str) -> Mapping[str, str]:
    """``code → English name`` of a bundled IATI codelist (withdrawn codes left out)."""
    raw = (DATA / "codelists" / f"{name}.xml").read_bytes()
    root = etree.fromstring(raw, _parser())
    out: dict[str, str] = {}
    for item in root.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = (item.findtext("code") or "").strip()
        names = [n for n in item.iterfind("name/narrative") if n.get(_XML_LANG) in (None, "en")]
        out[code] = " ".join((names[0].text or "").split()) if names else code
    return out


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def target_groups() -> Mapping[str, str]:
    data = yaml.safe_load((DATA / "target_groups.yaml").read_text("utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def target_group_labels() -> list[str]:
    """The target groups' labels: our own words, translated in the ``forms`` catalogue (the
    pages show them through the ``msg`` filter)."""
    return list(target_groups().values())


def check_code(name: str, value: str, location: str) -> str:
    """``value`` when it is a code of codelist ``name``; else a 422 naming the field."""
    codes = codelist(name) if name != "TargetGroup" else target_groups()
    if value in codes:
        return value
    close = difflib.get_close_matches(value, list(codes), n=3, cutoff=0.6)
    shown = repr(value[:40])
    if close:
        message = Msg(
            "%(value)s is not an IATI %(name)s code (did you mean: %(names)s?); "
            "see /api/v1/partnership/codes",
            value=shown,
            name=name,
            names=", ".join(close),
        )
    else:
        message = Msg(
            "%(value)s is not an IATI %(name)s code; see /api/v1/partnership/codes",
            value=shown,
            name=name,
        )
    raise ValidationError(
        message,
        location=location,
        code="invalid-code",
    )


def label(name: str, code: str | None) -> str:
    if code is None:
        return ""
    codes = codelist(name) if name != "TargetGroup" else target_groups()
    return codes.get(code, code)


@cache
def _countries() -> dict[str, tuple[str, str]]:
    import pycountry

    out = {
        c.alpha_3: (c.alpha_2, str(getattr(c, "common_name", None) or c.name))
        for c in pycountry.countries
    }
    out["XKX"] = ("XK", "Kosovo")  # no ISO code; the World Bank and IATI use these
    return out


def check_country(value: str, location: str) -> str:
    """An ISO 3166-1 alpha-3 code (upper-cased), else a 422 naming the field."""
    code = value.strip().upper()
    if code in _countries():
        return code
    close = difflib.get_close_matches(code, list(_countries()), n=3, cutoff=0.6)
    if close:
        message = Msg(
            "unknown country code %(value)s (did you mean: %(names)s?); "
            "use ISO 3166-1 alpha-3, e.g. KEN",
            value=repr(value[:40]),
            names=", ".join(close),
        )
    else:
        message = Msg(
            "unknown country code %(value)s; use ISO 3166-1 alpha-3, e.g. KEN",
            value=repr(value[:40]),
        )
    raise ValidationError(
        message,
        location=location,
        code="unknown-country",
    )


def country_name(code: str) -> str:
    return _countries().get(code, ("", code))[1]


def iso2(code: str) -> str:
    return _countries()[code][0]


def iso3_of_iso2(code: str) -> str | None:
    up = code.strip().upper()
    return next((a3 for a3, (a2, _) in _countries().items() if a2 == up), None)
