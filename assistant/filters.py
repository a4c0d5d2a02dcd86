"""What a search is limited to: reports (doc ids) and publication years."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Filters:
    doc_ids: list[str] | None = None
    years: list[int] | None = None

    def where(self) -> dict | None:
        clauses = []
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.years:
            clauses.append({"year": {"$in": [int(y) for y in self.years]}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def key(self) -> tuple:
        return ("filters", frozenset(self.doc_ids or ()), frozenset(self.years or ()))

    def allows(self, meta: dict) -> bool:
        if self.doc_ids and meta.get("doc_id") not in self.doc_ids:
            return False
        return not (self.years and meta.get("year") not in self.years)
