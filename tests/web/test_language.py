"""The interface in English and French: the switcher's cookie, the browser's
Accept-Language, the fallback to English, and the switcher's redirect (same site only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from webkit import World

from firstline.web.language import COOKIE, choose, from_accept_language


def test_switcher_sets_the_cookie_and_the_next_page_is_in_french(world: World) -> None:
    flight = world.flight(high=1)
    officer = world.login("analyst")
    switched = officer.get(f"/language/fr?next=/hits%3Fflight_id%3D{flight.id}")
    assert switched.status_code == 303
    assert switched.headers["location"] == f"/hits?flight_id={flight.id}"
    assert f"{COOKIE}=fr" in switched.headers["set-cookie"]

    page = officer.get(switched.headers["location"])
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "<h1>File des alertes</h1>" in page.text
    assert "<th>Gravité</th>" in page.text
    assert ">élevée</span>" in page.text
    # Arrival tomorrow at 13:00, local time of the arrival airport, with its zone.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    assert f"<td>{format_date(tomorrow, 'medium', locale='fr_FR')} 13:00 " in page.text
    assert "déc." in format_date(datetime(2026, 12, 7), "medium", locale="fr_FR")

    back = officer.get("/language/en?next=/hits")
    assert back.status_code == 303
    english = officer.get("/hits")
    assert '<html lang="en">' in english.text
    assert "<h1>Hit queue</h1>" in english.text
    assert "<th>Severity</th>" in english.text


def test_accept_language_without_cookie(world: World) -> None:
    officer = world.login("analyst")
    french = officer.get("/hits", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert "<h1>File des alertes</h1>" in french.text
    assert '<html lang="fr">' in french.text
    preferred = officer.get("/hits", headers={"Accept-Language": "en;q=0.4, fr;q=0.8"})
    assert "<h1>File des alertes</h1>" in preferred.text


@pytest.mark.parametrize("header", ["de-DE,de;q=0.9", "", "*", "fr;q=0"])
def test_unknown_languages_fall_back_to_english(world: World, header: str) -> None:
    officer = world.login("analyst")
    page = officer.get("/hits", headers={"Accept-Language": header})
    assert '<html lang="en">' in page.text
    assert "<h1>Hit queue</h1>" in page.text


def test_an_unknown_cookie_value_is_ignored(world: World) -> None:
    officer = world.login("analyst")
    officer.client.cookies.set(COOKIE, "xx")
    page = officer.get("/hits", headers={"Accept-Language": "de"})
    assert "<h1>Hit queue</h1>" in page.text
    assert officer.get("/language/xx?next=/hits").status_code == 404


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/hits", "/\\evil.example", "evil.example", ""],
)
def test_the_switcher_redirects_on_this_site_only(world: World, target: str) -> None:
    answer = world.client().get("/language/fr", params={"next": target})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_the_login_page_offers_both_languages(world: World) -> None:
    page = world.client().get("/login?next=/hits", headers={"Accept-Language": "fr"})
    assert "Mot de passe" in page.text
    assert 'href="/language/en?next=/login%3Fnext%3D/hits"' in page.text
    assert '<strong lang="fr" aria-current="true">Français</strong>' in page.text


def test_choice_order() -> None:
    assert choose("fr", "en") == "fr"
    assert choose(None, "fr-BE") == "fr"
    assert choose("de", None) == "en"
    assert from_accept_language("en-GB,en;q=0.9,fr;q=0.8") == "en"
    assert from_accept_language("de, fr;q=0.2, en;q=0.1") == "fr"
    assert from_accept_language("fr;q=abc, en") == "en"
    assert from_accept_language(None) is None


FRENCH = {"Accept-Language": "fr"}


def test_a_french_rules_page_shows_translated_statuses_and_editor(world: World) -> None:
    from firstline.services import rules as rule_service

    key = "language-draft"
    rule_service.save_definition(
        world.store,
        {
            "id": key, "title": "Rule of the language tests", "category": "drugs",
            "severity": "low", "score": 10, "status": "draft",
            "when": {"all": [{"field": "payment.cash", "op": "is_true"}]},
        },
    )  # fmt: skip
    officer = world.login("supervisor")
    listing = officer.get("/rules", headers=FRENCH)
    assert listing.status_code == 200
    row = listing.text.split(f'data-rule="{key}"', 1)[1].split("</tr>", 1)[0]
    assert ">brouillon</span>" in row and ">draft</span>" not in row
    editor = officer.get(f"/rules/{key}/edit", headers=FRENCH).text
    assert '<optgroup label="Paiement">' in editor
    assert "Payé en espèces (payment.cash)" in editor
    assert ">est oui</option>" in editor
    assert ">stupéfiants</option>" in editor and ">retirée</option>" in editor
    assert "Retirer la règle\u00a0:" in editor
    english = officer.get("/rules").text.split(f'data-rule="{key}"', 1)[1]
    assert ">draft</span>" in english.split("</tr>", 1)[0]


def test_a_french_dashboard_chart_has_french_days_and_numbers(world: World) -> None:
    from firstline.reports import charts
    from firstline.web import i18n
    from firstline.web.routes import dashboard

    world.flight(high=1)
    officer = world.login("supervisor")
    page = officer.get("/dashboard", headers=FRENCH)
    assert page.status_code == 200
    screened = page.text.split('id="stat-screened"', 1)[1].split("</figure>", 1)[0]
    assert "valeurs de" in screened and "values from" not in screened
    assert any(f">{day} " in screened for day in ("lun.", "mar.", "mer.", "jeu.", "ven."))
    assert "Mon " not in screened and "Tue " not in screened
    # Numbers with a decimal comma and a narrow space between thousands.
    i18n.activate("fr")
    try:
        svg = charts.bars("Moyenne", ["a", "b"], [charts.Series("x", [1234.5, 2.25])],
                          **dashboard._speak())  # fmt: skip
    finally:
        i18n.activate("en")
    assert "1\u202f234,5" in svg and "2,25" in svg and "a\u00a0: " in svg
    assert "2 valeurs de a à b" in svg
    assert "1,234.5" in charts.bars("Mean", ["a"], [charts.Series("x", [1234.5])])
