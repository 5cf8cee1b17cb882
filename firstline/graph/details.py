"""More links from what check-in and documents say: addresses, frequent-flyer numbers, and
co-travel by consecutive check-in (boarding) numbers or bag tags.

People travelling together but booked apart check in one after the other and get consecutive
boarding numbers and bag tags; that sequence is a co-travel link GTAS-style systems miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from firstline.graph.pivots import Pivot

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"(\d+)$")


def detail_pivots(traveller: int, details: dict[str, Any]) -> Iterator[tuple[int, Pivot]]:
    address = details.get("address")
    if isinstance(address, dict) and address.get("street") and address.get("postcode"):
        text = " ".join(str(address.get(k) or "") for k in ("street", "postcode", "country"))
        yield traveller, Pivot("address", _SPACES.sub(" ", text.upper()).strip())
    pnr = details.get("pnr") if isinstance(details.get("pnr"), dict) else {}
    for ff in (pnr or {}).get("frequent_flyers") or []:
        if isinstance(ff, dict) and ff.get("number"):
            yield traveller, Pivot("frequent_flyer", f"{ff.get('airline') or ''}{ff['number']}")


def sequences(rows: Iterable[tuple[int, int, dict[str, Any]]]) -> Iterator[tuple[int, int, str]]:
    """(traveller, other traveller, "consecutive check-in" / "consecutive bag tags") pairs."""
    boarding: dict[tuple[int, str], list[tuple[int, int]]] = {}
    tags: dict[tuple[int, str], list[tuple[int, int, int]]] = {}
    for traveller, flight, details in rows:
        pnr = details.get("pnr") if isinstance(details.get("pnr"), dict) else {}
        number = str((pnr or {}).get("boarding_number") or "")
        found = _DIGITS.search(number)
        if found:
            boarding.setdefault((flight, number[: found.start()]), []).append(
                (int(found.group(1)), traveller)
            )
        for tag in details.get("bag_tags") or []:
            first = str(tag.get("first_tag") or "") if isinstance(tag, dict) else ""
            digits = _DIGITS.search(first)
            if digits:
                serial, count = int(digits.group(1)), int(tag.get("count") or 1)
                tags.setdefault((flight, first[: digits.start()]), []).append(
                    (serial, serial + max(count, 1) - 1, traveller)
                )
    for seq in boarding.values():
        seq.sort()
        for (na, ta), (nb, tb) in zip(seq, seq[1:], strict=False):
            if nb - na == 1 and ta != tb:
                yield ta, tb, "consecutive check-in"
    for runs in tags.values():
        runs.sort()
        for (_, last_a, ta), (first_b, _, tb) in zip(runs, runs[1:], strict=False):
            if first_b - last_a == 1 and ta != tb:
                yield ta, tb, "consecutive bag tags"
