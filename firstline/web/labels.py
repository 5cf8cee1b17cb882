"""What the pages call the codes they show: review states, dispositions, outcomes,
severities, sources, roles, review steps, audit actions, name-matching methods, rule statuses,
categories and flags, message statuses and kinds of stored data.

Codes stay codes in the store, the API and form values; pages show them through the `label`
filter, which translates the known ones and spells out the others ("some_code" -> "some code").
The rule editor's operators and the delivery page's expected pushes have their own tables
here (their codes would clash with the others'), marked with `N_()` so that `make i18n`
extracts them; the pages translate them where they show them. The rule fields' labels and
descriptions are marked where they are written (firstline/rules/fields.py).
"""

from __future__ import annotations

from typing import Any

from firstline.rules.fields import CATALOGUE
from firstline.services.rules import NEAR_EXPIRY_DAYS, QUIET_DAYS
from firstline.web.i18n import N_, gettext

LABELS: dict[str, str] = {
    # review states of a hit, and its status
    "new": N_("new"),
    "assigned": N_("assigned"),
    "in_review": N_("in review"),
    "second_review": N_("second review"),
    "closed": N_("closed"),
    "open": N_("open"),
    # dispositions
    "confirmed": N_("confirmed"),
    "false_positive": N_("false positive"),
    "inconclusive": N_("inconclusive"),
    # outcomes at the port
    "nothing_found": N_("nothing found"),
    "seizure": N_("seizure"),
    "refused_entry": N_("refused entry"),
    "arrest": N_("arrest"),
    "other": N_("other"),
    # severities and sources of hits
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "watchlist": N_("watchlist"),
    "rule": N_("rule"),
    "link": N_("link"),
    # officers' roles and travellers' roles
    "analyst": N_("analyst"),
    "supervisor": N_("supervisor"),
    "port_officer": N_("port officer"),
    "administrator": N_("administrator"),
    "auditor": N_("auditor"),
    "passenger": N_("passenger"),
    "crew": N_("crew"),
    "in_transit_passenger": N_("passenger in transit"),
    "in_transit_crew": N_("crew in transit"),
    "unnamed": N_("unnamed"),
    # flights board directions
    "arrival": N_("arrival"),
    "departure": N_("departure"),
    "overflight": N_("overflight"),
    # review steps
    "assign": N_("assign"),
    "start_review": N_("start review"),
    "dispose": N_("dispose"),
    "approve": N_("approve"),
    "send_back": N_("send back"),
    "reopen": N_("reopen"),
    # audit actions
    "login": N_("login"),
    "logout": N_("logout"),
    "view_hit": N_("view hit"),
    "view_traveller": N_("view traveller"),
    "view_network": N_("view network"),
    "view_manifest": N_("view manifest"),
    "view_message": N_("view message"),
    "view_lookout": N_("view lookout"),
    "view_audit": N_("view audit"),
    "search": N_("search"),
    "export": N_("export"),
    "record_outcome": N_("record outcome"),
    "hit_assign": N_("hit assign"),
    "hit_start_review": N_("hit start review"),
    "hit_dispose": N_("hit dispose"),
    "hit_approve": N_("hit approve"),
    "hit_send_back": N_("hit send back"),
    "hit_reopen": N_("hit reopen"),
    "reset_password": N_("reset password"),
    "rule_saved": N_("rule saved"),
    "rule_retired": N_("rule retired"),
    "lookup_saved": N_("lookup list saved"),
    # rule statuses (rules/model.py RuleStatus) and categories (rules/model.py CATEGORIES)
    "draft": N_("draft"),
    "shadow": N_("shadow"),
    "active": N_("active"),
    "retired": N_("retired"),
    "terrorism": N_("terrorism"),
    "drugs": N_("drugs"),
    "human_trafficking": N_("human trafficking"),
    "migration": N_("migration"),
    "cash": N_("cash"),
    "smuggling": N_("smuggling"),
    "weapons": N_("weapons"),
    "wildlife": N_("wildlife"),
    "fraud": N_("fraud"),
    "documents": N_("documents"),
    # what a lookup list holds (services/lookups.py KINDS)
    "airports": N_("airports"),
    "countries": N_("countries"),
    "agencies": N_("agencies"),
    "codes": N_("codes"),
    "text": N_("text"),
    # rule flags (services/rules.py stats) without a number
    "expired": N_("expired"),
    # groups of the rule fields (rules/fields.py: the first part of a field's name)
    "traveller": N_("traveller"),
    "document": N_("document"),
    "flight": N_("flight"),
    "itinerary": N_("itinerary"),
    "booking": N_("booking"),
    "payment": N_("payment"),
    "contact": N_("contact"),
    "seat": N_("seat"),
    "bags": N_("bags"),
    "frequent_flyer": N_("frequent flyer"),
    "links": N_("links"),
    "history": N_("history"),
    # messages received (their status) and the kinds of stored data (retention)
    "loaded": N_("loaded"),
    "quarantined": N_("quarantined"),
    "duplicate": N_("duplicate"),
    "travellers": N_("travellers"),
    "bookings": N_("bookings"),
    "messages": N_("messages"),
    # how two name parts were found equal (screening/tokens.py)
    "exact": N_("exact"),
    "ICAO spelling": N_("ICAO spelling"),
    "initial": N_("initial"),
    "one letter apart": N_("one letter apart"),
    "same sound": N_("same sound"),
    "same consonants": N_("same consonants"),
    "nickname": N_("nickname"),
    "similar spelling": N_("similar spelling"),
    "different": N_("different"),
    "different number": N_("different number"),
    "different initial": N_("different initial"),
    "cut-off start (MRZ field full)": N_("cut-off start (MRZ field full)"),  # screening/names.py
}

