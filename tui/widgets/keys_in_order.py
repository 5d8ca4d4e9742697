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
goes to the results, at once) is passed on to where the focus is now.
"""

from __future__ import annotations

from typing import cast

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


class KeysInOrder:
    """Runs a text widget's own binding for a key as the key arrives (mixed in before the
    Textual widget, ``class Box(KeysInOrder, Input)``; not a widget itself, so the widget
    keeps its CSS and component classes)."""

    async def _on_key(self, event: events.Key) -> None:
        widget = cast(Widget, self)
        focused = widget.screen.focused
        if focused is not widget and focused is not None and widget.screen.is_current:
            # an earlier key of the same burst moved the focus (enter, escape): the keys
            # after it are for where the focus went, as if each had waited for the last
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))  # as the app does
            return
        if event.is_printable:
            return  # the text widget inserts it
        chain = widget.screen._modal_binding_chain  # what the app looks up the key in
        if not chain or chain[0][0] is not widget:  # not focused: the app decides, as before
            return
        for binding in chain[0][1].key_to_bindings.get(event.key, ()):
            if not binding.priority and await widget.app.run_action(binding.action, widget):
                event.stop()
                event.prevent_default()  # nor the widget's handler, nor the app: it is done
                return


class TextBox(KeysInOrder, Input):
    """A one-line text box (:class:`~textual.widgets.Input`) that keeps the keys' order."""


class TextEditor(KeysInOrder, TextArea):
    """A text editor (:class:`~textual.widgets.TextArea`) that keeps the keys' order."""
