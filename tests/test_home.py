"""The home page of a big site stays light: every document linked, only the newest with figures."""

from __future__ import annotations

from site_builder import urls
from site_builder.build import RenderSettings, render_page
from site_builder.home import LATEST, DocumentCard, home_page
from site_builder.model import Department, Settings


def department(slug: str, years: range) -> tuple[Department, tuple[DocumentCard, ...]]:
    cards = tuple(DocumentCard(slug, year, "预算", f"{slug} {year}年预算", None, (), f"{slug}/{year}/")
                  for year in years)
    return Department(slug, f"{slug} 局", slug, "", "", ()), cards


def test_only_the_newest_documents_get_cards_but_every_year_is_linked() -> None:
    departments = [department(f"dep-{i:02d}", range(2020, 2025)) for i in range(10)]
    page = home_page(Settings("预算公开", "某州财政局"), departments)
    shown = [card for card, _dep, _items in page.context["documents"]]
    assert len(shown) == LATEST < 50
    assert [c.year for c in shown] == [2024] * 10 + [2023] * 2
    assert [c.department for c in shown[:3]] == ["dep-00", "dep-01", "dep-02"]
    html = render_page(page, RenderSettings(urls.Urls("/", "", False))).decode()
    assert html.count('href="dep-07/2020/"') == 1  # the oldest year is still one click away
    assert f"最近的 {LATEST} 份文件；全部 50 份" in html
    assert '<a href="#latest-title">最新公开</a>' in html  # a long department list can be skipped
