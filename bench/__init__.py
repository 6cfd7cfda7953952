"""Performance scripts: ``uv run python -m bench`` prints figures and ratios."""
