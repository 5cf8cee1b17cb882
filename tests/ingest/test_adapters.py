"""Message adapters: a site's code for a carrier's envelope, found through its entry point and
run before the parsers; the delivery itself is kept as received."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from adapterkit import DISTRIBUTION, ENTRY, VERSION, envelope, install_adapter
from factory import Person, paxlst

from firstline.exc import ParseError
from firstline.ingest import adapters
from firstline.ingest.adapters import InstalledAdapter, discover, unwrap
from firstline.ingest.options import ParseOptions
from firstline.ingest.reader import read_message

MESSAGE = paxlst([Person("ENVELOPPE", reference="P1")], flight="ZZ41", reference="A41")


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The ACME adapter installed (on sys.path) for this test only."""
    where = install_adapter(tmp_path / "site-packages")
    monkeypatch.syspath_prepend(str(where))
    discover.cache_clear()
    yield where
    discover.cache_clear()
    sys.modules.pop("acme_envelope", None)


def test_an_installed_adapter_is_found_by_its_entry_point(installed: Path) -> None:
    found = discover()
    assert [a.name for a in found.loaded] == [ENTRY]
    (adapter,) = found.loaded
    assert adapter.package == f"{DISTRIBUTION} {VERSION}"
    assert adapter.target == "acme_envelope:unwrap"
    assert adapter.function(envelope(MESSAGE)) == MESSAGE
    assert adapter.function(MESSAGE) is None  # not its envelope
    assert found.broken == ()


def test_without_the_adapter_the_envelope_cannot_be_read() -> None:
    with pytest.raises(ParseError):
        read_message(envelope(MESSAGE), options=ParseOptions())


def test_with_the_adapter_the_message_inside_is_read_and_the_page_says_by_what(
    installed: Path,
) -> None:
    options = ParseOptions(adapters=discover().loaded)
    result = read_message(envelope(MESSAGE), options=options)
    (passengers,) = result.messages
    assert [t.surname for t in passengers.travellers] == ["ENVELOPPE"]
    assert result.warnings[0].code == "adapter"
    assert result.warnings[0].message == f"opened by message adapter {ENTRY}"
    # A delivery without the envelope is read as before, with no note.
    plain = read_message(MESSAGE, options=options)
    assert all(w.code != "adapter" for w in plain.warnings)


def test_an_adapter_that_fails_to_load_is_reported_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = install_adapter(tmp_path / "broken", source="import not_a_module_anywhere\n")
    monkeypatch.syspath_prepend(str(where))
    discover.cache_clear()
    try:
        found = discover()
    finally:
        discover.cache_clear()
    assert found.loaded == ()
    (broken,) = found.broken
    assert (broken.name, broken.package) == (ENTRY, f"{DISTRIBUTION} {VERSION}")
    assert broken.problem.startswith("ModuleNotFoundError")


def _raises(data: bytes) -> bytes | None:
    raise ValueError("bad base64")


def _text(data: bytes) -> bytes | None:
    return data.decode()  # type: ignore[return-value]  # the mistake under test


@pytest.mark.parametrize(
    ("function", "found"), [(_raises, "ValueError: bad base64"), (_text, "str")]
)
def test_an_adapter_failing_on_a_delivery_quarantines_it_with_its_name(
    function: adapters.Adapter, found: str
) -> None:
    adapter = InstalledAdapter("faulty", function, "faulty 0.1", "faulty:unwrap")
    with pytest.raises(ParseError) as raised:
        unwrap(MESSAGE, (adapter,))
    assert raised.value.reason == "message adapter faulty failed"
    assert raised.value.found == found


def test_the_first_adapter_that_answers_wins() -> None:
    def first(data: bytes) -> bytes | None:
        return None

    def second(data: bytes) -> bytes | None:
        return data[1:]

    def third(data: bytes) -> bytes | None:
        raise AssertionError("not reached")

    chain = tuple(InstalledAdapter(n, f) for n, f in [("a", first), ("b", second), ("c", third)])
    assert unwrap(b"xUNH", chain) == (b"UNH", "b")
    assert unwrap(b"UNH", ()) == (b"UNH", None)
