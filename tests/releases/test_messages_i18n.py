"""Data-import findings in the reader's language (issue 12): ``equals --lang fr|es data import``
prints the findings in French or Spanish; ``str(exc)`` (logs, the API's JSON) stays English."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.cli import app
from equals.core.errors import DataFileError, message_of
from equals.core.i18n import localised, use_language
from equals.releases.readers import read_release
from equals.releases.validate import Joined
from equals.store import Store
from tests.releases.helpers import WDI_FE, read_csv, write_csv
from tests.releases.test_sdmx_input import CSV_V1, write

ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "300"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, " ".join(result.stderr.split())  # rich wraps long lines


def bad_wdi(tmp_path: Path) -> Path:
    """The bundled WDI file with a negative share and a row repeated (two findings)."""
    rows = read_csv(WDI_FE)
    return write_csv(tmp_path / "bad.csv", [*rows, ["ken", "2024", "-5"], rows[1]])


def test_import_findings_in_french_and_spanish(store: Store, tmp_path: Path) -> None:
    bad = bad_wdi(tmp_path)
    args = ("data", "import", str(bad), "--source", "wdi", "--db", store.url)
    code, err = run(*args)
    assert code == 2
    assert "2 problem(s); nothing was imported:" in err
    assert (
        "value(s) out of range: internet_use KEN 2024 female: -5.0 "
        "(allowed 0 to 1000 % of population)" in err
    )
    assert "duplicate key(s)" in err
    code, err = run("--lang", "fr", *args)
    assert code == 2
    assert err.startswith("erreur : ")  # the no-break space is a space once unwrapped
    assert "2 problème(s) ; rien n’a été importé :" in err
    assert (
        "valeur(s) hors limites : internet_use KEN 2024 female : -5.0 "
        "(valeurs admises : de 0 à 1000 % de la population)"
    ) in err
    assert "clé(s) en double" in err
    assert "nothing was imported" not in err and "out of range" not in err
    code, err = run("--lang", "es", *args)
    assert code == 2
    assert "2 problema(s); no se importó nada:" in err
    assert "valor(es) fuera del intervalo admitido: internet_use KEN 2024 female: -5.0" in err
    assert "clave(s) duplicada(s)" in err


def test_sdmx_errors_in_spanish_and_english_in_str(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", CSV_V1.replace(",M,2024", ",X,2024"))
    with pytest.raises(DataFileError) as info:
        read_release(path, "sdg-db")
    exc = info.value
    english = f"{path}:3: unknown SEX code 'X' (expected F, M or _T)"
    assert str(exc) == english
    with use_language("es"):
        assert str(exc) == english  # logs, the API
        assert message_of(exc) == f"{path}:3: código SEX desconocido: 'X' (se esperaba F, M o _T)"
    with use_language("fr"):
        assert message_of(exc) == f"{path}:3: code SEX inconnu\xa0: 'X' (attendu\xa0: F, M ou _T)"


def test_unknown_source_and_missing_file_in_french(store: Store, tmp_path: Path) -> None:
    code, err = run("--lang", "fr", "data", "diff", str(tmp_path / "none.csv"), "--source",
                    "wdi", "--db", store.url)  # fmt: skip
    assert code == 2 and "none.csv: fichier introuvable" in err
    code, err = run("--lang", "fr", "data", "diff", str(tmp_path / "none.csv"), "--source",
                    "nope", "--db", store.url)  # fmt: skip
    assert code == 2
    assert "source inconnue : 'nope' (vouliez-vous dire : ilostat, sdg-db," in err


def test_a_list_of_findings_keeps_english_and_localises_each_part() -> None:
    from equals.core.i18n import Msg

    parts = ["a.csv", Msg("file not found")]
    joined = Joined(parts, ": ")
    assert joined == "a.csv: file not found"
    again = pickle.loads(pickle.dumps(joined))
    assert again == joined
    with use_language("fr"):
        assert again.localised() == "a.csv: fichier introuvable"
        assert Msg("x %(list)s", list=joined).localised() == "x a.csv: fichier introuvable"


def test_init_progress_labels_are_localised() -> None:
    from equals.bootstrap import _example_label, example_loaders

    labels = [_example_label(name) for name, _load in example_loaders()]
    assert labels == ["Example content: session archive", "Example content: partnership registry"]
    with use_language("fr"):
        assert [label.localised() for label in labels] == [
            "Contenu d’exemple\xa0: archive des sessions",
            "Contenu d’exemple\xa0: registre du partenariat",
        ]


def test_a_file_without_observations_names_the_skipped_rows_in_french(
    store: Store, tmp_path: Path
) -> None:
    header = read_csv(WDI_FE)[0]
    empty = write_csv(tmp_path / "empty.csv", [header, ["ken", "2024", ""], ["ken", "2023", ""]])
    args = ("data", "diff", str(empty), "--source", "wdi", "--db", store.url)
    code, err = run(*args)
    assert code == 2
    assert (
        "no observation of source 'wdi' in the file (missing value: 2); is it the right file "
        "for this source?"
    ) in err
    code, err = run("--lang", "fr", *args)
    assert code == 2
    assert (
        "aucune observation de la source 'wdi' dans le fichier (valeur manquante : 2) ; est-ce le "
        "bon fichier pour cette source ?"
    ) in err


def test_every_skip_reason_of_the_loaders_has_a_message() -> None:
    from equals.indicators.sources import base
    from equals.releases import readers, sdmx_input
    from equals.releases.validate import SKIP_REASONS, skip_reason

    constants = [
        getattr(module, name)
        for module in (base, readers, sdmx_input)
        for name in dir(module)
        if name.startswith("SKIP_")
    ]
    assert constants and set(constants) <= set(SKIP_REASONS)
    assert all(SKIP_REASONS[c] == c for c in constants)  # the English text is unchanged
    assert skip_reason("some other reason") == "some other reason"
    with use_language("es"):
        assert localised(skip_reason(base.SKIP_MISSING)) == "valor ausente"
