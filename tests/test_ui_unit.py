"""Unit tests for the app's pure parts: logins, uploads, escaping, exports, chat rendering."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timezone

import pytest

from assistant.types import ANSWERED, INSUFFICIENT, Answer, Citation, Passage
from ingest.errors import ConfigError, InquiryError

pytestmark = pytest.mark.unit


def passage(**kw) -> Passage:
    base = dict(
        chunk_id="c1",
        doc_id="d1",
        source="horizon/vol1.pdf",
        title="Post Office Horizon IT Inquiry, Volume 1",
        text="The Post Office knew of bugs in Horizon. It did not disclose them.",
        page=12,
        page_label="12",
        para="3.41",
        section="Knowledge of bugs",
        score=0.8312,
        rank=1,
    )
    base.update(kw)
    return Passage(**base)


# -- auth --------------------------------------------------------------------------------------
@pytest.fixture
def fast_bcrypt(monkeypatch):
    import ui.auth as auth

    monkeypatch.setattr(auth, "_ROUNDS", 4)


def test_hash_and_verify(fast_bcrypt):
    from ui.auth import hash_password, verify_password

    h = hash_password("correct horse")
    assert h.startswith("$2") and "correct horse" not in h
    assert verify_password("correct horse", h)
    assert not verify_password("wrong horse!", h)
    assert not verify_password("", h)
    assert not verify_password("x" * 100, h)  # over bcrypt's 72 bytes: refused, not truncated
    assert not verify_password("correct horse", "not-a-hash")


def test_password_rules():
    from ui.auth import hash_password

    with pytest.raises(InquiryError, match="too short"):
        hash_password("short")
    with pytest.raises(InquiryError, match="too long"):
        hash_password("é" * 40)


def test_add_user_writes_only_hashes(tmp_path, fast_bcrypt):
    from ui.auth import UserStore, add_user

    f = tmp_path / "sub" / "users.txt"
    assert add_user(str(f), "alice", "admin", "alice-secret-1") == f
    add_user(str(f), "bob", "reviewer", "bob-secret-22")
    add_user(str(f), "carol", "trainee", "carol-secret-3")
    add_user(str(f), "bob", "trainee", "bob-secret-new")  # update, not duplicate
    text = f.read_text()
    assert "secret" not in text
    assert text.count("bob:") == 1
    assert (f.stat().st_mode & 0o777) == 0o600
    store = UserStore(f)
    assert store.authenticate("alice", "alice-secret-1")
    assert not store.authenticate("alice", "bob-secret-22")
    assert not store.authenticate("nobody", "alice-secret-1")
    assert store.authenticate("bob", "bob-secret-new")
    assert store.role_of("alice") == "admin"
    assert store.role_of("bob") == "trainee"
    assert store.role_of("carol") == "trainee"
    assert store.role_of("nobody") is None


def test_roles_and_open_mode(tmp_path, fast_bcrypt):
    from ui.auth import UserStore, add_user, is_admin, role_for

    f = add_user(str(tmp_path / "u.txt"), "root", "admin", "root-password")
    add_user(str(f), "rev", "reviewer", "rev-password")
    store = UserStore(f)
    assert is_admin(store, "root")
    assert not is_admin(store, "rev")
    assert not is_admin(store, None)
    assert role_for(None, None) == "trainee"  # open mode: read-only
    assert not is_admin(None, "root")


def test_bad_user_or_role(tmp_path):
    from ui.auth import add_user

    with pytest.raises(InquiryError, match="invalid role"):
        add_user(str(tmp_path / "u.txt"), "x", "superuser", "long-enough-pw")
    with pytest.raises(InquiryError, match="invalid user name"):
        add_user(str(tmp_path / "u.txt"), "a:b", "admin", "long-enough-pw")


def test_add_user_prompts(tmp_path, monkeypatch, fast_bcrypt):
    import ui.auth as auth

    answers = iter(["typed-password", "typed-password"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    f = auth.add_user(str(tmp_path / "u.txt"), "dana", "reviewer", None)
    assert auth.UserStore(f).authenticate("dana", "typed-password")
    answers2 = iter(["one-password", "another-pass"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers2))
    with pytest.raises(InquiryError, match="differ"):
        auth.add_user(str(f), "dana", "reviewer", None)


def test_add_user_default_file(tmp_path, monkeypatch, fast_bcrypt):
    from ui.auth import add_user

    monkeypatch.delenv("INQUIRY_USERS", raising=False)
    monkeypatch.setenv("INQUIRY_HOME", str(tmp_path / "home"))
    assert add_user(None, "eve", "admin", "eve-password") == tmp_path / "home" / "users.txt"
    monkeypatch.setenv("INQUIRY_USERS", str(tmp_path / "elsewhere.txt"))
    assert add_user(None, "eve", "admin", "eve-password") == tmp_path / "elsewhere.txt"


def test_users_file_must_exist_and_parse(tmp_path):
    from ui.auth import UserStore

    with pytest.raises(ConfigError, match="no such file"):
        UserStore(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("alice:admin:plaintext\n")
    with pytest.raises(ConfigError, match="line 1"):
        UserStore(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody\n")
    with pytest.raises(ConfigError, match="no users"):
        UserStore(empty)


def test_lockout_after_failures(tmp_path, fast_bcrypt):
    from ui.auth import MAX_FAILURES, UserStore, add_user

    store = UserStore(add_user(str(tmp_path / "u.txt"), "al", "admin", "right-password"))
    for _ in range(MAX_FAILURES):
        assert not store.authenticate("al", "wrong-password")
    assert not store.authenticate("al", "right-password")  # locked for a while


# -- uploads -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("/abs/path/report.pdf", "report.pdf"),
        ("Ré port (final).PDF", "Re port _final_.PDF"),
        (".bashrc", "bashrc"),
        ("", "upload"),
        ("con.txt", "upload_con.txt"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("rm -rf $(x);.md", "rm -rf _x_.md"),
    ],
)
def test_safe_filename(raw, expected):
    from ui.safety import safe_filename

    got = safe_filename(raw)
    assert got == expected
    assert "/" not in got and "\\" not in got and not got.startswith(".")


def test_inside_refuses_traversal(tmp_path):
    from ui.safety import inside

    assert inside(tmp_path, "a.pdf") == (tmp_path / "a.pdf").resolve()
    with pytest.raises(ValueError):
        inside(tmp_path, "../a.pdf")
    with pytest.raises(ValueError):
        inside(tmp_path, "sub/a.pdf")


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    return buf.getvalue()


def test_stored_name_follows_content():
    from ui.safety import stored_name

    assert stored_name("report.pdf", "pdf") == "report.pdf"
    assert stored_name("notes.md", "text") == "notes.md"
    assert stored_name("fake.pdf", "text") == "fake.txt"  # a text file called .pdf
    assert stored_name("page.htm", "html") == "page.htm"
    assert stored_name("scan", "pdf") == "scan.pdf"
    assert stored_name("../../x.docx", "docx") == "x.docx"


def test_check_upload(tmp_path):
    from ui.library import check_upload

    ok = tmp_path / "r.pdf"
    ok.write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    assert check_upload(ok, "../r.pdf", 10_000) == ("r.pdf", "")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2_000_000)
    name, why = check_upload(big, "big.txt", 1_048_576)
    assert name is None and "too large" in why and "limit is 1 MB" in why
    png = tmp_path / "pic.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    name, why = check_upload(png, "pic.pdf", 10_000)
    assert name is None and "by content" in why
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert check_upload(empty, "e.txt", 10)[1] == "the file is empty"


# -- escaping ----------------------------------------------------------------------------------
EVIL = (
    '<script>alert(1)</script> <img src=x onerror="window.__xss=1"> [x](javascript:window.__xss=2)'
)


def test_esc_html():
    from ui.safety import esc

    out = esc(EVIL)
    assert "<" not in out and ">" not in out and '"' not in out
    assert "&lt;script&gt;" in out


def test_esc_md_neutralises_markup():
    from ui.safety import esc_md

    out = esc_md(EVIL)
    assert "<" not in out and ">" not in out
    assert "](" not in out.replace("\\](", "")  # no live link syntax
    assert "javascript:" not in out
    assert esc_md("*bold* _it_ `code`") == "\\*bold\\* \\_it\\_ \\`code\\`"
    assert esc_md("# Heading\n1. item\n- dash") == "\\# Heading\n1\\. item\n\\- dash"
    assert esc_md("para 3.41 costs $5") == "para 3.41 costs $5"


def test_highlight_marks_the_quote_and_escapes():
    from ui.safety import highlight

    text = "Before <b>bold</b>. The cited   sentence\nhere. After."
    out = highlight(text, "The cited sentence here.")
    assert out.startswith("Before &lt;b&gt;bold&lt;/b&gt;. <mark>The cited")
    assert out.endswith("</mark> After.")
    assert highlight("abc", "zzz") == "abc"
    assert "<mark>" not in highlight("<x>", None)


def test_passage_html_escapes_everything():
    from ui.common import passage_html

    p = passage(text=EVIL, title="<b>T</b>", section="<i>S</i>")
    near = passage(chunk_id="c0", text="<svg onload=alert(1)>", para="3.40")
    out = passage_html([near, p], "c1", "<script>alert(1)</script>", "Source [1]")
    assert "<script" not in out and "<img" not in out and "<svg" not in out and "<b>T" not in out
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in out
    assert "ia-focus" in out and "ia-near" in out


def test_a_merged_passage_is_its_own_context():
    from dataclasses import replace

    from ui.common import source_context

    class Index:
        calls = 0

        def context(self, chunk_id, around=1):
            Index.calls += 1
            return [passage(chunk_id="c0"), passage(chunk_id=chunk_id)]

    one = passage()
    merged = replace(one, parts=(one, passage(chunk_id="c2")))
    assert source_context(Index(), merged) == [merged] and Index.calls == 0
    assert [p.chunk_id for p in source_context(Index(), one)] == ["c0", one.chunk_id]
    gone = passage(chunk_id="zz")
    Index.context = lambda self, cid, around=1: [passage(chunk_id="c0")]
    assert source_context(Index(), gone) == [gone]  # not in the index any more: itself


# -- export ------------------------------------------------------------------------------------
def test_csv_export_has_citations_and_verbatim_text():
    from ui.export import to_csv

    ps = [passage(), passage(chunk_id="c2", para=None, page_label="iv", text="=HYPERLINK(x)")]
    rows = list(csv.DictReader(io.StringIO(to_csv(ps))))
    assert rows[0]["citation"] == "Post Office Horizon IT Inquiry, Volume 1, para 3.41, p. 12"
    assert rows[0]["excerpt"] == ps[0].text
    assert rows[0]["page"] == "12" and rows[0]["paragraph"] == "3.41"
    assert rows[0]["section"] == "Knowledge of bugs" and rows[0]["score"] == "0.831"
    assert rows[1]["citation"] == "Post Office Horizon IT Inquiry, Volume 1, p. iv"
    assert rows[1]["excerpt"] == "'=HYPERLINK(x)"  # formula injection guard


def test_markdown_export():
    from ui.export import to_markdown

    ps = [passage(text="Line one.\n\nLine two.")]
    md = to_markdown(ps, "bugs", datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc))
    assert "## 1. Post Office Horizon IT Inquiry, Volume 1, para 3.41, p. 12" in md
    assert "> Line one.\n>\n> Line two." in md
    assert "Search: bugs" in md and "2024-05-01 09:30 UTC" in md
    assert "Section: Knowledge of bugs" in md


# -- chat rendering ----------------------------------------------------------------------------
def test_render_answer_with_citations():
    from ui.ask import render_turn, source_samples

    p = passage()
    a = Answer(
        "q", ANSWERED, "The Post Office knew of bugs in Horizon. [1]", [Citation(1, p, "x")], [p]
    )
    out = render_turn({"q": "q", "answer": a})
    assert "\\[1\\]" in out and "**Sources**" in out
    assert "para 3.41" in out and "p. 12" in out
    assert source_samples({"answer": a}) == [
        ["[1] Post Office Horizon IT Inquiry, Volume 1 · para 3.41 · p. 12"]
    ]


def test_render_insufficient_and_errors():
    from ui.ask import render_chat, render_turn, source_samples

    ps = [passage(chunk_id=f"c{i}") for i in range(5)]
    a = Answer("q", INSUFFICIENT, "The indexed reports don't answer this.", [], ps)
    out = render_turn({"q": "q", "answer": a})
    assert "The reports don't answer this" in out
    assert len(source_samples({"answer": a})) == 3
    chat = render_chat([{"q": "<script>x</script>", "error": "boom <b>"}])
    assert chat[0]["content"] == "&lt;script&gt;x&lt;/script&gt;"
    assert "boom &lt;b&gt;" in chat[1]["content"]


def test_history_and_turn_mapping():
    from ui.ask import AskTab, history_of

    a = Answer("q1", ANSWERED, "A1 [1]", [], [])
    turns = [{"q": "q1", "answer": a}, {"q": "q2", "error": "x"}, {"q": "q3", "answer": a}]
    assert history_of(turns) == [("q1", "A1 [1]"), ("q3", "A1 [1]")]
    assert [AskTab._turn_of_message(turns, i) for i in range(6)] == [0, 0, 1, 1, 2, 2]


def test_starter_questions_come_from_the_index():
    from ui.common import starter_questions

    metas = (
        [{"doc_id": "a", "section": "4. Information sharing between agencies"}] * 5
        + [{"doc_id": "a", "section": "Contents"}] * 9
        + [{"doc_id": "a", "section": "Recommendations"}] * 2
        + [{"doc_id": "b", "section": "Chapter 2: Escalation of concerns"}] * 3
    )
    qs = starter_questions(metas, {"a": "Serious Case Review: Child A", "b": "Report B"}, 3)
    assert qs == [
        "What does Report B say about escalation of concerns?",
        "What does Serious Case Review: Child A say about information sharing between agencies?",
        "What does Serious Case Review: Child A recommend?",
    ]
    assert starter_questions([{"doc_id": "b", "section": "Contents"}], {"b": "Report B"}, 2) == [
        "What are the main findings of Report B?"
    ]
    assert starter_questions([], {}, 4) == []


def test_doc_and_year_choices_and_filters():
    from types import SimpleNamespace as NS

    from ui.common import doc_choices, make_filters, year_choices

    docs = [
        NS(doc_id="1", title="Same", source="a.pdf", year=2020),
        NS(doc_id="2", title="Same", source="b.pdf", year=None),
        NS(doc_id="3", title="Other", source="c.pdf", year=2019),
    ]
    assert doc_choices(docs) == [
        ("Other · 2019", "3"),
        ("Same (a.pdf) · 2020", "1"),
        ("Same (b.pdf)", "2"),
    ]
    assert year_choices(docs) == ["2020", "2019"]
    assert make_filters([], []) is None
    f = make_filters(["1"], ["2020"])
    assert f.doc_ids == ["1"] and f.years == [2020]


def test_filters_offer_a_report_of_several_files_once():
    from types import SimpleNamespace as NS

    from ui.common import make_filters, report_choices

    def doc(doc_id, title, source, year=None, report="", report_title=""):
        return NS(**locals())

    docs = [
        doc(
            "a",
            "The Leveson Report, Part F, Chapter 2",
            "lev/F/2.html",
            2012,
            "lev",
            "The Leveson Report",
        ),
        doc("b", "The Leveson Report", "lev/index.html", 2012, "lev", "The Leveson Report"),
        doc("c", "Keeping children safe in education 2025", "kcsie.pdf", 2025),
    ]
    got = report_choices(docs)
    assert got == [
        ("Keeping children safe in education 2025 · 2025", "c"),
        ("The Leveson Report · 2 parts · 2012", "a,b"),
    ]
    f = make_filters([got[1][1]], [])
    assert sorted(f.doc_ids) == ["a", "b"]


def test_user_message_hides_internals():
    from ui.common import user_message

    assert user_message(InquiryError("x.pdf: encrypted")) == "x.pdf: encrypted"
    assert "Traceback" not in user_message(RuntimeError("secret path /etc"))
    assert "/etc" not in user_message(RuntimeError("secret path /etc"))


def test_a_click_in_the_tick_column_flips_only_its_row():
    """The '#' of the clicked row decides (the table may be sorted); two clicks undo one;
    clicks in other columns or on an unknown row change nothing."""
    from types import SimpleNamespace as NS

    from ui.excerpts import ExcerptsTab, table_rows

    results = [passage(), passage(chunk_id="c2"), passage(chunk_id="c3")]
    rows = table_rows(results)

    def click(ticks, r, col=0):
        return ExcerptsTab.tick(results, ticks, NS(index=[0, col], row_value=rows[r - 1]))

    table, ticks = click([], 2)
    assert ticks == [2] and [row[0] for row in table] == [False, True, False]
    table, ticks = click([1, 2], 3)
    assert ticks == [1, 2, 3] and all(row[0] for row in table)
    assert click([1, 2], 2)[1] == [1]
    assert click([1], 2, col=2)[1] == [1]  # the title cell: not a tick
    ghost = NS(index=[0, 0], row_value=[False, 9, "x"])
    assert ExcerptsTab.tick(results, [1], ghost)[1] == [1]
    assert ExcerptsTab.set_all(results, True)[1] == [1, 2, 3]
    assert ExcerptsTab.set_all(results, False)[1] == []


def test_unique_names():
    from ui.library import _unique

    used: set = set()
    assert [_unique(n, used) for n in ["a.pdf", "a.pdf", "a.pdf", "b"]] == [
        "a.pdf",
        "a-2.pdf",
        "a-3.pdf",
        "b",
    ]


def test_app_builds_without_server(tmp_path):
    """Open mode has no Library tab; with logins, the tab exists but starts hidden."""
    from types import SimpleNamespace as NS

    from ui.app import build_app
    from ui.auth import UserStore

    fake = NS(settings=NS(corpus=tmp_path, max_file_mb=5, max_bytes=5 << 20), docs=lambda: [])
    open_app = build_app(fake, None)
    labels = [b.label for b in open_app.blocks.values() if type(b).__name__ == "Tab"]
    assert labels == ["Ask", "Excerpts", "Reports"]
    f = tmp_path / "u.txt"
    f.write_text("a:admin:$2b$04$abcdefghijklmnopqrstuu5Zq0aQK1Dx4dE1mXnq3d8YwS8z0J7bS\n")
    auth_app = build_app(fake, UserStore(f))
    tabs = {b.label: b for b in auth_app.blocks.values() if type(b).__name__ == "Tab"}
    assert list(tabs) == ["Ask", "Excerpts", "Reports", "Library"]
    assert tabs["Library"].visible is False
    assert list(tmp_path.iterdir()) == [f]  # building the app writes nothing to the library


class _FakeAssistant:
    """Just enough of Assistant for the Ask handlers."""

    def __init__(self, fail: Exception | None = None):
        self.calls: list[dict] = []
        self.fail = fail

    def docs(self):
        return [object()]

    def ask_stream(self, question, **kw):
        self.calls.append({"question": question, **kw})
        if self.fail:
            raise self.fail
        p = passage()
        yield "The Post Office knew of bugs in Horizon. [1]\n\n"
        yield "It did not disclose them. [1]\n\n"
        text = "The Post Office knew of bugs in Horizon. [1]\n\nIt did not disclose them. [1]"
        yield Answer(question, ANSWERED, text, [Citation(1, p, p.text)], [p])

    def context(self, chunk_id, around=1):
        return [passage(chunk_id="c0", text="Before."), passage(), passage(chunk_id="c2")]

    def catalogue(self):
        return {}  # no record: the original is shown as its section, not a PDF page


def test_respond_streams_then_finishes_with_sources():
    from ui.ask import AskTab

    fake = _FakeAssistant()
    tab = AskTab(fake)
    steps = list(tab.respond("What did they know?", [], ["d1"], ["2020"]))
    chats = [s[0] for s in steps]
    assert len(chats[0]) == 1  # the question shows at once
    live = [c[-1]["content"] for c in chats[1:-1]]
    assert len(live) == 2 and live[0] in live[1] and len(live[1]) > len(live[0])
    final_chat, turns = steps[-1][0], steps[-1][1]
    assert "**Sources**" in final_chat[-1]["content"]
    assert steps[-1][3] == 0  # the answer whose sources are shown
    head, first_button = steps[-1][4], steps[-1][5]
    assert "Sources" in head and first_button.visible is True
    assert "[1] Post Office Horizon IT Inquiry" in first_button.value
    assert steps[-1][6].visible is False  # unused buttons of the pool stay hidden
    call = fake.calls[0]
    assert call["filters"].doc_ids == ["d1"] and call["filters"].years == [2020]
    assert call["history"] == []

    list(tab.respond("and what about that?", turns, ["d1"], []))
    assert fake.calls[1]["history"] == [("What did they know?", turns[0]["answer"].answer)]

    html, *original = tab.open_source(0, turns, 0)
    assert "<mark>" in html and "ia-near" in html and "Source [1]" in html
    section = original[-1]  # the section beside it, the quote marked
    assert "<mark>" in section and "Before." in section


def test_respond_shows_errors_not_tracebacks():
    from ui.ask import AskTab

    steps = list(AskTab(_FakeAssistant(InquiryError("index is busy"))).respond("q?", [], [], []))
    final = steps[-1][0][-1]["content"]
    assert "Could not answer" in final and "index is busy" in final
    steps = list(AskTab(_FakeAssistant(RuntimeError("/secret/path"))).respond("q?", [], [], []))
    final = steps[-1][0][-1]["content"]
    assert "/secret/path" not in final and "Traceback" not in final


def test_section_view_keeps_the_section_marks_the_quote_and_escapes():
    from ui.pageview import section_html, section_of

    ctx = [
        passage(chunk_id="a", section="Background", text="Earlier."),
        passage(chunk_id="b", text="Knowledge of bugs\n\nThe <b>Post Office</b> knew of bugs."),
        passage(chunk_id="c", text="It did not disclose them."),
        passage(chunk_id="d", section="Findings", text="Later."),
    ]
    run = section_of(ctx, "b")
    assert [p.chunk_id for p in run] == ["b", "c"]  # only the cited passage's section
    html = section_html(run, "b", "Post Office</b> knew", "md")
    assert "<h3>Knowledge of bugs</h3>" in html
    assert "<mark>Post Office&lt;/b&gt; knew</mark>" in html and "<b>" not in html
    whole = section_html(run, "c", None, "md")  # no quote: the cited passage is marked
    assert "<mark>It did not disclose them.</mark>" in whole
    md = [passage(chunk_id="e", text="The **Post Office** knew of deci-\nsion bugs.")]
    shown = section_html(md, "e", "**Post Office** knew", "md")  # as the document reads
    assert "The <mark>Post Office knew</mark> of decision bugs." in shown


def test_passage_read_by_ocr_is_labelled():
    from ui.common import passage_html

    html = passage_html([passage(ocr="12")], "c1", None)
    assert "text of p. 12 read by OCR from a scanned page" in html
    assert "read by OCR" not in passage_html([passage()], "c1", None)


def test_docs_table_names_each_report_over_its_parts():
    """`inquiry docs`: a report of several files gets a line of its own, its files indented
    under it; a one-file report is its file's row."""
    from types import SimpleNamespace as NS

    from ui.reporting import format_docs

    def doc(i, source, report=None, title=None):
        return NS(
            doc_id=f"d{i}",
            source=source,
            title=title or source,
            pages=None,
            chunks=10,
            ingested_at="2026-12-02T01:00:00",
            content_hash="f" * 40,
            report=report,
            report_title="The Depot Inquiry" if report else None,
            year=2024,
            kind="inquiry",
        )

    docs = [
        doc(1, "depot/part-b.html", "depot", "The Depot Inquiry, Part B"),
        doc(2, "ward-review.md"),
        doc(3, "depot/part-a.html", "depot", "The Depot Inquiry, Part A"),
    ]
    lines = format_docs(docs).splitlines()
    head = lines.index("The Depot Inquiry: 2 parts, 2024, inquiry; 20 chunks")
    assert "(depot/part-a.html)" in lines[head + 1] and lines[head + 1].startswith("  d3")
    assert "(depot/part-b.html)" in lines[head + 2] and lines[head + 2].startswith("  d1")
    assert any(r.startswith("d2 ") for r in lines)
    assert lines[-1] == "3 documents in 2 reports, 30 chunks"
