"""`inquiry show CHUNK_ID [--quote TEXT] [--png OUT.png] [--page N]`: one passage as cited
(registered by ui/cli.py). Without --png, the passage's citation and text; with --png, its PDF
page as printed, the quote (default: the passage) highlighted, written as a PNG."""

from __future__ import annotations

import shutil
import sys


def add_show(sub, assistant_of, text_arg, count_arg) -> None:
    """Register `show`; `assistant_of(args)` builds the Assistant (ui/cli.py owns settings)."""
    s = sub.add_parser(
        "show", help="a passage by chunk id; --png writes its PDF page with the quote highlighted"
    )
    s.add_argument("chunk_id", type=text_arg("chunk id"), help="from `ask --json` / `search`")
    s.add_argument("--quote", type=text_arg("quote"), help="text to highlight (default: passage)")
    s.add_argument("--png", metavar="OUT.png", help="write the page image here")
    s.add_argument(
        "--page", type=count_arg(1, 100_000), help="another page of the document (1-based)"
    )
    s.set_defaults(func=lambda args: cmd_show(assistant_of(args), args))


def cmd_show(assistant, args) -> int:
    from ui.common import ocr_note
    from ui.safety import printable

    if args.png is None:
        if args.page is not None:
            print("inquiry: error: --page needs --png", file=sys.stderr)
            return 2
        p = assistant.passage(args.chunk_id)
        ocr = f"  [{ocr_note(p)}]" if p.ocr_pages else ""
        print(printable(p.citation()) + ocr)
        print(p.text)
        return 0
    view = assistant.page_view(args.chunk_id, args.quote, args.page)
    shutil.copyfile(view.png, args.png)
    print(f"wrote {printable(args.png)}: {view.caption()}")
    if view.placed in ("none", "part") and view.page == view.quote_page:
        print(f"inquiry: note: {view.message}", file=sys.stderr)
    return 0
