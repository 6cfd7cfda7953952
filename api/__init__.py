"""Everything below the UI: model, session, client, domain types, emulator.

Nothing in this package imports Textual or ``tui`` (checked by a test).
"""
