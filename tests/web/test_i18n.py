"""English, French and Spanish: negotiation, prefixes, translated pages, locale formatting,
country names, and the completeness of every catalogue (all areas of scripts/i18n.py)."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.core import i18n
from equals.settings import Settings
from equals.web.app import create_app
from equals.web.language import localised, negotiate, parse_accept_language, split_prefix

ROOT = Path(__file__).resolve().parents[2]
NBSP_NARROW = "\u202f"
UNPREFIXED = ("/api/", "/static/", "//", "/docs", "/redoc")

# Every page of the evidence and analysis area, with a string of its chrome per language.
PAGES = [
    "/",
    "/indicators",
    "/indicator/internet_use",
    "/countries",
    "/country/KEN",
    "/about",
    "/analysis",
    "/analysis/country/KEN",
    "/analysis/data-gaps",
    "/analysis/methodology",
]
NAV = {
    "en": ("Indicators", "Countries", "Sources &amp; methods"),
    "fr": ("Indicateurs", "Pays", "Sources et méthodes"),
    "es": ("Indicadores", "Países", "Fuentes y métodos"),
}


def _load_script() -> object:
    spec = importlib.util.spec_from_file_location("equals_i18n_script", ROOT / "scripts/i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def web(app_settings: Settings) -> Iterator[TestClient]:
    """A client of its own: the language cookie must not leak into the shared ``client``."""
    with TestClient(create_app(app_settings)) as c:
        yield c


class _Links(HTMLParser):
    """Internal ``href``/``action`` targets of a page (not API, static files or fragments)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.in_switch = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and "lang-switch" in (a.get("class") or ""):
            self.in_switch = 1
        # The chart toolbar's share link is built by equals.web.chart_data (not this area).
        if self.in_switch or tag == "link" or "js-share" in (a.get("class") or ""):
            return
        for key in ("href", "action"):
            url = a.get(key)
            if url and url.startswith("/") and not url.startswith(UNPREFIXED):
                self.links.append(url)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.in_switch:
            self.in_switch = 0


# -- negotiation ------------------------------------------------------------------------------
def test_accept_language_q_values() -> None:
    assert parse_accept_language("de-CH, fr;q=0.8, es;q=0.9, en;q=0") == ["es", "fr"]
    assert parse_accept_language("fr-CA,fr;q=0.9,en;q=0.8") == ["fr", "en"]
    assert parse_accept_language("es-419, *;q=0.5") == ["es"]
    assert parse_accept_language("fr;q=bad, es;q=0.1") == ["es"]
    assert negotiate("de, it;q=0.5") == "en"
    assert negotiate(None) == "en"
    assert negotiate("pt-BR, es;q=0.3, fr;q=0.2") == "es"


def test_prefix_split_and_localised_links() -> None:
    assert split_prefix("/fr/country/CIV") == ("fr", "/country/CIV")
    assert split_prefix("/es") == ("es", "/")
    assert split_prefix("/fresh") == (None, "/fresh")
    assert split_prefix("/country/FRA") == (None, "/country/FRA")
    with i18n.use_language("fr"):
        assert localised("/about") == "/fr/about"
        assert localised("/") == "/fr"
        assert localised("/api/v1/gaps") == "/api/v1/gaps"
        assert localised("/fr/about") == "/fr/about"
        assert localised("https://example.org/") == "https://example.org/"
    assert localised("/about") == "/about"


def test_header_negotiates_and_url_beats_header(web: TestClient) -> None:
    r = web.get("/indicators", headers={"Accept-Language": "de;q=1, es;q=0.9, fr;q=0.8"})
    assert r.status_code == 200
    assert r.headers["content-language"] == "es"
    assert "Accept-Language" in r.headers["vary"]
    assert '<html lang="es"' in r.text and "<h1>Indicadores</h1>" in r.text
    r = web.get("/fr/indicators", headers={"Accept-Language": "es"})
    assert r.headers["content-language"] == "fr" and "<h1>Indicateurs</h1>" in r.text
    r = web.get("/indicators", headers={"Accept-Language": "de, it;q=0.5"})
    assert r.headers["content-language"] == "en" and "<h1>Indicators</h1>" in r.text


