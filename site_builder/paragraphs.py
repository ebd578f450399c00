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

    Only a few positions are ever asked for (a statement's first figure, a finding), so the
    lines are kept as they are and a character's column is found when it is asked for.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.starts: list[int] = []  # index in the paragraph of each line's first character
        self.lines: list[tuple[int, int, str, bool]] = []  # line, column, its text, has spaces
        self.length = 0

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):  # only integer indexes are used
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("paragraph index out of range")
        n = bisect.bisect_right(self.starts, i) - 1
        line, column, text, spaced = self.lines[n]
        k = i - self.starts[n]
        if spaced:  # the column of the k-th character that is not a space
            for m in _SPACE.finditer(text):  # the few spaces before it move it right
                if m.start() > k:
                    break
                k += 1
        return Pos(self.file, line, column + k)

    def add_line(self, line: int, column: int, text: str, kept: str) -> None:
        """A line of the paragraph starting at `line`:`column`; `kept` is its text without spaces."""
        self.starts.append(self.length)
        self.lines.append((line, column, text, len(kept) != len(text)))
        self.length += len(kept)


_SPACE = re.compile(r"\s")  # the characters str.isspace() and str.split() take for spaces


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
    lines = section.body.split("\n")
    if len(lines) == 1:  # `body: text` on the key's line
        first, column = anchor.line, anchor.column
    else:  # a block `body: |`: its lines start below the key, indented by two
        first, column = anchor.line + 1, (section.pos.column if section.pos else anchor.column) + 2
    out, chars, places = [], [], None
    for n, text in enumerate([*lines, ""]):
        if not text or text.isspace():
            if chars:
                out.append(("".join(chars), places))
            chars, places = [], None
            continue
        places = places if places is not None else Places(anchor.file)
        kept = "".join(text.split())  # str.split() splits at exactly the str.isspace() characters
        chars.append(kept)
        places.add_line(first + n, column, text, kept)
    return tuple(out)
