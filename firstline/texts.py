"""Sentences the domain writes for people (rule fields, rule-checker messages, quarantine
reasons, hit explanations): English templates that the web pages translate, and never a
language of their own.

A message with parameters keeps its template ("'{value}' is not a number") apart from its
parameters, so that a page can translate the template first and fill it in after; the
English text (logs, the command line, the API) is the template filled in here. `N_` only
marks a template for `make i18n` (babel.cfg); the domain imports no gettext.

A message can be kept as data (`message`, stored with a hit's explanation): a dictionary
with its "template" and "params". A parameter may itself be such a message (a word the page
translates too: "same sound", "an alias") or a `listing` of them, so that a whole sentence
reads in one language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Message = dict[str, Any]
# How a template and its (already resolved) parameters become text: `fill` for English, the
# web layer's `translate` for the page's language.
Say = Callable[[str, Mapping[str, object] | None], str]


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def message(
    template: str, params: Mapping[str, object] | None = None, *, sentence: bool = False
) -> Message:
    """A message as data (JSON-ready when the parameters are). `sentence`: a line of its
    own, with a capital first letter and a full stop, whatever the template starts with (a
    fact of an explanation reads both inside a sentence and as one)."""
    out: Message = {"template": template}
    if params:
        out["params"] = dict(params)
    if sentence:
        out["sentence"] = True
    return out


def listing(items: Sequence[object], separator: str = "; ") -> Message:
    """Several messages (or plain values) as one parameter, joined by `separator`."""
    return {"list": list(items), "separator": separator}


def fill(template: str, params: Mapping[str, object] | None = None) -> str:
    """`template` with its `{name}` placeholders filled from `params` (as is without any:
    a template with no parameters may hold braces of its own); parameters that are messages
    are filled in first."""
    return template.format_map(resolve(params, fill)) if params else template


def resolve(params: Mapping[str, object] | None, say: Say) -> dict[str, object]:
    """`params` with every message or listing among them said (other values as they are,
    so that a placeholder's format, "{score:.2f}", still applies)."""
    return {
        name: said(value, say) if _is_message(value) else value
        for name, value in (params or {}).items()
    }


def _is_message(value: object) -> bool:
    return isinstance(value, Mapping) and ("template" in value or "list" in value)


def said(item: object, say: Say = fill) -> str:
    """A message, a listing or a plain value as text, through `say` (English by default)."""
    if isinstance(item, Mapping):
        if "template" in item:
            params = item.get("params")
            text = say(str(item["template"]), params if isinstance(params, Mapping) else None)
            if item.get("sentence") and text:
                text = text[0].upper() + text[1:] + "."
            return text
        if "list" in item:
            separator = str(item.get("separator", "; "))
            return separator.join(said(value, say) for value in item["list"])
    return str(item)
