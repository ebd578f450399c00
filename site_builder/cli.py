"""The command line: parse arguments and hand over to one stage per verb."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import ERROR, NOTE, WARNING, Problem, problems_to_json

VERBS = ("build", "check", "serve", "new", "schema")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="部门预算公开网站生成器")
    verbs = parser.add_subparsers(dest="verb")

    build = verbs.add_parser("build", help="构建网站（默认）")
    _content(build)
    build.add_argument("--output", type=Path, default=Path("output"), help="输出文件夹（默认 output）")
    build.add_argument("--base-url", default=None, help="网站路径前缀，如 /budget-site/")
    build.add_argument("--file-links", action="store_true",
                       help="链接写到 index.html，便于直接双击打开（file://）浏览，不经网站服务器")
    build.add_argument("--strict", action="store_true", help="有警告也算失败")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="同时构建的进程数（默认：CPU 核数）")
    build.add_argument("--no-cache", action="store_true",
                       help="不用上次构建的缓存（缓存在输出文件夹旁的 .<输出文件夹名>-cache，可随时删除）")

    check = verbs.add_parser("check", help="检查内容文件，不生成网站")
    _content(check)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="有警告也算失败")

    serve = verbs.add_parser("serve", help="本地预览，保存文件后自动刷新")
    _content(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--output", type=Path, default=None, help="预览用的输出文件夹")

    new = verbs.add_parser("new", help="从最近一年的文件生成新一年的草稿")
    _content(new)
    new.add_argument("department")
    new.add_argument("year", type=int)
    new.add_argument("--profile", default=None, help="新部门使用的表样模板")

    schema = verbs.add_parser("schema", help="重新生成 JSON Schema（供 VS Code 使用）")
    _content(schema)
    schema.add_argument("--output", type=Path, default=Path("schema"), help="输出文件夹（默认 schema）")
    return parser


def _content(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--content", type=Path, default=Path("content"), help="内容文件夹（默认 content）")


def main(argv: list[str] | None = None) -> int:
    """Run one verb; return the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in VERBS and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = make_parser().parse_args(argv)
    if args.verb == "check":
        return run_check(args.content, args.format, args.strict)
    if args.verb == "schema":
        from .schema import write_schema
        write_schema(args.content, args.output)
        print(f"已写入 {args.output}")
        return 0
    if args.verb == "build":
        from .build import run_build
        return run_build(args.content, args.output, args.base_url, args.strict, args.file_links,
                         args.jobs, not args.no_cache)
    if args.verb == "serve":
        from .serve import run_serve
        return run_serve(args.content, args.output, args.host, args.port)
    from .scaffold import run_new
    return run_new(args.content, args.department, args.year, args.profile)


def run_check(content: Path, fmt: str = "text", strict: bool = False) -> int:
    """`check`: load and audit all content, print every problem, exit 1 if any blocks."""
    from .pipeline import check_departments, default_jobs
    problems = check_departments(content, default_jobs())
    if fmt == "json":
        print(problems_to_json(problems))
    else:
        print_problems(problems)
    return 1 if failed(problems, strict) else 0


def failed(problems: list[Problem], strict: bool) -> bool:
    """Errors fail; with --strict warnings fail too, except rounding (site setting `blocking`)."""
    return any(p.severity == ERROR for p in problems) or \
        (strict and any(p.severity == WARNING and p.kind != "rounding" for p in problems))


def print_problems(problems: list[Problem], stream=None) -> None:
    """Print problems grouped by file, then a summary count."""
    stream = stream or sys.stdout
    current = None
    for p in problems:
        if p.file != current:
            if current is not None:
                print(file=stream)
            current = p.file
        print(f"{p.format()} [{p.code}]", file=stream)
    errors = sum(p.severity == ERROR for p in problems)
    notes = sum(p.severity == NOTE for p in problems)
    if problems:
        print(file=stream)
    summary = f"检查完成：{errors} 个错误，{len(problems) - errors - notes} 个警告"
    if notes:
        summary += f"，{notes} 个已确认的原文问题（照原样公开，不阻止构建）"
    print(summary + "。", file=stream)
