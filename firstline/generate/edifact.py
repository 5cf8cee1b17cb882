"""Shared bits of EDIFACT writing: release escaping and line ends."""

from __future__ import annotations

CRLF = "\r\n"


def escape(value: str, specials: str = "?:+'") -> str:
    """Release-escape the service characters in `specials` (`?` first)."""
    for char in specials:
        value = value.replace(char, "?" + char)
    return value


def interchange(lines: list[str]) -> bytes:
    """Segments joined with CRLF line ends, as most airline systems send them."""
    return (CRLF.join(lines) + CRLF).encode("ascii")
