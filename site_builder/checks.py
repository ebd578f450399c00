"""Phase one of `check`, `build` and `serve`: load, then audit the documents' arithmetic.

`check_site` is the one place that decides what a run finds; `cli.failed` decides whether
it blocks. The findings of the last audit are remembered per document so that the pages
(数据核对, the marks on table rows) reuse them instead of auditing again.
"""

from __future__ import annotations

from pathlib import Path

from .audit import audit_document, audit_site, rule_problems
from .findings import Finding
from .loader import load_site
from .model import Document, Site
from .problems import Problem, Problems

__all__ = ["AuditMemo", "audit_document", "audit_site", "check_loaded", "check_site", "collect_problems",
           "document_findings"]

_FINDINGS: dict[str, tuple[Document, list[Finding]]] = {}  # doc.path → (doc, its findings)


class AuditMemo:
    """Findings per department, reused while its documents are the very same objects.

    For the dev server, whose parse cache keeps unchanged documents as the same objects: a
    department is audited again only when one of its documents (or the settings) changed.
    Audits look at one department at a time (its other years), never at other departments.
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[Document, ...], object, dict[str, list[Finding]]]] = {}
        self.audited = 0  # departments audited, for tests

    def audit(self, site: Site) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        for dep in site.departments:
            hit = self.entries.get(dep.slug)
            if hit is None or hit[1] != site.settings or not _same(hit[0], dep.documents):
                hit = (dep.documents, site.settings, {doc.path: audit_document(doc, site) for doc in dep.documents})
                self.entries[dep.slug] = hit
                self.audited += 1
            found.update(hit[2])
        self.entries = {dep.slug: self.entries[dep.slug] for dep in site.departments}
        return found


def _same(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))


def check_site(content: Path, load=None, memo: AuditMemo | None = None) -> tuple[Site | None, list[Problem],
                                                                                   dict[str, list[Finding]]]:
    """Load `content` (with `load` as in `load_site`), check rules, audit; nothing is written."""
    site, problems = load_site(content, load)
    return check_loaded(site, problems, memo)


def check_loaded(site: Site | None, problems: Problems, memo: AuditMemo | None = None) \
        -> tuple[Site | None, list[Problem], dict[str, list[Finding]]]:
    """Audit a loaded site: (site, every problem sorted, findings by document path)."""
    if site is None:
        return None, problems.sorted(), {}
    rules = rule_problems(site)
    problems.extend(rules)
    if rules.errors:  # a broken rule would give meaningless findings
        return site, problems.sorted(), {}
    findings = audit_site(site) if memo is None else memo.audit(site)
    remember(site, findings)
    for found in findings.values():
        problems.extend([f.to_problem(site.settings) for f in found])
    return site, problems.sorted(), findings


def collect_problems(content: Path) -> list[Problem]:
    """Every problem in `content`: format errors first; audits run on loadable content."""
    return check_site(content)[1]


def remember(site: Site, findings: dict[str, list[Finding]]) -> None:
    """Keep the findings of the latest audit of `site` for the pages."""
    for doc in site.documents:  # by path: an edited document replaces its old entry
        _FINDINGS[doc.path] = (doc, findings.get(doc.path, []))


def forget(documents) -> None:
    """Drop the remembered findings of `documents` (a worker moving on to the next department)."""
    for doc in documents:
        _FINDINGS.pop(doc.path, None)


def document_findings(site: Site, doc: Document) -> list[Finding]:
    """The findings of `doc` from the latest audit of a site holding this very object;
    audits `site` when there was none (e.g. `render_site` called without `check_site`)."""
    hit = _FINDINGS.get(doc.path)
    if hit is None or hit[0] is not doc:
        if rule_problems(site).errors:
            return []
        remember(site, audit_site(site))
        hit = _FINDINGS[doc.path]
    return hit[1]
