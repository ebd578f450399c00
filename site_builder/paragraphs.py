"""The prose of a section as paragraphs without spaces, each character with its file position.

The statement parser and the text audits read the same paragraphs; spaces are dropped
(PDF text often has "294.06 万元") but every remaining character still knows its line and
column, worked out only when asked for.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from . import memo
from .model import Pos, Section


class Places(Sequence[Pos]):
    """The file position of each character of a paragraph, made on demand from its lines.

    Only a few positions are ever asked for (a statement's first figure, a finding), and most
    paragraphs are never asked: the lines are laid out when a first position is asked for,
    and a character's column is found when it is asked for.
    """

    def __init__(self, file: str, line: int, column: int, block: str, length: int) -> None:
        self.file = file
        self.line, self.column = line, column  # of the block's first line; all start at `column`
        self.block = block  # the paragraph's lines as written, joined by line breaks
        self.length = length  # characters other than spaces
        self.starts: list[int] = []  # index in the paragraph of each line's first character
        self.lines: list[tuple[int, str, bool]] = []  # line, its text, has spaces

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):  # only integer indexes are used
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("paragraph index out of range")
        if not self.lines:
            self._lay_out()
        n = bisect.bisect_right(self.starts, i) - 1
        line, text, spaced = self.lines[n]
        k = i - self.starts[n]
        if spaced:  # the column of the k-th character that is not a space
            for m in _SPACE.finditer(text):  # the few spaces before it move it right
                if m.start() > k:
                    break
                k += 1
        return Pos(self.file, line, self.column + k)

    def _lay_out(self) -> None:
        length = 0
        for n, text in enumerate(self.block.split("\n")):
            kept = len("".join(text.split()))
            self.starts.append(length)
            self.lines.append((self.line + n, text, kept != len(text)))
            length += kept


_SPACE = re.compile(r"\s")  # the characters str.isspace() and str.split() take for spaces
_BLOCK = re.compile(r"^[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", re.MULTILINE)  # lines not blank


def paragraphs(section: Section) -> list[tuple[str, Places]]:
    """Paragraphs with spaces removed, and the file position of every remaining character."""
    return list(_paragraphs(section))


@memo.forgettable
@functools.lru_cache(maxsize=256)
def _paragraphs(section: Section) -> tuple[tuple[str, Places], ...]:
    # Sections are frozen: the statement parse and audit_text share one split (both run
    # while one document is audited, so a few documents' sections are enough to keep).
    anchor = section.body_pos or section.pos
    if anchor is None:
        return ()
    body = section.body
    if "\n" not in body:  # `body: text` on the key's line
        first, column = anchor.line, anchor.column
    else:  # a block `body: |`: its lines start below the key, indented by two
        first, column = anchor.line + 1, (section.pos.column if section.pos else anchor.column) + 2
    out, line, at = [], first, 0
    for m in _BLOCK.finditer(body):  # a paragraph: lines up to a blank one
        line += body.count("\n", at, m.start())
        at = m.start()
        block = m.group()
        kept = "".join(block.split())  # str.split() splits at exactly the str.isspace() characters
        out.append((kept, Places(anchor.file, line, column, block, len(kept))))
    return tuple(out)
