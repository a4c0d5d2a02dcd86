"""Dump plain text of every corpus document to $QUESTION_TEXTS/<doc>/<file>.txt.
PDFs: one '=== page N ===' line before each page (1-based page index). HTML: visible text."""

import pathlib
import re

import pypdfium2
from bs4 import BeautifulSoup

OUT = pathlib.Path(__import__("os").environ.get("QUESTION_TEXTS", "/tmp/question-texts"))
roots = {"": pathlib.Path("../shared/corpus"), "sample": pathlib.Path("corpus")}
for prefix, root in roots.items():
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name in ("INDEX.md", "SOURCE.md") or p.suffix == ".json":
            continue
        rel = p.relative_to(root)
        dest = OUT / (prefix or "") / (str(rel) + ".txt")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if p.suffix == ".pdf":
            pdf = pypdfium2.PdfDocument(str(p))
            parts = []
            for i in range(len(pdf)):
                parts.append(f"=== page {i + 1} ===\n" + pdf[i].get_textpage().get_text_range())
            text = "\n".join(parts)
        elif p.suffix in (".html", ".htm"):
            soup = BeautifulSoup(p.read_bytes(), "lxml")
            for t in soup(["script", "style", "nav", "header", "footer"]):
                t.decompose()
            text = soup.get_text("\n")
            text = re.sub(r"\n\s*\n+", "\n\n", text)
        elif p.suffix == ".docx":
            import docx

            text = "\n\n".join(par.text for par in docx.Document(str(p)).paragraphs)
        else:
            text = p.read_text(encoding="utf-8", errors="replace")
        dest.write_text(text)
        print(dest, len(text))
