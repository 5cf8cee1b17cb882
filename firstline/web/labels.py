"""What the pages call the codes they show: review states, dispositions, outcomes,
severities, sources, roles, review steps, audit actions and name-matching methods.

Codes stay codes in the store, the API and form values; pages show them through the `label`
filter, which translates the known ones and spells out the others ("some_code" -> "some code").
"""

from __future__ import annotations

from typing import Any

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
}


def label(value: Any) -> str:
    """A code as the officer reads it, in the current language."""
    if value is None:
        return ""
    code = str(value)
    known = LABELS.get(code)
    return gettext(known) if known else code.replace("_", " ")