# Rule flags with a number, as services/rules.py `stats` writes them (the API keeps them so).
FLAGS: dict[str, tuple[str, int]] = {
    f"expires within {NEAR_EXPIRY_DAYS} days": (
        N_("expires within %(days)s days"),
        NEAR_EXPIRY_DAYS,
    ),
    f"no confirmed hit in {QUIET_DAYS} days": (N_("no confirmed hit in %(days)s days"), QUIET_DAYS),
}

# The rule editor's operators (rules/operators.py), by code.
OPERATORS: dict[str, str] = {
    "is_empty": N_("is empty"),
    "is_not_empty": N_("is not empty"),
    "equals": N_("equals"),
    "not_equals": N_("not equals"),
    "in": N_("in"),
    "not_in": N_("not in"),
    "contains": N_("contains"),
    "starts_with": N_("starts with"),
    "ends_with": N_("ends with"),
    "matches": N_("matches"),
    "less_than": N_("less than"),
    "at_most": N_("at most"),
    "greater_than": N_("greater than"),
    "at_least": N_("at least"),
    "between": N_("between"),
    "before": N_("before"),
    "after": N_("after"),
    "within_days": N_("within days"),
    "is_true": N_("is yes"),
    "is_false": N_("is no"),
    "contains_any": N_("contains any"),
    "contains_all": N_("contains all"),
    "contains_none": N_("contains none"),
}

# The pushes a carrier owes per flight (ingest/delivery.py EXPECTED), by kind.
PUSHES: dict[str, str] = {
    "pnr_72h": N_("PNR T-72h"),
    "pnr_24h": N_("PNR T-24h"),
    "pnr_2h": N_("PNR T-2h"),
    "pnr_close_out": N_("PNR close-out"),
    "api": N_("API at check-in close"),
    "api_close_out": N_("API close-out"),
    "crew": N_("crew list"),
}


def label(value: Any) -> str:
    """A code as the officer reads it, in the current language."""
    if value is None:
        return ""
    code = str(value)
    known = LABELS.get(code)
    if known:
        return gettext(known)
    if code in FLAGS:
        text, days = FLAGS[code]
        return gettext(text) % {"days": days}
    return code.replace("_", " ")


def operator(code: str) -> str:
    """An operator's name in the current language."""
    known = OPERATORS.get(code)
    return gettext(known) if known else code.replace("_", " ")


def field_label(name: str, english: str = "") -> str:
    """A rule field's label in the current language (`english`, else the name, when the
    catalogue has no such field)."""
    known = CATALOGUE.get(name)
    return gettext(known.label) if known else english or name


def field_description(name: str) -> str:
    """A rule field's description in the current language."""
    known = CATALOGUE.get(name)
    return gettext(known.description) if known else ""


def push(kind: str, english: str = "") -> str:
    """An expected push's name in the current language."""
    known = PUSHES.get(kind)
    return gettext(known) if known else english or kind.replace("_", " ")
