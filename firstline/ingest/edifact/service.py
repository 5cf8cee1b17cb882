"""The service string advice (UNA) and the separators it declares.

When UNA is present every separator comes from it, as real feeds use `*` for elements and
`$`, `(` or `)` as terminators. Without UNA the ISO 9735 defaults apply, with `*` as the
repetition separator only under syntax version 4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from firstline.exc import ParseError
from firstline.model.message import ParseWarning
from firstline.texts import N_

_SYNTAX_VERSION = re.compile(r"UNB\+[A-Z]{4}:(\d)")
_SEGMENT_START = re.compile(r"UN[BGH]")


@dataclass(slots=True, frozen=True)
class ServiceChars:
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    repetition: str | None = None
    terminator: str = "'"

    @property
    def separators(self) -> tuple[str, ...]:
        seps = [self.component, self.element, self.terminator]
        if self.repetition:
            seps.append(self.repetition)
        return tuple(seps)


DEFAULT = ServiceChars()


def detect(text: str) -> tuple[ServiceChars, int, list[ParseWarning]]:
    """Separators for `text`, the offset where segments start, and any warnings.

    Raises ParseError when a UNA is present but cannot be read at all.
    """
    if text.startswith("UNA"):
        return _from_una(text)
    chars = _defaults_for(text)
    warnings: list[ParseWarning] = []
    if chars.terminator != "'":
        warnings.append(
            ParseWarning(
                code="terminator_guessed",
                message="no UNA and no ' in the message; segment terminator taken from line ends",
                segment=text[:3],
                segment_index=1,
                line=1,
                expected="'",
                found=chars.terminator,
            )
        )
    return chars, 0, warnings


def _from_una(text: str) -> tuple[ServiceChars, int, list[ParseWarning]]:
    warnings: list[ParseWarning] = []
    # The next segment normally starts right after the six service characters; a short
    # UNA (seen: five characters, repetition separator left out) is recovered with a warning.
    match = _SEGMENT_START.search(text, 3, 16)
    body = text[3:9]
    # A five-character UNA followed by a line break also leaves six characters before UNB.
    if match is not None and (match.start() - 3 != 6 or text[8] in "\r\n"):
        body = text[3 : match.start()].rstrip("\r\n\t ")
        if len(body) == 5:
            body = body[:4] + " " + body[4]
            warnings.append(
                ParseWarning(
                    code="una_short",
                    message="UNA declares five service characters; assumed no repetition separator",
                    segment="UNA",
                    segment_index=0,
                    line=1,
                    column=1,
                    expected="6 characters",
                    found=text[3 : match.start()],
                )
            )
    if len(body) != 6:
        raise ParseError(
            N_("UNA service string is not six characters"),
            segment="UNA",
            segment_index=0,
            offset=0,
            line=1,
            expected=N_("6 characters"),
            found=text[3:12],
        )
    component, element, decimal, release, repetition, terminator = tuple(body)
    if len({component, element, terminator}) != 3 or terminator in " \r\n":
        raise ParseError(
            N_("UNA declares clashing or blank separators"),
            segment="UNA",
            segment_index=0,
            offset=0,
            line=1,
            expected=N_("distinct component, element and terminator characters"),
            found=body,
        )
    chars = ServiceChars(
        component=component,
        element=element,
        decimal=decimal,
        release=None if release == " " else release,
        repetition=None if repetition == " " else repetition,
        terminator=terminator,
    )
    start = 3 + len(body)
    if match is not None and (match.start() - 3 != 6 or text[8] in "\r\n"):
        start = match.start()
    rest = text[start:]
    if terminator not in rest and "'" in rest:
        # Seen: UNA written with a typographic apostrophe while segments end with '.
        warnings.append(
            ParseWarning(
                code="una_terminator_unused",
                message="the terminator declared in UNA never occurs; using the default '",
                segment="UNA",
                segment_index=0,
                line=1,
                column=9,
                expected=terminator,
                found="'",
            )
        )
        chars = ServiceChars(
            component=component,
            element=element,
            decimal=decimal,
            release=chars.release,
            repetition=chars.repetition,
            terminator="'",
        )
    return chars, start, warnings


def _defaults_for(text: str) -> ServiceChars:
    version = _SYNTAX_VERSION.match(text)
    repetition = "*" if version is not None and version.group(1) == "4" else None
    terminator = "'"
    if "'" not in text:
        guessed = _guess_terminator(text)
        if guessed:
            terminator = guessed
    return ServiceChars(repetition=repetition, terminator=terminator)


def _guess_terminator(text: str) -> str | None:
    """Without UNA and without any `'`, the character ending the first line is the terminator.

    Some generators (e.g. a DCS test language writing `"`) rely on a bilateral agreement
    instead of UNA; a message using a letter or digit there is not guessed.
    """
    line_end = text.find("\n")
    if line_end <= 0:
        return None
    candidate = text[:line_end].rstrip("\r")[-1:]
    if candidate and not candidate.isalnum() and candidate not in ":+? ":
        return candidate
    return None
