"""Pieces of a page kept as UTF-8 (`pieces`) are written in place of their tokens, and only theirs."""

from __future__ import annotations

import gc

from site_builder import pieces
from site_builder.pieces import Piece, encode
from site_builder.render import make_environment


def test_a_piece_is_written_in_place_of_its_token():
    rows, empty = Piece("<tr><td>收入 &amp; 支出</td></tr>".encode()), Piece(b"")
    page = make_environment().from_string("<tbody>{{ rows }}</tbody>{{ 'y' if empty else 'n' }}{{ rows }}")
    assert encode(page.render(rows=rows, empty=empty)) == \
        "<tbody><tr><td>收入 &amp; 支出</td></tr></tbody>n<tr><td>收入 &amp; 支出</td></tr>".encode()


def test_text_like_a_token_without_the_key_is_kept():
    piece = Piece(b"x")
    text = f"a\x000:\x00b\x00{piece.token[:-2]}"  # a NUL of the content, a token cut short
    assert encode(text) == text.encode("utf-8")


def test_a_piece_leaves_with_its_owner():
    token = Piece(b"x").token
    gc.collect()
    assert token not in pieces._LIVE