def test_explicit_english_is_remembered(app_settings: Settings) -> None:
    with TestClient(create_app(app_settings)) as c:
        french = {"Accept-Language": "fr"}
        r = c.get("/en/indicators", headers=french)
        assert "<h1>Indicators</h1>" in r.text and "equals_lang=en" in r.headers["set-cookie"]
        assert "<h1>Indicators</h1>" in c.get("/indicators", headers=french).text
        r = c.get("/fr/indicators", headers=french)  # a newer explicit choice clears it
        assert "Max-Age=0" in r.headers["set-cookie"]
        assert "<h1>Indicateurs</h1>" in c.get("/indicators", headers=french).text


def test_redirect_keeps_the_language(web: TestClient) -> None:
    r = web.get("/fr/country/ken", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"].startswith("/fr/country/KEN")


def test_api_is_not_translated(web: TestClient) -> None:
    r = web.get("/api/v1/indicators", headers={"Accept-Language": "fr"})
    assert r.status_code == 200 and "content-language" not in r.headers


# -- pages ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_translated_with_links_in_the_language(
    web: TestClient, lang: str, path: str
) -> None:
    r = web.get(f"/{lang}{path}")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-language"] == lang
    assert f'<html lang="{lang}"' in r.text
    for word in NAV[lang]:
        assert word in r.text, word
    for word in ("Skip to content", "Sources &amp; methods", ">Show<", "Latest available"):
        assert word not in r.text, word
    parser = _Links()
    parser.feed(r.text)
    assert parser.links, "no internal link found"
    stray = [u for u in parser.links if not (u == f"/{lang}" or u.startswith(f"/{lang}/"))]
    assert not stray, stray[:5]


def test_switcher_keeps_page_and_query(web: TestClient) -> None:
    r = web.get("/fr/indicator/internet_use?year=2019")
    for code in ("en", "fr", "es"):
        assert f'href="/{code}/indicator/internet_use?year=2019" hreflang="{code}"' in r.text
    assert 'aria-current="true">Français<' in r.text


def test_not_found_page_is_translated(web: TestClient) -> None:
    r = web.get("/es/country/XYZ")
    assert r.status_code == 404 and "No encontramos el país «XYZ»" in r.text


# -- formatting and names -----------------------------------------------------------------------
def test_numbers_and_dates_per_locale() -> None:
    expected = {"en": "1,234.5", "fr": f"1{NBSP_NARROW}234,5", "es": "1.234,5"}
    for lang, text in expected.items():
        with i18n.use_language(lang):
            assert i18n.format_number(1234.5) == text
            sep = "." if lang == "en" else ","
            assert i18n.format_number(-0.25, 2, signed=True) == f"\u22120{sep}25"
            assert i18n.format_number(3, 1, signed=True) == f"+3{sep}0"
    with i18n.use_language("fr"):
        assert i18n.format_percent(12.34) == "12,3\u00a0%"
        assert i18n.format_date(date(2026, 11, 29)) == "29 nov. 2026"
    with i18n.use_language("es"):
        assert i18n.format_date(date(2026, 11, 29)) == "29 nov 2026"


def test_numbers_on_pages_follow_the_locale(web: TestClient) -> None:
    """The same female value of Kenya's Internet use, as each language writes it."""
    en = web.get("/country/KEN").text
    fr = web.get("/fr/country/KEN").text
    es = web.get("/es/country/KEN").text
    pattern = r'data-testid="female-internet_use" data-value="([^"]+)">([^<]+)<'
    raw, shown_en = re.search(pattern, en).groups()  # type: ignore[union-attr]
    value = float(raw)
    assert shown_en == f"{value:,.1f}%"
    shown_fr = re.search(pattern, fr).group(2)  # type: ignore[union-attr]
    shown_es = re.search(pattern, es).group(2)  # type: ignore[union-attr]
    assert shown_fr == f"{value:.1f}".replace(".", ",") + "\u00a0%"
    assert shown_es == f"{value:.1f}".replace(".", ",") + "\u00a0%"
    # The data value itself is unchanged: the same attribute in every language.
    assert f'data-value="{raw}"' in fr and f'data-value="{raw}"' in es


