"""`inquiry`: the command line (application layer: reads the settings, calls assistant/).

Errors reach the user as one line on stderr: exit status 2 for a bad argument (it names the
argument and the reason), 1 for anything else that went wrong (missing file, unknown document,
a filter nothing matches, an unreadable or damaged index)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.tuning import STAGES
from ingest.errors import InquiryError
from ui.safety import printable


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: 'inquiry: error: argument --k: ...', exit status 2."""

    def error(self, message: str):
        print(f"inquiry: error: {message}", file=sys.stderr)
        sys.exit(2)


def text_arg(what: str):
    """A question or query: valid UTF-8, not empty."""

    def check(raw: str) -> str:
        for i, ch in enumerate(raw):
            if "\udc80" <= ch <= "\udcff":  # a byte that is not UTF-8 (surrogate escape)
                byte = ord(ch) - 0xDC00
                raise argparse.ArgumentTypeError(
                    f"the {what} is not valid UTF-8 text (byte 0x{byte:02x} at character {i + 1})"
                )
        if not raw.strip():
            raise argparse.ArgumentTypeError(f"the {what} is empty")
        return raw

    return check


def count_arg(lo: int, hi: int):
    """A whole number from lo to hi."""

    def check(raw: str) -> int:
        try:
            n = int(raw)
        except ValueError:
            n = None
        if n is None or not lo <= n <= hi:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {lo} to {hi}, not {raw!r}"
            )
        return n

    return check


def seconds_arg(raw: str) -> float:
    try:
        x = float(raw)
    except ValueError:
        x = -1.0
    if not 0 <= x <= 86400:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be seconds from 0 to 86400, not {raw!r}")
    return x


def year_arg(raw: str) -> int:
    if not (raw.isdigit() and len(raw) == 4):
        raise argparse.ArgumentTypeError(f"must be a four-digit year, not {raw!r}")
    return int(raw)


def _filters(args):
    """Filters from --doc and --year; a filter that matches no indexed document is an error
    (not 'nothing is indexed')."""
    from assistant.retrieve import Filters

    a = _assistant(args)
    docs = a.docs()
    if not docs:
        raise InquiryError(
            f"nothing is indexed in {a.settings.chroma_url or a.settings.home} yet: "
            "run `inquiry ingest FOLDER` first"
        )
    doc_ids = (
        [r.doc_id for d in args.doc for r in a.find_docs(d)] if getattr(args, "doc", None) else None
    )
    years = sorted(set(args.year)) if getattr(args, "year", None) else None
    if years:
        chosen = [d for d in docs if doc_ids is None or d.doc_id in doc_ids]
        have = sorted({int(d.year) for d in chosen if d.year})
        if not set(years) & set(have):
            asked = ", ".join(map(str, years))
            scope = "the documents chosen with --doc are" if doc_ids else "no indexed document is"
            listed = ", ".join(map(str, have)) or "none"
            if doc_ids:
                raise InquiryError(
                    f"--year {asked}: {scope} not from {asked} (their years: {listed})"
                )
            raise InquiryError(f"--year {asked}: {scope} from {asked} (years indexed: {listed})")
    return Filters(doc_ids, years)


def _assistant(args):
    if getattr(args, "_assistant", None) is None:
        from assistant.service import Assistant
        from assistant.settings import Settings

        _check_paths_set()
        overrides = {}
        if getattr(args, "chroma_url", None):
            overrides["chroma_url"] = args.chroma_url
        if getattr(args, "llm", None):
            overrides["llm"] = args.llm
        settings = Settings.from_env(**overrides)
        if getattr(args, "retrieval_off", None):  # `eval --ablate STAGE`: measure without it
            from dataclasses import replace

            off = tuple(dict.fromkeys(settings.retrieval.off + args.retrieval_off))
            try:
                settings.retrieval = replace(settings.retrieval, off=off)
            except ValueError as e:
                raise InquiryError(f"--ablate: {e}") from None
        read_only = args.func in (cmd_docs, cmd_ask, cmd_search, cmd_eval)
        read_only = read_only or args.command == "show"
        args._assistant = Assistant(settings, read_only=read_only)
    return args._assistant


def _check_paths_set() -> None:
    """A path setting exported empty (INQUIRY_HOME="") would mean the current folder."""
    import os
    from dataclasses import fields

    from assistant.settings import Settings

    for f in fields(Settings):
        env = f.metadata["env"]
        if f.type in ("Path", Path) and env in os.environ and not os.environ[env].strip():
            raise InquiryError(f"{env} is set but empty: set it to a folder, or unset it")


