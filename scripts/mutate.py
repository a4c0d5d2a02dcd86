"""Hand-written mutation testing for the modules that carry the README's promises.

Each mutation is one deliberate bug: a file, an exact snippet of its source and what replaces
it. For each one the working tree is copied to a scratch folder, the snippet replaced there
(never in the real tree), and the tests that cover that promise run against the copy. A
mutation is *killed* when a test fails; it *survives* when every test still passes. A snippet
that no longer occurs exactly once (the code moved on) is reported as *stale*, not counted.

    python scripts/mutate.py                 # every mutation (make mutate)
    python scripts/mutate.py --only auth     # those whose id contains "auth"
    python scripts/mutate.py --list          # print the list and the tests each one runs

Prints one line per mutation and the share killed per module; exit status 1 when any
mutation survives or is stale. The survivors and why each is harmless are listed in the
README (Development).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Test selections (pytest arguments), run in order; the first failure kills the mutation.
AUTH_UNIT = [
    "tests/test_ui_unit.py",
    "tests/test_app_safety_unit.py",
    "-k",
    "hash or password or user or role or lock",
]
APP_SECURITY = ["tests/test_app_security.py"]
EXTRACTIVE_UNIT = ["tests/test_assistant_unit.py", "tests/test_neighbours.py", "-m", "unit"]
SAMPLE_E2E = ["tests/test_sample_corpus_e2e.py"]
ANSWER_SHAPE_UNIT = ["tests/test_answer_shape_unit.py"]
VERIFY_UNIT = ["tests/test_verify.py", "tests/test_llm_unit.py"]
STORE_UNIT = ["tests/test_index_store.py", "tests/test_reingest.py", "-m", "unit and not server"]
REINGEST_REAL = ["tests/test_reingest_settings.py"]
CLI = ["tests/test_cli_contract.py"]
# the Library's handlers called directly with a non-admin's request (behind the upload gate)
LIBRARY_DIRECT = ["tests/test_ui_browser.py", "-k", "library_handlers_refuse"]
ADMIN_HTTP = ["tests/test_app_admin_browser.py", "-k", "uploads_only or lockout_is_per"]
REPORTS = ["tests/test_ingest_titles_reports.py"]
DISPLAY = ["tests/test_ingest_display.py"]
STRUCTURE = ["tests/test_ingest_structure.py"]
PAGES = ["tests/test_quote_pages.py", "tests/test_sample_corpus_e2e.py"]
TICKS = ["tests/test_ui_unit.py", "-k", "tick"]
EXACT_DENSE = ["tests/test_retrieval_stages.py", "-k", "exact_dense"]
SHORT_UNIT = ["tests/test_shortforms.py"]
SHORT_REAL = ["tests/test_retrieval_stages.py", "-k", "short_form"]
RARE_UNIT = ["tests/test_report_use_unit.py"]
QTYPES_UNIT = ["tests/test_qtypes.py"]
RARE_REAL = ["tests/test_retrieval_stages.py", "-k", "rare_name_asked"]
LEXICAL_OPENING = ["tests/test_assistant_unit.py", "-k", "split_paragraph_is_found"]
WRAPPED = ["tests/test_ingest_text.py", "-k", "wrapped_onto"]
WHOLE_UNIT = ["tests/test_neighbours.py", "-k", "block or taking_in"]
HOLDER_UNIT = ["tests/test_asked_names.py", "-m", "unit"]
HOLDER_REAL = ["tests/test_asked_names.py", "-k", "real_index"]
UNKNOWN_UNIT = ["tests/test_unknowns.py", "-m", "unit"]
UNKNOWN_REAL = ["tests/test_unknowns.py", "-k", "refused_with_its_words"]
WHOLE_REAL = ["tests/test_retrieval_stages.py", "-k", "rest_of_it"]
SNIFF_UNIT = [
    "tests/test_ingest_load.py",
    "tests/test_ui_unit.py",
    "tests/test_app_safety_unit.py",
    "-k",
    "sniff or upload or read",
]


@dataclass(frozen=True)
class Mutation:
    id: str
    file: str
    original: str
    replacement: str
    tests: tuple[tuple[str, ...], ...]
    what: str


def m(id_, file, original, replacement, *tests, what=""):
    return Mutation(id_, file, original, replacement, tuple(tuple(t) for t in tests), what)


MUTATIONS = [
    # -- logins and roles (ui/auth.py, and the app's use of it) -----------------------------
    m(
        "auth-any-password",
        "ui/auth.py",
        'ok = verify_password(password or "x", user.hash if user else _DUMMY_HASH.decode())',
        "ok = True",
        AUTH_UNIT,
        APP_SECURITY,
        what="a known user is admitted with any password",
    ),
    m(
        "auth-unknown-user",
        "ui/auth.py",
        "ok = ok and user is not None",
        "ok = ok or user is None",
        AUTH_UNIT,
        APP_SECURITY,
        what="an unknown user name is admitted",
    ),
    m(
        "auth-lockout-off-by-one",
        "ui/auth.py",
        "if run >= self.max_failures:",
        "if run > self.max_failures:",
        AUTH_UNIT,
        APP_SECURITY,
        what="six wrong passwords needed to lock, not five",
    ),
    m(
        "auth-no-lockout",
        "ui/auth.py",
        "if left > 0:",
        "if False:",
        AUTH_UNIT,
        APP_SECURITY,
        what="no lockout at all",
    ),
    m(
        "auth-success-keeps-failures",
        "ui/auth.py",
        "self._failures.pop(key, None)",
        "pass",
        AUTH_UNIT,
        APP_SECURITY,
        what="a right password does not clear earlier failures",
    ),
    m(
        "auth-open-mode-admin",
        "ui/auth.py",
        'if store is None:\n        return "trainee"',
        'if store is None:\n        return "admin"',
        AUTH_UNIT,
        APP_SECURITY,
        what="the open app acts as admin",
    ),
    m(
        "auth-reviewer-is-admin",
        "ui/auth.py",
        "role_for(store, username) == ADMIN",
        'role_for(store, username) in (ADMIN, "reviewer")',
        AUTH_UNIT,
        APP_SECURITY,
        what="reviewers get admin rights",
    ),
    m(
        "auth-plaintext-accepted",
        "ui/auth.py",
        'if len(parts) != 3 or not parts[2].startswith("$2"):',
        "if len(parts) != 3:",
        AUTH_UNIT,
        what="a users file with a plain-text password is accepted",
    ),
    m(
        "auth-file-world-readable",
        "ui/auth.py",
        "os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600",
        "os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644",
        AUTH_UNIT,
        what="the users file is written readable by everyone",
    ),
    m(
        "auth-short-passwords",
        "ui/auth.py",
        'if len(password or "") < MIN_PASSWORD:',
        'if len(password or "") < 1:',
        AUTH_UNIT,
        what="one-character passwords accepted",
    ),
    m(
        "app-auth-returns-true",
        "ui/app.py",
        "return await asyncio.to_thread(users.check, username, password, source)",
        "return True",
        APP_SECURITY,
        what="the app's login accepts any password (the issue's break)",
    ),
    m(
        "app-no-login",
        "ui/app.py",
        "    if users is not None:\n\n        async def auth(",
        "    if False:\n\n        async def auth(",
        APP_SECURITY,
        what="a users file is set but the app asks nobody to sign in",
    ),
    m(
        "app-library-tab-for-all",
        "ui/app.py",
        'out.append(gr.Tab(visible=role == "admin"))',
        "out.append(gr.Tab(visible=True))",
        APP_SECURITY,
        what="trainees and reviewers are shown the Library tab",
    ),
    m(
        "app-no-blocked-paths",
        "ui/app.py",
        "blocked_paths=[str(Path(settings.home).resolve()), str(Path(settings.corpus).resolve())],",
        "blocked_paths=[],",
        APP_SECURITY,
        what="the data and library folders are not on Gradio's block list",
    ),
    m(
        "library-upload-no-role-check",
        "ui/library.py",
        "            if not self._admin(request):\n                yield notice_html(DENIED",
        "            if False:\n                yield notice_html(DENIED",
        APP_SECURITY,
        LIBRARY_DIRECT,
        what="anyone signed in can upload through the Library's handler",
    ),
    m(
        "library-reingest-no-role-check",
        "ui/library.py",
        '        if not self._admin(request):\n            yield notice_html(DENIED, "error"), [], gr.update()\n            return\n        Path(',
        '        if False:\n            yield notice_html(DENIED, "error"), [], gr.update()\n            return\n        Path(',
        APP_SECURITY,
        LIBRARY_DIRECT,
        what="anyone signed in can re-ingest the library through its handler",
    ),
    m(
        "library-remove-no-role-check",
        "ui/library.py",
        '        if not self._admin(request):\n            yield notice_html(DENIED, "error"), gr.update(), gr.update()',
        '        if False:\n            yield notice_html(DENIED, "error"), gr.update(), gr.update()',
        APP_SECURITY,
        LIBRARY_DIRECT,
        what="anyone signed in can remove documents through the Library's handler",
    ),
    m(
        "library-list-no-role-check",
        "ui/library.py",
        "        if not self._admin(request):\n            return [], notice_html(DENIED",
        "        if False:\n            return [], notice_html(DENIED",
        APP_SECURITY,
        LIBRARY_DIRECT,
        what="anyone signed in gets the Library's document list",
    ),
    m(
        "gate-upload-any-user",
        "ui/gate.py",
        'if name is None or self.users.role_of(name) != "admin":',
        "if name is None:",
        APP_SECURITY,
        ADMIN_HTTP,
        what="any signed-in user may send files to Gradio's upload route",
    ),
    m(
        "gate-lockout-any-address",
        "ui/gate.py",
        "token = self.source.set(self.client(scope))",
        'token = self.source.set("")',
        ADMIN_HTTP,
        what="the lockout ignores the address: anyone can lock the admin out from elsewhere",
    ),
    # -- refusal and broad answers ----------------------------------------------------------
    m(
        "colon-left-hanging",
        "assistant/extractive.py",
        "chunks, picked = colons_run_on(chunks, picked, self.following)",
        "pass",
        EXTRACTIVE_UNIT,
        what="an answer ends on 'The analyst wrote:' without what was written",
    ),
    m(
        "footnoted-line-a-heading",
        "ingest/structure.py",
        'bare = _TRAILING_NOTES.sub("", text)',
        "bare = text",
        STRUCTURE,
        what="'Mr. Doerr: Absolutely.[^773]' becomes the section title of what follows",
    ),
    m(
        "cut-quotation-left-hanging",
        "assistant/runon.py",
        "cut = not text[e:].strip() and _opens_quote(text[s:e])",
        "cut = False",
        EXTRACTIVE_UNIT,
        what="an answer stops inside a quotation the chunker cut ('\"We rate every deal.')",
    ),
    m(
        "occasions-need-the-word-times",
        "assistant/evidence.py",
        "if head and head.lower() in OCCASIONS:",
        "if False:",
        EXTRACTIVE_UNIT,
        what="'how many times did the keeper ring?' is refused beside '41 such calls'",
    ),
    m(
        "condition-read-as-date",
        "assistant/qtypes.py",
        '(?:did|was|were|is|are|will|would|had|has|have)\\b|"',
        '(?:did|was|were|is|are|will|would|had|has|have|does|do|should|must|can)\\b|"',
        ["tests/test_qtypes.py"],
        what="'when should a school tell the council?' is refused for want of a date",
    ),
    m(
        "parts-share-one-sentence",
        "assistant/extractive.py",
        "for sc, pi, i in flat if (pi, i) not in out), None)",
        "for sc, pi, i in flat), None)",
        EXTRACTIVE_UNIT,
        what="'how many examined, and how many failed?' quotes one sentence for both parts",
    ),
    m(
        "given-value-is-an-answer",
        "assistant/factcues.py",
        'm.group().strip().lower().strip(".,") not in given',
        "True",
        ["tests/test_qtypes.py"],
        what="'when was the 1998 Act applied?' is answered by the Act's name",
    ),
    m(
        "question-frame-words-searched",
        "index/tokens.py",
        "_QUERY_STOPWORDS = STOPWORDS | QUESTION_FRAME",
        "_QUERY_STOPWORDS = STOPWORDS",
        ["tests/test_qtypes.py"],
        what="'when exactly did it fail?' quotes 'it is not clear exactly what happened'",
    ),
    m(
        "web-reference-quoted",
        "assistant/evidence.py",
        "    if WEB_REFERENCE.search(text):",
        "    if False:",
        EXTRACTIVE_UNIT,
        what="a reference line '... - GOV.UK (example.gov.uk)' is quoted as an answer",
    ),
    m(
        "pointed-recommendation-unaimed",
        "assistant/broad.py",
        "if is_broad(question) or not RECOMMENDED.search(question):",
        "if True:",
        EXTRACTIVE_UNIT,
        what="'what fine did the panel propose?' is not steered to the recommendations",
    ),
    m(
        "anonymised-name-unheard",
        "assistant/sentences.py",
        "return [m.group(0) for m in LETTER_NAME.finditer(question)]",
        "return []",
        EXTRACTIVE_UNIT,
        what="'what was Mr T convicted of?' is not steered to the review that names Mr T",
    ),
    m(
        "glued-footnote-mark-heading",
        "assistant/sentences.py",
        '|(?:[A-Za-z]{2}|\\d{4})[.!?][\\"”’)]?\\d{1,3})$"',
        ')$"',
        EXTRACTIVE_UNIT,
        what="'It was adopted on June 3, 1994.7' (a PDF's glued footnote mark) reads as a heading",
    ),
    m(
        "bold-advice-not-whole",
        "assistant/broad.py",
        'head = seg.lstrip("*_")',
        "head = seg",
        EXTRACTIVE_UNIT,
        what="'**Close the gate** before leaving.' is not a whole sentence, so never a point",
    ),
    m(
        "what-to-do-section-unheard",
        "assistant/broad.py",
        'r"what (?:you |we |they |staff )?(?:should|must|need to|can) do|what to do",',
        'r"(?!)",',
        EXTRACTIVE_UNIT,
        what="a 'What you should do now' section is not where advice is looked for",
    ),
    m(
        "published-alongside-is-a-point",
        "assistant/broad.py",
        'r"|.{0,200}?\\b(?:is|are|was|were|has been|have been) (?:also )?published (?:alongside|with) "',
        'r"|(?!)(?:is|are|was|were|has been|have been) (?:also )?published (?:alongside|with) "',
        EXTRACTIVE_UNIT,
        what="'a summary is published alongside this report' is quoted as a finding",
    ),
    m(
        "follow-up-forgets-its-question",
        "assistant/extractive.py",
        "terms = set(query_terms(question)) | self._context",
        "terms = set(query_terms(question))",
        EXTRACTIVE_UNIT,
        what="'Who approved it?' picks by its own words, not what 'it' stands for",
    ),
    m(
        "long-names-unchecked",
        "assistant/evidence.py",
        "    if says is not None:\n        for name in long_names(question):",
        "    if False:\n        for name in long_names(question):",
        EXTRACTIVE_UNIT,
        what="'the Crime and Courts Act', named in no report, is answered from other Acts",
    ),
    m(
        "phrase-breaks-at-line-ends",
        "index/lexical.py",
        'text = unicodedata.normalize("NFKD", " ".join(text.replace("’", "\'").split()))',
        'text = unicodedata.normalize("NFKD", text.replace("’", "\'"))',
        ["tests/test_retrieval_stages.py", "-k", "phrase or naming"],
        what="a name broken across two lines of a report is not found",
    ),
    m(
        "occasions-not-a-frequency",
        "assistant/qtypes.py",
        'rf"\\b(?:once|twice|thrice)\\b|\\b(?:\\d+|{_NUMBER_WORDS}) times\\b|"',
        'rf"(?!)"',
        EXTRACTIVE_UNIT,
        what="'How often did the inspector visit?' is refused though the report says 'twice'",
    ),
    m(
        "word-family-unheard",
        "assistant/sentences.py",
        "if len(t) >= least and any(w.startswith(t) or t.startswith(w) for w in long)",
        "if False",
        EXTRACTIVE_UNIT,
        what="'who opposed the plan?' does not hear 'the plan faced opposition'",
    ),
    m(
        "two-kinds-heard-once",
        "assistant/broad.py",
        "rounds = max(1, cfg.broad_points // (2 * len(kinds))) if kinds else 0",
        "rounds = 1 if kinds else 0",
        SAMPLE_E2E,
        what="'what went wrong, and what was recommended?' hears one finding among recommendations",
    ),
    m(
        "broad-quotes-signposts",
        "assistant/broad.py",
        "and not signpost(c.text[x.start : x.end])",
        "and True",
        EXTRACTIVE_UNIT,
        what="broad answers quote 'This chapter sets out ...' as a finding",
    ),
    m(
        "broad-quotes-references",
        "assistant/broad.py",
        "and not reference(c.text[x.start : x.end])",
        "and True",
        EXTRACTIVE_UNIT,
        what="broad answers quote a footnote's 'Home Office, Review ..., 2011, paragraph 12.'",
    ),
    m(
        "signpost-no-cross-reference",
        "assistant/broad.py",
        "(?:{_DOC_NOUNS}|headings?)",
        "(?:zzz)",
        EXTRACTIVE_UNIT,
        what="'This is considered further in Chapter 6.' becomes a point of a broad answer",
    ),
    m(
        "answer-quotes-references",
        "assistant/extractive.py",
        "and (quoting or not reference(p.text[x.start : x.end]))",
        "and True",
        EXTRACTIVE_UNIT,
        what="'When did the board review ...?' is answered by a footnote's 'Board, Review ..., 1998'",
    ),
    m(
        "signpost-no-each-part",
        "assistant/broad.py",
        "(?:begins?|ends?|opens?|closes?|starts?) with|",
        "",
        EXTRACTIVE_UNIT,
        what="'Each of the three parts of this review begins with ...' becomes a point",
    ),
    m(
        "signpost-no-lead-in",
        "assistant/broad.py",
        r'r"|(?:[^.;:]{0,100}?,\s*)?(?:the|our) ',
        r'r"|(?:the|our) ',
        EXTRACTIVE_UNIT,
        what="'On 3 May 2019, the panel held a hearing ...' becomes a point of a broad answer",
    ),
    m(
        "signpost-no-following",
        "assistant/broad.py",
        r'r"|.{0,200}?\b(?:the following|as follows)\b',
        r'r"|.{0,200}?\b(?:zzz)\b',
        EXTRACTIVE_UNIT,
        what="'The panel made the following recommendations.' becomes a point",
    ),
    m(
        "broad-keeps-run-in-headings",
        "assistant/broad.py",
        "        and not run_in_heading(seg)\n",
        "",
        EXTRACTIVE_UNIT,
        what="'Staffing Shortfalls.' (a run-in heading) becomes a point of a broad answer",
    ),
    m(
        "ordinal-not-checked",
        "assistant/evidence.py",
        "            if any(_ordinal_in(span, forms, counts) for span in spans):",
        "            if True:",
        EXTRACTIVE_UNIT,
        what="'the second interim report' is answered from the first one",
    ),
    m(
        "titled-name-unknown",
        "assistant/evidence.py",
        " or says(name) or titled_known(name, says)",
        " or says(name)",
        EXTRACTIVE_UNIT,
        what="'General Walker' is refused as unknown when the report prints 'Gen Walker'",
    ),
    m(
        "table-row-quoted",
        "assistant/evidence.py",
        "    if table_text(text):",
        "    if False:",
        ANSWER_SHAPE_UNIT,
        what="a table's row of figures is quoted as if it were a sentence",
    ),
    m(
        "fact-not-first",
        "assistant/evidence.py",
        "    return [c for c in picked if c[1] == lead] + [c for c in picked if c[1] != lead]",
        "    return picked",
        ANSWER_SHAPE_UNIT,
        what="'how much did it cost?' reads sentences naming the topic before the cost",
    ),
    m(
        "vague-quantity-counts",
        "assistant/qtypes.py",
        '    r"hundred|thousand|million|billion|half|a third|a quarter"',
        '    r"hundred|thousand|million|billion|several|dozens?|half|a third|a quarter"',
        ANSWER_SHAPE_UNIT,
        what="'several wards closed' answers 'how many wards closed?'",
    ),
    m(
        "reference-hyphen-broken-word",
        "assistant/evidence.py",
        '    words = _BROKEN_WORD.sub(r"\\1", text)',
        "    words = text",
        EXTRACTIVE_UNIT,
        what="a reference with a word a line end hyphenated ('Shut- tle') is quoted as a statement",
    ),
    m(
        "in-this-chapter-not-signpost",
        "assistant/broad.py",
        '    r"|(?:in|within|throughout|across) (?:this|these|the present|each of the|a number of "',
        '    r"|(?:in|within|throughout|across) (?:these|the present|each of the|a number of "',
        EXTRACTIVE_UNIT,
        what="'In this chapter the panel examines ...' is a point of a broad answer",
    ),
    m(
        "designation-is-initial",
        "assistant/sentences.py",
        r'(?<!\bv)(?<!(?<![-–])\b[A-Z])"',
        r'(?<!\bv)(?<!\b[A-Z])"',
        ANSWER_SHAPE_UNIT,
        what="'Flight 41-C. Then the board met.' is read as one sentence",
    ),
    m(
        "single-quote-not-whole",
        "assistant/broad.py",
        """_WHOLE_END = re.compile(r"(?:[.!?\\"”’)\\]]|[.!?]')""",
        """_WHOLE_END = re.compile(r"(?:[.!?\\"”’)\\]])""",
        ANSWER_SHAPE_UNIT,
        what="a sentence ending in a closing single quote is never a point of a broad answer",
    ),
    m(
        "broad-no-word-budget",
        "assistant/broad.py",
        " or (taken and words >= cfg.broad_words)",
        "",
        EXTRACTIVE_UNIT,
        what="a broad answer runs on past a minute's reading",
    ),
    # -- citations (assistant/extractive.py) ------------------------------------------------
    m(
        "extractive-first-sentence-only",
        "assistant/extractive.py",
        'parts.append(f"{display_text(passages[pi].text[s:e])} [{n}]")',
        'parts.append(display_text(passages[pi].text[s:e]) + ("" if parts else f" [{n}]"))',
        EXTRACTIVE_UNIT,
        SAMPLE_E2E,
        what="[n] only on the answer's first sentence (the issue's break)",
    ),
    m(
        "extractive-quote-first-sentence",
        "assistant/extractive.py",
        "hi = max(e for _, e in spans[pi])",
        "hi = min(e for _, e in spans[pi])",
        EXTRACTIVE_UNIT,
        SAMPLE_E2E,
        what="a citation's quote stops after its first sentence",
    ),
    m(
        "extractive-quote-squashed",
        "assistant/extractive.py",
        "citations.append(Citation(n, p, p.text[lo:hi]))",
        'citations.append(Citation(n, p, " ".join(p.text[lo:hi].split())))',
        EXTRACTIVE_UNIT,
        SAMPLE_E2E,
        what="quotes with their white space collapsed (no longer verbatim)",
    ),
    m(
        "extractive-numbers-from-zero",
        "assistant/extractive.py",
        "n = numbers.setdefault(pi, len(numbers) + 1)",
        "n = numbers.setdefault(pi, len(numbers))",
        EXTRACTIVE_UNIT,
        SAMPLE_E2E,
        what="citations numbered from [0]",
    ),
    m(
        "extractive-no-coverage-refusal",
        "assistant/extractive.py",
        "if ev.coverage < self.min_coverage or",
        "if ev.coverage < 0 or",
        EXTRACTIVE_UNIT,
        SAMPLE_E2E,
        what="weak evidence is answered instead of refused",
    ),
    m(
        "extractive-dense-vetoes-always",
        "assistant/extractive.py",
        "(far and not vouched)",
        "far",
        EXTRACTIVE_UNIT,
        what="a question sharing most of its words is refused for its wording's distance",
    ),
    m(
        "extractive-dense-never-vetoes",
        "assistant/extractive.py",
        "(far and not vouched)",
        "False",
        EXTRACTIVE_UNIT,
        what="a passage far in meaning and sharing few words answers",
    ),
    m(
        "extractive-short-question-vouched",
        "assistant/extractive.py",
        "len(set(query_terms(question))) >= 3",
        "True",
        EXTRACTIVE_UNIT,
        what="'When was it?' alone is answered from a passage far in meaning",
    ),
    # -- verification of generated sentences (assistant/verify.py) --------------------------
    m(
        "verify-uncited-passes",
        "assistant/verify.py",
        'if not cited:\n        return Check(False, "no_citation',
        'if False:\n        return Check(False, "no_citation',
        VERIFY_UNIT,
        what="a sentence without [n] is not flagged as uncited",
    ),
    m(
        "verify-citation-zero",
        "assistant/verify.py",
        "bad = [n for n in cited if not 1 <= n <= len(passages)]",
        "bad = [n for n in cited if not 0 <= n <= len(passages)]",
        VERIFY_UNIT,
        what="[0] accepted as a citation",
    ),
    m(
        "verify-quotes-unchecked",
        "assistant/verify.py",
        "if not _quote_found(q, texts):",
        "if False:",
        VERIFY_UNIT,
        what="invented quotations pass",
    ),
    m(
        "verify-numbers-unchecked",
        "assistant/verify.py",
        "missing = sorted(numbers(sentence) - vocab_numbers)",
        "missing = []",
        VERIFY_UNIT,
        what="invented numbers pass",
    ),
    m(
        "verify-half-threshold",
        "assistant/verify.py",
        "if share < threshold:",
        "if share < threshold / 2:",
        VERIFY_UNIT,
        what="sentences with half the support pass",
    ),
    # -- the sync plan (index/sync.py) ------------------------------------------------------
    m(
        "sync-changes-unseen",
        "index/sync.py",
        "item.action = UNCHANGED if rec.version == item.version else CHANGED",
        "item.action = UNCHANGED",
        STORE_UNIT,
        what="a changed file is planned as unchanged",
    ),
    m(
        "sync-sidecar-ignored",
        "index/sync.py",
        "return content, sha256(key + sidecar_bytes(path))[:20]",
        "return content, sha256(key)[:20]",
        STORE_UNIT,
        REINGEST_REAL,
        what="a change to a sidecar alone is not re-ingested",
    ),
    m(
        "sync-prune-everywhere",
        "index/sync.py",
        "if doc_id not in seen and (rec.root in roots or stale_key):",
        "if doc_id not in seen and (bool(roots) or stale_key):",
        STORE_UNIT,
        CLI,
        what="pruning one folder removes documents ingested from other folders",
    ),
    m(
        "sync-failure-hidden",
        "index/sync.py",
        "item.action = FAILED\n",
        "item.action = UNCHANGED\n",
        STORE_UNIT,
        CLI,
        what="a file that failed to ingest is reported as unchanged",
    ),
    m(
        "sync-reembed-everything",
        "index/sync.py",
        "todo = [i for i, c in enumerate(chunks) if c.content_hash not in known]",
        "todo = list(range(len(chunks)))",
        STORE_UNIT,
        what="unchanged chunks of a changed file are embedded again",
    ),
    # -- store writes (index/store.py) -------------------------------------------------------
    m(
        "store-old-version-kept",
        "index/store.py",
        '        self._delete_chunks({"$and": [{"doc_id": record.doc_id}, {"version": {"$nin": keep}}]})',
        "        pass",
        STORE_UNIT,
        what="replacing a document leaves its older versions' chunks",
    ),
    m(
        "store-remove-leaves-chunks",
        "index/store.py",
        'self.docs.delete(ids=[doc_id])\n        self._delete_chunks({"doc_id": doc_id})',
        "self.docs.delete(ids=[doc_id])",
        STORE_UNIT,
        what="removing a document leaves its chunks",
    ),
    m(
        "described-report-not-called",
        "assistant/retrieve.py",
        "    for forms in described_reports(query):",
        "    for forms in []:",
        EXTRACTIVE_UNIT,
        what="'the information sharing advice' is not taken to call that report",
    ),
    m(
        "page-break-cuts-sentence",
        "ingest/chunking.py",
        "        tail = _carried_tail(groups[-1], p, text, title, limit, cost) if groups else None",
        "        tail = None",
        ["tests/test_ingest_chunking.py"],
        what="a sentence a page break cut in two is split between two chunks",
    ),
    m(
        "page-break-splits-short-paragraph",
        "ingest/chunking.py",
        "        return group.pop()",
        "        return None",
        ["tests/test_ingest_chunking.py"],
        what="a short paragraph a page break cut keeps its last sentence apart from the rest",
    ),
    m(
        "page-break-leaves-heading-alone",
        "ingest/chunking.py",
        '        if all(q.block.kind == "heading" for q in rest) or last.tokens > room:',
        "        if not rest or last.tokens > room:",
        ["tests/test_ingest_chunking.py"],
        what="a paragraph cut by a page break leaves its heading alone in a chunk",
    ),
    m(
        "store-stem-ignores-chunking",
        "index/records.py",
        'key = json.dumps({"model": model_name, **chunking}, sort_keys=True)',
        'key = json.dumps({"model": model_name}, sort_keys=True)',
        STORE_UNIT,
        REINGEST_REAL,
        what="new chunking settings write into the old collection",
    ),
    m(
        "store-stem-ignores-model",
        "index/records.py",
        'key = json.dumps({"model": model_name, **chunking}, sort_keys=True)',
        "key = json.dumps(chunking, sort_keys=True)",
        STORE_UNIT,
        REINGEST_REAL,
        what="a new embedding model writes into the old collection",
    ),
    m(
        "store-query-sees-every-version",
        "index/store.py",
        "if is_active(cid, active)\n        ]",
        "if True\n        ]",
        STORE_UNIT,
        what="queries see inactive (half-written or replaced) versions",
    ),
    m(
        "store-catalogue-cached-forever",
        "index/catalogue.py",
        "if key is not None and self._active is not None and self._active[0] == key:",
        "if self._active is not None:",
        STORE_UNIT,
        what="a reader keeps the catalogue it read first and never sees another writer's work",
    ),
    m(
        "exact-dense-ignores-role",
        "assistant/retrieve.py",
        "mask = by_role if mask is None else mask * by_role",
        "mask = mask",
        EXACT_DENSE,
        what="a broad question's search of its role's chunks searches every chunk",
    ),
    m(
        "exact-dense-unordered",
        "index/lexical.py",
        "top = top[np.lexsort((top, -sims[top]))]",
        "top = top[np.argsort(top)]",
        EXACT_DENSE,
        what="the nearest chunks come in index order, not by similarity",
    ),
    m(
        "store-no-garbage-collection",
        "index/store.py",
        "if rec.previous and now - float(rec.replaced_at or 0) < grace_s:",
        "if rec.previous:",
        STORE_UNIT,
        what="a replaced version is never collected",
    ),
    # -- the sniffer (ingest/sniff.py) -------------------------------------------------------
    m(
        "sniff-pdf-by-name",
        "ingest/sniff.py",
        'if b"%PDF-" in data[:1024]:',
        'if path.suffix.lower() == ".pdf":',
        SNIFF_UNIT,
        what="PDF decided by the file name",
    ),
    m(
        "sniff-html-by-name",
        "ingest/sniff.py",
        "if _HTML_START.match(text[:4096]) or ext in HTML_EXT:",
        "if ext in HTML_EXT:",
        SNIFF_UNIT,
        what="HTML content named .txt read as plain text",
    ),
    m(
        "sniff-nul-bytes-accepted",
        "ingest/sniff.py",
        'if b"\\x00" in data[:8192]:',
        "if False:",
        SNIFF_UNIT,
        what="binary data with NUL bytes read as UTF-8 text",
    ),
    m(
        "sniff-container-ext-ignored",
        "ingest/sniff.py",
        "if ext in CONTAINER_EXT:",
        "if False:",
        SNIFF_UNIT,
        what="a text file named .docx read as text",
    ),
    m(
        "sniff-control-chars",
        "ingest/sniff.py",
        "if controls * 1000 > len(text):",
        "if controls > len(text):",
        SNIFF_UNIT,
        what="cp1252 text full of control characters accepted",
    ),
    m(
        "sniff-magic-ignored",
        "ingest/sniff.py",
        "        if data.startswith(magic):\n            return what",
        "        if data.startswith(magic) and len(data) > 1 << 40:\n            return what",
        SNIFF_UNIT,
        what="images, executables and archives not recognised by their magic bytes",
    ),
    # -- report grouping (ingest/reports.py) ------------------------------------------------
    m(
        "reports-farthest-meta-wins",
        "ingest/reports.py",
        "    for folder in ancestors:\n        obj = _report_object",
        "    for folder in reversed(ancestors):\n        obj = _report_object",
        REPORTS,
        what="the farthest _meta.json report object wins over the nearest",
    ),
    m(
        "reports-one-subfolder-is-a-report",
        "ingest/reports.py",
        "return len(children) >= 2",
        "return len(children) >= 1",
        REPORTS,
        what="a folder with documents in one sub-folder is taken for a report of chapters",
    ),
    m(
        "reports-no-widening",
        "ingest/reports.py",
        "while root in folder.parent.parents and not _other_documents(folder.parent, folder):",
        "while False:",
        REPORTS,
        what="a report is not widened to its parent folder holding nothing else",
    ),
    m(
        "reports-part-repeats-report-title",
        "ingest/reports.py",
        "        parts = parts[1:]\n",
        "        parts = parts\n",
        REPORTS,
        what="a part's name repeats the report's title",
    ),
    # -- display form of quotes (ingest/display.py) ------------------------------------------
    m(
        "display-offsets-of-first-pass",
        "ingest/display.py",
        "return clean, [first[i] for i in second]",
        "return clean, second",
        DISPLAY,
        what="display offsets point into the half-cleaned text, not the source",
    ),
    m(
        "display-hyphen-always-kept",
        "ingest/display.py",
        "if left and left.group().lower() in _KEEP_HYPHEN:",
        "if left:",
        DISPLAY,
        what='end-of-line hyphenation kept ("deci-sion")',
    ),
    m(
        "display-footnote-year-kept",
        "ingest/display.py",
        'keep(m.start("datefn"), m.end("datefn"))',
        "keep(m.start(), m.end())",
        DISPLAY,
        what='a footnote number run into a year is kept ("December 2002218")',
    ),
    m(
        "display-span-end",
        "ingest/display.py",
        "return offs[start], offs[end - 1] + 1",
        "return offs[start], offs[end]",
        DISPLAY,
        what="a display span maps back to a source span running past its end",
    ),
    # -- the page of a quote (assistant/pages.py) --------------------------------------------
    m(
        "pages-chunk-page",
        "assistant/pages.py",
        "    page, label = page_at(passage, at)\n",
        "    page, label = passage.page, passage.page_label\n",
        PAGES,
        what="a quote is cited on its chunk's first page, not its own",
    ),
    m(
        "pages-end-at-start",
        "assistant/pages.py",
        "end, _ = page_at(passage, at + max(len(quote) - 1, 0))",
        "end, _ = page_at(passage, at)",
        PAGES,
        what="a quote running over a page break ends on the page it starts",
    ),
    m(
        "pages-page-start-off-by-one",
        "assistant/pages.py",
        "if start > offset:",
        "if start >= offset:",
        PAGES,
        what="the first character of a page is given the page before",
    ),
    m(
        "pages-merged-separator",
        "assistant/pages.py",
        "base = end + (1 if near else 2)",
        "base = end",
        PAGES,
        what="offsets in a merged passage ignore the separators between its chunks",
    ),
    m(
        "lexical-no-paragraph-opening",
        "index/lexical.py",
        'while (j := before(cur)) is not None and one_block(metas[j].get("end"), cur.get("start")):',
        "while False:",
        LEXICAL_OPENING,
        what="a later part of a split paragraph is not found by the paragraph's opening words",
    ),
    m(
        "lexical-opening-of-any-chunk",
        "ingest/model.py",
        "return end is not None and start is not None and start - end == 1",
        "return end is not None and start is not None",
        LEXICAL_OPENING,
        what="every chunk reads the opening words of the paragraphs before it",
    ),
    m(
        "wrapped-heading-not-joined",
        "ingest/structure.py",
        "if prev is not None and _wrapped(prev, r):",
        "if False:",
        WRAPPED,
        what="a heading's second line, wrapped by a converter, becomes a heading of its own",
    ),
    m(
        "wrapped-heading-any-end",
        "ingest/structure.py",
        "and bool(_OPEN_HEADING.search(heading.text))",
        "and True",
        WRAPPED,
        what="any short line after a heading is taken as the heading's second line",
    ),
    m(
        "whole-block-any-neighbour",
        "assistant/neighbours.py",
        "if after is None or not parts[-1].continued_by(after):",
        "if after is None:",
        WHOLE_UNIT,
        what="a passage takes in the next chunk even when it begins a new paragraph",
    ),
    m(
        "whole-block-stage-ignored",
        "assistant/retrieve.py",
        'if cfg.on("whole") and cfg.whole_chunks > 1 and not direct:',
        "if False:",
        WHOLE_REAL,
        what="a passage ending inside a paragraph is never given the rest of it",
    ),
    m(
        "broad-marker-closes-sentence",
        "assistant/broad.py",
        'seg = _MARKERS_END.sub("", text[x.start : x.end].strip())',
        "seg = text[x.start : x.end].strip()",
        ["tests/test_answer_shape_unit.py", "-k", "marker_after_a_colon"],
        what="'... except for:[12]' is taken as a whole sentence, its list left out",
    ),
    m(
        "broad-reprint-twice",
        "assistant/broad.py",
        "display_text(chunks[p.chunk].text[p.start : p.end])",
        "chunks[p.chunk].text[p.start : p.end]",
        ["tests/test_answer_shape_unit.py", "-k", "printed_twice"],
        what="a recommendation reprinted with other note markers is given twice",
    ),
    m(
        "term-weights-summed-in-set-order",
        "assistant/sentences.py",
        "return fsum(idf(t) for t in terms & words)",
        "return sum(idf(t) for t in terms & words)",
        ["tests/test_determinism_unit.py"],
        what="a sentence's share of the question differs in its last bit from run to run",
    ),
    m(
        "answer-short-forms-unread",
        "assistant/extractive.py",
        "expand=self._short_forms(p),",
        "expand=None,",
        ["tests/test_shortforms.py", "-k", "answer_sentence"],
        what="'the HFT decided ...' does not hold 'Harbour Ferry Trust' when answers are picked",
    ),
    # -- A person asked for by office (assistant/evidence.py, index/persons.py) ----------------
    m(
        "holder-any-name",
        "assistant/factcues.py",
        "return _beside(sentence, forms, [start for _, start in people], ROLE_REACH)",
        "return bool(people)",
        HOLDER_UNIT,
        what="a person named anywhere in the sentence answers who holds the office",
    ),
    m(
        "holder-question-names-count",
        "assistant/evidence.py",
        "if n not in asked]",
        "]",
        HOLDER_UNIT,
        what="a person the question names answers who holds the office",
    ),
    m(
        "holder-reach-unbounded",
        "assistant/factcues.py",
        "[start for _, start in people], ROLE_REACH)",
        "[start for _, start in people], 10**6)",
        HOLDER_UNIT,
        what="a person named anywhere in the sentence is taken as the office's holder",
    ),
    m(
        "holder-titles-not-read",
        "index/lexical.py",
        "self._titled = titled_surnames(self.texts)",
        "self._titled = frozenset()",
        HOLDER_REAL,
        what="a name the reports print with a title elsewhere is not known as a person's",
    ),
    m(
        "holder-title-spans-sentences",
        "index/persons.py",
        '(?:[A-Z][a-z][\\w-]*|[A-Z]\\.)"',
        '(?:[A-Z][a-z][\\w-]*\\.?|[A-Z]\\.)"',
        HOLDER_UNIT,
        what="'Mr Roe. The Committee met' makes 'Committee' a person's surname",
    ),
    m(
        "institution-any-name",
        "assistant/factcues.py",
        "return _beside(sentence, forms, starts, KIND_REACH)",
        "return bool(starts)",
        HOLDER_UNIT,
        what="a name anywhere in the sentence answers which prison or hospital",
    ),
    m(
        "institution-month-is-name",
        "assistant/factcues.py",
        'rf"\\b(?!(?:{MONTHS})\\b)[A-Z][a-z][\\w\'’-]*"',
        'rf"\\b[A-Z][a-z][\\w\'’-]*"',
        HOLDER_UNIT,
        what="'he left prison in June' names a prison",
    ),
    m(
        "institution-question-names-count",
        "assistant/factcues.py",
        "and surname(m.group()) not in asked",
        "",
        HOLDER_UNIT,
        what="the name of the person the question asks about is taken for the prison's",
    ),
    # -- Excerpts ticks (ui/excerpts.py) ---------------------------------------------------------
    m(
        "ticks-never-untick",
        "ui/excerpts.py",
        "after = set(ticks or []) ^ {number}",
        "after = set(ticks or []) | {number}",
        TICKS,
        what="a second click on a ticked excerpt leaves it ticked",
    ),
    m(
        "ticks-any-column",
        "ui/excerpts.py",
        "if len(index) < 2 or index[1] != 0:",
        "if len(index) < 2:",
        TICKS,
        what="a click on an excerpt's title ticks it",
    ),
    # -- Short forms (index/shortforms.py, index/lexical.py) -------------------------------------
    m(
        "short-joining-word-starts",
        "index/shortforms.py",
        "if skipped is not None or w[0].upper() != caps[i] or i == 0:",
        "if skipped is not None or w[0].upper() != caps[i]:",
        SHORT_UNIT,
        what="'the regulator of Thrift Supervision (OTS)' reads 'of Thrift Supervision' as OTS",
    ),
    m(
        "short-joining-word-never-letter",
        "index/shortforms.py",
        "return _match(words, j - 1, caps, i - 1, True)\n    return",
        "return None\n    return",
        SHORT_UNIT,
        what="'News of the World (NoTW)' is not read: 'the' may never stand for the T",
    ),
    m(
        "short-first-long-form",
        "index/shortforms.py",
        "c.most_common(1)[0][0]",
        "next(iter(c))",
        SHORT_UNIT,
        what="a short form defined twice in one report keeps its first long form, not its usual",
    ),
    m(
        "short-spell-ignored",
        "index/lexical.py",
        "        if spell:\n",
        "        if False:\n",
        SHORT_REAL,
        what="a short form in a question is never searched by its long form",
    ),
    m(
        "answer-report-parts-off",
        "assistant/extractive.py",
        "picked += self._report_parts(question, passages, picked)",
        "picked += []",
        EXTRACTIVE_UNIT,
        what="a pointed question naming two reports is answered from one",
    ),
    m(
        "answer-named-docs-by-doc",
        "assistant/documents.py",
        "by_name.setdefault(called, c.doc_id)",
        "by_name.setdefault(frozenset([c.doc_id]), c.doc_id)",
        EXTRACTIVE_UNIT,
        what="a review and its briefing, both titled 'Child W', are answered as two reports",
    ),
    m(
        "short-any-case",
        "index/shortforms.py",
        "return self.short <= words and bool(",
        "return self.short <= words or bool(",
        SHORT_UNIT,
        what="'send a referral' is read as the SEND code, special educational needs",
    ),
    m(
        "short-sentence-stage-blind",
        "assistant/retrieve.py",
        'spell = lex.short_forms().expanded if cfg.on("spell") else None',
        "spell = None",
        SHORT_REAL,
        what="the sentence stage reads 'the OTS employed' without the Office it stands for",
    ),
    m(
        "rare-name-one-sentence",
        "assistant/evidence.py",
        'named(p, " ".join([p.section or "", *segs[max(i - 1, 0) : i + 2]]))',
        "named(p, seg)",
        RARE_UNIT,
        what="'the crossing reopened on 3 May; it was the Orkney route' no longer answers",
    ),
    m(
        "rare-name-every-name",
        "assistant/reportuse.py",
        "rare = [g for g in groups if 0 < self.spread(g, c.doc_id) < self.rare]",
        "rare = [g for g in groups if 0 < self.spread(g, c.doc_id)]",
        RARE_UNIT,
        what="a name the report is about ('Ferry') must stand beside every fact asked of it",
    ),
    m(
        "rare-name-short-forms-unread",
        "assistant/service.py",
        "lex.spread, lex.title_words(), lex.short_forms().expanded, titled=",
        "lex.spread, lex.title_words(), titled=",
        RARE_REAL,
        what="'the NIF crossing reopened on 3 May' does not name Northern Isles Ferries",
    ),
    m(
        "rare-name-unchecked",
        "assistant/extractive.py",
        "self.use = use and replace(use, rare=self.rare_name, topic=self.topic_spread)",
        "self.use = None",
        RARE_UNIT,
        RARE_REAL,
        what="the Shetland crossing's date answers 'when did the Orkney crossing reopen?'",
    ),
    m(
        "count-may-be-a-year-or-a-day",
        "assistant/qtypes.py",
        'rf"(?<![£$€\\d.,])\\b(?!{YEAR}\\b)(?!\\d\\d?\\s+(?:{MONTHS})\\b)\\d[\\d,.]*\\b"',
        'rf"(?<![£$€\\d.,])\\b\\d[\\d,.]*\\b"',
        QTYPES_UNIT,
        what="a count of cancellations is answered by the year 'suspended in 2015'",
    ),
    m(
        "count-may-be-a-sum",
        "assistant/qtypes.py",
        'rf"(?<![£$€\\d.,])\\b(?!{YEAR}',
        'rf"\\b(?!{YEAR}',
        QTYPES_UNIT,
        what="'how many postmasters?' is answered by '£100,000 for each postmaster'",
    ),
    m(
        "letter-name-any-report",
        "assistant/evidence.py",
        "docs |= {c.doc_id for c in chunks} & set(says(person))",
        "pass",
        QTYPES_UNIT,
        what="a penalty asked of Mr K is answered by a sentence from another report",
    ),
    m(
        "penalty-yes-no-unheard",
        "assistant/qtypes.py",
        'r"^\\s*(?:was|were|did|has|had)\\b.{0,60}?\\b(?:given|',
        'r"(?!)(?:was|were|did|has|had)\\b.{0,60}?\\b(?:given|',
        QTYPES_UNIT,
        what="'was the driver given a suspended sentence?' is answered without one",
    ),
    m(
        "cut-sentence-end-left-behind",
        "ingest/chunking.py",
        "head = _carried_head(groups[-1], p, used, text, title, limit, cost)",
        "head = None",
        ["tests/test_ingest_chunking.py"],
        what="'... by top NASA' | 'and contractor personnel ...': the finding is quoted cut",
    ),
    m(
        "questions-state-things",
        "assistant/broad.py",
        "return bool(SIGNPOSTS.search(sentence) or _ASKS.search(sentence))",
        "return bool(SIGNPOSTS.search(sentence))",
        EXTRACTIVE_UNIT,
        what="'Was the accident survivable?' is quoted as if it answered 'when did it happen?'",
    ),
    m(
        "topic-words-share-the-fact",
        "assistant/reportuse.py",
        "rest = {t for t in terms if 0 < self.spread(frozenset([t]), c.doc_id) < self.topic}",
        "rest = set(terms)",
        RARE_UNIT,
        what="'when is the advice next due to be reviewed?' answered by its publication date",
    ),
    m(
        "topic-unused-words-alone",
        "assistant/reportuse.py",
        "rest = {t for t in terms if 0 < self.spread(frozenset([t]), c.doc_id) < self.topic}",
        "rest = {t for t in terms if self.spread(frozenset([t]), c.doc_id) < self.topic}",
        RARE_UNIT,
        what="'how many anglers did the survey count?' refused: only 'many' left to share",
    ),
    m(
        "lexical-torn-read-cached",
        "index/lexcache.py",
        "if store.active_versions() != active:",
        "if False:",
        ["tests/test_index_store.py", "-k", "removed_is_not_cached"],
        what="an index read while beta was removed is found again when beta comes back",
    ),
    # -- The report's own word that the asked fact is not known (assistant/unknowns.py) --------
    m(
        "unknown-any-kind",
        "assistant/unknowns.py",
        "            if any(m.start() - _REACH <= e and s <= m.end() + _REACH for s, e in nots):",
        "            if nots:",
        UNKNOWN_UNIT,
        what="'it is unclear why the letter was sent; it arrived on 3 May' refuses 'when?'",
    ),
    m(
        "unknown-able-is-unable",
        "assistant/unknowns.py",
        "(?:was|were|is|are|am) (?:not able|unable) to|not ",
        "(?:was|were|is|are|am) (?:not able|unable|able) to|not ",
        UNKNOWN_UNIT,
        what="'the warden was able to explain why' refuses 'why was the gate open?'",
    ),
    m(
        "unknown-not-checked",
        "assistant/extractive.py",
        "asked = [t.name for t in types_of(about or question)] if self.unknown_check else []",
        "asked = []",
        UNKNOWN_REAL,
        what="'for reasons that remain unclear ...' is quoted as the reason asked for",
    ),
    m(
        "broad-object-between",
        "assistant/qtypes.py",
        'r"\\b|\\bwhat (?:(?:[\\w-]+ ){0,2}?[\\w-]+s )?(?:did|does|do) ',
        'r"\\b|\\bwhat (?:did|does|do) ',
        QTYPES_UNIT,
        what="'what changes did the panel recommend?' is answered with one sentence",
    ),
    m(
        "amount-worth-unread",
        "assistant/qtypes.py",
        'r"\\bwhat (?:was|were|is|are) .{0,60}?\\bworth\\W*$|"',
        'r"(?!)"',
        QTYPES_UNIT,
        what="'what was the lease worth?' is not checked for a sum, so a near miss is answered",
    ),
    m(
        "holder-ranks-unread",
        "assistant/qtypes.py",
        '"commander, captain, editor, inspector, detective, prosecutor, representative, ambassador, "',
        '"commanders, "',
        HOLDER_UNIT,
        what="'who was the captain of the ferry?' is answered by a sentence naming no captain",
    ),
    m(
        "counted-verb-as-noun",
        "assistant/factcues.py",
        "    if words[0].lower() in _AUXILIARIES:",
        "    if False:",
        QTYPES_UNIT,
        what="'how much did the board pay?' needs the word 'pay' beside the sum ('paid £5m' fails)",
    ),
    m(
        "short-form-not-read-back",
        "index/shortforms.py",
        "out |= {w for f in spelled[k] if f.long <= words for w in f.short}",
        "out |= set()",
        SHORT_UNIT,
        what="'the designated safeguarding lead must ...' does not answer a question about the DSL",
    ),
    m(
        "short-form-report-not-asked",
        "assistant/evidence.py",
        "        docs |= {c.doc_id for c in chunks} & set(says(short))",
        "        pass",
        QTYPES_UNIT,
        what="a report that spells 'HSO' out in the read chunk is not read for the asked fact",
    ),
    m(
        "nationality-is-a-name",
        "assistant/sentences.py",
        'tokenize(f"report reports inquiry review volume part chapter page paragraph {NATIONALITIES}")',
        'tokenize("report reports inquiry review volume part chapter page paragraph")',
        ["tests/test_retrieval_stages.py", "-k", "nationality"],
        what="'British troops' refused by a report that writes 'UK forces'",
    ),
]


