"""BuildIndex merges pages and refreshes without ever holding a build twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from api.builds import Build, BuildStatus
from api.index import BuildIndex, Changes

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def build(n: int, status: BuildStatus = BuildStatus.SUCCEEDED, url: str = "u") -> Build:
    return Build(
        build_id=f"b{n}",
        status=status,
        raw_status=status.value,
        start_time=T0 + timedelta(minutes=n),
        standard_output_url=url,
    )


def test_pages_merge_newest_first_and_report_added() -> None:
    index = BuildIndex()
    assert index.upsert([build(5), build(4)]) == Changes(added=("b5", "b4"))
    assert index.upsert([build(3), build(2)]) == Changes(added=("b3", "b2"))
    assert index.ids() == ["b5", "b4", "b3", "b2"]
    assert len(index) == 4


def test_overlapping_pages_never_duplicate() -> None:
    index = BuildIndex()
    index.upsert([build(3), build(2), build(1)])
    changes = index.upsert([build(2), build(1), build(1)])
    assert changes == Changes()
    assert index.ids() == ["b3", "b2", "b1"]


def test_head_inserts_go_on_top() -> None:
    index = BuildIndex()
    index.upsert([build(2), build(1)])
    assert index.upsert([build(4), build(3), build(2)]).added == ("b4", "b3")
    assert index.ids() == ["b4", "b3", "b2", "b1"]


def test_update_reported_only_for_real_changes() -> None:
    index = BuildIndex()
    index.upsert([build(1, BuildStatus.IN_PROGRESS)])
    assert index.upsert([build(1, BuildStatus.IN_PROGRESS, url="resigned")]) == Changes()
    assert index.get("b1") is not None and index.get("b1").standard_output_url == "resigned"  # type: ignore[union-attr]
    assert index.upsert([build(1, BuildStatus.FAILED)]) == Changes(updated=("b1",))
    assert index.counts() == {BuildStatus.FAILED: 1}


def test_counts_and_running_ids() -> None:
    index = BuildIndex()
    index.upsert([build(3, BuildStatus.IN_PROGRESS), build(2), build(1, BuildStatus.IN_PROGRESS)])
    assert index.running_ids() == ["b3", "b1"]
    assert index.counts() == {BuildStatus.IN_PROGRESS: 2, BuildStatus.SUCCEEDED: 1}
    index.remove(["b3", "missing"])
    assert index.counts() == {BuildStatus.IN_PROGRESS: 1, BuildStatus.SUCCEEDED: 1}


def test_replace_removes_what_is_gone() -> None:
    index = BuildIndex()
    index.upsert([build(3), build(2), build(1)])
    changes = index.replace([build(4), build(2, BuildStatus.FAILED)])
    assert changes == Changes(added=("b4",), updated=("b2",), removed=("b3", "b1"))
    assert index.ids() == ["b4", "b2"]


def test_changes_compose() -> None:
    first = Changes(added=("a",), updated=("b",))
    second = Changes(updated=("a", "c"), removed=("b",))
    assert first + second == Changes(added=("a",), updated=("c",), removed=("b",))
    assert Changes(removed=("x",)) + Changes(added=("x",)) == Changes(added=("x",))
    assert not Changes()


def test_clear() -> None:
    index = BuildIndex()
    index.upsert([build(1), build(2)])
    assert set(index.clear().removed) == {"b1", "b2"}
    assert len(index) == 0 and index.ids() == []


@settings(max_examples=300)
@given(st.lists(st.lists(st.integers(0, 60), max_size=40), max_size=12), st.data())
def test_incremental_order_equals_a_full_sort(
    batches: list[list[int]], data: st.DataObject
) -> None:
    """Pages, refreshes and removals in any order: ids() is always the sorted order."""
    index = BuildIndex()
    for batch in batches:
        index.upsert([build(n) for n in batch])
        if data.draw(st.booleans()):
            index.remove([f"b{n}" for n in data.draw(st.lists(st.integers(0, 60), max_size=5))])
        held = [index.get(i) for i in index.ids()]
        assert len(held) == len(index) == len(set(index.ids()))
        starts = [b.start_time for b in held if b is not None]
        assert starts == sorted(starts, reverse=True)
