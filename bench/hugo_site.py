"""Prepare the Hugo equivalent of a content folder: bench/hugo/ plus JSON data and page stubs.

Each document becomes data/docs/<department>--<year>.json (tables as header titles and
rows of cells in the profile's column order, prose sections, 绩效目标表) and one content
stub per page: the document page (`<dept>/<year>/_index.md`) and one page per table
(`<dept>/<year>/table-N.md`), the same pages the project's build writes from the same data.
The conversion is preparation, not part of Hugo's measured build.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _leaves(columns: list[dict]) -> list[dict]:
    out = []
    for col in columns:
        out += _leaves(col["children"]) if col.get("children") else [col]
    return out


def profile_tables(path: Path) -> dict[str, dict]:
    """label -> {title, unit, sides: [(key, title, [(column key, header)])]} from a profile file."""
    profile = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)
    tables = {}
    for spec in profile["tables"]:
        sides = spec.get("sides") or [{"key": "rows", "title": "", "columns": spec["columns"]}]
        tables[spec["label"]] = {
            "title": spec["title"], "unit": spec.get("unit", profile["unit"]),
            "sides": [(s["key"], s.get("title", ""),
                       [(c["key"], c.get("title", c["key"])) for c in _leaves(s["columns"])
                        if c.get("role", "amount") in ("amount", "text")]) for s in sides]}
    return tables


def _level(row: dict) -> str:
    if "level" in row:
        return str(row["level"])
    return str(len(row["code"].split())) if row.get("code") else "0"


def document_data(doc: dict, tables: dict[str, dict], unit: str) -> dict:
    """The JSON the Hugo templates read for one document."""
    out = {}
    for label, spec in tables.items():
        given = doc["tables"].get(label, {})
        parts = []
        for key, title, columns in spec["sides"]:
            rows = given.get(key) or []
            parts.append({"title": title, "columns": [c[1].replace("{year}", doc["year"]) for c in columns],
                          "rows": [[_level(r), r.get("code", ""), r.get("name", ""),
                                    *(r.get(c[0], "") for c in columns)] for r in rows]})
        out[label] = {"unit": spec["unit"], "note": given.get("note", ""), "parts": parts}
    perf = doc.get("performance", {})
    perf_tables = [t for t in [perf.get("overall"), *perf.get("projects", [])] if t]
    return {"publisher": doc["meta"]["publisher"], "unit": unit, "tables": out,
            "sections": [{"title": s["title"], "body": s.get("body", "")} for s in doc.get("sections", [])],
            "performance": [{"title": t.get("name") or t["title"], "columns": t.get("columns", []),
                             "rows": [[i.get(c, "") for c in t.get("columns", [])] for i in t.get("indicators", [])]}
                            for t in perf_tables]}


def _stub(path: Path, **front: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
                    + "---\n", encoding="utf-8")


def prepare_hugo_site(content: Path, dest: Path) -> Path:
    """Write the Hugo site for `content` into `dest` (replaced); return `dest`."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(HERE / "hugo", dest)
    shutil.copytree(REPO / "static", dest / "static" / "static")
    profiles = {p.stem: (profile_tables(p), yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)["unit"])
                for p in (content / "profiles").glob("*.yaml")}
    (dest / "data" / "docs").mkdir(parents=True)
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and p.name != "profiles"):
        info = yaml.load((folder / "department.yaml").read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)
        _stub(dest / "content" / folder.name / "_index.md", title=info["name"])
        for path in sorted(folder.glob("[0-9]*-*.yaml")):
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader)
            tables, unit = profiles[doc["profile"]]
            key = f"{folder.name}--{doc['year']}"
            (dest / "data" / "docs" / f"{key}.json").write_text(
                json.dumps(document_data(doc, tables, unit), ensure_ascii=False), encoding="utf-8")
            base = dest / "content" / folder.name / doc["year"]
            _stub(base / "_index.md", title=doc["title"], doc=key)
            for n, (label, spec) in enumerate(tables.items(), 1):
                _stub(base / f"table-{n}.md", title=f"{label} {spec['title'].replace('{year}', doc['year'])}",
                      doc=key, table=label, weight=str(n))
    return dest
