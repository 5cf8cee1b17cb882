"""API data inside a PNR: SSR DOCS, DOCA and DOCO, structured or as free text.

PNRGOV XML carries them as `DOC_SSR` with a `DOCS`/`DOCA`/`DOCO` child whose attributes hold
the fields, or as an `SSR` whose `Text` is the AIRIMP free text
(`/P/POL/BA5345321/POL/30DEC02/F/30AUG27/KOWALSKA/ANNA`). Both are read into the same facts
and merged field by field, structured values first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from xml.etree.ElementTree import Element

from firstline.ingest.pnrgov_xml_tree import value
from firstline.ingest.pnrgov_xml_values import Context, parse_ddmmmyy, read_code, read_date
from firstline.model.travel import Address, TravelDocument

GENDERS = frozenset({"M", "F", "U", "X", "MI", "FI"})
INFANT_GENDERS = frozenset({"MI", "FI"})
_STATUS_PREFIX = re.compile(r"(?:[A-Z]{2})?[0-9]{1,3}")


@dataclass(slots=True)
class DocsFacts:
    """What one DOCS says about a person: a document and the holder's details."""

    document: TravelDocument | None = None
    surname: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    nationality: str | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, value as sent)

    @property
    def is_infant(self) -> bool:
        return self.gender in INFANT_GENDERS


def _fields(raw: str) -> list[str]:
    """The `/`-separated fields, without the leading empty field or a `HK1` status."""
    parts = [p.strip() for p in raw.strip().split("/")]
    if parts and (not parts[0] or _STATUS_PREFIX.fullmatch(parts[0].upper())):
        parts = parts[1:]
    return parts


def _at(parts: list[str], index: int) -> str | None:
    return parts[index] or None if index < len(parts) else None


def docs_from_text(raw: str, reference: date) -> DocsFacts:
    """`/type/issuer/number/nationality/birth/gender/expiry/surname/given/middle[/H]`."""
    parts = _fields(raw)
    facts = DocsFacts()
    document = TravelDocument(
        type=_upper(_at(parts, 0)),
        issuing_country=_upper(_at(parts, 1)),
        number=_at(parts, 2),
    )
    facts.nationality = _upper(_at(parts, 3))
    birth, expiry = _at(parts, 4), _at(parts, 6)
    if birth is not None:
        facts.date_of_birth = parse_ddmmmyy(birth, reference=reference)
        if facts.date_of_birth is None:
            facts.problems.append(("date of birth", birth))
    if expiry is not None:
        document.expiry_date = parse_ddmmmyy(expiry)
        if document.expiry_date is None:
            facts.problems.append(("expiry date", expiry))
    facts.gender = _upper(_at(parts, 5))
    facts.surname = _at(parts, 7)
    given = " ".join(p for p in parts[8:10] if p) or None
    facts.given_names = given
    if document.type or document.number:
        facts.document = document
    return facts


def docs_from_element(ctx: Context, element: Element) -> DocsFacts:
    """A structured `DOCS` element (attribute names from several schema releases)."""
    facts = DocsFacts()
    document = TravelDocument(
        type=read_code(element, "DocType", "DocumentType"),
        number=value(element, "DocID", "DocNumber", "DocumentNumber", "DocumentID"),
        issuing_country=read_code(element, "DocIssueCountry", "IssuingCountry", "DocIssueLocation"),
        expiry_date=read_date(ctx, element, "ExpiryDate", "ExpireDate", "DocExpireDate"),
        issue_date=read_date(ctx, element, "IssueDate", "EffectiveDate", "DocIssueDate"),
    )
    facts.nationality = read_code(element, "DocHolderNationality", "Nationality")
    facts.date_of_birth = read_date(ctx, element, "BirthDate", "DateOfBirth", birth=True)
    facts.gender = read_code(element, "Gender")
    facts.surname = value(element, "Surname", "DocHolderSurname")
    given = [value(element, "FirstGivenName", "GivenName"), value(element, "SecondGivenName")]
    facts.given_names = " ".join(g for g in given if g) or None
    if document.type or document.number:
        facts.document = document
    return facts


def doca_from_text(raw: str) -> tuple[str | None, Address, bool]:
    """`/type/country/street/city/state/postcode[/I]` → (R/D type, address, infant flag)."""
    parts = _fields(raw)
    address = Address(
        country=_upper(_at(parts, 1)),
        street=_at(parts, 2),
        city=_at(parts, 3),
        region=_at(parts, 4),
        postcode=_at(parts, 5),
    )
    return _upper(_at(parts, 0)), address, (_upper(_at(parts, 6)) == "I")


def doca_from_element(element: Element) -> tuple[str | None, Address, bool]:
    address = Address(
        street=value(element, "Address", "AddressLine", "Street", "StreetNmbr"),
        city=value(element, "City", "CityName"),
        region=value(element, "State", "StateProv", "StateCode"),
        postcode=value(element, "PostalCode", "ZipCode"),
        country=read_code(element, "Country", "CountryCode", "CountryName"),
    )
    infant = (value(element, "InfantIndicator", "InfantInd") or "").lower() in ("i", "true", "1")
    return read_code(element, "AddressType", "Type"), address, infant


def doco_from_text(raw: str) -> tuple[TravelDocument | None, bool, list[tuple[str, str]]]:
    """`/birthplace/type/number/issue place/issue date/applicable country[/I]` (a visa)."""
    parts = _fields(raw)
    document = TravelDocument(
        type=_upper(_at(parts, 1)),
        number=_at(parts, 2),
        issuing_place=_at(parts, 3),
        issuing_country=_upper(_at(parts, 5)),
    )
    problems = []
    issued = _at(parts, 4)
    if issued is not None:
        document.issue_date = parse_ddmmmyy(issued)
        if document.issue_date is None:
            problems.append(("issue date", issued))
    infant = _upper(_at(parts, 6)) == "I"
    return (document if document.type or document.number else None), infant, problems


def doco_from_element(ctx: Context, element: Element) -> TravelDocument | None:
    document = TravelDocument(
        type=read_code(element, "DocType", "DocumentType"),
        number=value(element, "DocID", "DocNumber", "DocumentNumber"),
        issuing_place=value(element, "PlaceOfIssue", "DocIssueLocation", "IssuePlace"),
        issuing_country=read_code(element, "ApplicableCountry", "DocIssueCountry", "Country"),
        issue_date=read_date(ctx, element, "IssueDate", "DateOfIssue", "EffectiveDate"),
        expiry_date=read_date(ctx, element, "ExpiryDate", "ExpireDate"),
    )
    return document if document.type or document.number else None


def merge_document(documents: list[TravelDocument], new: TravelDocument) -> None:
    """Add `new`, or fill the gaps of the same document (same type and number) already held."""
    for held in documents:
        if held.number == new.number and (held.type == new.type or not new.type or not held.type):
            for slot in fields(TravelDocument):
                if getattr(held, slot.name) is None:
                    setattr(held, slot.name, getattr(new, slot.name))
            return
    documents.append(new)


def _upper(text: str | None) -> str | None:
    return text.upper() if text else None
