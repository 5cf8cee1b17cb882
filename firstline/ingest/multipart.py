"""Reassembly of multi-part PAXLST messages (UNH S010 `01:C`, `02`, ... `nn:F`).

Parts of one flight share the sender, the common access reference and the flight; each
repeats the header groups and carries a slice of the persons. Parts may arrive out of order,
twice, or never; what is missing is reported rather than guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from firstline.model.message import ParseWarning
from firstline.model.travel import PassengerList


def series_key(message: PassengerList) -> str:
    """The key that ties the parts of one flight's list together."""
    flight = message.flight
    departure = flight.scheduled_departure if flight else None
    return "|".join(
        [
            message.header.sender or "",
            message.header.common_access_reference or "",
            message.document_code or "",
            flight.designator if flight else "",
            flight.origin or "" if flight else "",
            departure.isoformat() if departure else "",
        ]
    )


def is_part(message: PassengerList) -> bool:
    """True for a message that is one part of a longer series."""
    header = message.header
    return header.part_number is not None and not (header.part_number == 1 and header.is_last_part)


def reassemble(messages: list[PassengerList]) -> list[PassengerList]:
    """Merge parts of the same series; single messages pass through unchanged."""
    series: dict[str, list[PassengerList]] = defaultdict(list)
    out: list[PassengerList] = []
    for message in messages:
        if is_part(message):
            series[series_key(message)].append(message)
        else:
            out.append(message)
    out.extend(merge_parts(parts) for parts in series.values())
    return out


def merge_parts(parts: list[PassengerList]) -> PassengerList:
    """One PassengerList from the parts of a series, with warnings for gaps and repeats."""
    ordered = sorted(parts, key=lambda m: m.header.part_number or 0)
    first = ordered[0]
    merged = replace(first, travellers=[], warnings=[], parts=[])
    seen: set[int] = set()
    for part in ordered:
        number = part.header.part_number or 0
        if number in seen:
            merged.warnings.append(
                ParseWarning(
                    code="duplicate_part",
                    message=f"part {number} received twice; the second copy is ignored",
                    found=str(number),
                )
            )
            continue
        seen.add(number)
        merged.parts.append(number)
        merged.travellers.extend(part.travellers)
        merged.warnings.extend(part.warnings)
        merged.declared_passengers = part.declared_passengers or merged.declared_passengers
        merged.declared_crew = part.declared_crew or merged.declared_crew
    merged.warnings.extend(completeness_warnings(ordered))
    merged.header = replace(first.header, is_last_part=any(p.header.is_last_part for p in ordered))
    return merged


def completeness_warnings(parts: list[PassengerList]) -> list[ParseWarning]:
    """Warnings for a series without its final part or with numbers missing."""
    numbers = {p.header.part_number or 0 for p in parts}
    finals = [p.header.part_number or 0 for p in parts if p.header.is_last_part]
    warnings: list[ParseWarning] = []
    if not finals:
        warnings.append(
            ParseWarning(
                code="incomplete_series",
                message="no final part (S010 'F') received",
                expected="a part flagged F",
                found=", ".join(map(str, sorted(numbers))),
            )
        )
    top = max(finals) if finals else max(numbers)
    missing = sorted(set(range(1, top + 1)) - numbers)
    if missing:
        warnings.append(
            ParseWarning(
                code="missing_parts",
                message="parts missing from the series",
                expected=", ".join(map(str, range(1, top + 1))),
                found=", ".join(map(str, sorted(numbers))),
            )
        )
    return warnings
