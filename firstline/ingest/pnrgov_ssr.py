"""Free text of PNR special service requests and remarks: SSR DOCS, DOCA, DOCO, INFT, FOID,
and contacts (SSR CTCE/CTCM, `CTCM ...` in OSI text).

The SSR slash layouts follow IATA AIRIMP as quoted in the PNRGOV guides:
- DOCS `/type/issuing country/number/nationality/birth date/gender/expiry/surname/given/
  second given/holder`, gender MI or FI for an infant;
- DOCA `/R or D/country/street/city/state/postcode/I (infant)`;
- DOCO `/place of birth/type/number/place of issue/issue date/country of application/I`;
- INFT `surname/given [title] birth date`.
Parsers return what they could read plus `Issue`s; the mapper turns issues into warnings at
the segment. Fields are positional, so one missing slash shifts everything: such a DOCS
yields odd values with warnings rather than a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from firstline.ingest.edifact.dates import DateValueError
from firstline.ingest.pnrgov_values import TITLES, is_alpha_code, parse_ssr_date
from firstline.model.travel import Address, TravelDocument

GENDERS = frozenset({"M", "F", "U", "X", "MI", "FI", "UI", "XI"})
DOCUMENT_FOIDS = frozenset({"PP", "NI", "ID", "DL", "PT", "IC"})  # FOID prefixes that are documents
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{4,}[0-9]")
_TEXT_CONTACT = re.compile(r"\bCTC([EMBHPTA])\b[ /:]*(.*)")
_LANGUAGE_SUFFIX = re.compile(r"/[A-Z]{2}$")
_INFT_DATE = re.compile(r"(\d{1,2}[A-Z]{3}\d{2}(?:\d{2})?)$")
_NON_LETTERS = re.compile(r"[^A-Z ]+")
PHONE_CODES = {"M": "phone", "B": "phone", "H": "phone", "P": "phone", "T": "phone", "A": "phone"}


@dataclass(slots=True)
class Issue:
    """Something odd in free text, to become a warning at its segment."""

    code: str
    message: str
    expected: str | None = None
    found: str | None = None


@dataclass(slots=True)
class PersonFacts:
    """What an SSR says about a person: DOCS, DOCA, DOCO or INFT."""

    surname: str | None = None
    given: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    nationality: str | None = None
    infant: bool = False
    document: TravelDocument | None = None
    address: Address | None = None
    residence: str | None = None  # DOCA type R
    issues: list[Issue] = field(default_factory=list)


def slash_fields(text: str, count: int) -> list[str]:
    """`text` split on `/` (one leading slash dropped), padded to `count` fields."""
    body = text.strip()
    if body.startswith("/"):
        body = body[1:]
    parts = [part.strip() for part in body.split("/")]
    return parts + [""] * (count - len(parts))


def parse_docs(text: str, reference: date) -> PersonFacts:
    kind, issuer, number, nationality, born, gender, expiry, surname, given, second = slash_fields(
        text, 10
    )[:10]
    facts = PersonFacts(surname=surname or None)
    facts.given = " ".join(part for part in (given, second) if part) or None
    _country(facts, issuer, "issuing country")
    _country(facts, nationality, "nationality")
    facts.nationality = nationality.upper() or None
    facts.date_of_birth = _date(facts, born, reference, "past", "birth date")
    gender = gender.upper()
    if gender and gender not in GENDERS:
        facts.issues.append(
            Issue("bad_code", "unknown DOCS gender code", "M, F, U, X, MI or FI", gender)
        )
    facts.gender = gender or None
    facts.infant = gender.endswith("I") and len(gender) == 2
    if kind or number:
        facts.document = TravelDocument(
            type=kind.upper() or None,
            number=number.upper() or None,
            issuing_country=issuer.upper() or None,
            expiry_date=_date(facts, expiry, reference, "expiry", "expiry date"),
        )
    return facts


def parse_doca(text: str) -> PersonFacts:
    kind, country, street, city, region, postcode, infant = slash_fields(text, 7)[:7]
    facts = PersonFacts(infant=infant.upper() == "I")
    _country(facts, country, "country")
    address = Address(
        street=street or None,
        city=city or None,
        region=region or None,
        postcode=postcode or None,
        country=country.upper() or None,
    )
    if any((address.street, address.city, address.region, address.postcode, address.country)):
        facts.address = address
    if kind.upper() == "R" and country:
        facts.residence = country.upper()
    return facts


def parse_doco(text: str, reference: date) -> PersonFacts:
    birthplace, kind, number, place, issued, country, infant = slash_fields(text, 7)[:7]
    facts = PersonFacts(infant=infant.upper() == "I")
    _country(facts, country, "country of application")
    if kind or number:
        # A visa is issued by the country it applies to; the place is where it was issued.
        facts.document = TravelDocument(
            type=kind.upper() or None,
            number=number.upper() or None,
            issuing_country=country.upper() or None,
            issuing_place=place.upper() or None,
            issue_date=_date(facts, issued, reference, "past", "issue date"),
        )
    return facts


def parse_inft(text: str, reference: date) -> PersonFacts:
    """`BELT/SOPHY 20SEP12`: the infant's name and date of birth."""
    surname, _, rest = text.strip().lstrip("/").partition("/")
    rest = rest.replace("/", " ").strip().upper()
    facts = PersonFacts(surname=surname.strip().upper() or None, infant=True)
    match = _INFT_DATE.search(rest)
    if match is not None:
        rest = rest[: match.start()].strip()
        facts.date_of_birth = _date(facts, match.group(1), reference, "past", "birth date")
    words = [word for word in rest.split() if word not in TITLES]
    facts.given = " ".join(words) or None
    return facts