def cmd_ingest(args) -> int:
    from ui.reporting import print_plan, print_summary, progress_printer

    a = _assistant(args)
    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise InquiryError(f"{p}: no such file or folder")
    if args.dry_run:
        plan = a.plan(paths, exclude=args.exclude, prune=args.prune, ocr=not args.no_ocr)
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
            ocr=not args.no_ocr,
            on_ocr=progress.on_ocr,
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
    done = _assistant(args).remove(args.doc, delete_file=args.delete_file, wait_s=args.wait)
    print(printable(done.message()))
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
    from index.errors import NotIndexed
    from ui.reporting import format_docs

    try:
        docs = _assistant(args).docs()
    except NotIndexed:
        docs = []
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

    if args.ablate:
        args.retrieval_off = tuple(args.ablate)
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
    p = Parser(prog="inquiry", description=__doc__)
    p.add_argument("--chroma-url", help="Chroma server URL (overrides INQUIRY_CHROMA_URL)")
    p.add_argument("--llm", help="none | openai:MODEL | ollama:MODEL | gguf:PATH")
    sub = p.add_subparsers(dest="command", required=True)

    def ingest_opts(s):
        s.add_argument("--exclude", action="append", default=[], help="glob of files to skip")
        s.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
        s.add_argument("--json", action="store_true", help="machine-readable summary")
        s.add_argument(
            "--no-ocr",
            action="store_true",
            help="do not read scanned PDF pages by OCR (a PDF without a text layer fails)",
        )
        s.add_argument(
            "--wait", type=seconds_arg, default=0.0, help="seconds to wait for another ingest"
        )

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
    s = sub.add_parser(
        "remove",
        help="take one document (id, source, file path or title) out of the index; its file "
        "stays (the next ingest of its folder adds it back) unless --delete-file",
    )
    s.add_argument("doc")
    s.add_argument(
        "--delete-file",
        action="store_true",
        help="also delete the file (only if unchanged since ingest and in its ingested folder)",
    )
    s.add_argument("--wait", type=seconds_arg, default=0.0, help="seconds to wait for an ingest")
    s.set_defaults(func=cmd_remove)
    for name, fn, arg in (("ask", cmd_ask, "question"), ("search", cmd_search, "query")):
        s = sub.add_parser(
            name, help="answer with citations" if name == "ask" else "ranked excerpts"
        )
        s.add_argument(arg, type=text_arg(arg))
        s.add_argument("--json", action="store_true")
        s.add_argument("--k", type=count_arg(1, 100), default=10, help="passages to return")
        s.add_argument("--doc", action="append", help="limit to a document (id/source/title)")
        s.add_argument(
            "--year", action="append", type=year_arg, help="limit to documents of this year"
        )
        s.set_defaults(func=fn)
    s = sub.add_parser("docs", help="what is indexed")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)
    s = sub.add_parser("serve", help="start the Gradio app")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=count_arg(1, 65535), default=None)
    s.add_argument("--ingest-if-empty", action="store_true", help="ingest INQUIRY_CORPUS first")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser("eval", help="measure retrieval and answers on a question set")
    s.add_argument("questions")
    s.add_argument("--out", help="write one JSON result per question")
    s.add_argument("--k", type=count_arg(1, 100), default=5)
    s.add_argument(
        "--ablate",
        action="append",
        default=[],
        metavar="STAGE",
        help="switch a retrieval stage off (repeatable): " + ", ".join(STAGES),
    )
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("config", help="print every setting, its env var and value")
    s.set_defaults(func=cmd_config)
    s = sub.add_parser("users", help="add or update an app login (password stored bcrypt-hashed)")
    s.add_argument("user")
    s.add_argument("--role", choices=["admin", "reviewer", "trainee"], default="trainee")
    s.add_argument("--password", help="prompted for when omitted")
    s.add_argument("--file", default=None, help="users file (default: INQUIRY_USERS)")
    s.set_defaults(func=cmd_users)
    from ui.cli_derived import add_commands
    from ui.cli_show import add_show

    add_commands(sub, _assistant)  # recommendations, findings, timeline, themes
    add_show(sub, _assistant, text_arg, count_arg)
    return p


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import apply_offline_env

    apply_offline_env()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InquiryError as e:
        print(f"inquiry: error: {printable(e)}", file=sys.stderr)
        return 1
    except OSError as e:  # a file we were told to read or write
        where = f"{printable(e.filename)}: " if e.filename else ""
        print(f"inquiry: error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("inquiry: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
