"""The start-build form against the emulator: validated, confirmed, idempotent."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Static

from api import start_request as sr
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded, make_app
from tui.app import MpibApp
from tui.screens.confirm_start import ConfirmStartScreen
from tui.screens.start_build import StartBuildScreen

GOOD = {
    sr.FO_IDS: "fo-ids4xf7qagwyc",
    sr.SOURCE: "ami-58d7e821",
    sr.NAME: "nightly (1)",
    sr.DESCRIPTION: "made by a test",
    sr.SNS: "",
}


async def open_form(app: MpibApp, pilot: object, key: str = "s") -> StartBuildScreen:
    await pilot.press(key)  # type: ignore[attr-defined]
    await wait_for(lambda: isinstance(app.screen, StartBuildScreen))
    form = app.screen
    assert isinstance(form, StartBuildScreen)
    return form


def fill(form: StartBuildScreen, values: dict[str, str]) -> None:
    for name, value in values.items():
        form.field(name).value = value


def error_under(form: StartBuildScreen, name: str) -> str:
    widget = form.query_one(f"#{name}-error", Static)
    return str(widget.content) if widget.display else ""


async def submit(app: MpibApp, pilot: object, form: StartBuildScreen) -> None:
    """ctrl+s to review, then y on the confirmation."""
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await wait_for(lambda: isinstance(app.screen, ConfirmStartScreen))
    await pilot.press("y")  # type: ignore[attr-defined]


def start_calls(emulator: Emulator) -> list[dict[str, object]]:
    return [c.params for c in emulator.calls if c.operation == "StartBuild"]


async def test_valid_submit_creates_one_build_and_selects_it(emulator: Emulator) -> None:
    seed_history(emulator.world, 40)
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        form = await open_form(app, pilot)
        review = form.query_one("#review", Button)
        assert review.disabled
        fill(form, GOOD)
        await wait_for(lambda: not review.disabled)
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, ConfirmStartScreen))
        confirm = app.screen
        assert isinstance(confirm, ConfirmStartScreen)
        assert confirm.request.source_image_id == "ami-58d7e821"
        assert confirm.request.destination_image_name == "nightly (1)"
        await pilot.press("y")
        await wait_for(lambda: app.screen is screen)
        assert len(emulator.world.records) == 41
        new_id = emulator.world.records[-1].build_id
        await wait_for(lambda: screen.table.cursor_id == new_id)
        assert screen.table.row_ids[0] == new_id
        assert len(start_calls(emulator)) == 1
        params = start_calls(emulator)[0]
        assert params["ClientToken"] and params["DestinationImageDescription"] == "made by a test"
        assert "SnsTopicArn" not in params  # blank optional fields are left out


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (sr.FO_IDS, "", "at least one fulfillment option id"),
        (sr.SOURCE, "ami-12345", "is not an AMI id"),
        (sr.SOURCE, "ami-58D7E821", "is not an AMI id"),
        (sr.NAME, "ab", "3 to 128 characters"),
        (sr.NAME, "x" * 129, "3 to 128 characters"),
        (sr.NAME, "web#1", "not '#'"),
        (sr.DESCRIPTION, "d" * 256, "at most 255 characters"),
        (sr.SNS, "arn:aws:sns:us-east-1:123:topic", "is not an SNS topic ARN"),
    ],
)
async def test_each_invalid_field_blocks_review(
    emulator: Emulator, name: str, value: str, message: str
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app)
        form = await open_form(app, pilot)
        fill(form, {**GOOD, name: value})
        await pilot.press("ctrl+s")  # shows every field's problem, touched or not
        await wait_for(lambda: message in error_under(form, name))
        assert form.query_one("#review", Button).disabled
        assert app.screen is form and form.field(name).value == value
        assert start_calls(emulator) == []


async def test_errors_show_as_the_user_types(emulator: Emulator) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app)
        form = await open_form(app, pilot)
        form.field(sr.SOURCE).focus()
        await pilot.press(*"ami-58d7")
        await wait_for(lambda: "is not an AMI id" in error_under(form, sr.SOURCE))
        assert error_under(form, sr.NAME) == ""  # untouched fields stay quiet
        await pilot.press(*"e821")
        await wait_for(lambda: error_under(form, sr.SOURCE) == "")


@pytest.mark.parametrize(
    ("code", "field", "says"),
    [
        ("InvalidFulfillmentOptionIdException", sr.FO_IDS, "does not exist"),
        ("InvalidSourceImageIdException", sr.SOURCE, "not shared with this account"),
        ("InvalidDestinationImageNameException", sr.NAME, "not valid"),
        ("InvalidSnsTopicArnException", sr.SNS, "SNS topic does not exist"),
        ("InstallerMismatchException", sr.SOURCE, "does not support"),
        ("BuildLimitExceededException", None, "Too many builds"),
        ("IdempotentParameterMismatchException", None, "client token was already used"),
        ("UnauthorizedOperationException", None, "AWSMarketplaceImageBuildFullAccess"),
    ],
)
async def test_service_errors_keep_the_form(
    emulator: Emulator, code: str, field: str | None, says: str
) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app)
        form = await open_form(app, pilot)
        fill(form, GOOD)
        emulator.faults.fail_next.append(("StartBuild", code))
        await submit(app, pilot, form)
        where = field or "start"
        await wait_for(lambda: app.screen is form and says in error_under(form, where))
        assert form.values() == GOOD
        assert emulator.world.records == []


async def test_natural_errors_from_the_emulator(emulator: Emulator) -> None:
    """Not injected: an AMI that does not exist, then a Windows AMI for a Linux product."""
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app)
        form = await open_form(app, pilot)
        fill(form, {**GOOD, sr.SOURCE: "ami-0123abcd"})
        await submit(app, pilot, form)
        await wait_for(lambda: "not shared" in error_under(form, sr.SOURCE))
        fill(form, {sr.SOURCE: "ami-0f9e8d7c6b5a49382"})
        await submit(app, pilot, form)
        await wait_for(lambda: "platform" in error_under(form, sr.SOURCE))
        assert form.field(sr.SOURCE).has_focus


async def test_retry_after_500s_reuses_the_token(emulator: Emulator) -> None:
    """A 500 (tests make one attempt per call); the user's retry sends the same token."""
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        form = await open_form(app, pilot)
        fill(form, GOOD)
        emulator.faults.fail_next.append(("StartBuild", "InternalServerErrorException"))
        await submit(app, pilot, form)
        await wait_for(lambda: "internal error" in error_under(form, "start"))
        assert "same request token" in error_under(form, "start")
        await submit(app, pilot, form)
        await wait_for(lambda: app.screen is screen)
        tokens = {c["ClientToken"] for c in start_calls(emulator)}
        assert len(start_calls(emulator)) == 2 and len(tokens) == 1
        assert len(emulator.world.records) == 1