def parse_foid(text: str) -> TravelDocument | None:
    """`PP12345678`: a document id, when the FOID prefix names one (not a card, not an FF)."""
    cleaned = text.strip().lstrip("/").replace(" ", "").upper()
    prefix, number = cleaned[:2], cleaned[2:]
    if prefix in DOCUMENT_FOIDS and number:
        return TravelDocument(type=prefix, number=number)
    return None


def _country(facts: PersonFacts, code: str, what: str) -> None:
    if not code:
        return
    if is_alpha_code(code.upper(), 2):
        facts.issues.append(
            Issue("two_letter_country", f"{what} given as ISO alpha-2; kept as sent", "XXX", code)
        )
    elif not is_alpha_code(code.upper(), 3):
        facts.issues.append(Issue("bad_code", f"{what} is not a country code", "XXX", code))


def _date(facts: PersonFacts, value: str, reference: date, kind: str, what: str) -> date | None:
    if not value:
        return None
    try:
        return parse_ssr_date(value, reference=reference, kind=kind)
    except DateValueError as exc:
        facts.issues.append(Issue("bad_date", f"{what} cannot be read", str(exc), value))
        return None


# --- contacts ----------------------------------------------------------------------------


def ssr_contact(code: str, text: str) -> tuple[str, str] | None:
    """(kind, raw value) from SSR CTCE/CTCM/CTCB/CTCH text, e.g. `ALPHA//EXAMPLE.COM/EN`."""
    body = text.strip().lstrip("/")
    if code == "CTCE":
        body = _LANGUAGE_SUFFIX.sub("", body) if ("//" in body or "@" in body) else body
        return ("email", body) if body else None
    phone = _PHONE.search(body)
    return ("phone", phone.group(0)) if phone else None


def text_contacts(text: str) -> list[tuple[str, str]]:
    """Contacts written into OSI or remark text: `CTCM 447700900123`, `CTCE A//B.COM`."""
    if "CTC" not in text:
        return []
    found: list[tuple[str, str]] = []
    for match in _TEXT_CONTACT.finditer(text):
        letter, rest = match.groups()
        if letter == "E":
            address = next((t for t in rest.split() if "//" in t or "@" in t), None)
            if address:
                found.append(("email", _LANGUAGE_SUFFIX.sub("", address)))
        else:
            phone = _PHONE.search(rest)
            if phone:
                found.append((PHONE_CODES[letter], phone.group(0).strip()))
    return found


# --- names ---------------------------------------------------------------------------------


def name_words(name: str | None) -> list[str]:
    """Upper-case words of a name without titles or punctuation (for matching, not storage)."""
    return list(_name_words(name))


# Matching compares every SSR name with every traveller of its booking, and the same few
# names come back again and again: cached, as a tuple so that no caller can change it.
@functools.lru_cache(maxsize=4096)
def _name_words(name: str | None) -> tuple[str, ...]:
    text = _NON_LETTERS.sub(" ", (name or "").upper().replace("'", ""))
    return tuple(word for word in text.split() if word not in TITLES)


def name_score(
    surname: str | None, given: str | None, other_surname: str | None, other_given: str | None
) -> int:
    """How well two names agree: 0 not at all, 1 same surname (a given name missing on one
    side, or one first given name a prefix of the other, as with a glued title: `ANNMS` and
    `ANN`), 2 same surname and same first given name."""
    mine_surname = _name_words(surname)
    if not mine_surname or mine_surname != _name_words(other_surname):
        return 0
    mine, theirs = _name_words(given), _name_words(other_given)
    if not mine or not theirs:
        return 1
    first, other = mine[0], theirs[0]
    if first == other:
        return 2
    prefix = min(len(first), len(other)) >= 2 and (
        first.startswith(other) or other.startswith(first)
    )
    return 1 if prefix else 0
