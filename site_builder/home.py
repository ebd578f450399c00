"""The pages that see the whole site: the home page and the 404 page.

They are made from small summaries (`DocumentCard`, a `Department` without its documents)
rather than from the loaded documents, so a build that renders departments in separate
processes can make them from what each process reports back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from . import urls
from .headlines import Headline, headlines
from .model import Department, Document, Settings, Site
from .pages import Link, Page

LATEST = 12  # documents shown with their headline figures; every document is linked above them


@dataclass(frozen=True)
class DocumentCard:
    """What the home page shows of one document."""

    department: str  # slug
    year: int
    kind: str
    title: str
    published: date | None
    headlines: tuple[Headline, ...]
    route: str


def document_card(doc: Document, with_headlines: bool = True) -> DocumentCard:
    return DocumentCard(doc.department, doc.year, doc.kind, doc.title, doc.meta.published,
                        tuple(headlines(doc)) if with_headlines else (), urls.document_route(doc))


def department_summary(dep: Department, with_headlines=lambda doc: True) -> tuple[Department, tuple[DocumentCard, ...]]:
    """The department without its documents, and a card per document."""
    return replace(dep, documents=()), tuple(document_card(doc, with_headlines(doc)) for doc in dep.documents)


def _latest_first(card: DocumentCard | Document) -> tuple:
    return -card.year, card.kind, card.department


def home_page(settings: Settings, departments: Iterable[tuple[Department, tuple[DocumentCard, ...]]]) -> Page:
    """Every department with links to all its years, then the `LATEST` newest documents with
    their headline figures (a province has thousands: the page must stay light on a phone)."""
    departments = list(departments)
    by_slug = {dep.slug: dep for dep, _ in departments}
    cards = [card for _, found in departments for card in found]
    latest = sorted(cards, key=_latest_first)[:LATEST]
    listed = [(dep, [Link(f"{c.year}年{c.kind}", c.route) for c in sorted(found, key=lambda c: (-c.year, c.kind))])
              for dep, found in departments]
    return Page("", "home.html", settings.title, {
        "settings": settings, "departments": listed,
        "documents": [(card, by_slug[card.department], card.headlines) for card in latest],
        "total": len(cards),
    })


def site_home_page(site: Site) -> Page:
    shown = {id(doc) for doc in sorted(site.documents, key=_latest_first)[:LATEST]}
    return home_page(site.settings, (department_summary(dep, lambda doc: id(doc) in shown)
                                     for dep in site.departments))


def not_found_page(settings: Settings) -> Page:
    return Page("404.html", "404.html", "页面不存在", {"settings": settings}, in_sitemap=False)