def test_country_names_per_locale(web: TestClient) -> None:
    assert "<h1>Côte d’Ivoire</h1>" in web.get("/fr/country/CIV").text
    assert "<h1>Allemagne</h1>" in web.get("/fr/country/DEU").text
    assert "<h1>Alemania</h1>" in web.get("/es/country/DEU").text
    assert "<h1>Germany</h1>" in web.get("/country/DEU").text  # English: as published
    countries = web.get("/fr/countries").text
    assert "Afrique" in countries and ">Allemagne<" in countries


def test_country_list_sorted_in_the_readers_language(web: TestClient) -> None:
    text = web.get("/fr/countries").text
    europe = text[text.index(">Europe") :]
    europe = europe[: europe.index("</section>")]
    names = re.findall(r'/fr/country/[A-Z]{3}">([^<]+)<', europe)
    assert names == sorted(names, key=i18n.sort_key)
    assert names.index("Allemagne") < names.index("Espagne") < names.index("Suède")


def test_source_titles_and_data_stay_as_published(web: TestClient) -> None:
    en = web.get("/about").text
    fr = web.get("/fr/about").text
    titles = re.findall(r"<strong>([^<]+)</strong><br>([^<]+)<br>", en)
    assert titles
    for organisation, title in titles:
        assert f"<strong>{organisation}</strong><br>{title}<br>" in fr


# -- catalogues -------------------------------------------------------------------------------
SCRIPT = _load_script()
AREAS = sorted(SCRIPT.AREAS)  # type: ignore[attr-defined]


@pytest.mark.parametrize("area", AREAS)
def test_catalogues_are_complete(area: str) -> None:
    """For every area: extraction equals the template and each language's msgids; every
    message has a non-empty, non-fuzzy translation with the same placeholders."""
    problems = SCRIPT.check_area(area)  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("area", AREAS)
def test_every_shipped_language_has_a_catalogue(area: str) -> None:
    spec = SCRIPT.AREAS[area]  # type: ignore[attr-defined]
    if not (spec.templates or spec.python or spec.yaml_fields or spec.collect or spec.javascript):
        pytest.skip(f"area {area} lists no sources yet")
    for lang in i18n.LANGUAGES:
        if lang != i18n.DEFAULT_LANGUAGE:
            assert SCRIPT.po_path(area, lang).exists(), (area, lang)  # type: ignore[attr-defined]


def test_check_catches_an_untranslated_message() -> None:
    """The completeness check fails on an empty, fuzzy or placeholder-changing translation."""
    from babel.messages.catalog import Catalog, Message

    script = SCRIPT
    catalog = Catalog(locale="fr")
    cases = {
        "empty": Message("Hello", ""),
        "fuzzy": Message("Map", "Carte", flags=["fuzzy"]),
        "placeholder": Message("%(count)s countries", "%(nombre)s pays"),
        "fine": Message("%(count)s countries", "%(count)s pays"),
    }
    for name, message in cases.items():
        found = script._message_problems(message, "x.po")  # type: ignore[attr-defined]
        assert bool(found) == (name != "fine"), (name, found)
    assert catalog.locale is not None


def test_check_catches_an_ordinary_space_before_french_punctuation() -> None:
    """French puts a no-break space (U+00A0) before : ; ! ? — the check refuses an ordinary
    one, and leaves URLs, times, placeholders and code (no space before the sign) alone."""
    from babel.messages.catalog import Message

    nb = "\N{NO-BREAK SPACE}"
    loose = {
        "colon": Message("Score: %(n)s", "Score : %(n)s"),
        "semicolon": Message("a; b", "a ; b"),
        "question": Message("Sure?", "Vraiment ?"),
        "bang": Message("Done!", "Fini !"),
        "plural": Message(("%(num)s row:", "%(num)s rows:"), ("%(num)s ligne\xa0:", "lignes :")),
    }
    tight = {
        "no-break": Message("Score: %(n)s", f"Score{nb}: %(n)s{nb}; fini{nb}! vrai{nb}?"),
        "machine": Message("%(file)s:%(line)s: at 12:30", "%(file)s:%(line)s: à 12:30"),
        "url": Message("See https://x.org/?q=1", "Voir https://x.org/?q=1"),
    }
    check = SCRIPT._french_spacing_problems  # type: ignore[attr-defined]
    for name, message in loose.items():
        found = check(message, "fr.po")
        assert len(found) == 1 and "U+00A0" in found[0], (name, found)
    for name, message in tight.items():
        assert check(message, "fr.po") == [], name


