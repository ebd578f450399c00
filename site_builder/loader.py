"""Load `content/` into the model: site settings, profiles, departments and documents.

Layout (see README):
    content/site.yaml                       site settings
    content/profiles/<id>.yaml              table templates
    content/<department>/department.yaml    the department's name
    content/<department>/<year>-yusuan.yaml 预算 (决算: <year>-juesuan.yaml)
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .model import (
    Acknowledgement,
    Department,
    Document,
    Facts,
    Meta,
    Overview,
    Performance,
    Profile,
    Section,
    Settings,
    Site,
    Term,
    zh,
)
from .problems import ContentError, Problems
from .profiles import load_profile
from .reader import Reader, read_root
from .tables import read_tables
from .yamlsource import Node

KINDS = {"yusuan": "预算", "juesuan": "决算"}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOC_NAME = re.compile(r"^(\d{4})-([a-z]+)\.yaml$")
DOC_KEYS = ["profile", "department", "year", "kind", "title", "meta", "overview", "tables",
            "sections", "facts", "performance", "glossary", "glossary_numbering", "acknowledged"]


@dataclass(frozen=True)
class DepartmentInfo:
    name: str = field(metadata=zh("部门全称"))
    short_name: str = field(default="", metadata=zh("简称"))
    region: str = field(default="", metadata=zh("地区", "如 新疆昌吉州、上海市普陀区"))
    description: str = field(default="", metadata=zh("简介"))


def load_site(content: Path, load=None) -> tuple[Site | None, Problems]:
    """Load everything under `content`; return the site (None on errors) and all problems.

    `load` replaces `load_document` (same signature); the dev server passes a cache, whose
    `department_info` method (if it has one) also replaces reading each department.yaml.
    """
    problems = Problems()
    content = content.resolve()
    settings, profiles = load_shared(content, problems)
    departments = []
    with collector_paused():
        for slug in department_folders(content):
            dep = load_department(content, content / slug, profiles, problems, load or load_document)
            if dep:
                departments.append(dep)
    if problems.errors or settings is None:
        return None, problems
    return Site(settings, profiles, tuple(departments)), problems


def load_shared(content: Path, problems: Problems) -> tuple[Settings | None, dict[str, Profile]]:
    """site.yaml and the profiles: what every department is read and checked with."""
    settings = _read_object(content, content / "site.yaml", Settings, "网站设置", problems)
    return settings, _load_profiles(content, problems)


def department_folders(content: Path) -> list[str]:
    """The department folders of `content`: every folder but `profiles` and hidden ones."""
    return sorted(p.name for p in content.iterdir()
                  if p.is_dir() and p.name != "profiles" and not p.name.startswith((".", "_")))


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while the model is built.

    The model holds no reference cycles, yet each collection rescans every object built so
    far, so the pauses grow with the site: at 1,000 documents they were 60 % of the load
    (119.8 s → 47.6 s CPU without them, bench/README.md). Cycles made meanwhile are
    collected as usual once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_site_or_raise(content: Path) -> Site:
    site, problems = load_site(content)
    if site is None:
        raise ContentError(problems.sorted())
    return site


def _load_profiles(content: Path, problems: Problems) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for path in sorted((content / "profiles").glob("*.yaml")):
        rel = _rel(content, path)
        if not _inside(content, path, rel, problems):
            continue
        profile = load_profile(path, rel, problems)
        if profile is None:
            continue
        if profile.id != path.stem:
            problems.add(rel, 1, 1, "profile-id", f"表样模板的 id“{profile.id}”应与文件名“{path.stem}”一致。")
        profiles[profile.id] = profile
    return profiles


def load_department(content: Path, folder: Path, profiles: dict[str, Profile],
                    problems: Problems, load=None) -> Department | None:
    """One department folder: department.yaml and its documents (`load`: how to read each)."""
    rel_folder = _rel(content, folder)
    if not SLUG.match(folder.name):
        problems.add(rel_folder, 1, 1, "bad-slug",
                     f"部门文件夹名“{folder.name}”只能用小写英文字母、数字和连字符（-），"
                     "例如 wanli-jiedao；它会成为网址的一部分。")
        return None
    read_info = getattr(load, "department_info", None) or department_info
    info = read_info(content, folder / "department.yaml", problems)
    documents = []
    folder_inside = folder.resolve().is_relative_to(content)
    for path in sorted(folder.iterdir()):
        if path.name == "department.yaml":
            continue
        rel = _rel(content, path)
        if path.suffix in (".yml", ".YAML", ".Yaml") or (path.suffix == ".yaml" and not DOC_NAME.match(path.name)):
            problems.add(rel, 1, 1, "bad-filename",
                         f"文件名“{path.name}”不符合约定：应为 年份-种类.yaml，如 2024-yusuan.yaml"
                         "（预算 yusuan，决算 juesuan）。")
            continue
        if path.suffix != ".yaml" or not _inside(content, path, rel, problems, folder_inside):
            continue
        doc = (load or load_document)(path, rel, folder.name, profiles, problems)
        if doc:
            documents.append(doc)
    if info is None:
        return None
    documents.sort(key=lambda d: (d.year, d.kind))
    return Department(folder.name, info.name, info.short_name or info.name, info.region,
                      info.description, tuple(documents))


def load_document(path: Path, rel: str, slug: str, profiles: dict[str, Profile],
                  problems: Problems) -> Document | None:
    """Read one document file into a Document; problems are collected."""
    match = DOC_NAME.match(path.name)
    root = read_root(path, rel, problems, "")
    r = Reader(rel, problems)
    if root is None:
        return None
    if r.mapping(root, "文件") is None:
        return None
    before = len(problems.errors)
    r.check_keys(root, DOC_KEYS, "文件")
    e = root.entries
    for key in ("profile", "department", "year", "kind", "title", "meta", "tables"):
        if key not in e:
            r.error(root, "missing-field", f"文件：缺少必填项 {key}。")
    if len(problems.errors) > before:
        return None
    profile = _profile(r, e["profile"], profiles)
    year = r.integer(e["year"], "year")
    kind = r.text(e["kind"], "kind")
    department = r.text(e["department"], "department")
    _check_place(r, e, match, slug, year, kind, department)
    if profile is None or year is None:
        return None
    r.decimals = profile.decimals
    doc = Document(
        path=rel, profile=profile, department=slug, year=year, kind=kind or "",
        title=r.text(e["title"], "title") or "",
        meta=r.dataclass(e["meta"], Meta, "meta"),
        overview=_optional(r, e, "overview", Overview) or Overview(),
        tables=read_tables(r, e["tables"], profile, year),
        sections=_optional(r, e, "sections", tuple[Section, ...]) or (),
        facts=_optional(r, e, "facts", Facts) or Facts(),
        performance=_optional(r, e, "performance", Performance) or Performance(),
        glossary=_optional(r, e, "glossary", tuple[Term, ...]) or (),
        glossary_numbering=_optional(r, e, "glossary_numbering", str) or "一、",
        acknowledged=_optional(r, e, "acknowledged", tuple[Acknowledgement, ...]) or (),
    )
    return None if len(problems.errors) > before else doc


def _optional(r: Reader, entries: dict[str, Node], key: str, hint):
    if key not in entries or entries[key].is_null:
        return None
    return r.value(entries[key], hint, key)


def _profile(r: Reader, node: Node, profiles: dict[str, Profile]) -> Profile | None:
    pid = r.text(node, "profile")
    if pid is None:
        return None
    if pid not in profiles:
        known = "、".join(sorted(profiles)) or "（没有）"
        r.error(node, "unknown-profile",
                f"profile：找不到表样模板“{pid}”。content/profiles/ 里有：{known}。")
        return None
    return profiles[pid]


def _check_place(r: Reader, e: dict[str, Node], match, slug: str, year: int | None,
                 kind: str | None, department: str | None) -> None:
    """The file's folder and name must agree with what it says inside."""
    if department is not None and department != slug:
        r.error(e["department"], "wrong-department",
                f"department 写的是“{department}”，但文件在文件夹“{slug}”里：两者必须一致。")
    if match and year is not None and int(match.group(1)) != year:
        r.error(e["year"], "wrong-year",
                f"year 写的是 {year}，但文件名是 {match.group(0)}：两者必须一致。")
    if match and kind is not None:
        expected = KINDS.get(match.group(2))
        if expected is None:
            r.error(e["kind"], "wrong-kind",
                    f"文件名里的种类“{match.group(2)}”不认识：预算用 yusuan，决算用 juesuan。")
        elif kind != expected:
            r.error(e["kind"], "wrong-kind",
                    f"kind 写的是“{kind}”，但文件名表示“{expected}”：两者必须一致。")


