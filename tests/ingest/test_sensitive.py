"""The sensitive-data filter removes religion- and health-revealing items before storage."""

from __future__ import annotations

from firstline.ingest.sensitive import filter_booking, filter_push, is_sensitive_text
from firstline.model.booking import Booking, HistoryEntry, PnrPush, SpecialRequest
from firstline.model.message import MessageHeader


def booking() -> Booking:
    return Booking(
        special_requests=[
            SpecialRequest(code="KSML", text="KOSHER MEAL"),
            SpecialRequest(code="WCHR"),
            SpecialRequest(code="DOCS", text="/P/FRA/X123/FRA/01JAN80/M/01JAN30/ALPHA/ALEX"),
            SpecialRequest(code="OTHS", text="PAX NEEDS OXYGEN ON BOARD"),
            SpecialRequest(code="SEAT", text="12A"),
        ],
        remarks=["CTCM 33123456789", "PAX IS DIABETIC", "VIP"],
        history=[
            HistoryEntry(text="0/O/SSR/MOML HK1"),
            HistoryEntry(text="0/O/NM/ALPHA/ALEX MR"),
        ],
    )


def test_filter_removes_codes_and_free_text_and_counts_them() -> None:
    item = booking()
    assert filter_booking(item) == 5
    assert [r.code for r in item.special_requests] == ["DOCS", "SEAT"]
    assert item.remarks == ["CTCM 33123456789", "VIP"]
    assert [h.text for h in item.history] == ["0/O/NM/ALPHA/ALEX MR"]
    assert item.sensitive_removed == 5


def test_push_total_is_the_sum_of_its_bookings() -> None:
    push = PnrPush(header=MessageHeader(), bookings=[booking(), booking()])
    assert filter_push(push) == 10
    assert push.sensitive_removed == 10


def test_codes_match_as_words_only() -> None:
    assert is_sensitive_text("SSR WCHR HK1")
    assert not is_sensitive_text("WCHRISTOPHER")  # a name is not a wheelchair request
    assert not is_sensitive_text(None)
    assert not is_sensitive_text("ARCHIVED BY AGENT")  # HIV only as a word
    assert is_sensitive_text("pax diabetic")
