"""`inquiry`: the command line (application layer: reads the settings, calls assistant/). Errors
reach the user as one clear line and exit status 1."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ingest.errors import InquiryError


def _filters(args):
    from assistant.retrieve import Filters

    doc_ids = None
    if getattr(args, "doc", None):
        a = _assistant(args)
        doc_ids = [a.find_doc(d).doc_id for d in args.doc]
    years = [int(y) for y in args.year] if getattr(args, "year", None) else None
    return Filters(doc_ids, years)


def _assistant(args):
    if getattr(args, "_assistant", None) is None:
        from assistant.service import Assistant
        from assistant.settings import Settings

        overrides = {}
        if getattr(args, "chroma_url", None):
            overrides["chroma_url"] = args.chroma_url
        if getattr(args, "llm", None):
            overrides["llm"] = args.llm
        args._assistant = Assistant(Settings.from_env(**overrides))
    return args._assistant


def cmd_ingest(args) -> int:
    from ui.reporting import print_plan, print_summary, progress_printer

    a = _assistant(args)
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise InquiryError(f"{p}: no such file or folder")
    if args.dry_run:
        plan = a.plan(paths, exclude=args.exclude, prune=args.prune)
        print(json.dumps(plan.to_json(), indent=2) if args.json else print_plan(plan))
        return 0
    import time

    t0 = time.perf_counter()
    with progress_printer(enabled=not args.json) as progress:
        plan, embedded = a.ingest(
            paths,
            exclude=args.exclude,
            prune=args.prune,
            wait_s=args.wait,
            progress=progress.on_item,
            on_plan=progress.on_plan,
            on_embed=progress.on_embed,
        )
    seconds = time.perf_counter() - t0
    if args.json:
        from index.sync import summary_json

        print(summary_json(plan, seconds, embedded))
    else:
        print(print_summary(plan, seconds, embedded))
    return 1 if plan.of("failed") else 0


def cmd_sync(args) -> int:
    args.paths, args.prune = [args.folder], True
    return cmd_ingest(args)


def cmd_remove(args) -> int:
    rec = _assistant(args).remove(args.doc, wait_s=args.wait)
    print(f"removed {rec.title} ({rec.source}, {rec.chunks} chunks)")
    return 0


def cmd_ask(args) -> int:
    from ui.reporting import format_answer

    a = _assistant(args)
    answer = a.ask(args.question, k=args.k, filters=_filters(args))
    print(json.dumps(answer.to_json(), indent=2) if args.json else format_answer(answer))
    return 0


def cmd_search(args) -> int:
    from ui.reporting import format_passages

    passages = _assistant(args).search(args.query, k=args.k, filters=_filters(args))
    if args.json:
        print(json.dumps([p.to_json() for p in passages], indent=2))
    else:
        print(format_passages(passages))
    return 0


def cmd_docs(args) -> int:
    from ui.reporting import format_docs

    docs = _assistant(args).docs()
    if args.json:
        from index.reports import group_reports

        print(json.dumps(group_reports(docs), indent=2))  # reports, each with its parts
    else:
        print(format_docs(docs))
    return 0


def cmd_serve(args) -> int:
    from ui.app import serve

    serve(_assistant(args), host=args.host, port=args.port, ingest_if_empty=args.ingest_if_empty)
    return 0


def cmd_eval(args) -> int:
    from assistant.evaluate import run_eval

    run_eval(_assistant(args), Path(args.questions), Path(args.out) if args.out else None, k=args.k)
    return 0


def cmd_config(args) -> int:
    from assistant.settings import Settings

    for env, value, desc in Settings.from_env().describe():
        print(f"{env:22} = {value:24}  {desc}")
    return 0


def cmd_users(args) -> int:
    from ui.auth import add_user

    path = add_user(args.file, args.user, args.role, args.password)
    print(f"saved {args.user} ({args.role}) to {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="inquiry", description=__doc__)
    p.add_argument("--chroma-url", help="Chroma server URL (overrides INQUIRY_CHROMA_URL)")
    p.add_argument("--llm", help="none | openai:MODEL | ollama:MODEL | gguf:PATH")
    sub = p.add_subparsers(dest="command", required=True)

    def ingest_opts(s):
        s.add_argument("--exclude", action="append", default=[], help="glob of files to skip")
        s.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
        s.add_argument("--json", action="store_true", help="machine-readable summary")
        s.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another ingest")

    s = sub.add_parser(
        "ingest", help="add new, update changed files (PDF, DOCX, HTML, MD, RST, TXT)"
    )
    s.add_argument("paths", nargs="+")
    s.add_argument("--prune", action="store_true", help="also remove documents deleted from PATH")
    ingest_opts(s)
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("sync", help="mirror a folder: add, update and remove")
    s.add_argument("folder")
    ingest_opts(s)
    s.set_defaults(func=cmd_sync)
    s = sub.add_parser("remove", help="remove one document (id, source path or title)")
    s.add_argument("doc")
    s.add_argument("--wait", type=float, default=0.0)
    s.set_defaults(func=cmd_remove)
    for name, fn, arg in (("ask", cmd_ask, "question"), ("search", cmd_search, "query")):
        s = sub.add_parser(
            name, help="answer with citations" if name == "ask" else "ranked excerpts"
        )
        s.add_argument(arg)
        s.add_argument("--json", action="store_true")
        s.add_argument("--k", type=int, default=10, help="passages to return")
        s.add_argument("--doc", action="append", help="limit to a document (id/source/title)")
        s.add_argument("--year", action="append", help="limit to documents of this year")
        s.set_defaults(func=fn)
    s = sub.add_parser("docs", help="what is indexed")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)
    s = sub.add_parser("serve", help="start the Gradio app")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=int, default=None)
    s.add_argument("--ingest-if-empty", action="store_true", help="ingest INQUIRY_CORPUS first")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser("eval", help="measure retrieval and answers on a question set")
    s.add_argument("questions")
    s.add_argument("--out", help="write one JSON result per question")
    s.add_argument("--k", type=int, default=5)
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("config", help="print every setting, its env var and value")
    s.set_defaults(func=cmd_config)
    s = sub.add_parser("users", help="add or update an app login (password stored bcrypt-hashed)")
    s.add_argument("user")
    s.add_argument("--role", choices=["admin", "reviewer", "trainee"], default="trainee")
    s.add_argument("--password", help="prompted for when omitted")
    s.add_argument("--file", default=None, help="users file (default: INQUIRY_USERS)")
    s.set_defaults(func=cmd_users)
    return p


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import apply_offline_env

    apply_offline_env()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InquiryError as e:
        print(f"inquiry: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # a file we were told to read or write
        where = f"{e.filename}: " if e.filename else ""
        print(f"inquiry: error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("inquiry: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
