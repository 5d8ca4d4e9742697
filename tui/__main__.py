"""``python -m tui`` is the same as the ``paperview`` command."""

from tui.cli import entry_point

entry_point()
