"""Deterministic synthetic PAXLST D05B messages for benchmarks. Synthetic data only.

Every name, document number, booking reference and address is drawn from small built-in lists
with a seeded random generator, so the same arguments always give the same bytes. Names come
from several cultures, transliterated to ASCII capitals the way airlines send them (Ö → OE,
Å → AA); a few carry an apostrophe, escaped with the release character (`O?'NEIL`).

    python bench/paxlst_synth.py OUT_DIR [--files 20] [--passengers 500] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

# culture -> (surnames, male given names, female given names, nationalities)
CULTURES: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "english": (
        ["SMITH", "JONES", "TAYLOR", "BROWN", "WILSON", "O'NEIL", "O'BRIEN", "MURPHY"],
        ["JAMES", "OLIVER", "HARRY", "JACK", "THOMAS", "LIAM"],
        ["EMMA", "OLIVIA", "AMELIA", "GRACE", "SIOBHAN", "CHLOE"],
        ["GBR", "IRL", "USA", "CAN", "AUS"],
    ),
    "spanish": (
        ["GARCIA", "MARTINEZ", "LOPEZ", "FERNANDEZ", "GONZALEZ BLANCO", "DE LA CRUZ"],
        ["JOSE", "JUAN CARLOS", "ALEJANDRO", "PABLO", "MATEO"],
        ["MARIA", "LUCIA", "SOFIA", "MARIA JOSE", "CARMEN"],
        ["ESP", "MEX", "ARG", "COL", "PER"],
    ),
    "german": (
        ["MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "BAECKER", "GROSSE"],
        ["LUKAS", "JUERGEN", "FELIX", "MAXIMILIAN", "JONAS"],
        ["ANNA", "LENA", "JULIA", "SOPHIE", "KATHARINA"],
        ["DEU", "AUT", "CHE"],
    ),
    "nordic": (
        ["JOHANSSON", "NIELSEN", "HANSEN", "BJOERK", "AAKESSON", "LINDQVIST"],
        ["ERIK", "LARS", "MAGNUS", "OLE", "JOERGEN"],
        ["INGRID", "ASTRID", "SIGRID", "FREJA", "MAJA"],
        ["SWE", "NOR", "DNK", "FIN", "ISL"],
    ),
    "slavic": (
        ["NOVAK", "KOWALSKI", "IVANOV", "PETROVA", "DVORAK", "KOVAC", "WISNIEWSKA"],
        ["JAN", "PIOTR", "DMITRI", "TOMAS", "MILAN"],
        ["ANNA", "KATARZYNA", "OLGA", "PETRA", "JANA"],
        ["POL", "CZE", "SVK", "SRB", "HRV", "BGR"],
    ),
    "arabic": (
        ["AL HASSAN", "HADDAD", "KHALIL", "MANSOUR", "EL AMRANI", "BEN ALI"],
        ["MOHAMED", "AHMED", "OMAR", "YOUSSEF", "KARIM"],
        ["FATIMA", "AISHA", "LAYLA", "MARYAM", "NOUR"],
        ["EGY", "JOR", "MAR", "TUN", "ARE", "SAU"],
    ),
    "chinese": (
        ["WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG"],
        ["WEI", "JUN", "HAO", "DING YI", "ZHI HAO"],
        ["FANG", "XIU YING", "HUAN HUAN", "MEI", "LI NA"],
        ["CHN", "SGP", "TWN"],
    ),
    "japanese": (
        ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "WATANABE", "ITO"],
        ["HIROSHI", "TAKESHI", "KENJI", "HARUTO", "SOTA"],
        ["YUKI", "AYUMI", "HANA", "SAKURA", "YUI"],
        ["JPN"],
    ),
    "indian": (
        ["SHARMA", "PATEL", "SINGH", "KUMAR", "IYER", "REDDY"],
        ["RAHUL", "ARJUN", "VIKRAM", "ADITYA", "ROHAN"],
        ["PRIYA", "ANANYA", "DIVYA", "LAKSHMI", "NEHA"],
        ["IND", "NPL", "LKA"],
    ),
    "turkish": (
        ["YILMAZ", "KAYA", "DEMIR", "SAHIN", "CELIK", "OEZTUERK"],
        ["MEHMET", "MUSTAFA", "EMRE", "BURAK", "CAN"],
        ["AYSE", "ZEYNEP", "ELIF", "EMINE", "SELIN"],
        ["TUR"],
    ),
    "french": (
        ["DUBOIS", "LEFEBVRE", "D'ARCY", "MOREAU", "LAURENT", "DE SAINT-EXUPERY"],
        ["LOUIS", "JEAN PIERRE", "HUGO", "ANTOINE", "THEO"],
        ["CHLOE", "MANON", "CAMILLE", "MARIE CLAIRE", "ELOISE"],
        ["FRA", "BEL", "LUX", "SEN", "CIV"],
    ),
}
CULTURE_NAMES = sorted(CULTURES)
CARRIERS = ["ZZ", "XZ", "ZX", "QZ", "YZ", "ZY"]
AIRPORTS = {
    "SYD": "AUS", "HNL": "USA", "LHR": "GBR", "FRA": "DEU", "CDG": "FRA", "MAD": "ESP",
    "IAD": "USA", "SFO": "USA", "JFK": "USA", "DXB": "ARE", "ICN": "KOR", "PEK": "CHN",
    "NRT": "JPN", "DEL": "IND", "IST": "TUR", "WAW": "POL", "PRG": "CZE", "BCN": "ESP",
    "CAI": "EGY", "YYZ": "CAN", "GRU": "BRA", "JNB": "ZAF", "SIN": "SGP", "CPH": "DNK",
}  # fmt: skip
STREETS = ["HIGH STREET", "MAIN ROAD", "STATION ROAD", "PARK AVENUE", "CHURCH LANE", "MILL ROAD"]
CITIES = ["SPRINGFIELD", "RIVERSIDE", "FAIRVIEW", "GREENVILLE", "KINGSTON", "NEWTOWN"]
SEAT_LETTERS = "ABCDEFHJK"
LOCATOR = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CRLF = "\r\n"


def escape(value: str) -> str:
    """Release-escape the default service characters (`?` first)."""
    for char in "?:+'":
        value = value.replace(char, "?" + char)
    return value


def make_paxlst(n_passengers: int, seed: int, parts_of: int | None = None) -> bytes:
    """One interchange (UNA..UNZ) listing `n_passengers` synthetic passengers of one flight.

    With `parts_of`, the list is split into UNH..UNT parts of at most that many passengers,
    flagged `01:C`, `02`, ... `nn:F` and sharing the common access reference; each part repeats
    the header groups and carries the whole-flight total in CNT+42. The flight number and date
    follow from `seed`, so consecutive seeds give distinct flights.
    """
    rng = random.Random(seed)
    flight = _Flight.draw(rng, seed)
    people = [_person(rng, flight, i) for i in range(n_passengers)]
    size = parts_of if parts_of and parts_of > 0 else max(n_passengers, 1)
    slices = [people[i : i + size] for i in range(0, max(n_passengers, 1), size)] or [[]]
    prepared = flight.prepared.strftime("%y%m%d:%H%M")
    reference = f"{seed % 10**9:09d}"
    lines = [
        "UNA:+.? '",
        f"UNB+UNOA:4+{flight.carrier}APIS:ZZ+APISGOV:ZZ+{prepared}+{reference}++APIS'",
        f"UNG+PAXLST+{flight.carrier} AIRLINES+APISGOV+{prepared}+{reference}+UN+D:05B'",
    ]
    for number, persons in enumerate(slices, start=1):
        status = ""
        if parts_of:
            flag = ":F" if number == len(slices) else (":C" if number == 1 else "")
            status = f"+{number:02d}{flag}"
        lines += _message(flight, number, status, persons, n_passengers, rng)
    lines += [f"UNE+{len(slices)}+{reference}'", f"UNZ+1+{reference}'"]
    return (CRLF.join(lines) + CRLF).encode("ascii")


def write_files(folder: Path, n_files: int, passengers_per_file: int, seed: int) -> list[Path]:
    """`n_files` single-part PAXLST files of distinct flights in `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_files):
        data = make_paxlst(passengers_per_file, seed + k)
        path = folder / f"paxlst_{seed + k:06d}.edi"
        path.write_bytes(data)
        paths.append(path)
    return paths


class _Flight:
    def __init__(self, carrier: str, number: int, origin: str, destination: str, when: datetime):
        self.carrier, self.number = carrier, number
        self.origin, self.destination = origin, destination
        self.departure = when
        self.arrival = when + timedelta(minutes=60 * (1 + number % 13) + 5 * (number % 12))
        self.prepared = when - timedelta(hours=2)

    @property
    def designator(self) -> str:
        return f"{self.carrier}{self.number}"

    @classmethod
    def draw(cls, rng: random.Random, seed: int) -> _Flight:
        origin, destination = rng.sample(sorted(AIRPORTS), 2)
        day = datetime(2025, 1, 1) + timedelta(days=seed % 366)
        when = day.replace(hour=rng.randrange(5, 23), minute=5 * rng.randrange(12))
        return cls(rng.choice(CARRIERS), 1 + seed % 9000, origin, destination, when)


def _message(
    flight: _Flight,
    number: int,
    status: str,
    persons: list[list[str]],
    total: int,
    rng: random.Random,
) -> list[str]:
    departure = flight.departure
    cref = f"{flight.designator}/{departure:%y%m%d}/{departure:%H%M}"
    body = [
        f"UNH+{number}+PAXLST:D:05B:UN:IATA+{cref}{status}'",
        "BGM+745'",
        f"RFF+TN:{flight.designator}{departure:%y%m%d}{rng.randrange(10**6):06d}'",
        f"NAD+MS+++{flight.carrier} AIRLINES APIS DESK'",
        f"COM+{rng.randrange(10**9, 10**10)}:TE+{rng.randrange(10**9, 10**10)}:FX"
        f"+APIS.AT.{flight.carrier}AIR.EXAMPLE:EM'",
        f"TDT+20+{flight.designator}+++{flight.carrier}'",
        f"LOC+125+{flight.origin}'",
        f"DTM+189:{departure:%y%m%d%H%M}:201'",
        f"LOC+87+{flight.destination}'",
        f"DTM+232:{flight.arrival:%y%m%d%H%M}:201'",
    ]
    for person in persons:
        body += person
    body.append(f"CNT+42:{total}'")
    body.append(f"UNT+{len(body) + 1}+{number}'")
    return body


def _person(rng: random.Random, flight: _Flight, index: int) -> list[str]:
    culture = rng.choice(CULTURE_NAMES)
    surnames, males, females, nationalities = CULTURES[culture]
    gender = rng.choice("MF")
    given = rng.choice(males if gender == "M" else females)
    second = rng.choice(males if gender == "M" else females) if rng.random() < 0.25 else ""
    name = f"{escape(rng.choice(surnames))}:{escape(given)}"
    if second and second != given:
        name += f":{escape(second)}"
    nationality = rng.choice(nationalities)
    born = flight.departure.date() - timedelta(days=rng.randrange(180, 88 * 365))
    segments = [f"NAD+FL+++{name}'"]
    if rng.random() < 0.3:
        street = f"{rng.randrange(1, 400)} {rng.choice(STREETS)}"
        segments[0] = (
            f"NAD+FL+++{name}+{street}+{rng.choice(CITIES)}+:::{rng.choice(['NORTH', 'SOUTH'])}"
            f"+{rng.randrange(10000, 99999)}+{nationality}'"
        )
    segments += [
        f"ATT+2++{gender}'",
        f"DTM+329:{born:%y%m%d}'",
        f"GEI+4+{rng.choice(['173', '173', '173', '174'])}'",
    ]
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
        tag = f"{flight.carrier}{rng.randrange(10**6):06d}"
        segments.append(f"FTX+BAG+++{tag}:{rng.randrange(1, 4)}'")
    segments += [
        f"LOC+22+{flight.destination}'",
        f"LOC+174+{nationality}'",
        f"LOC+178+{flight.origin}'",
        f"LOC+179+{flight.destination}'",
        f"NAT+2+{nationality}'",
        f"RFF+AVF:{''.join(rng.choice(LOCATOR) for _ in range(6))}'",
        f"RFF+ABO:{flight.designator}{flight.departure:%y%m%d}{index:05d}'",
        f"RFF+SEA:{rng.randrange(1, 45)}{rng.choice(SEAT_LETTERS)}'",
    ]
    segments += _document(rng, "P", nationality, flight)
    if rng.random() < 0.15:
        segments += _document(rng, "V", AIRPORTS[flight.destination], flight)
    return segments


def _document(rng: random.Random, kind: str, country: str, flight: _Flight) -> list[str]:
    number = f"{rng.choice('ABCEGKNPTX')}{rng.randrange(10**7, 10**8)}"
    expiry = flight.departure.date() + timedelta(days=rng.randrange(30, 10 * 365))
    return [f"DOC+{kind}+{number}'", f"DTM+36:{expiry:%y%m%d}'", f"LOC+91+{country}'"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--passengers", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_files(args.out, args.files, args.passengers, args.seed)
    print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
