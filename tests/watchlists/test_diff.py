"""The difference between two versions of a list, replayed from the entries' changes."""

from __future__ import annotations

from typing import Any

from firstline.watchlists.diff import (
    Change,
    EntryHistory,
    FieldChange,
    describe,
    diff_versions,
    field_changes,
    state_at,
)


def _data(dob: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source_id": "e1",
        "schema": "person",
        "names": [{"full": "ODA VELLMAR", "kind": "primary"}],
        "birth_dates": [dob or {"year": 1970, "month": 5, "day": 4}],
        "documents": [],
        "extra": {},
    }
    return data | more


def _history(*changes: Change, current: dict[str, Any] | None = None) -> EntryHistory:
    return EntryHistory(1, "e1", "ODA VELLMAR", current or _data(), list(changes))


def test_an_entry_added_after_the_first_version_is_added() -> None:
    history = _history(Change(2, "added", _data()))
    diff = diff_versions([history], 1, 2)
    assert [d.source_id for d in diff.added] == ["e1"]
    assert diff.removed == [] and diff.changed == []
    assert diff_versions([history], 2, 3).added == []


def test_an_entry_removed_between_the_versions_is_removed() -> None:
    history = _history(Change(1, "added", _data()), Change(3, "removed", None))
    assert [d.kind for d in diff_versions([history], 1, 3).removed] == ["removed"]
    assert not diff_versions([history], 1, 2).removed
    # Added and removed in between: nothing to say.
    between = _history(Change(2, "added", _data()), Change(3, "removed", None))
    diff = diff_versions([between], 1, 4)
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])


def test_a_changed_entry_has_its_fields_side_by_side() -> None:
    later = _data({"year": 1971}, documents=[{"number": "X1", "type": "passport"}])
    history = _history(Change(1, "added", _data()), Change(2, "changed", later))
    (changed,) = diff_versions([history], 2, 1).changed  # the order of the two does not matter
    assert changed.fields == [
        FieldChange("birth_dates", "1970-05-04", "1971"),
        FieldChange("documents", "", "X1 (passport)"),
    ]


def test_an_entry_changed_back_is_not_changed() -> None:
    history = _history(
        Change(1, "added", _data()),
        Change(2, "changed", _data({"year": 1971})),
        Change(3, "changed", _data()),
    )
    assert diff_versions([history], 1, 3).changed == []
    assert len(diff_versions([history], 1, 2).changed) == 1


def test_an_entry_back_after_removal_is_added_again() -> None:
    history = _history(
        Change(1, "added", _data()), Change(2, "removed", None), Change(3, "changed", _data())
    )
    assert [d.source_id for d in diff_versions([history], 2, 3).added] == ["e1"]
    assert state_at(history, 2).present is False and state_at(history, 2).data == _data()


def test_an_addition_recorded_without_data() -> None:
    # Never changed since: the current data is the data as added.
    unchanged = _history(Change(1, "added", None))
    assert state_at(unchanged, 1).data == _data()
    # Changed since: what it was at first is unknown, and said so.
    changed = _history(Change(1, "added", None), Change(2, "changed", _data({"year": 1971})))
    (entry,) = diff_versions([changed], 1, 2).changed
    assert entry.before_known is False and entry.fields == []


def test_empty_values_are_the_same_absence_and_values_read_well() -> None:
    assert field_changes({"remarks": None, "extra": {}}, {"remarks": "", "programs": []}) == []
    names = [{"full": "A B", "kind": "primary"}, {"full": "C", "kind": "weak_alias"}]
    assert describe("names", names) == "A B (primary); C (weak alias)"
    assert describe("birth_dates", [{"year": 1961, "to_year": 1963, "approximate": True}]) == (
        "circa 1961-1963"
    )
    assert describe("extra", {"b": "2", "a": "1"}) == "a: 1; b: 2"
    assert describe("identifiers", [{"kind": "phone", "value": "+1"}]) == "phone: +1"
