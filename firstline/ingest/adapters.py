"""Message adapters: code a site installs to read a carrier's own envelope.

Carriers and the service providers that relay their pushes sometimes wrap PAXLST or PNRGOV
in an envelope of their own: a JSON record with the message in base64, a SOAP body, a
proprietary header. Such a delivery is quarantined ("no UNH segment", "not PNRGOV XML"),
whole, until the site has code for that envelope. That code is an adapter: a function
``bytes -> bytes | None`` returning the message inside, or None when the bytes are not its
envelope. It ships as a Python package declaring an entry point in the group
``firstline.adapters``; once it is installed and firstline restarted, re-processing the
quarantined deliveries (administration page, API or ``firstline quarantine --reprocess``)
loads them. This is how a site fixes a carrier's deviation without waiting for a firstline
release, and the reason the adapters run before the format is sniffed: an envelope may look
like XML or like text.

The delivery is stored as received; only the parsers see the unwrapped bytes. Adapters run
in name order and the first that answers wins; each must reject foreign bytes cheaply (a
prefix check), since every delivery passes through all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

from firstline.exc import ParseError
from firstline.logs import get_logger
from firstline.texts import N_

GROUP = "firstline.adapters"

Adapter = Callable[[bytes], "bytes | None"]

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class InstalledAdapter:
    """An adapter and where it comes from, for administrators."""

    name: str  # the entry point's name
    function: Adapter
    package: str = ""  # distribution and version, e.g. "acme-envelope 1.0"
    target: str = ""  # module:function


@dataclass(frozen=True, slots=True)
class BrokenAdapter:
    """An adapter declared by an installed package that could not be loaded."""

    name: str
    package: str
    target: str
    problem: str


@dataclass(frozen=True, slots=True)
class Adapters:
    loaded: tuple[InstalledAdapter, ...] = ()
    broken: tuple[BrokenAdapter, ...] = ()


@cache
def discover() -> Adapters:
    """The adapters installed in this Python environment, loaded once per process (a newly
    installed one needs a restart, as any upgrade does). One that fails to load is reported,
    not fatal: the deliveries it would have read are quarantined as before."""
    loaded: list[InstalledAdapter] = []
    broken: list[BrokenAdapter] = []
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        package = f"{point.dist.name} {point.dist.version}" if point.dist else ""
        try:
            function = point.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop ingest
            log.error("adapter_load_failed", adapter=point.name, error=type(exc).__name__)
            broken.append(BrokenAdapter(point.name, package, point.value, _describe(exc)))
            continue
        if not callable(function):
            broken.append(BrokenAdapter(point.name, package, point.value, "not a function"))
            continue
        loaded.append(InstalledAdapter(point.name, function, package, point.value))
    return Adapters(tuple(loaded), tuple(broken))


def unwrap(data: bytes, adapters: tuple[InstalledAdapter, ...]) -> tuple[bytes, str | None]:
    """The message inside the first envelope an adapter recognises, and that adapter's name;
    the bytes unchanged and None when none does. An adapter that fails on bytes it claimed
    quarantines the delivery with its name and error."""
    for adapter in adapters:
        try:
            inner = adapter.function(data)
        except Exception as exc:  # noqa: BLE001 - the delivery is quarantined, ingest goes on
            raise ParseError(
                N_("message adapter {adapter} failed"),
                expected=N_("a message unwrapped by {target}"),
                found=_describe(exc),
                params={"adapter": adapter.name, "target": adapter.target or adapter.name},
            ) from exc
        if inner is not None:
            if not isinstance(inner, bytes):
                raise ParseError(
                    N_("message adapter {adapter} failed"),
                    expected=N_("bytes or None from the adapter"),
                    found=type(inner).__name__,
                    params={"adapter": adapter.name},
                )
            return inner, adapter.name
    return data, None


def _describe(exc: Exception) -> str:
    # The type and the first line only: an adapter's message may quote the delivery.
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
