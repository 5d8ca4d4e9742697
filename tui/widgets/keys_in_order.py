"""Text boxes that apply keys in the order they were typed.

Textual (8.2.8) inserts a typed character in the box's own key handler at once, but runs
one of the box's bound keys (backspace, delete, the arrows, ``ctrl+a``, ``ctrl+k``, ...)
only when the key has bubbled up to the app, a turn of the event loop per widget on the
way. Keys that arrive together (a fast typist, a burst from the terminal, a reader busy
with a million papers) then take effect out of order: ``b a backspace c`` leaves ``ba``,
``ctrl+a x`` puts the ``x`` at the end (Textual issue 6605). These boxes run their own
bound key's action as soon as they get the key, found as the app finds it (after the
app's priority bindings, with the user's keymap), so the next key sees its effect. Keys
bound further up (the screen's, the app's) still go up as before. A key that reaches a
box after an earlier key of the burst moved the focus away (``enter`` in the search bar
goes to the results, at once) is passed on to where the focus is now; one that reaches it
after a later key opened another screen (``ctrl+p``) still acts on the box's screen.
"""

from __future__ import annotations

from typing import cast

from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input


class KeysInOrder:
    """Runs a text widget's own binding for a key as the key arrives (mixed in before the
    Textual widget, ``class Box(KeysInOrder, Input)``; not a widget itself, so the widget
    keeps its CSS and component classes)."""

    async def _on_key(self, event: events.Key) -> None:
        widget = cast(Widget, self)
        screen = widget.screen
        focused = screen.focused
        moved = focused is not None and focused is not widget
        if not moved and event.is_printable:
            return  # the text widget inserts it
        if not moved and screen.is_current:
            if await _run_binding(widget, screen, event.key, own=True):
                event.stop()
                event.prevent_default()  # nor the widget's handler, nor the app: it is done
            return  # a key bound higher up goes up to the app, as before
        # An earlier key of the burst moved the focus (enter, escape), or a later one opened
        # another screen (ctrl+p): this key acts where the focus is on this screen, as it
        # would have in turn. (The app, looking it up later, would use the top screen's.)
        event.stop()
        event.prevent_default()
        if not await _run_binding(widget, screen, event.key, own=False) and moved:
            assert focused is not None
            focused._forward_event(events.Key(event.key, event.character))  # e.g. a character


async def _run_binding(widget: Widget, screen: Screen[object], key: str, *, own: bool) -> bool:
    """Run the binding ``key`` has on ``screen``, found as the app finds it (the focused
    widget's first, then its parents'; with the user's keymap), ``screen.`` actions going to
    ``screen``; ``own``: only the focused widget's. Whether one ran."""
    chain = screen._modal_binding_chain
    if own and (not chain or chain[0][0] is not widget):
        return False  # not focused: the app decides, as before
    for node, bindings in chain[:1] if own else chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            if binding.priority:  # the app ran those before the key came here
                continue
            if await widget.app.run_action(binding.action, node, namespaces={"screen": screen}):
                return True
    return False


class TextBox(KeysInOrder, Input):
    """A one-line text box (:class:`~textual.widgets.Input`) that keeps the keys' order."""