def department_info(content: Path, path: Path, problems: Problems) -> DepartmentInfo | None:
    """A department's department.yaml."""
    return _read_object(content, path, DepartmentInfo, "部门信息", problems)


def _read_object(content: Path, path: Path, cls, what: str, problems: Problems):
    rel = _rel(content, path)
    if not path.exists():
        problems.add(rel, 1, 1, "missing-file", f"缺少{what}文件 {rel}。")
        return None
    if not _inside(content, path, rel, problems):
        return None
    root = read_root(path, rel, problems, what)
    return None if root is None else Reader(rel, problems).dataclass(root, cls, what)


def _inside(content: Path, path: Path, rel: str, problems: Problems, folder_inside: bool = False) -> bool:
    """Refuse files (typically symlinks) that resolve outside the content folder.

    `folder_inside`: the file's folder is known to resolve inside, so a file that is not a
    link is inside too (no `resolve()` per file: the dev server checks every file per save)."""
    if folder_inside and not path.is_symlink():
        return True
    if path.resolve().is_relative_to(content):
        return True
    problems.add(rel, 1, 1, "outside-content",
                 f"{rel} 指向 content 文件夹以外的位置（{path.resolve()}），出于安全不读取。")
    return False


def _rel(content: Path, path: Path) -> str:
    return (Path(content.name) / path.relative_to(content)).as_posix()
