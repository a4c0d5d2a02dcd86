"""Which names are people's: the titles reports print before a person's name, and the
surnames they print after one.

Reports title people ("Mr Blair", "Dr Brian Jones", "Lord Justice Leveson", "Rear Admiral
Richard H. Truly") and, once introduced, often name them without it ("Tony Blair said ...").
A capitalised name in a sentence is a person's when the reports print its last word after a
personal title somewhere; "Northmoor General Hospital" or "Armed Forces Institute" never
are. Used to tell whether a sentence names the person a question asks for
(assistant/qtypes.py `HOLDER`). Examples here are ours or general usage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Titles and ranks that only ever come before a person's name, in full and short forms.
# Left out on purpose: words that also start names of places and bodies ("General Hospital",
# "Major Incident", "Justice Department", "Chief Constable's office").
PERSONAL_TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Baroness",
    "Professor",
    "Prof",
    "Rev",
    "Judge",
    "Admiral",
    "Colonel",
    "Col",
    "Gen",
    "Lt",
    "Capt",
    "Sgt",
    "Det",
    "Supt",
    "Insp",
    "Senator",
    "Sen",
)

# Letters after a name that only a person has ("Robert Jay QC", "Jane Smith MP").
POST_NOMINALS = ("QC", "KC", "MP", "MSP", "CBE", "OBE", "MBE", "KBE", "DBE", "JP")

# a name's words on one line: capitalised words and initials; a possessive or a full stop
# ends the name ("Mr Blair’s Private Office" -> Blair, "Mr Roe. The" -> Roe)
_WORD = r"(?:[A-Z][a-z][\w-]*|[A-Z]\.)"
# a title, then up to three more names or initials, then the name it titles: the last of
# them ("Lord Justice Leveson" -> Leveson, "Rear Admiral Richard H. Truly" -> Truly, "Mr T"
# -> T)
TITLED = re.compile(
    rf"\b(?:{'|'.join(PERSONAL_TITLES)})\.? ((?:{_WORD} ){{0,3}}(?:[A-Z][a-z][\w-]*|[A-Z]\b))"
)
# "Joseph P. Kenvin": a first name, an initial, a surname
INITIALLED = re.compile(r"\b[A-Z][a-z]+\s+[A-Z]\.\s+[A-Z][a-z][\w'’-]*")
POST_NOMINAL = re.compile(rf"\b[A-Z][a-z][\w'’-]*\s+(?:{'|'.join(POST_NOMINALS)})\b")
# a capitalised word: a name, maybe a person's
CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'’-]*")


def surname(name: str) -> str:
    """The name's last word without a possessive ("Blair's" -> "Blair")."""
    last = name.split()[-1]
    return re.sub(r"['’]s$", "", last)


def titled_surnames(texts: Iterable[str]) -> frozenset[str]:
    """The surnames `texts` print after a personal title (about 0.3 s over the shared corpus)."""
    return frozenset(surname(m.group(1)) for t in texts for m in TITLED.finditer(t))


def people_named(sentence: str, titled: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """The people `sentence` names, as (surname, where the name starts): after a title, with
    an initial or letters after the name, or a capitalised word that `titled` (see
    `titled_surnames`) holds."""
    out = [(surname(m.group(1)), m.start(1)) for m in TITLED.finditer(sentence)]
    out += [(surname(m.group()), m.start()) for m in INITIALLED.finditer(sentence)]
    out += [(m.group().split()[0], m.start()) for m in POST_NOMINAL.finditer(sentence)]
    out += [
        (w, m.start())
        for m in CAPITALISED.finditer(sentence)
        if (w := surname(m.group())) in titled
    ]
    return out
