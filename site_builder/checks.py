"""Entry point of `check`: load problems, then audit the documents' arithmetic."""

from __future__ import annotations

from pathlib import Path

from .audit import audit_document, audit_site, rule_problems
from .loader import load_site
from .problems import Problem

__all__ = ["audit_document", "audit_site", "collect_problems"]


def collect_problems(content: Path) -> list[Problem]:
    """Every problem in `content`: format errors first; audits run on loadable content."""
    site, problems = load_site(content)
    if site is None:
        return problems.sorted()
    rules = rule_problems(site)
    problems.extend(rules)
    if rules.errors:  # a broken rule would give meaningless findings
        return problems.sorted()
    for findings in audit_site(site).values():
        problems.extend([f.to_problem(site.settings) for f in findings])
    return problems.sorted()
