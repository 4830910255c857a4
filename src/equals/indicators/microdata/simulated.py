"""The variable mapping of a survey written by ``equals survey simulate``.

:mod:`equals.survey.simulate` writes its own column names and codes (sex 1/2, urban 1/2,
ICT answers 0/1, missing below age 5, one row per person with the household head on
``line`` 1); this module states them as a mapping (:mod:`equals.indicators.microdata.mapping`)
so that a simulated file runs through ``equals survey indicators`` as it comes:

>>> text = simulated_mapping("KEN", seed=1)
>>> "SYNTHETIC" in text
True
"""

from __future__ import annotations

from pathlib import Path

import yaml

from equals.survey.simulate import LABELS, SYNTHETIC_NOTE

# The simulated column of each harmonised concept (equals/indicators/microdata/itu_indicators.yaml).
CONCEPTS: dict[str, str] = {
    "internet_use": "internet_use",
    "computer_use": "computer_use",
    "mobile_phone_use": "mobile_use",
    "mobile_phone_ownership": "mobile_own",
    "skill_copa": "skill_copy_paste",
    "skill_cmfl": "skill_copy_move_file",
    "skill_email": "skill_email_attachment",
    "skill_arsp": "skill_spreadsheet_formula",
    "skill_inst": "skill_install_devices",
    "skill_soft": "skill_find_install_software",
    "skill_eprs": "skill_presentation",
    "skill_traf": "skill_transfer_files",
    "skill_pcpr": "skill_programming",
    "household_internet": "hh_internet",
    "household_computer": "hh_computer",
}


def _codes(labels: dict[int | None, str]) -> dict[str, list[int]]:
    return {label.replace(" ", "_"): [code] for code, label in labels.items() if code is not None}


def simulated_mapping(country: str, *, seed: int) -> str:
    """The mapping (YAML text) of a simulated survey of ``country``."""
    sex = {v: k for k, v in LABELS["sex"].items()}
    urban = {v: k for k, v in LABELS["urban"].items()}
    document = {
        "survey": f"SYNTHETIC ICT household survey of {country} (simulate, seed {seed})",
        "design": {"weight": "weight", "strata": "stratum", "psu": "psu"},
        "sex": {"column": "sex", "female": [sex["female"]], "male": [sex["male"]]},
        "age": {"column": "age", "min": 0, "max": 120, "groups": ["15-24", "25-74", "75+"]},
        "location": {"column": "urban", "urban": [urban["urban"]], "rural": [urban["rural"]]},
        "education": {"column": "education", "codes": _codes(LABELS["education"])},
        "labour_force": {"column": "labour_force", "codes": _codes(LABELS["labour_force"])},
        "concepts": {c: {"column": col, "yes": [1], "no": [0]} for c, col in CONCEPTS.items()},
        "households": {"weight": "weight", "column": "line", "codes": [1]},
        "source": {
            "id": f"synthetic-{country.lower()}-seed{seed}",
            "organisation": "EQUALS Hub (synthetic data, not a survey)",
            "title": f"SYNTHETIC survey of {country}, seed {seed}: not evidence",
            "licence": "CC0-1.0",
            "notes": SYNTHETIC_NOTE,
        },
        "country": country,
    }
    header = (
        "# Mapping of a SYNTHETIC survey written by `equals survey simulate`.\n"
        "# Use it to try `equals survey indicators`; the numbers are not evidence.\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def mapping_path(data: Path) -> Path:
    """Where ``equals survey simulate`` writes the mapping of ``data``: beside it."""
    return data.with_name(f"{data.stem}.mapping.yaml")
