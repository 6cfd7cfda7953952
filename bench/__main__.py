"""``uv run python -m bench``: every performance figure, in one Markdown table.

Each figure is measured against its peer in the same run where there is one
(the aws CLI, a boto3 loop, Textual's DataTable, a whole-object download),
and checked against the target of the performance issue. The README's
"Performance" section is this output.
"""

from __future__ import annotations

import os
from pathlib import Path


def _bytecode_warning() -> None:
    import textual

    if not (Path(textual.__file__).parent / "__pycache__").is_dir():
        print(
            "note: no .pyc files in the venv (PYTHONDONTWRITEBYTECODE="
            f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}); start-up figures include "
            "compiling every module. Run `uv sync --compile-bytecode` first for real figures."
        )


def main() -> None:
    from bench import big_table, logs, monitor, search
    from bench.rows import table

    _bytecode_warning()
    rows = (
        monitor.process_figures()
        + monitor.tick_figures()
        + big_table.big_table()
        + search.search_keystroke()
        + logs.log_tail()
    )
    print(table(rows))
    failed = [row.figure for row in rows if row.passed is False]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} figures meet their target" if rows else "")


if __name__ == "__main__":
    main()
