"""Which builds the user is waiting for, and which of them just finished.

By default every build that was running when mpib opened, plus builds started
from it; ``m`` marks or unmarks any build. When a watched build leaves
InProgress it is reported once (and no longer watched), so an alert fires once
per build however often the table refreshes.
"""

from __future__ import annotations

from api.builds import Build
from api.index import BuildIndex, Changes


class WatchList:
    """Build ids being watched for their end."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.seeded = False

    def seed(self, index: BuildIndex) -> None:
        """Watch what is running now (once, after the first listing)."""
        if not self.seeded:
            self.ids.update(index.running_ids())
            self.seeded = True

    def toggle(self, build_id: str) -> bool:
        """Mark or unmark a build; True if it is now watched."""
        if build_id in self.ids:
            self.ids.discard(build_id)
            return False
        self.ids.add(build_id)
        return True

    def finished(self, index: BuildIndex, changes: Changes) -> list[Build]:
        """Watched builds that these changes show ended (each reported once)."""
        ended = []
        for build_id in changes.updated + changes.added:
            if build_id not in self.ids:
                continue
            build = index.get(build_id)
            if build is not None and build.status is not None and build.status.is_final:
                self.ids.discard(build_id)
                ended.append(build)
        return ended
