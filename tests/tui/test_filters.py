"""Filter panel, CLI pre-fill and instant search, against the emulator."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Static

from api.builds import BuildFilter, BuildStatus
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tests.conftest import settings_for, wait_for
from tests.tui.test_builds_screen import loaded, new_build
from tui.app import MpibApp
from tui.screens.builds import BuildsScreen
from tui.screens.filters import FilterScreen


def app_for(
    emulator: Emulator, build_filter: BuildFilter | None = None, refresh: float = 0
) -> MpibApp:
    return MpibApp(
        settings_for(emulator.endpoint), build_filter=build_filter, refresh_seconds=refresh
    )


def top_bar(app: MpibApp) -> str:
    return str(app.screen.query_one("#top-bar", Static).content)


async def open_panel(app: MpibApp, pilot: object) -> FilterScreen:
    await pilot.press("f")  # type: ignore[attr-defined]
    await wait_for(lambda: isinstance(app.screen, FilterScreen))
    panel = app.screen
    assert isinstance(panel, FilterScreen)
    return panel


async def test_each_filter_kind_alone_and_combined(emulator: Emulator) -> None:
    seed_history(emulator.world, 200, running=3)
    records = emulator.world.records
    app = app_for(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        assert screen.table.row_count == 200

        panel = await open_panel(app, pilot)
        panel.query_one("#status-failed", Checkbox).value = True
        panel.query_one("#status-internal-error", Checkbox).value = True
        await pilot.click("#apply")
        await wait_for(lambda: isinstance(app.screen, BuildsScreen))
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
        await wait_for(lambda: isinstance(app.screen, BuildsScreen))
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


async def test_build_and_fo_filters(emulator: Emulator) -> None:
    seed_history(emulator.world, 50)
    target = emulator.world.records[10]
    app = app_for(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        panel = await open_panel(app, pilot)
        panel.query_one("#build-ids", Input).value = target.build_id
        panel.query_one("#fo-ids", Input).value = target.offerings[0].fulfillment_option_id
        await pilot.click("#apply")
        await wait_for(lambda: screen.table.row_ids == [target.build_id])


async def test_malformed_id_keeps_the_form_and_the_table(emulator: Emulator) -> None:
    seed_history(emulator.world, 20)
    app = app_for(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        panel = await open_panel(app, pilot)
        panel.query_one("#build-ids", Input).value = "not-a-build!"
        await pilot.click("#apply")
        error = panel.query_one("#build-ids-error", Static)
        await wait_for(lambda: error.display)
        assert "not a build id: not-a-build!" in str(error.content)
        assert app.screen is panel
        assert panel.query_one("#build-ids", Input).value == "not-a-build!"
        assert screen.table.row_count == 20


async def test_service_rejection_is_shown_in_the_panel(emulator: Emulator) -> None:
    seed_history(emulator.world, 20)
    app = app_for(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        panel = await open_panel(app, pilot)
        panel.query_one("#status-failed", Checkbox).value = True
        emulator.faults.fail_next.append(("DescribeBuilds", "InvalidFilterException"))
        await pilot.click("#apply")
        message = panel.query_one("#service-error", Static)
        await wait_for(lambda: "rejected the filter" in str(message.content))
        assert app.screen is panel and panel.query_one("#status-failed", Checkbox).value
        assert screen.table.row_count == 20 and screen.build_filter == BuildFilter()


async def test_cli_filter_prefills_and_refresh_drops_finished(emulator: Emulator) -> None:
    seed_history(emulator.world, 30, running=3)
    only_running = BuildFilter(statuses=(BuildStatus.IN_PROGRESS,))
    app = app_for(emulator, only_running, refresh=0.2)
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
    app = app_for(emulator)
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
