"""Sensitive-data filter run on every booking before anything is stored.

EU PNR Directive 2016/681 art. 13(4): data revealing racial or ethnic origin, religion or
belief, health or sex life must not be processed and, when received, must be deleted at
once. In PNR these arrive as special service requests (religious and medical meals,
wheelchairs, medical clearance...) and in free text (OSI remarks, SSR text, history lines).
Whole items are removed, not masked: a masked "KSML" would still say a meal was religious.
The count of removed items is kept per booking and per message, never their content.
"""

from __future__ import annotations

import re

from firstline.model.booking import Booking, PnrPush

# SSR codes that reveal religion/belief or health (IATA AIRIMP code lists).
RELIGIOUS_MEALS = frozenset({"KSML", "MOML", "HNML", "VJML", "VOML", "AVML"})
MEDICAL_MEALS = frozenset({"DBML", "GFML", "LCML", "LFML", "LSML", "NLML", "BLML", "PRML"})
HEALTH_SERVICES = frozenset(
    {
        "WCHR", "WCHS", "WCHC", "WCMP", "WCBD", "WCBW", "WCLB", "WCOB", "MEDA", "BLND",
        "DEAF", "DPNA", "STCR", "OXYG", "MAAS", "ESAN", "SVAN", "PPOC", "POCS", "CPAP",
    }
)  # fmt: skip
SENSITIVE_SSR_CODES = RELIGIOUS_MEALS | MEDICAL_MEALS | HEALTH_SERVICES

# Word stems matched at a word start (DIABET- finds DIABETIC). Given names and surnames that
# are also religions (CHRISTIAN, JAIN) are left out: the meal codes catch those cases.
_STEMS = (
    "KOSHER", "HALAL", "MUSLIM", "MOSLEM", "HINDU", "JEWISH", "CATHOLIC", "RELIGIO", "PRAYER",
    "WHEELCHAIR", "WHEEL CHAIR", "MEDICAL", "MEDICINE", "OXYGEN", "DIABET", "PREGNAN",
    "BLIND", "DEAF", "DISABLE", "STRETCHER", "ILLNESS", "DISEASE", "CANCER", "INSULIN",
    "DIALYSIS", "ALLERG", "GLUTEN", "LACTOSE",
)  # fmt: skip
_WORDS = ("HIV", "AIDS")
_TEXT = re.compile(
    r"\b(?:" + "|".join(sorted(SENSITIVE_SSR_CODES) + list(_WORDS)) + r")\b"
    r"|\b(?:" + "|".join(_STEMS) + ")",
    re.IGNORECASE,
)


def is_sensitive_text(text: str | None) -> bool:
    """True when free text names a sensitive SSR code or a religion/health word."""
    return bool(text) and _TEXT.search(text or "") is not None


def filter_booking(booking: Booking) -> int:
    """Remove sensitive items from `booking` in place; return how many were removed."""
    removed = 0
    kept_requests = []
    for request in booking.special_requests:
        if request.code.upper() in SENSITIVE_SSR_CODES or is_sensitive_text(request.text):
            removed += 1
        else:
            kept_requests.append(request)
    booking.special_requests = kept_requests
    kept_remarks = [r for r in booking.remarks if not is_sensitive_text(r)]
    removed += len(booking.remarks) - len(kept_remarks)
    booking.remarks = kept_remarks
    kept_history = [h for h in booking.history if not is_sensitive_text(h.text)]
    removed += len(booking.history) - len(kept_history)
    booking.history = kept_history
    booking.sensitive_removed += removed
    return removed


def filter_push(push: PnrPush) -> int:
    """Filter every booking of a push; the total removed."""
    return sum(filter_booking(booking) for booking in push.bookings)
