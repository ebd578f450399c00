"""Large parts of a page (a table's body rows) kept as UTF-8 bytes, drawn once for every page.

A table's rows are most of the HTML of the site and appear on two pages (the document page and
the table's own page). As text, each page copied them several times over (autoescape's Markup,
the template's join, the encoding to UTF-8, which for Chinese text is a loop over every
character). A `Piece` is drawn as UTF-8 once (`table_body`); a template shows only its token,
and `encode` writes the page with the piece's bytes in place of the token. The token holds a
NUL and a random key, so no text of the content can be taken for one.
"""

from __future__ import annotations

import itertools
import re
import secrets
import weakref

_MARK = f"\x00{secrets.token_hex(8)}:"  # the start of every token of this process
_TOKEN = re.compile(f"({re.escape(_MARK)}\\d+\x00)")
_NUMBERS = itertools.count()
# The pieces alive, by token: a piece leaves when the view that drew it is freed.
_LIVE: weakref.WeakValueDictionary[str, Piece] = weakref.WeakValueDictionary()


class Piece:
    """HTML as UTF-8; in a template it shows as its token (`__html__`), false when empty."""

    __slots__ = ("data", "token", "__weakref__")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.token = f"{_MARK}{next(_NUMBERS)}\x00"
        _LIVE[self.token] = self

    def __html__(self) -> str:
        return self.token

    def __bool__(self) -> bool:
        return bool(self.data)


def encode(text: str) -> bytes:
    """A rendered page as UTF-8, each piece's token replaced by the piece's bytes."""
    if _MARK not in text:
        return text.encode("utf-8")
    parts = _TOKEN.split(text)  # text, token, text, …, text
    parts[1::2] = [_LIVE[token].data for token in parts[1::2]]
    parts[::2] = [part.encode("utf-8") for part in parts[::2]]
    return b"".join(parts)
