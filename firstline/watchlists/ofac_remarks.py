"""Facts hidden in OFAC legacy CSV remarks ("DOB 1962; POB Shati; Passport X (Iran); ...").

The CSV has no fields for what the XML puts in dateOfBirthList, idList and so on: OFAC writes
them as "; "-separated clauses in the remarks. Each clause is recognised by its leading label;
the idType labels are the XML's own, so both formats file a fact in the same place.
"""

from __future__ import annotations

import re

from firstline.model.watchlist import (
    ListedDocument,
    ListedIdentifier,
    ListedName,
    ListEntry,
    NameKind,
)
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.dates import parse_date
from firstline.watchlists.ofac_ids import NOTE_PREFIXES, IdRole, classify, labels

_CLAUSES = re.compile(r";\s+")
_ALIAS = re.compile(r"([af])\.k\.a\.,? '(.+)'\.?$", re.IGNORECASE)
_TRAILING_COUNTRY = re.compile(r"^(.*?)\s*\(([^()]*)\)\.?$")
# The XML's note idTypes, as the CSV writes them before their value (with or without ":").
_NOTE_LABEL = re.compile(
    r"((?:Listing|Effective|Purchase/Sales For Divestment) Date \([^)]*\)"
    r"|Executive Order \d+ Directive (?:Determination|Information)|Executive Order \d+ information"
    r"|CAATSA Section \d+ Information)\s*[:-]?\s*(.*)",
    re.IGNORECASE,
)
# Longest first, so that "registration number" is not read as "registration" + "number".
_LABELS = sorted(labels(), key=len, reverse=True)
_GENDER = {"male": "M", "female": "F"}
# Boilerplate that adds nothing for an analyst beyond the remarks text kept as a whole.
_SKIP = ("for more information",)


def apply(entry: ListEntry, remarks: str) -> None:
    """Add the facts the remarks state to the entry; the remarks text is kept whole too."""
    for raw in _CLAUSES.split(remarks.strip()):
        clause = raw.strip()
        if clause.lower().startswith("alt. "):
            clause = clause[5:].strip()
        if clause and not clause.lower().startswith(_SKIP):
            _clause(entry, clause)


def _clause(entry: ListEntry, clause: str) -> None:
    lowered = clause.lower()
    if alias := _ALIAS.match(clause):
        kind = NameKind.FORMER if alias[1].lower() == "f" else NameKind.ALIAS
        entry.names.append(ListedName(full=alias[2].strip(), kind=kind, quality="remarks"))
    elif lowered.startswith("dob "):
        _birth_date(entry, clause[4:])
    elif lowered.startswith("pob "):
        entry.birth_places.append(clause[4:].strip().rstrip("."))
    elif lowered.startswith(("nationality ", "citizen ")) and " of " not in lowered[:15]:
        _country(entry, clause.split(" ", 1)[1], lowered.split(" ", 1)[0])
    elif lowered.startswith("linked to:"):
        _note(entry, "linked_to", clause[10:].strip().rstrip("."))
    else:
        _labelled(entry, clause)


def _birth_date(entry: ListEntry, text: str) -> None:
    try:
        listed = parse_date(text)
    except ValueError:
        _note(entry, "date_of_birth_unparsed", text.strip())
        return
    if listed not in entry.birth_dates:
        entry.birth_dates.append(listed)


def _country(entry: ListEntry, text: str, key: str) -> None:
    value = text.strip().rstrip(".")
    code = to_alpha3(value)
    if code is None:
        _note(entry, "nationality" if key == "nationality" else "citizenship", value)
    elif code not in entry.nationalities:
        entry.nationalities.append(code)


def _labelled(entry: ListEntry, clause: str) -> None:
    lowered = clause.lower()
    label = next((k for k in _LABELS if lowered.startswith(k)), None)
    if label is None:
        if lowered.startswith(NOTE_PREFIXES):
            match = _NOTE_LABEL.match(clause)
            key, value = (match[1], match[2]) if match else (clause, "")
            _note(entry, classify(key).kind, value.strip().rstrip(".") or clause)
        return  # an unlabelled sentence: it stays in the remarks text only
    value = clause[len(label) :].strip(" :-").rstrip(".")
    mapping = classify(label)
    if mapping.role is IdRole.GENDER:
        entry.gender = _GENDER.get(value.lower(), entry.gender)
    elif mapping.role is IdRole.NOTE:
        _note(entry, mapping.kind, value)
    else:
        _identifier(entry, mapping.role, mapping.kind, value)


def _identifier(entry: ListEntry, role: IdRole, kind: str, value: str) -> None:
    number, country = value, None
    if match := _TRAILING_COUNTRY.match(value):
        number, country = match[1].strip(), match[2].strip()
    if not number:
        return
    if role is IdRole.DOCUMENT:
        code = to_alpha3(country)
        note = country if country and code is None else None
        entry.documents.append(ListedDocument(number, kind, code, note))
    else:
        entry.identifiers.append(ListedIdentifier(kind, number))


def _note(entry: ListEntry, key: str, value: str) -> None:
    entry.extra[key] = f"{entry.extra[key]}; {value}" if key in entry.extra else value