def test_french_catalogues_use_a_no_break_space_before_punctuation() -> None:
    """Independently of the script: no French translation has " :", " ;", " !" or " ?"."""
    from babel.messages.pofile import read_po

    found = []
    for path in sorted((i18n.LOCALES_DIR / "fr" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="fr"):
                if not message.id:  # the header
                    continue
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                found += [
                    (path.name, str(text))
                    for text in strings
                    if text and re.search(r" [:;!?]", str(text))
                ]
    assert found == []


def test_region_names_per_locale() -> None:
    with i18n.use_language("fr"):
        assert i18n.region_name("Sub-Saharan Africa") == "Afrique subsaharienne"
        assert i18n.region_name("South-eastern Asia") == "Asie du Sud-Est"
        assert i18n.region_name("Latin America and the Caribbean") == (
            "Latin America and the Caribbean"  # no CLDR name: as published
        )
    with i18n.use_language("es"):
        assert i18n.region_name("Europe") == "Europa"
        assert i18n.territory_name("UN:001", "World") == "Mundo"
    assert i18n.region_name("Europe") == "Europe"


def test_browser_scripts_get_their_translations(web: TestClient) -> None:
    """Messages marked EQUALS.t("…") in static/js reach French pages as JSON; not English."""
    fr = web.get("/fr/country/KEN").text
    match = re.search(r'<script type="application/json" id="equals-i18n">(.*?)</script>', fr)
    assert match is not None
    messages = json.loads(match.group(1))
    assert messages["Loading chart…"] == "Chargement du graphique…"
    assert messages["Women"] == "Femmes"
    assert "Skip to content" not in messages  # only what the scripts use
    countries = re.search(r'id="equals-countries">(.*?)</script>', fr)
    assert countries is not None
    assert json.loads(countries.group(1))["DEU"] == "Allemagne"
    english = web.get("/country/KEN").text
    assert 'id="equals-i18n"' not in english and 'id="equals-countries"' not in english


def test_indicator_titles_and_definitions_are_translated(web: TestClient) -> None:
    fr = web.get("/fr/indicator/internet_use").text
    assert "<h1>Personnes utilisant l’Internet" in fr
    assert "Proportion de personnes ayant utilisé l’Internet" in fr
    es = web.get("/es/indicator/internet_use").text
    assert "Proporción de personas que utilizaron Internet" in es
    en = web.get("/indicator/internet_use").text
    assert "<h1>Individuals using the Internet" in en


def test_trend_statuses_and_units_are_translated(web: TestClient) -> None:
    en = web.get("/analysis/country/KEN").text
    fr = web.get("/fr/analysis/country/KEN").text
    english = ("parity in ", "not at current pace", "diverging:", "at parity:", "not enough data")
    french = (
        "parité en ",
        "pas au rythme actuel",
        "divergente\xa0:",
        "à parité\xa0:",
        "pas assez de",
    )
    for en_word, fr_word in zip(english, french, strict=True):
        assert (en_word in en) == (fr_word in fr), en_word
    assert any(w in fr for w in french)
    assert "<dd>% de la population</dd>" in web.get("/fr/indicator/internet_use").text


def test_server_error_page_in_the_requests_language(app_settings: Settings) -> None:
    app = create_app(app_settings)

    def boom() -> None:
        raise RuntimeError("database exploded")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        fr = c.get("/fr/boom")
        es = c.get("/boom", headers={"Accept-Language": "es"})
        en = c.get("/boom")
        # English chosen with the switcher (the cookie) wins over a French browser, as on
        # every other page.
        c.cookies.set("equals_lang", "en")
        chosen = c.get("/boom", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in chosen.text and "Something went wrong" in chosen.text
    assert fr.status_code == 500 and '<html lang="fr">' in fr.text
    assert "Un problème est survenu de notre côté" in fr.text and 'href="/fr"' in fr.text
    assert "Algo salió mal por nuestra parte" in es.text
    assert "Something went wrong on our side" in en.text and "exploded" not in en.text


def test_partnership_pages_name_countries_in_the_pages_language(web: TestClient) -> None:
    """Country names on the partnership pages come from CLDR, as on the evidence pages."""
    de_fr = web.get("/fr/action/DEU").text
    assert "Allemagne" in de_fr and "Germany" not in de_fr
    assert "Alemania" in web.get("/es/action/DEU").text
    assert "Germany" in web.get("/en/action/DEU").text
    action_fr = web.get("/fr/action").text
    rows = re.findall(r'<tr data-country="(\w{3})"><td>\d+</td><td><a [^>]*>([^<]+)</a>', action_fr)
    assert rows, "the action table has rows"
    for code, name in rows:
        assert html.unescape(name) == i18n.territory_name(code, "?", "fr"), code
    web.cookies.clear()


def test_source_metadata_chart_titles_and_embeds_in_the_pages_language(web: TestClient) -> None:
    """Our own sentences about the sources, chart titles, the trend's unit and the embeds'
    browser-script messages follow the page's language; source titles stay as published."""
    about = web.get("/fr/about").text
    assert (
        "Utilisation d’Internet (IT.NET.USER.FE.ZS/MA.ZS/ZS)\xa0: par sexe 136 économies" in about
    )
    assert "(conversion DDF des WDI par Gapminder)" in about  # "retrieved from"
    assert "World Development Indicators: Individuals using the Internet" in about  # title
    assert "Internet use (IT.NET.USER.FE.ZS" in web.get("/en/about").text

    country = web.get("/fr/country/KEN").text
    assert 'data-title="Kenya\xa0: ' in country  # the chart toolbar's (and iframe's) title
    assert 'data-unit="% de la population"' in country
    embed = web.get("/fr/country/KEN?indicator=internet_use&embed=1").text
    assert 'id="equals-i18n"' in embed and 'id="equals-countries"' in embed
    assert 'data-unit="% de la population"' in embed
    assert "<title>Kenya\xa0: " in embed
    english = web.get("/en/country/KEN?indicator=internet_use&embed=1").text
    assert 'id="equals-i18n"' not in english and "<title>Kenya: " in english
    assert "Score de sous-desserte\xa0: " in web.get("/fr/action").text
    web.cookies.clear()


def test_initiative_page_names_target_countries_and_indicators_in_the_pages_language(
    loaded_db_url: str, tmp_path: Path
) -> None:
    """A target's chart title (and its country) on an initiative page follow the page's
    language: a registry of its own (a copy of the loaded database) with one target in CIV."""
    import shutil

    from equals.auth import Actor
    from equals.partners import create_initiative, create_partner
    from equals.store import Store

    copy = tmp_path / "registry.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), copy)
    store = Store(f"sqlite:///{copy}")
    actor = Actor("cli:test")
    lead = create_partner(
        store, {"name": "GSMA", "stakeholder_group": "private_sector"}, actor=actor
    )
    target = {
        "indicator": "internet_use",
        "country": "CIV",
        "sex": "female",
        "baseline_value": 24.0,
        "baseline_year": 2019,
        "target_value": 40.0,
        "target_year": 2026,
    }
    body = {
        "title": "Internet for women",
        "description": "Clubs.",
        "lead_organization_id": lead.organization_id,
        "action_areas": ["access"],
        "countries": ["CIV"],
        "status": "2",
        "targets": [target],
    }
    made = create_initiative(store, body, actor=actor)
    store.dispose()
    with TestClient(create_app(Settings(db_url=f"sqlite:///{copy}"))) as c:
        en = c.get(f"/en/initiatives/{made.id}").text
        fr = c.get(f"/fr/initiatives/{made.id}").text
    english_title = re.search(r'data-title="([^"]+), C[^"]*Ivoire"', en)
    assert english_title, "the target chart has a title"
    with i18n.use_language("fr"):
        french_title = i18n.gettext(html.unescape(english_title.group(1)))
    assert french_title != html.unescape(english_title.group(1))
    assert f'data-title="{html.escape(french_title)}, Côte d’Ivoire"' in fr
