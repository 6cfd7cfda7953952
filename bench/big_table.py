"""100,000 builds: how long after the last page the table is complete, and scrolling.

Pages of 256 parsed builds are fed to the real builds screen (headless, no
service: the network is not what is measured here) the way the loader does:
upsert into the index, apply to the table, yield to the event loop. The peer is
Textual's DataTable given the same 100,000 rows with ``add_rows``.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from textual.app import App
from textual.widgets import DataTable

from api.builds import Build, parse_builds
from api.emulator.scenario import seed_history
from api.emulator.world import World
from bench.rows import Row
from tui.screens.builds import BuildsScreen

BUILDS = 100_000
PAGE = 256


def _pages() -> list[list[Build]]:
    world = World()
    seed_history(world, BUILDS, running=50)
    records = list(reversed(world.records))
    return [
        parse_builds([world.build_dict(r) for r in records[n : n + PAGE]])
        for n in range(0, len(records), PAGE)
    ]


class _Host(App[None]):
    def __init__(self, screen: BuildsScreen) -> None:
        super().__init__()
        self.builds_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.builds_screen)


async def _ours(pages: list[list[Build]]) -> tuple[float, float, float]:
    """(s after the last page, s for all pages, median ms per scrolled frame)."""
    screen = BuildsScreen(None, "bench", build_filter=_no_filter(), refresh_seconds=0)
    app = _Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = screen.table
        start = time.perf_counter()
        for page in pages[:-1]:
            screen._apply(screen.index.upsert(page), flash=False)
            await asyncio.sleep(0)
        last = time.perf_counter()
        screen._apply(screen.index.upsert(pages[-1]), flash=False)
        for y in range(table.size.height):
            table.render_line(y)
        done = time.perf_counter()
        assert table.row_count == BUILDS
        frames = []
        for _ in range(30):
            begin = time.perf_counter()
            table.action_page(1)
            for y in range(table.size.height):
                table.render_line(y)
            frames.append(time.perf_counter() - begin)
    return done - last, done - start, statistics.median(frames) * 1000


def _no_filter() -> object:
    from api.builds import BuildFilter

    return BuildFilter()


async def _datatable(pages: list[list[Build]]) -> float:
    rows = [
        (b.raw_status, b.build_id[:8], b.products[0].title if b.products else "", b.source_image.id)
        for page in pages
        for b in page
    ]

    class Host(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield DataTable()

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Status", "Build", "Product", "Source AMI")
        start = time.perf_counter()
        table.add_rows(rows)
        await pilot.pause()
        return time.perf_counter() - start


def big_table() -> list[Row]:
    """Rows for the benchmark table."""
    pages = _pages()
    after_last, total, frame_ms = asyncio.run(_ours(pages))
    peer = asyncio.run(_datatable(pages))
    return [
        Row(f"{BUILDS:,} builds: table complete after last page, s", after_last, max_value=3.0),
        Row(f"{BUILDS:,} builds: all pages into the table, s", total, peer, "DataTable add_rows"),
        Row(f"{BUILDS:,} builds: one scrolled frame, ms", frame_ms, max_value=16.7),
    ]


if __name__ == "__main__":
    from bench.rows import table

    print(table(big_table()))
