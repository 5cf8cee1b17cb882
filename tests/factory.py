"""One-line builders of synthetic messages for tests. Synthetic names and numbers only."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Person:
    surname: str
    given: str = "ALEX"
    dob: str = "800101"
    gender: str = "M"
    nationality: str = "FRA"
    document: str | None = "X1234567"
    expiry: str = "300101"
    reference: str | None = None
    seat: str | None = None
    role: str = "FL"
    extra: list[str] = field(default_factory=list)


def paxlst(
    people: list[Person],
    *,
    flight: str = "ZZ123",
    carrier: str = "ZZ",
    origin: str = "AAA",
    destination: str = "BBB",
    departure: str = "2612011030",
    arrival: str = "2612011400",
    reference: str = "REF1",
    part: str | None = None,
    common_access: str = "",
    total: int | None = None,
    document_code: str = "745",
) -> bytes:
    """A PAXLST D05B interchange with the given people; counts in UNT are correct."""
    body = [
        f"UNH+{reference}+PAXLST:D:05B:UN:IATA+{common_access}" + (f"+{part}" if part else ""),
        f"BGM+{document_code}",
        "NAD+MS+++TEST SYSTEMS",
        f"TDT+20+{flight}+++{carrier}",
        f"LOC+125+{origin}",
        f"DTM+189:{departure}:201",
        f"LOC+87+{destination}",
        f"DTM+232:{arrival}:201",
    ]
    for person in people:
        body += [
            f"NAD+{person.role}+++{person.surname}:{person.given}",
            f"ATT+2++{person.gender}",
            f"DTM+329:{person.dob}",
            f"NAT+2+{person.nationality}",
        ]
        if person.reference:
            body.append(f"RFF+ABO:{person.reference}")
        if person.seat:
            body.append(f"RFF+SEA:{person.seat}")
        body += person.extra
        if person.document:
            body += [f"DOC+P+{person.document}", f"DTM+36:{person.expiry}", "LOC+91+FRA"]
    body.append(f"CNT+42:{total if total is not None else len(people)}")
    body.append(f"UNT+{len(body) + 1}+{reference}")
    envelope = [
        "UNA:+.? '",
        f"UNB+UNOA:4+ZZAIR+CUSTOMS+261130:0900+{reference}",
        *body,
        f"UNZ+1+{reference}",
    ]
    text = "UNA:+.? '\n" + "'\n".join(envelope[1:]) + "'\n"
    return text.encode("ascii")
