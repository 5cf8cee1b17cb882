"""Unit tests of the derived rule facts (pure functions, no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from firstline.rules import derive
from firstline.rules.derive import Leg, Person

DAY = date(2026, 11, 23)


def _at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute)


# -- reference -------------------------------------------------------------------------------


def test_country_and_city_of_airports() -> None:
    assert derive.country_of("FRA") == "DEU"
    assert derive.country_of("fra") == "DEU"
    assert derive.country_of("QQQ") is None  # not in the reference table
    assert derive.country_of(None) is None
    assert derive.city_of("MUC") == "MUNICH"
    assert derive.same_city("FRA", "FRA")
    assert not derive.same_city("FRA", "MUC")
    assert not derive.same_city("QQQ", "QQX")  # two unknown airports are not one city
    assert derive.same_city("QQQ", "qqq")


# -- traveller and document ----------------------------------------------------------------


def test_age_whole_years_on_departure_date() -> None:
    assert derive.age_on(date(1990, 11, 23), DAY) == 36  # birthday on the day
    assert derive.age_on(date(1990, 11, 24), DAY) == 35  # birthday tomorrow
    assert derive.age_on(None, DAY) is None
    assert derive.age_on(date(1990, 1, 1), None) is None


def test_infant_is_zero_and_minor() -> None:
    born = DAY - timedelta(days=45)
    assert derive.age_on(born, DAY) == 0
    assert derive.is_minor(0) is True


def test_leap_day_birthday() -> None:
    born = date(2008, 2, 29)
    assert derive.age_on(born, date(2026, 2, 28)) == 17  # not 18 until 1 March
    assert derive.age_on(born, date(2026, 3, 1)) == 18
    assert derive.age_on(born, date(2028, 2, 29)) == 20
    assert derive.is_minor(derive.age_on(born, date(2026, 2, 28))) is True
    assert derive.is_minor(derive.age_on(born, date(2026, 3, 1))) is False


def test_minor_boundaries() -> None:
    assert derive.is_minor(17) is True
    assert derive.is_minor(18) is False
    assert derive.is_minor(None) is None


def test_document_days() -> None:
    assert derive.expires_in_days(date(2026, 12, 5), DAY) == 12
    assert derive.expires_in_days(date(2026, 11, 20), DAY) == -3  # expired before departure
    assert derive.expires_in_days(None, DAY) is None
    assert derive.issued_days_ago(date(2026, 11, 14), DAY) == 9
    assert derive.issued_days_ago(None, DAY) is None
    assert derive.issued_days_ago(date(2020, 1, 1), None) is None


# -- itinerary ---------------------------------------------------------------------------------

OUT = [
    Leg("IST", "FRA", _at(23, 5, 35), _at(23, 8, 0)),
    Leg("FRA", "BOG", _at(23, 13, 5), _at(23, 23, 55)),
]
BACK = [
    Leg("BOG", "FRA", _at(29, 12, 25), _at(29, 23, 15)),
    Leg("FRA", "IST", _at(30, 3, 0), _at(30, 9, 0)),
]


def test_no_legs_is_unknown() -> None:
    for function in (
        derive.itinerary_airports,
        derive.itinerary_countries,
        derive.transit_airports,
        derive.is_one_way,
        derive.is_broken_travel,
        derive.stay_days,
    ):
        assert function([]) is None
    assert derive.in_transit([], "FRA", "BOG", None, None) is None


def test_airports_and_countries_in_travel_order() -> None:
    legs = OUT + BACK
    assert derive.itinerary_airports(legs) == ("IST", "FRA", "BOG")
    assert derive.itinerary_countries(legs) == ("TUR", "DEU", "COL")
    unknown = [Leg("QQQ", "FRA")]
    assert derive.itinerary_countries(unknown) == ("DEU",)  # unknown airport: no country


def test_connection_within_24_hours() -> None:
    arrive = Leg("IST", "FRA", _at(23, 0), _at(23, 6))
    assert derive.connects(arrive, Leg("FRA", "BOG", _at(24, 5), _at(24, 15)))  # 23 h
    assert derive.connects(arrive, Leg("FRA", "BOG", _at(24, 6), _at(24, 15)))  # exactly 24 h
    assert not derive.connects(arrive, Leg("FRA", "BOG", _at(24, 7), _at(24, 15)))  # 25 h
    assert not derive.connects(arrive, Leg("MUC", "BOG", _at(23, 9), _at(23, 15)))  # elsewhere
    assert not derive.connects(arrive, Leg("FRA", "BOG", _at(23, 5), _at(23, 15)))  # before
    assert not derive.connects(arrive, Leg("FRA", "BOG", None, None))  # unknown time
    assert derive.transit_airports([arrive, Leg("FRA", "BOG", _at(24, 5), _at(24, 15))]) == ("FRA",)
    assert derive.transit_airports([arrive, Leg("FRA", "BOG", _at(24, 7), _at(24, 15))]) == ()


def test_round_trip() -> None:
    legs = OUT + BACK
    assert derive.is_one_way(legs) is False
    assert derive.transit_airports(legs) == ("FRA",)
    assert derive.stay_days(legs) == 6  # lands in BOG on the 23rd, leaves on the 29th
    assert derive.is_broken_travel(legs) is False


def test_one_way() -> None:
    assert derive.is_one_way(OUT) is True
    assert derive.stay_days(OUT) is None
    assert derive.is_one_way([Leg("FRA", "BOG")]) is True


def test_open_jaw_returns_to_home_country() -> None:
    legs = [
        Leg("FRA", "JFK", _at(1, 10), _at(1, 13)),
        Leg("BOS", "MUC", _at(10, 18), _at(11, 8)),
    ]
    assert derive.is_one_way(legs) is False  # back to Germany, another airport
    assert derive.stay_days(legs) == 9
    assert derive.is_broken_travel(legs) is True  # JFK to BOS not booked


def test_domestic_trips_compare_cities() -> None:
    there = Leg("FRA", "MUC", _at(1, 8), _at(1, 9))
    assert derive.is_one_way([there]) is True
    back = Leg("MUC", "FRA", _at(3, 18), _at(3, 19))
    assert derive.is_one_way([there, back]) is False
    assert derive.stay_days([there, back]) == 2


def test_domestic_first_leg_is_no_return() -> None:
    legs = [Leg("MUC", "FRA", _at(1, 6), _at(1, 7)), Leg("FRA", "BOG", _at(1, 10), _at(1, 20))]
    assert derive.is_one_way(legs) is True


def test_stay_unknown_without_times() -> None:
    legs = [Leg("FRA", "BOG"), Leg("BOG", "FRA")]
    assert derive.is_one_way(legs) is False
    assert derive.stay_days(legs) is None


def test_in_transit_at_origin_or_destination() -> None:
    legs = OUT + BACK
    flight_out = OUT[1]  # FRA-BOG: the traveller came from IST 5 hours before
    assert derive.in_transit(
        legs, "FRA", "BOG", flight_out.departure, flight_out.arrival
    )  # at the origin
    first = OUT[0]  # IST-FRA: changes at the destination
    assert derive.in_transit(legs, "IST", "FRA", first.departure, first.arrival) is True
    assert derive.in_transit(OUT[:1], "IST", "FRA", first.departure, first.arrival) is False
    late = [
        Leg("IST", "FRA", _at(23, 0), _at(23, 6)),
        Leg("FRA", "BOG", _at(24, 7), _at(24, 17)),  # 25 h later: a stopover
    ]
    assert derive.in_transit(late, "FRA", "BOG", _at(24, 7), _at(24, 17)) is False


def test_broken_travel() -> None:
    legs = [
        Leg("JNB", "HEL", _at(21, 10), _at(21, 20)),
        Leg("FRA", "MEX", _at(23, 10), _at(23, 18)),
    ]
    assert derive.is_broken_travel(legs) is True
    same_airport = [Leg("JNB", "FRA", _at(21, 10), _at(21, 20)), legs[1]]
    assert derive.is_broken_travel(same_airport) is False  # a stopover is not broken
    assert derive.is_broken_travel([Leg("JNB", None), legs[1]]) is False  # unknown airport


def test_broken_travel_not_between_airports_of_one_city(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        derive, "city_of", lambda code: {"LHR": "LONDON", "LGW": "LONDON"}.get(code or "")
    )
    legs = [Leg("JFK", "LHR"), Leg("LGW", "NBO")]
    assert derive.is_broken_travel(legs) is False


# -- booking -----------------------------------------------------------------------------------


def test_booked_before_departure() -> None:
    departure = datetime(2026, 11, 23, 14, 0)
    assert derive.days_before(datetime(2026, 11, 23, 8, 0), departure.date()) == 0
    assert derive.days_before(datetime(2026, 11, 21, 23, 0), departure.date()) == 2
    assert derive.hours_before(datetime(2026, 11, 23, 8, 0), departure) == 6
    assert derive.hours_before(datetime(2026, 11, 23, 8, 1), departure) == 5
    assert derive.hours_before(None, departure) is None
    assert derive.days_before(None, DAY) is None


def test_party_counts() -> None:
    people = [
        Person("GARCIA", "MARIA", 40),
        Person("GARCIA LOPEZ", "ANA", 10),  # shares GARCIA: related
        Person("SMITH", "JOHN", 9),  # nobody adult is a SMITH
        Person("JONES", "AMY", 12),
        Person("BROWN", "X", None),  # unknown age: neither
    ]
    assert derive.party_counts(people) == (1, 3, 2)
    assert derive.party_counts([Person("A", "B", 5)]) == (0, 1, 1)  # alone: unrelated
    assert derive.party_counts([]) == (0, 0, 0)


def test_name_tokens_drop_titles_and_punctuation() -> None:
    assert derive.name_tokens("Dr. O'Neil") == ("ONEIL",)
    assert derive.name_tokens("SCHAEFER/PAUL MR") == ("SCHAEFER", "PAUL")
    assert derive.name_tokens(None) == ()


def test_card_holders_from_payments_and_remarks() -> None:
    holders = derive.card_holders(
        [None, " SMITH/JOHN "], ["PLEASE ADVISE", "CARD HOLDER SCHAEFER/PAUL"]
    )
    assert holders == ["SMITH/JOHN", "SCHAEFER/PAUL"]


def test_third_party_payment() -> None:
    party = [("CHATTERJEE", "NAVEEN"), ("SCHULZE", "HOLGER")]
    assert derive.is_third_party(["SCHAEFER/PAUL"], party) is True
    assert derive.is_third_party(["CHATTERJEE/NAVEEN MR"], party) is False  # title dropped
    assert derive.is_third_party(["chatterjee/naveen"], party) is False  # case
    assert derive.is_third_party(["NAVEEN CHATTERJEE"], party) is False  # no slash
    assert derive.is_third_party(["CHATTERJEE/N"], party) is False  # initial
    assert derive.is_third_party(["CHATTERJEE/PRIYA"], party) is True  # another Chatterjee
    assert derive.is_third_party([], party) is None  # no holder known
    assert derive.is_third_party(["SCHULZE/HOLGER", "SCHAEFER/PAUL"], party) is True


def test_payments() -> None:
    forms = derive.payment_forms(["cc", "CA", "CC", None])
    assert forms == ("CC", "CA")
    assert derive.paid_cash(forms) is True
    assert derive.paid_cash(("CC",)) is False
    assert derive.payment_forms([]) is None
    assert derive.paid_cash(None) is None
    assert derive.payment_amount([100.5, None, 20.25]) == 120.75
    assert derive.payment_amount([None]) is None


def test_email_domains() -> None:
    emails = ["a@example.net", "b@Example.NET", "c@mail.test", "broken"]
    assert derive.email_domains(emails) == ("EXAMPLE.NET", "MAIL.TEST")


def test_bags() -> None:
    assert derive.bag_count(2, [3]) == 2
    assert derive.bag_count(None, [2, 1]) == 3
    assert derive.bag_count(None, []) is None
    assert derive.none_on_long_stay(0, 7) is True
    assert derive.none_on_long_stay(0, 6) is False
    assert derive.none_on_long_stay(1, 14) is False
    assert derive.none_on_long_stay(0, None) is None  # one-way or unknown stay
    assert derive.none_on_long_stay(None, 14) is None
    assert derive.none_on_long_stay(None, 2) is False
