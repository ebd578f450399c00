"""Run every audit on the loaded site: `audit_document` for one document, `audit_site` for all.

The stages: within-table arithmetic, cross-table identities declared in the profile, prose
against tables and facts (and last year's document), completeness, and sanity checks on names
and magnitudes. Each returns `Finding`s; nothing is ever corrected.
"""

from __future__ import annotations

from .audit_completeness import audit_completeness
from .audit_identities import audit_identities
from .audit_names import audit_names
from .audit_prose import audit_prose
from .audit_tables import audit_tables
from .audit_text import audit_text
from .findings import Finding
from .model import Document, Site
from .problems import Problems
from .rules import validate_rules


def previous_document(doc: Document, site: Site) -> Document | None:
    """The same department's document of the same kind for the year before, if present."""
    for dep in site.departments:
        for other in dep.documents:
            if other.department == doc.department and other.kind == doc.kind \
                    and other.year == doc.year - 1:
                return other
    return None


def audit_document(doc: Document, site: Site) -> list[Finding]:
    """All findings for one document, sorted by place."""
    settings = site.settings
    findings = [
        *audit_tables(doc, settings),
        *audit_identities(doc, settings),
        *audit_prose(doc, previous_document(doc, site), settings),
        *audit_text(doc),
        *audit_completeness(doc, settings),
        *audit_names(doc, site),
    ]
    return sorted(findings, key=lambda f: (f.pos.line, f.pos.column, f.rule, f.message))


def audit_site(site: Site) -> dict[str, list[Finding]]:
    """Findings of every document, keyed by the document's path."""
    return {doc.path: audit_document(doc, site) for doc in site.documents}


def rule_problems(site: Site) -> Problems:
    """Problems in the profiles' `checks:` (unknown rules, tables, columns, facts)."""
    problems = Problems()
    for profile in site.profiles.values():
        validate_rules(profile, problems)
    return problems
