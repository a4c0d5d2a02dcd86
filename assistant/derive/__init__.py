"""Derived knowledge: recommendations, findings, chronology and themes, from the indexed
chunks' verbatim text (no LLM). Each item is a verbatim span with its citation handle."""
