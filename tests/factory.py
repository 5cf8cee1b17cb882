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


@dataclass
class PnrPerson:
    surname: str
    given: str = "ALEX MR"
    reference: str = "1"
    docs: str | None = None  # e.g. "P/FRA/X1234567/FRA/01JAN80/M/01JAN30/DOE/ALEX"
    seat: str | None = None


def pnrgov(
    bookings: list[tuple[str, list[PnrPerson]]],
    *,
    carrier: str = "ZZ",
    number: str = "123",
    origin: str = "AAA",
    destination: str = "BBB",
    date: str = "011226",
    header_date: str | None = None,
    last_change: str = "201126:1000",
    extra: list[str] | None = None,
    reference: str = "PNR1",
) -> bytes:
    """A PNRGOV 11.1 push of `bookings` (locator, people) on one flight; UNT counts correct."""
    tvl = f"TVL+{date}:1030:{date}:1400+{origin}+{destination}+{carrier}+{number}"
    header_tvl = tvl if header_date is None else tvl.replace(date, header_date)
    body = [
        f"UNH+{reference}+PNRGOV:11:1:IA+{carrier}{number}/{date}/1030",
        "MSG+:22",
        f"ORG+{carrier}:{origin}",
        header_tvl,
        f"EQN+{len(bookings)}",
    ]
    for locator, people in bookings:
        body += ["SRC", f"RCI+{carrier}:{locator}::101126:0900", f"DAT+700:{last_change}"]
        body += extra or []
        for person in people:
            body.append(f"TIF+{person.surname}+{person.given}:A:{person.reference}")
            if person.docs:
                body.append(f"SSR+DOCS:HK:1:{carrier}:::::/{person.docs}+::{person.reference}")
        body += [tvl, f"RPI+{len(people)}+HK", "APD+320"]
        for person in people:
            if person.seat:
                body += [
                    "DAT",
                    f"ORG+{carrier}++++A",
                    f"TRI++{origin}-001:::{person.reference}",
                    f"TIF+{person.surname}+{person.given}:A:{person.reference}",
                    f"SSD+{person.seat}++++Y",
                ]
    body.append(f"UNT+{len(body) + 1}+{reference}")
    lines = ["UNA:+.?*'", f"UNB+IATA:1+{carrier}+GOV+261130:0900+{reference}++PNRGOV", *body]
    lines.append(f"UNZ+1+{reference}")
    return ("UNA:+.?*'\n" + "'\n".join(lines[1:]) + "'\n").encode("ascii")
