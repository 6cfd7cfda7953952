"""Service strings are shown as text: Rich markup literally, control bytes never."""

from __future__ import annotations

from api.emulator import Emulator
from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded, make_app
from tui.screens.detail import DetailScreen

NAME = "[bold red]x[/] [link=https://evil.example]click[/link] \x1b]0;pwned\x07\x1b[2Jend"


async def test_markup_and_escapes_in_names_are_literal(emulator: Emulator) -> None:
    record = emulator.world.add_build(
        offerings=(OFFERINGS_BY_ID["fo-ids4xf7qagwyc"],),
        image=IMAGES_BY_ID["ami-58d7e821"],
        name=NAME,
        description="[blink]desc[/blink]\x07",
        duration=60,
    )
    app = make_app(emulator)
    async with app.run_test(size=(200, 30)) as pilot:
        screen = await loaded(app)
        assert screen.table.move_to(record.build_id)
        row = "".join(s.text for s in screen.table.render_line(1))
        assert "[bold red]x[/] [link=https:" in row
        assert "pwned" not in row and "\x1b" not in row
        links = [s for s in screen.table.render_line(1) if s.style and s.style.link]
        assert links == []
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DetailScreen))
        card = app.screen.query_one("#detail-body")
        text = "\n".join(
            "".join(s.text for s in card.render_line(y)) for y in range(card.size.height)
        )
        assert "[blink]desc[/blink]" in text and "\x07" not in text
        assert "[link=https://evil.example]click[/link]" in text and "pwned" not in text
