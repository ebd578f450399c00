"""Run every audit on the loaded site: `audit_document` for one document, `audit_site` for all.

The stages: within-table arithmetic, cross-table identities declared in the profile, prose
against tables and facts (and last year's document), completeness, and sanity checks on names
and magnitudes. Each returns `Finding`s; nothing is ever corrected.
"""

from __future__ import annotations

import dataclasses

from .audit_completeness import audit_completeness
from .audit_identities import audit_identities
from .audit_names import audit_names
from .audit_prose import audit_prose
from .audit_tables import audit_tables
from .audit_text import audit_text
from .findings import Finding, Place
from .loader import collector_paused
from .model import Acknowledgement, Document, Pos, Site
from .problems import WARNING, Problems
from .rule_validation import validate_rules


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
    with collector_paused():  # the audits make no reference cycles; see loader.py
        findings = [
            *audit_tables(doc, settings),
            *audit_identities(doc, settings),
            *audit_prose(doc, previous_document(doc, site), settings),
            *audit_text(doc),
            *audit_completeness(doc, settings),
            *audit_names(doc, site),
        ]
    findings = acknowledge(doc, findings)
    return sorted(findings, key=lambda f: (f.pos.line, f.pos.column, f.rule, f.message))


def acknowledge(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Mark findings the document acknowledges; an acknowledgement matching nothing is reported."""
    out, used = [], set()
    for finding in findings:
        ack = next((a for a in doc.acknowledged if _matches(a, finding)), None)
        if ack:
            used.add(id(ack))
            finding = dataclasses.replace(finding, acknowledged=ack)
        out.append(finding)
    for ack in doc.acknowledged:
        if id(ack) not in used:
            out.append(Finding(
                "ack-unused", WARNING, "completeness", "acknowledged",
                f"acknowledged 里的确认（规则 {ack.rule}）没有对应的检查结果：问题可能已改正，"
                "或规则代码、公开数、涉及文字写得不对；请删除或改正这一条。",
                doc.path, (Place(ack.pos or Pos(doc.path, 1, 1)),)))
    return out


def _matches(ack: Acknowledgement, finding: Finding) -> bool:
    return ack.rule == finding.rule and \
        (ack.published is None or ack.published == finding.published) and \
        (ack.about in finding.message)


def audit_site(site: Site) -> dict[str, list[Finding]]:
    """Findings of every document, keyed by the document's path."""
    return {doc.path: audit_document(doc, site) for doc in site.documents}


def rule_problems(site: Site) -> Problems:
    """Problems in the profiles' `checks:` (unknown rules, tables, columns, facts)."""
    problems = Problems()
    for profile in site.profiles.values():
        validate_rules(profile, problems)
    return problems
