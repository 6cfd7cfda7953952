"""Filter panel, CLI pre-fill and instant search, against the emulator."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, Static

from api.builds import BuildFilter, BuildStatus
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded, make_app, new_build
from tui.app import MpibApp
from tui.screens.builds import BuildsScreen
from tui.screens.filters import FilterScreen
from tui.widgets.filter_form import FilterForm

NARROW = (100, 40)
"""Below the docking width: the form is a modal card."""
WIDE = (160, 40)
"""Docked beside the table (and in place of the detail pane)."""


def top_bar(app: MpibApp) -> str:
    return str(app.screen.query_one("#top-bar", Static).content)


async def open_panel(app: MpibApp, pilot: object) -> FilterForm:
    """Press f; the form, wherever this terminal size puts it."""
    await pilot.press("f")  # type: ignore[attr-defined]
    await wait_for(lambda: bool(app.screen.query(FilterForm)))
    return app.screen.query_one(FilterForm)


async def closed(app: MpibApp) -> None:
    """Back on the builds screen with no form open."""
    await wait_for(
        lambda: isinstance(app.screen, BuildsScreen) and not app.screen.query(FilterForm)
    )


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["modal", "docked"])
async def test_each_filter_kind_alone_and_combined(
    emulator: Emulator, size: tuple[int, int]
) -> None:
    seed_history(emulator.world, 200, running=3)
    records = emulator.world.records
    app = make_app(emulator)
    async with app.run_test(size=size) as pilot:
        screen = await loaded(app)
        assert screen.table.row_count == 200

        panel = await open_panel(app, pilot)
        panel.query_one("#status-failed", Checkbox).value = True
        panel.query_one("#status-internal-error", Checkbox).value = True
        await pilot.click("#apply")
        await closed(app)
        await wait_for(lambda: screen.state.last_ok is not None and not screen.state.loading)
        expected = {r.build_id for r in records if r.status in ("Failed", "InternalError")}
        assert set(screen.table.row_ids) == expected
        assert emulator.calls[-1].params["Filters"] == [
            {"Name": "status", "Values": ["failed", "internal-error"]}
        ]
        assert "status=failed,internal-error" in top_bar(app)

        panel = await open_panel(app, pilot)
        assert panel.query_one("#status-failed", Checkbox).value  # keeps what is active
        panel.query_one("#product-ids", Input).value = "prod-nginxplus0001, prod-splunkent0095"
        await pilot.click("#apply")
        await closed(app)
        await wait_for(lambda: screen.state.last_ok is not None and not screen.state.loading)
        products = {"prod-nginxplus0001", "prod-splunkent0095"}
        expected = {
            r.build_id
            for r in records
            if r.status in ("Failed", "InternalError")
            and any(o.product_id in products for o in r.offerings)
        }
        assert set(screen.table.row_ids) == expected

        await pilot.press("F")
        await wait_for(lambda: screen.table.row_count == 200 and not screen.state.loading)
        assert "filter:" not in top_bar(app)


async def test_docked_when_wide_modal_when_narrow(emulator: Emulator) -> None:
    seed_history(emulator.world, 30)
    app = make_app(emulator)
    async with app.run_test(size=WIDE) as pilot:
        screen = await loaded(app)
        form = await open_panel(app, pilot)
        assert app.screen is screen and form.parent is screen.query_one("#main")
        assert form.region.x >= screen.table.region.right  # beside the table, which stays
        assert screen.table.region.width >= 100 and screen.table.row_count == 30
        await pilot.press("escape")
        await closed(app)
        assert screen.table.has_focus
        await pilot.resize_terminal(*NARROW)
        form = await open_panel(app, pilot)
        assert isinstance(app.screen, FilterScreen)
        await pilot.press("escape")
        await closed(app)


async def test_build_and_fo_filters(emulator: Emulator) -> None:
    seed_history(emulator.world, 50)
    target = emulator.world.records[10]
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        panel = await open_panel(app, pilot)
        panel.query_one("#build-ids", Input).value = target.build_id
        panel.query_one("#fo-ids", Input).value = target.offerings[0].fulfillment_option_id
        await pilot.click("#apply")
        await wait_for(lambda: screen.table.row_ids == [target.build_id])


async def test_malformed_id_keeps_the_form_and_the_table(emulator: Emulator) -> None:
    seed_history(emulator.world, 20)
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        panel = await open_panel(app, pilot)
        panel.query_one("#build-ids", Input).value = "not-a-build!"
        await pilot.click("#apply")
        error = panel.query_one("#build-ids-error", Static)
        await wait_for(lambda: error.display)
        assert "not a build id: not-a-build!" in str(error.content)
        assert panel.is_attached
        assert panel.query_one("#build-ids", Input).value == "not-a-build!"
        assert screen.table.row_count == 20


async def test_service_rejection_is_shown_in_the_panel(emulator: Emulator) -> None:
    seed_history(emulator.world, 20)
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        panel = await open_panel(app, pilot)
        panel.query_one("#status-failed", Checkbox).value = True
        emulator.faults.fail_next.append(("DescribeBuilds", "InvalidFilterException"))
        await pilot.click("#apply")
        message = panel.query_one("#service-error", Static)
        await wait_for(lambda: "rejected the filter" in str(message.content))
        assert panel.is_attached and panel.query_one("#status-failed", Checkbox).value
        assert screen.table.row_count == 20 and screen.build_filter == BuildFilter()


async def test_cli_filter_prefills_and_refresh_drops_finished(emulator: Emulator) -> None:
    seed_history(emulator.world, 30, running=3)
    only_running = BuildFilter(statuses=(BuildStatus.IN_PROGRESS,))
    app = make_app(emulator, 0.2, build_filter=only_running)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        assert screen.table.row_count == 3
        assert "status=in-progress" in top_bar(app)
        emulator.world.advance(3600)
        fresh = new_build(emulator)
        await wait_for(lambda: screen.table.row_ids == [fresh])
        panel = await open_panel(app, pilot)
        assert panel.query_one("#status-in-progress", Checkbox).value
        assert not panel.query_one("#status-failed", Checkbox).value


async def test_search_narrows_and_clears(emulator: Emulator) -> None:
    seed_history(emulator.world, 120, running=2)
    calls_after_load = 0
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        calls_after_load = emulator.count()
        await pilot.press("slash")
        await pilot.press(*"nginx")
        nginx = [
            b.build_id
            for b in screen.index.builds()
            if any("NGINX" in (p.title or "") for p in b.products)
        ]
        await wait_for(lambda: screen.table.row_ids == nginx)
        count = screen.query_one("#search-count", Static)
        assert str(count.content) == f"{len(nginx)} of 120 match"
        search = screen.query_one("#search", Input)
        search.value = "status:failed product:nginx"
        await wait_for(
            lambda: (
                all(
                    screen.index.get(i).raw_status == "Failed"
                    for i in screen.table.row_ids  # type: ignore[union-attr]
                )
                and screen.table.row_count < len(nginx)
            )
        )
        search.value = "colour:red"
        await wait_for(lambda: "unknown column 'colour'" in str(count.content))
        await pilot.press("escape")
        await wait_for(lambda: screen.table.row_count == 120)
        assert emulator.count() == calls_after_load  # search never calls the service
