"""The French catalogue: compiled as committed, and a translation for every message.

When a template gains a message, `make i18n` re-extracts and updates the catalogue; the new
entries need a translation in firstline/web/locales/fr/LC_MESSAGES/messages.po (see
docs/web.md, "Languages"), then `make i18n` again compiles it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from firstline.web import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALES = Path(i18n.LOCALES)
TEMPLATES = ROOT / "firstline" / "web" / "templates"


def _catalogue(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def _extracted() -> dict[str, set[str]]:
    """msgid -> the files it is extracted from, with the project's babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, set()).add(filename)
    return found


EXTRACTED = _extracted()
FILES = sorted({name for names in EXTRACTED.values() for name in names})


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT])
def test_compiled_catalogue_is_up_to_date(language: str) -> None:
    with _catalogue(language).open("rb") as po:
        catalogue = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    committed = _catalogue(language).with_suffix(".mo").read_bytes()
    assert compiled.getvalue() == committed, "run `make i18n` to compile the catalogue"


@pytest.mark.parametrize("source", FILES)
def test_every_message_has_a_french_translation(source: str) -> None:
    with _catalogue("fr").open("rb") as po:
        catalogue = read_po(po, locale="fr")
    missing = []
    for msgid, files in sorted(EXTRACTED.items()):
        if source not in files:
            continue
        entry = catalogue.get(msgid)
        strings = entry.string if entry is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(values):
            missing.append(msgid)
    assert not missing, f"untranslated in {source} (run `make i18n`, then translate): {missing}"


def test_the_wheel_ships_the_catalogue() -> None:
    """Hatch puts every file under firstline/ into the wheel, .mo files included, unless
    git ignores them."""
    ignored = (
        (ROOT / ".gitignore").read_text(encoding="utf-8") if (ROOT / ".gitignore").exists() else ""
    )
    assert "*.mo" not in ignored.split()
    assert (LOCALES / "fr" / "LC_MESSAGES" / "messages.mo").is_file()
    assert i18n.catalogue("fr").gettext("Hit queue") == "File des alertes"


def test_every_operator_has_a_label() -> None:
    from firstline.rules.operators import OPERATORS
    from firstline.web.labels import OPERATORS as OPERATOR_LABELS

    assert {op for table in OPERATORS.values() for op in table} <= set(OPERATOR_LABELS)


def test_the_rule_fields_labels_and_descriptions_are_extracted() -> None:
    """The rule editor translates each field's label and description: both are marked with
    `N_` in firstline/rules/fields.py, which babel.cfg reads."""
    from firstline.rules.fields import FIELDS

    texts = {text for f in FIELDS for text in (f.label, f.description)}
    assert texts <= set(EXTRACTED)


def test_translations_keep_the_placeholders_of_the_domain_s_templates() -> None:
    """Domain messages (firstline/texts.py) are filled with `str.format` once translated: a
    French template must name the same `{placeholders}` as the English one."""
    placeholder = re.compile(r"\{(\w+)\}")
    with _catalogue("fr").open("rb") as po:
        catalogue = read_po(po, locale="fr")
    wrong = [
        m.id
        for m in catalogue
        if isinstance(m.id, str)
        and isinstance(m.string, str)
        and m.string
        and set(placeholder.findall(m.id)) != set(placeholder.findall(m.string))
    ]
    assert not wrong