def tracked_files(root: Path) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [f for f in out.splitlines() if (root / f).is_file()]


def scratch_copy(dest: Path) -> Path:
    for rel in tracked_files(REPO):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    return dest


def test_env(tree: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(tree),
        "INQUIRY_SHARED": os.environ.get("INQUIRY_SHARED", str(REPO.parent / "shared")),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def check_imports_from(tree: Path) -> None:
    """The tests must import the scratch copy's packages, not an installed (editable) tree."""
    code = "import assistant, index, ingest, ui; print(assistant.__file__, index.__file__, ingest.__file__, ui.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tree,
        env=test_env(tree),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrong = [f for f in out if not Path(f).resolve().is_relative_to(tree.resolve())]
    if wrong:
        raise SystemExit(f"the scratch tree's tests would import {wrong}, not the scratch copy")


def run_tests(tree: Path, args: tuple[str, ...], timeout_s: float) -> tuple[str, float, str]:
    """('pass' | 'fail' | 'timeout' | 'error ...', seconds, the first failing test) for one
    pytest run in the scratch tree."""
    env = test_env(tree)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *args]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - t0, ""
    secs = time.monotonic() - t0
    failed = [x for x in proc.stdout.splitlines() if x.startswith(("FAILED ", "ERROR "))]
    first = failed[0].split(" - ")[0] if failed else ""
    if proc.returncode == 0:
        return "pass", secs, ""
    if proc.returncode in (1, 2, 3):  # tests failed, interrupted (import error), internal
        return "fail", secs, first
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
    return f"error (pytest exit {proc.returncode}: {' / '.join(tail)})", secs, first


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--only", action="append", default=[], help="ids containing this text")
    p.add_argument("--list", action="store_true", help="print the mutations and exit")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per pytest run")
    p.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    args = p.parse_args(argv)
    chosen = [x for x in MUTATIONS if not args.only or any(o in x.id for o in args.only)]
    if args.list:
        for x in chosen:
            print(f"{x.id:34} {x.file:24} {x.what}")
            for t in x.tests:
                print(f"{'':34}   pytest {' '.join(t)}")
        return 0

    results: list[tuple[Mutation, str]] = []
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        tree = scratch_copy(Path(tmp) / "tree")
        check_imports_from(tree)
        if not args.no_baseline:
            for sel in dict.fromkeys(t for x in chosen for t in x.tests):
                status, secs, first = run_tests(tree, sel, args.timeout)
                print(f"baseline {status:7} {secs:6.0f} s  pytest {' '.join(sel)}", flush=True)
                if status != "pass":
                    print("the unmutated tree must pass these tests first", file=sys.stderr)
                    return 2
        for x in chosen:
            target = tree / x.file
            source = target.read_text(encoding="utf-8")
            n = source.count(x.original)
            if n != 1:
                results.append((x, "stale"))
                print(f"stale    {x.id}: the snippet occurs {n} times in {x.file}", flush=True)
                continue
            target.write_text(source.replace(x.original, x.replacement), encoding="utf-8")
            outcome, total, by = "survived", 0.0, ""
            try:
                for sel in x.tests:
                    status, secs, first = run_tests(tree, sel, args.timeout)
                    total += secs
                    if status in ("fail", "timeout"):
                        outcome, by = "killed", f"  (by {first or sel[0] + ', ' + status})"
                        break
                    if status != "pass":
                        outcome = status
                        break
            finally:
                target.write_text(source, encoding="utf-8")
            results.append((x, outcome))
            print(f"{outcome:8} {x.id:34} {total:6.0f} s  {x.what}{by}", flush=True)

    print("\nkilled per module:")
    modules = dict.fromkeys(x.file for x, _ in results)
    for mod in modules:
        mine = [o for x, o in results if x.file == mod and o != "stale"]
        killed = sum(o == "killed" for o in mine)
        share = f"{killed / len(mine):.0%}" if mine else "-"
        print(f"  {mod:26} {killed}/{len(mine)} killed ({share})")
    counted = [o for _, o in results if o != "stale"]
    killed = sum(o == "killed" for o in counted)
    print(f"  {'all':26} {killed}/{len(counted)} killed")
    bad = [(x.id, o) for x, o in results if o != "killed"]
    for id_, o in bad:
        print(f"  not killed: {id_} ({o})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
