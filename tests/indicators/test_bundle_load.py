"""Loading the whole bundle: uniqueness, validation errors, report, fingerprint, speed."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from equals.core.errors import DataFileError
from equals.indicators.bundle import (
    Bundle,
    bundle_fingerprint,
    load_bundle,
    load_sources,
)
from equals.indicators.sources import (
    findex,
    ilostat,
    itu_urban_rural,
    sdg_database,
    uis,
    unsd_gender,
    wdi,
)

# Sum of the per-file counts asserted in the test_fidelity_* modules.
TOTAL_OBSERVATIONS = (
    (1478 + 1479 + 6738 + 778 + 778 + 804)  # wdi
    + 575  # itu-urban-rural
    + 34_302  # unsd
    + 4_795
    + 589  # sdg-db
    + 858  # findex
    + 2_355
    + 474  # uis
    + 1_998
    + 2_070  # ilostat (incl. 470 derived shares)
)


def test_total(bundle: Bundle) -> None:
    assert len(bundle.observations) == TOTAL_OBSERVATIONS == bundle.report.observations == 60_071
    assert len(bundle.report.files) == 15


def test_observation_keys_are_unique(bundle: Bundle) -> None:
    keys = Counter(
        (o.indicator, o.area, o.year, o.sex, o.breakdown, o.source) for o in bundle.observations
    )
    assert max(keys.values()) == 1


def test_every_observation_refers_to_known_things(bundle: Bundle) -> None:
    areas = {a.code for a in bundle.areas}
    sources = {s.id for s in bundle.sources}
    assert {o.area for o in bundle.observations} <= areas
    assert {o.source for o in bundle.observations} <= sources
    assert len({a.code for a in bundle.areas}) == len(bundle.areas)


def test_country_codes_and_aggregates(bundle: Bundle) -> None:
    kinds = {a.code: a.is_country for a in bundle.areas}
    for o in bundle.observations:
        if ":" in o.area:
            assert not kinds[o.area]
            assert o.area.split(":")[0] in {"WB", "UN"}
        else:
            assert kinds[o.area] and len(o.area) == 3 and o.area.isupper()


def test_sources_yaml(data_dir: Path) -> None:
    sources = {s.id: s for s in load_sources(data_dir)}
    assert {
        "wdi",
        "itu-urban-rural",
        "unsd-gender-itu",
        "unsd-gender-uis",
        "unsd-gender-ilo",
        "unsd-gender-ipu",
        "unsd-gender-findex",
        "unsd-gender-unwomen",
        "sdg-db",
        "findex-digital-payments",
        "uis",
        "ilostat",
        "ocha-countries",
    } == set(sources)
    for s in sources.values():
        assert s.licence and s.retrieved_from and s.files and s.coverage and s.citation
        for rel in s.files:
            assert (data_dir / rel).is_file(), rel
    assert "ITU" in sources["wdi"].notes
    assert sources["itu-urban-rural"].licence == "CC BY-NC-SA 3.0 IGO"
    assert sources["wdi"].cite(2024).endswith("(2024). Licence: CC BY 4.0.")


def test_every_bundled_data_file_is_listed_in_a_source(data_dir: Path, bundle: Bundle) -> None:
    listed = {rel for s in bundle.sources for rel in s.files}
    files = [*data_dir.rglob("*.csv"), *data_dir.rglob("*.csv.gz")]
    on_disk = {p.relative_to(data_dir).as_posix() for p in files}
    assert on_disk == listed


def test_module_load_functions(data_dir: Path, bundle: Bundle) -> None:
    total = 0
    for module in (wdi, itu_urban_rural, unsd_gender, sdg_database, findex, uis, ilostat):
        total += len(module.load(data_dir))
    assert total == len(bundle.observations)


@pytest.fixture
def data_copy(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit_sources(data: Path, edit: object) -> None:
    path = data / "sources.yaml"
    doc = yaml.safe_load(path.read_text("utf-8"))
    edit(doc["sources"])  # type: ignore[operator]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")


def test_unknown_source_in_catalogue_is_an_error(data_copy: Path) -> None:
    _edit_sources(data_copy, lambda items: items.remove(next(s for s in items if s["id"] == "uis")))
    with pytest.raises(DataFileError, match="unknown source 'uis'"):
        load_bundle(data_copy)


def test_file_missing_from_source_listing_is_an_error(data_copy: Path) -> None:
    def drop_file(items: list[dict[str, object]]) -> None:
        ilo = next(s for s in items if s["id"] == "ilostat")
        ilo["files"] = ["equals-ict/ilo_ict_professionals.csv"]

    _edit_sources(data_copy, drop_file)
    with pytest.raises(DataFileError, match=r"ilo_telecomms_professionals\.csv"):
        load_bundle(data_copy)


def test_missing_data_file_is_an_error(data_copy: Path) -> None:
    (data_copy / "equals-ict" / "female_eng_tech_researchers.csv").unlink()
    with pytest.raises(DataFileError, match=r"female_eng_tech_researchers\.csv"):
        load_bundle(data_copy)


def test_bad_value_names_file_and_line(data_copy: Path) -> None:
    path = data_copy / "wdi" / "ddf--datapoints--it_net_user_fe_zs--by--economy--year.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[2] = "afe,2020,twenty\n"
    path.write_text("".join(lines), "utf-8")
    with pytest.raises(DataFileError, match=r"it_net_user_fe_zs--by--economy--year\.csv:3"):
        load_bundle(data_copy)


def test_fingerprint(data_copy: Path, data_dir: Path) -> None:
    fp = bundle_fingerprint(data_dir)
    assert len(fp) == 64
    assert bundle_fingerprint() == fp
    assert bundle_fingerprint(data_copy) == fp
    path = data_copy / "equals-ict" / "made_or_received_digitalpayments.csv"
    path.write_bytes(path.read_bytes().replace(b"69.12162018", b"69.12162019"))
    assert bundle_fingerprint(data_copy) != fp
