"""BuildIndex: the one in-memory copy of the builds the UI shows.

Pages from DescribeBuilds, refresh results and freshly started builds all go
through :meth:`BuildIndex.upsert`, which answers with what changed so the table
can patch rows by key instead of rebuilding. Pure and synchronous on purpose:
it is the piece every other layer leans on, and it is tested without a loop.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from api.builds import Build, BuildStatus

_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Changes:
    """Build ids touched by one merge, each in service order."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def __add__(self, other: Changes) -> Changes:
        """Combine two merges done one after the other."""
        removed = set(other.removed)
        added = [i for i in self.added if i not in removed]
        added += [i for i in other.added if i not in added]
        updated = [i for i in self.updated if i not in removed and i not in added]
        updated += [i for i in other.updated if i not in updated and i not in added]
        gone = [i for i in self.removed if i not in other.added]
        gone += [i for i in other.removed if i not in gone and i not in self.added]
        return Changes(tuple(added), tuple(updated), tuple(gone))


class BuildIndex:
    """Builds by id, ordered newest first as the service lists them.

    A build id is held once whatever the number of pages or refreshes that
    mention it; a later sighting replaces the earlier record.
    """

    def __init__(self) -> None:
        self._builds: dict[str, Build] = {}
        self._arrival: dict[str, int] = {}
        self._next_arrival = 0
        self._order: list[str] | None = []
        self._counts: Counter[BuildStatus | None] = Counter()

    def __len__(self) -> int:
        return len(self._builds)

    def __contains__(self, build_id: object) -> bool:
        return build_id in self._builds

    def __iter__(self) -> Iterator[Build]:
        return iter(self.builds())

    def get(self, build_id: str) -> Build | None:
        """The build with this id, if held."""
        return self._builds.get(build_id)

    def ids(self) -> list[str]:
        """Build ids newest first (StartTime descending, then service order)."""
        if self._order is None:
            self._order = sorted(self._builds, key=self._sort_key)
        return self._order

    def builds(self) -> list[Build]:
        """Builds newest first."""
        return [self._builds[i] for i in self.ids()]

    def running_ids(self) -> list[str]:
        """Ids of builds still InProgress: the ones a refresh must re-describe."""
        return [i for i in self.ids() if self._builds[i].is_running]

    def counts(self) -> dict[BuildStatus | None, int]:
        """How many builds are in each status (None: a status we could not read)."""
        return {k: v for k, v in self._counts.items() if v}

    def upsert(self, builds: Iterable[Build]) -> Changes:
        """Merge builds in; report which ids are new and which changed content.

        A record that differs only by freshly signed log URLs is stored (the new
        URLs are the valid ones) but not reported as updated.
        """
        added: list[str] = []
        updated: list[str] = []
        for build in builds:
            old = self._builds.get(build.build_id)
            if old is None:
                if build.build_id in self._arrival:
                    continue  # twice in one page
                self._arrival[build.build_id] = self._next_arrival
                self._next_arrival += 1
                added.append(build.build_id)
            else:
                self._counts[old.status] -= 1
                if not old.same_content(build):
                    if build.build_id not in updated and build.build_id not in added:
                        updated.append(build.build_id)
                    if old.start_time != build.start_time:
                        self._order = None
            self._counts[build.status] += 1
            self._builds[build.build_id] = build
        if added:
            self._place(added)
        return Changes(tuple(added), tuple(updated))

    def _place(self, added: list[str]) -> None:
        """Put new ids in order without sorting everything again.

        A listing arrives newest first, so a page usually goes after every
        build held: appending it is O(page). A few new builds (a refresh)
        are inserted by bisection; anything else is left to a full sort.
        """
        if self._order is None:
            return
        fresh = sorted(added, key=self._sort_key)
        order = self._order
        if not order or self._sort_key(fresh[0]) >= self._sort_key(order[-1]):
            order.extend(fresh)
        elif len(fresh) <= 32:
            for build_id in fresh:
                bisect.insort(order, build_id, key=self._sort_key)
        else:
            self._order = None

    def remove(self, build_ids: Iterable[str]) -> Changes:
        """Drop builds (e.g. ones that no longer match the filter)."""
        removed: list[str] = []
        for build_id in build_ids:
            build = self._builds.pop(build_id, None)
            if build is not None:
                self._arrival.pop(build_id, None)
                self._counts[build.status] -= 1
                removed.append(build_id)
        if removed:
            self._order = None
        return Changes(removed=tuple(removed))

    def replace(self, builds: Iterable[Build]) -> Changes:
        """Make the index hold exactly ``builds`` (a full re-list)."""
        fresh = list(builds)
        keep = {b.build_id for b in fresh}
        gone = self.remove([i for i in self._builds if i not in keep])
        return self.upsert(fresh) + gone

    def clear(self) -> Changes:
        """Forget every build (a new filter was applied)."""
        return self.remove(list(self._builds))

    def _sort_key(self, build_id: str) -> tuple[float, int]:
        start = self._builds[build_id].start_time or _EPOCH
        return (-start.timestamp(), self._arrival[build_id])


class OriginView:
    """The part of a :class:`BuildIndex` listed from one origin (profile, region).

    :meth:`api.client.BuildsClient.refresh` decides what to ask for from what
    the index holds; with several regions in one index, each region's refresh
    must see only its own builds, or it would re-describe (and, not finding
    them, drop) the builds of the others.
    """

    def __init__(self, index: BuildIndex, origin: str | None) -> None:
        self.index = index
        self.origin = origin

    def __contains__(self, build_id: object) -> bool:
        build = self.index.get(build_id) if isinstance(build_id, str) else None
        return build is not None and build.origin == self.origin

    def running_ids(self) -> list[str]:
        """Running builds of this origin only."""
        return [i for i in self.index.running_ids() if i in self]

    def upsert(self, builds: Iterable[Build]) -> Changes:
        """Merge into the whole index (the builds carry their origin)."""
        return self.index.upsert(builds)

    def remove(self, build_ids: Iterable[str]) -> Changes:
        """Drop builds, only ever this origin's."""
        return self.index.remove([i for i in build_ids if i in self])
