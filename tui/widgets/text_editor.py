"""The note editor's text area, apart from the other text boxes: Textual's ``TextArea``
takes some 10 ms to import, which the reader's start-up need not pay (the note editor
imports it when first opened)."""

from __future__ import annotations

from textual.widgets import TextArea

from .keys_in_order import KeysInOrder


class TextEditor(KeysInOrder, TextArea):
    """A text editor (:class:`~textual.widgets.TextArea`) that keeps the keys' order."""
