"""`new`: start next year's document from the latest one, or a new department from a profile.

The draft is last year's file edited in place (its layout and comments survive): every figure
becomes the placeholder 待填 with last year's value in a comment at the end of its line
(`# 2024年：总计 242.02`), prose bodies become 待填 with last year's text commented out above
them, and codes, names, headings and structure stay. The reader refuses a plain 待填 anywhere
(code `to-fill`), so `check` lists exactly what is still to be filled, with file and line, and
a draft can never be published. Last year's figures cost nothing in the model: the site
compares years by matching codes with last year's document, which stays in content/.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from .draft import compose, draft_next_year, scalar, scalar_text
from .loader import DOC_NAME, KINDS, SLUG
from .model import Profile, Side
from .problems import Problems
from .profiles import load_profile
from .reader import PLACEHOLDER
from .yamlsource import decode_bytes

FILE_FOR_KIND = {kind: slug for slug, kind in KINDS.items()}


class ScaffoldError(Exception):
    """A reason `new` cannot go ahead, for the maintainer."""


def run_new(content: Path, department: str, year: int, profile: str | None = None) -> int:
    """`new`: write the draft (and department.yaml for a new department); never overwrite."""
    try:
        created = scaffold(content, department, year, profile)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for path in created:
        print(f"已创建 {path.as_posix()}")
    print(f"下一步：把所有“{PLACEHOLDER}”换成今年公开文件里的内容（原表空白的单元格删掉这个键），"
          "然后运行 python build.py check，直到没有“尚未填写”的提示。")
    return 0


def scaffold(content: Path, department: str, year: int, profile_id: str | None) -> list[Path]:
    """Create the files for `department`/`year`; return the paths created."""
    if not SLUG.match(department):
        raise ScaffoldError(f"部门文件夹名“{department}”只能用小写英文字母、数字和连字符（-），"
                            "例如 wanli-jiedao。")
    if not 1900 <= year <= 2999:
        raise ScaffoldError(f"年份 {year} 不对：应为四位数的年份，例如 2025。")
    folder = content / department
    documents = latest_documents(folder)
    sources = [p for p in documents if int(p.name[:4]) < year]
    if sources:
        return [_next_year(content, sources[-1], year, profile_id)]
    if documents:
        raise ScaffoldError(f"{folder.as_posix()} 里没有比 {year} 年更早的文件可以作为底稿"
                            f"（已有：{'、'.join(p.name for p in documents)}）。")
    if profile_id is None:
        raise ScaffoldError(f"{folder.as_posix()} 里还没有任何年度文件。新部门请用 --profile 指定表样模板，"
                            f"例如：python build.py new {department} {year} --profile xinjiang-11"
                            f"（可用的模板：{'、'.join(_profile_ids(content)) or '没有'}）。")
    return _new_department(content, folder, year, _load_profile(content, profile_id))


def latest_documents(folder: Path) -> list[Path]:
    """Documents of a department folder, oldest first; 预算 sorts after 决算 within a year."""
    if not folder.is_dir():
        return []
    docs = [p for p in folder.iterdir()
            if DOC_NAME.match(p.name) and DOC_NAME.match(p.name).group(2) in KINDS]
    return sorted(docs, key=lambda p: (p.name[:4], p.name.endswith("-yusuan.yaml")))


def _next_year(content: Path, source: Path, year: int, profile_id: str | None) -> Path:
    old_year = int(source.name[:4])
    target = source.with_name(f"{year}{source.name[4:]}")
    if target.exists():
        raise ScaffoldError(_exists(target))
    text = decode_bytes(source.read_bytes())
    try:
        root = compose(text)
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"{source.as_posix()} 不是有效的 YAML，请先用 check 修好它：{exc}") from None
    used = scalar(root, "profile") if isinstance(root, yaml.MappingNode) else None
    if used is None:
        raise ScaffoldError(f"{source.as_posix()} 里没有 profile，无法确定表样模板；请先用 check 修好它。")
    if profile_id and profile_id != used:
        raise ScaffoldError(f"{source.parent.name} 已经使用表样模板“{used}”（{source.name}）；"
                            "--profile 只用于还没有任何文件的新部门。")
    profile = _load_profile(content, used)
    draft = draft_next_year(text, root, profile, old_year, year, source.name)
    _write_new(target, draft)
    return target


# ------------------------------------------------------------------ a new department

def _new_department(content: Path, folder: Path, year: int, profile: Profile) -> list[Path]:
    created = []
    info = folder / "department.yaml"
    if not info.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(info, "# yaml-language-server: $schema=../../schema/department.schema.json\n"
                         f"name: {PLACEHOLDER}  # 部门全称，照公开文件\nshort_name: {PLACEHOLDER}"
                         f"  # 简称\nregion: {PLACEHOLDER}  # 地区，如 新疆昌吉州\n")
        created.append(info)
    target = folder / f"{year}-{FILE_FOR_KIND.get(profile.kind, 'yusuan')}.yaml"
    _write_new(target, skeleton(profile, folder.name, year))
    return [*created, target]


def skeleton(profile: Profile, department: str, year: int) -> str:
    """A document with every table of `profile`, one placeholder row per block."""
    out = ["# yaml-language-server: $schema=../../schema/budget-document.schema.json",
           f"# 由 python build.py new 按表样模板 {profile.id} 生成：所有“{PLACEHOLDER}”都要照公开文件填写。",
           "# 写法见 docs/content-format.md；原表空白的单元格不写这个键。",
           f"profile: {profile.id}", f"department: {department}", f"year: {year}",
           f"kind: {profile.kind}", f"title: {PLACEHOLDER}", "", "meta:",
           f"  publisher: {PLACEHOLDER}", f"  published: {PLACEHOLDER}  # 写成 {year}-02-23", "",
           "tables:"]
    for spec in profile.tables:
        out.append(f"  {spec.label}:  # {spec.title.format(year=year)}")
        for side in spec.sides:
            key = "rows" if len(spec.sides) == 1 else side.key
            total = f"；合计行“{side.total}”照原表放在表头下或表尾" if side.total else ""
            out.append(f"    {key}:  # 照原表逐行填写{total}")
            out += [f"      - {row}" for row in _skeleton_rows(spec.rows, side)]
    out += ["", "sections:", "  - part: 情况说明", f"    title: {PLACEHOLDER}",
            f"    body: {PLACEHOLDER}", ""]
    return "\n".join(out)


def _skeleton_rows(kind: str, side: Side) -> list[str]:
    amounts = ", ".join(f"{scalar_text(k, flow=True)}: {PLACEHOLDER}" for k in side.amount_keys)
    texts = "".join(f", {scalar_text(k, flow=True)}: {PLACEHOLDER}" for k in side.text_keys)
    total = [f"{{name: {scalar_text(side.total, flow=True)}, {amounts}}}"] if side.total else []
    code = f"code: {PLACEHOLDER}, " if side.code_depth else ""
    return [*total, f"{{{code}name: {PLACEHOLDER}{texts}, {amounts}}}"]


# ------------------------------------------------------------------ helpers

def _load_profile(content: Path, profile_id: str) -> Profile:
    path = content / "profiles" / f"{profile_id}.yaml"
    if not path.is_file():
        raise ScaffoldError(f"找不到表样模板“{profile_id}”。content/profiles/ 里有："
                            f"{'、'.join(_profile_ids(content)) or '（没有）'}。")
    problems = Problems()
    profile = load_profile(path, f"{content.name}/profiles/{path.name}", problems)
    if profile is None:
        raise ScaffoldError("表样模板有错误，请先修好：\n" + "\n".join(p.format() for p in problems.sorted()))
    return profile


def _profile_ids(content: Path) -> list[str]:
    return sorted(p.stem for p in (content / "profiles").glob("*.yaml"))


def _write_new(path: Path, text: str) -> None:
    """Create `path`; refuse to overwrite an existing file."""
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(_exists(path)) from None


def _exists(path: Path) -> str:
    return f"{path.as_posix()} 已经存在，不会覆盖。如果要重新生成，请先把它改名或删除。"

