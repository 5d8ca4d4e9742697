"""The footer: the keys of the focused widget and the screen, on one line, as one widget.

Textual's ``Footer`` composes a widget per key and mounts them again whenever the focus
moves, which lays out the screen: 15-25 ms in the frame after ``/`` or ``tab``. This bar
draws the same keys as one line of ``Content`` and repaints only when they change. A click
on a key presses it; hovering shows its tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import events
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


PALETTE_ACTIONS = frozenset({"command_palette", "app.command_palette"})
"""The command palette's key is drawn on the right, as in Textual's footer."""


class Key(NamedTuple):
    """One key as the bar shows it."""

    key: str
    """The key pressed when it is clicked (that of the action's first shown binding)."""
    display: str
    """How the key is written (``^p``, ``/``)."""
    description: str
    enabled: bool
    tooltip: str


class Placed(NamedTuple):
    """Where a key is drawn: cells ``start`` to ``end`` of the line."""

    start: int
    end: int
    key: Key


class KeyBar(Widget, can_focus=False):
    """The keys that work now: the focused widget's first, the command palette's on the
    right. Disabled keys are dimmed."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--disabled",
        "key-bar--separator",
    }
    """
    | Class | Description |
    | :- | :- |
    | `key-bar--key` | A key. |
    | `key-bar--description` | What the key does. |
    | `key-bar--hover` | The key under the mouse pointer. |
    | `key-bar--disabled` | A key that does nothing now. |
    | `key-bar--separator` | The line before the command palette's key. |
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.keys: tuple[Key, ...] = ()
        """The keys shown from the left."""
        self.palette: Key | None = None
        """The command palette's key, shown on the right (None: no palette)."""
        self._placed: list[Placed] = []
        self._hover: Key | None = None

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        """Stop following the screen's bindings."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        keys: dict[str, Key] = {}  # the first binding of each action, as Textual's footer
        palette: Key | None = None
        for _node, binding, enabled, tooltip in screen.active_bindings.values():
            key = Key(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
            )
            if binding.action in PALETTE_ACTIONS:
                palette = palette or key
            elif binding.show:
                keys.setdefault(binding.action, key)
        shown = tuple(keys.values())
        if (shown, palette) != (self.keys, self.palette):
            self.keys, self.palette = shown, palette
            if self._hover not in (*shown, palette):
                self._hover_over(None)
            self.refresh()

    def render(self) -> Content:
        """The keys that fit whole, left to right, and the palette's key at the right edge."""
        width = self.size.width
        right = Content("")
        if self.palette is not None:  # the separator takes the place of the key's left pad
            separator = Content("▏").stylize(
                self.get_visual_style("key-bar--separator", partial=True)
            )
            right = separator + self._label(self.palette)[1:]
        room = max(0, width - right.cell_length)
        placed: list[Placed] = []
        labels: list[Content] = []
        start = 0
        for key in self.keys:
            label = self._label(key)
            if start + label.cell_length > room:
                break  # a key is shown whole or not at all: no hidden part to click
            placed.append(Placed(start, start + label.cell_length, key))
            labels.append(label)
            start += label.cell_length
        if self.palette is not None:
            placed.append(Placed(room + 1, width, self.palette))
        self._placed = placed
        left = Content("").join(labels)
        return Content.assemble(left, " " * (room - start), right).truncate(width)

    def _label(self, key: Key) -> Content:
        label = Content.assemble(
            (f" {key.display} ", self.get_visual_style("key-bar--key", partial=True)),
            (
                f"{key.description} " if key.description else "",
                self.get_visual_style("key-bar--description", partial=True),
            ),
        )
        if not key.enabled:
            label = label.stylize(self.get_visual_style("key-bar--disabled", partial=True))
        if key == self._hover:
            label = label.stylize(self.get_visual_style("key-bar--hover", partial=True))
        return label

    def _key_at(self, x: int) -> Key | None:
        return next((p.key for p in self._placed if p.start <= x < p.end), None)

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (a disabled one rings the bell)."""
        key = self._key_at(event.x)
        if key is None:
            return
        event.stop()
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the pointer and show its tooltip."""
        self._hover_over(self._key_at(event.x))

    def on_leave(self) -> None:
        """Nothing is under the pointer."""
        self._hover_over(None)

    def _hover_over(self, key: Key | None) -> None:
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()
