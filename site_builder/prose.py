"""Markdown prose from the content files → sanitised HTML.

The prose is written by department staff and copied from published PDFs; it is trusted to be
well-meant but not to be safe HTML. Markdown is converted, then nh3 keeps only a short list of
tags and attributes: no <script>, no event handlers, no `javascript:` links, no remote images.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import markdown
import nh3

TAGS = {"p", "br", "strong", "em", "b", "i", "u", "sup", "sub", "ul", "ol", "li", "a",
        "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
        "h3", "h4", "h5", "h6", "hr", "span", "abbr"}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope", "colspan", "rowspan"},
              "td": {"colspan", "rowspan"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_LOCAL = threading.local()  # one converter per thread: a Markdown instance is not re-entrant
# Text that Markdown would only cut into paragraphs: no character that starts inline markup, an
# entity or raw HTML; no line that could open a block (indent, heading, list, quote, rule,
# setext underline, table; a number and a point open a list only with a space after them, as in
# `1. 甲`, not `1.车辆1辆`) or end in a space (two make a line break); no tab, CR or control
# character (Markdown rewrites them). Most prose is like this, and Markdown's inline pass over
# it cost more than the rest of the document page. Two searches (`_not_plain`), each of which the
# regex engine can scan for its first characters alone (one pattern with `^` and `$` was tried
# at every character): a character, and a line's start or end (in the text between newlines).
_MARKUP = re.compile(r"[\\`*_\[\]<>&|!\t\r\x00-\x08\x0b-\x1f\x7f]")
_LINE = re.compile(r"\n(?:[ #>*+\-=_]|\d+\. )| \n")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")  # a paragraph that is one bold heading: **（一）…**
_ITEM = re.compile(r"(\d+)\. (.+)")  # a block that is one item of a numbered list: `1. 甲`


def render_markdown(text: str) -> str:
    """Convert one prose field to safe HTML (empty text → empty string)."""
    if not text or not text.strip():
        return ""
    return _render(text)


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    """Memoised: a department's glossary and wording recur from year to year."""
    html = _paragraphs(text)
    if html is not None:
        # Plain text has nothing the sanitiser removes; it would only write U+00A0 as &nbsp;.
        return html if "\xa0" not in html else sanitise(html)
    converter = getattr(_LOCAL, "converter", None)
    if converter is None:  # building the parser costs as much as converting a section
        converter = _LOCAL.converter = markdown.Markdown(extensions=["tables", "sane_lists"],
                                                         output_format="html")
    return sanitise(converter.reset().convert(text))


def _paragraphs(text: str) -> str | None:
    """What Markdown makes of plain text (a <p> per block, first line left-stripped), of
    whole-paragraph bold headings and of numbered lists with one plain line per item (`1. 甲`,
    as the 上海 documents list their spending); None when the text has anything else."""
    blocks = (text + "\n\n").split("\n\n")
    if not _not_plain(text):  # most prose: paragraphs alone
        return "\n".join(f"<p>{block.lstrip()}</p>" for block in blocks if block.strip())
    out: list[str] = []
    items: list[re.Match] = []  # the list being read
    for block in blocks:
        block = block.lstrip("\n")
        item = _ITEM.fullmatch(block)
        if item and item[2].strip() and not _not_plain(item[2]):
            items.append(item)
            continue
        if items and block.strip():  # blank lines between items do not end a list
            out.append(_ordered_list(items))
            items = []
        bold = _BOLD.fullmatch(block)
        if bold and bold[1] == bold[1].strip() and not _not_plain(bold[1]):
            out.append(f"<p><strong>{bold[1]}</strong></p>")
        elif _not_plain(block):
            return None
        elif block.strip():
            out.append(f"<p>{block.lstrip()}</p>")
    if items:
        out.append(_ordered_list(items))
    return "\n".join(out)


def _not_plain(text: str) -> bool:
    """Whether Markdown could read anything but paragraphs in `text` (see `_MARKUP`)."""
    return _MARKUP.search(text) is not None or _LINE.search(f"\n{text}\n") is not None


def _ordered_list(items: list[re.Match]) -> str:
    """Markdown's <ol> of `_ITEM` blocks: the number of the first is its start (`sane_lists`);
    items apart make a loose list (each text in a <p>), unless there is only one."""
    start = f' start="{items[0][1]}"' if items[0][1] != "1" else ""
    if len(items) == 1:
        return f"<ol{start}>\n<li>{items[0][2].lstrip()}</li>\n</ol>"
    lines = "\n".join(f"<li>\n<p>{item[2].lstrip()}</p>\n</li>" for item in items)
    return f"<ol{start}>\n{lines}\n</ol>"


def render_inline(text: str) -> str:
    """Convert a one-line field (a list item, a definition) without the wrapping <p>."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def sanitise(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes."""
    # No rel is added: target="_blank" is stripped anyway, and rel on an <a> left without an
    # href (after a javascript: URL is removed) is invalid HTML.
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)
