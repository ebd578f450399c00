"""Entry point of `check`: load problems, then audit the documents' arithmetic."""

from __future__ import annotations

from pathlib import Path

from .loader import load_site
from .problems import Problem


def collect_problems(content: Path) -> list[Problem]:
    """Every problem in `content`: format errors first; audits run on loadable content."""
    site, problems = load_site(content)
    return problems.sorted()
