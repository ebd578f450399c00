"""A page drawn in its frame: base.html outside its blocks, drawn once and reused.

A document's table pages (and its 数据核对 page) share everything of base.html but their
blocks: the head, the site header, the breadcrumbs, the footer. Jinja draws that frame again
for every page, with a dozen lookups, escapes and links each time. Here it is drawn once per
distinct `frame_key` (the values base.html reads outside its blocks, links included) as text
with a hole per block, and each page only draws its blocks into the holes: the same blocks,
with the same context, as Jinja's own rendering calls them. A template is drawn this way when
it extends base.html and has nothing but blocks at its top level (an import there would run
only in Jinja's own rendering); `tests/test_frames.py` checks both ways give the same bytes and
that `frame_key` covers what base.html reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jinja2 import Environment, Template, nodes
from jinja2.runtime import Context

BASE = "base.html"
SETTINGS = ("lang", "dev", "description", "site_title", "organisation", "built")  # read outside blocks
LINKS = ("static/site.css", "")  # linked to outside blocks, besides the breadcrumbs
_LIMIT = 1024  # frames kept (one per document's breadcrumbs and page depth; ~2 KB each)


class Frame:
    """base.html's text outside its blocks: `texts[0]`, block `holes[0]`, `texts[1]`, …"""

    __slots__ = ("texts", "holes")

    def __init__(self, drawn: Iterator[str | tuple[str]]) -> None:
        texts, holes, run = [], [], []
        for part in drawn:
            if isinstance(part, tuple):  # a block's hole
                texts.append("".join(run))
                holes.append(part[0])
                run = []
            else:
                run.append(part)
        texts.append("".join(run))
        self.texts, self.holes = tuple(texts), tuple(holes)


def frame_key(context: Mapping[str, Any]) -> tuple:
    """Everything base.html shows outside its blocks (`tests/test_frames.py` keeps this true)."""
    url = context["url"]
    return (*(context.get(name) for name in SETTINGS), *(url(route) for route in LINKS),
            tuple((crumb.title, url(crumb.route)) for crumb in context["page"].breadcrumbs))


def in_frame(env: Environment, template: Template) -> bool:
    """Whether `template` extends base.html with nothing but blocks at its top level (as noted
    by the environment when it compiled the template: `blocks_only`)."""
    return env.framed.get(template.name, False)


def blocks_only(tree: nodes.Template) -> bool:
    """Whether a template's tree extends base.html and has nothing but blocks at its top level."""
    body = tree.body
    return bool(body) and isinstance(body[0], nodes.Extends) and body[0].template == nodes.Const(BASE) \
        and all(isinstance(n, nodes.Block) or _blank(n) for n in body[1:])


def _blank(node: nodes.Node) -> bool:
    """Text outside the blocks of a child template (never shown)."""
    return isinstance(node, nodes.Output) and all(isinstance(n, nodes.TemplateData) for n in node.nodes)


def render_in_frame(env: Environment, template: Template, context: dict) -> str:
    """`template.render(context)`, with base.html's frame drawn once per `frame_key`."""
    base = env.get_template(BASE)
    try:
        key = frame_key(context)
        frame = env.frames.get(key)
        if frame is None:
            if len(env.frames) >= _LIMIT:
                env.frames.clear()
            frame = env.frames[key] = _draw_frame(base, context)
        page = template.new_context(context)
        for name, block in base.blocks.items():  # as the template's root does when it extends base.html
            page.blocks.setdefault(name, []).append(block)
        out = [frame.texts[0]]
        for name, text in zip(frame.holes, frame.texts[1:], strict=True):
            out.append(env.concat(page.blocks[name][0](page)))
            out.append(text)
        return "".join(out)
    except Exception:
        env.handle_exception()  # the template's own file and line in the traceback, as `render` gives


def _draw_frame(base: Template, context: dict) -> Frame:
    frame = base.new_context(context)
    frame.blocks = {name: [_hole(name)] for name in base.blocks}
    return Frame(base.root_render_func(frame))


def _hole(name: str) -> Callable[[Context], Iterator[tuple[str]]]:
    def hole(_context: Context) -> Iterator[tuple[str]]:
        yield (name,)
    return hole