async def test_lost_responses_start_no_second_build(emulator: Emulator) -> None:
    """The emulator creates the build, then drops the answer: offline, retry, one build."""
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        form = await open_form(app, pilot)
        fill(form, GOOD)
        emulator.faults.drop_next["StartBuild"] = 1
        await submit(app, pilot, form)
        await wait_for(lambda: "Cannot reach" in error_under(form, "start"))
        assert len(emulator.world.records) == 1  # created, but the answer never came
        await submit(app, pilot, form)
        await wait_for(lambda: app.screen is screen)
        assert len(emulator.world.records) == 1
        await wait_for(lambda: screen.table.cursor_id == emulator.world.records[0].build_id)


async def test_an_edit_is_a_new_submission_with_a_new_token(emulator: Emulator) -> None:
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app)
        form = await open_form(app, pilot)
        fill(form, GOOD)
        emulator.faults.fail_next.append(("StartBuild", "BuildLimitExceededException"))
        await submit(app, pilot, form)
        await wait_for(lambda: "Too many builds" in error_under(form, "start"))
        fill(form, {sr.NAME: "nightly (2)"})
        await submit(app, pilot, form)
        await wait_for(lambda: len(emulator.world.records) == 1)
        first, second = (c["ClientToken"] for c in start_calls(emulator))
        assert first != second


async def test_clone_prefills_from_the_selected_build(emulator: Emulator) -> None:
    seed_history(emulator.world, 10)
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        source = screen.index.get(screen.table.cursor_id or "")
        assert source is not None
        form = await open_form(app, pilot, key="c")
        values = form.values()
        assert values[sr.FO_IDS] == ", ".join(source.fulfillment_option_ids)
        assert values[sr.SOURCE] == source.source_image.id
        assert values[sr.NAME].startswith(f"{source.destination_image.name}-")
        assert values[sr.NAME] != source.destination_image.name
        assert values[sr.DESCRIPTION] == (source.destination_image.description or "")
        assert not form.query_one("#review", Button).disabled


async def test_read_only_hides_and_refuses(emulator: Emulator) -> None:
    seed_history(emulator.world, 5)
    app = make_app(emulator, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(app)
        await pilot.press("s")
        await wait_for(lambda: any("Read-only" in str(n.message) for n in app._notifications))
        await pilot.press("c")
        assert app.screen is screen
        titles = [title for title, _, _ in screen.palette_commands()]
        assert not any("build" in t.lower() and "start" in t.lower() for t in titles)
        footer_keys = {b.key for _, b, enabled, _ in screen.active_bindings.values() if enabled}
        assert "s" not in footer_keys
        screen.query_one("#search", Input)  # the screen is intact
    assert start_calls(emulator) == []
