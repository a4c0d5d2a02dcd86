"""`inquiry recommendations | findings | timeline | themes`: derived knowledge on the command
line (registered by ui/cli.py). Text for people, `--json` and `--csv` for tools."""

from __future__ import annotations

import json

_KINDS = {"recommendations": "recommendation", "findings": "finding"}


def add_commands(sub, assistant_of) -> None:
    """Register the commands on the `inquiry` subparsers; `assistant_of(args)` builds the
    Assistant (ui/cli.py owns configuration)."""

    def derived(args):
        from assistant.derive.service import Derived

        return Derived(assistant_of(args))

    def formats(s):
        g = s.add_mutually_exclusive_group()
        g.add_argument("--json", action="store_true", help="one JSON list of items")
        g.add_argument("--csv", action="store_true", help="CSV with a citation per row")
        s.add_argument("--doc", action="append", help="limit to a report (id/source/title)")
        s.add_argument("--search", help="keep items holding all these words")

    for name in ("recommendations", "findings"):
        s = sub.add_parser(name, help=f"the {name} register of the reports, verbatim and cited")
        formats(s)
        s.set_defaults(func=lambda args, name=name: cmd_register(derived(args), name, args))
    s = sub.add_parser("timeline", help="dated events of the reports, in date order, cited")
    formats(s)
    s.add_argument("--from", dest="date_from", help="earliest date: YYYY, YYYY-MM, YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="latest date: YYYY, YYYY-MM, YYYY-MM-DD")
    s.set_defaults(func=lambda args: cmd_timeline(derived(args), args))
    s = sub.add_parser("themes", help="what each report says about a theme (or that it is silent)")
    s.add_argument("theme", help='a starter theme ("information sharing") or any words')
    g = s.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true")
    g.add_argument("--csv", action="store_true")
    s.add_argument("--docs", nargs="+", help="limit to these reports (id/source/title)")
    s.set_defaults(func=lambda args: cmd_themes(derived(args), args))


def cmd_register(derived, name: str, args) -> int:
    from ui.derived_export import items_csv

    items = derived.register(name, args.doc, args.search)
    if args.json:
        similar = _similar(derived, items) if name == "recommendations" else {}
        rows = [{**i.to_json(), "similar": similar.get(id(i), [])} for i in items]
        print(json.dumps(rows, indent=2))
    elif args.csv:
        print(items_csv(items), end="")
    else:
        print(format_register(items, _KINDS[name]))
    return 0


def _similar(derived, items) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for link in derived.links(items):
        for a, b in ((link.item, link.other), (link.other, link.item)):
            out.setdefault(id(a), []).append(
                {"citation": b.citation(), "number": b.number, "similarity": link.similarity}
            )
    return out


def cmd_timeline(derived, args) -> int:
    from ui.derived_export import items_csv

    items = derived.timeline(args.doc, args.date_from, args.date_to, args.search)
    if args.json:
        print(json.dumps([i.to_json() for i in items], indent=2))
    elif args.csv:
        print(items_csv(items), end="")
    else:
        print(format_timeline(items))
    return 0


def cmd_themes(derived, args) -> int:
    from ui.derived_export import cells_csv

    cells = derived.themes(args.theme, args.docs)
    if args.json:
        print(json.dumps([c.to_json() for c in cells], indent=2))
    elif args.csv:
        print(cells_csv(cells), end="")
    else:
        print(format_themes(cells, args.theme))
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def format_register(items, kind: str) -> str:
    if not items:
        return f"no {kind}s found"
    out, title = [], None
    for i in items:
        if i.title != title:
            title = i.title
            n = sum(1 for x in items if x.title == title)
            if out:
                out.append("")
            out.append(f"{title} ({i.source}): {n} {kind}(s)")
        head = [f"{kind.title()} {i.number}" if i.number else kind.title()]
        if i.para:
            head.append(f"para {i.para}")
        if i.page_text():
            head.append(f"p. {i.page_text()}")
        if i.addressee:
            head.append(f"to: {i.addressee}")
        if i.repeated_at:
            head.append(f"restated at para {', '.join(i.repeated_at)}")
        out += ["", "  " + " · ".join(head), _indent(i.text), f"    — {i.citation()}"]
    return "\n".join(out)


def format_timeline(items) -> str:
    if not items:
        return "no dated events found"
    out = []
    for i in items:
        out += [f"{i.date} ({i.precision})  {i.citation()}", _indent(i.text), ""]
    return "\n".join(out).rstrip()


def format_themes(cells, theme: str) -> str:
    found = sum(1 for c in cells if c.found)
    out = [f'Theme "{theme}": found in {found} of {len(cells)} report(s)']
    for c in cells:
        out.append("")
        if c.found:
            out += [f"  {c.title} ({c.source})", _indent(c.excerpt), f"    — {c.citation()}"]
        else:
            out.append(f"  {c.title} ({c.source}): not found in this report")
    return "\n".join(out)
