"""Which names are people's: the titles reports print before a person's name, and the
surnames they print after one.

Reports title people ("Mr Blair", "Dr Brian Jones", "Lord Justice Leveson", "Rear Admiral
Richard H. Truly") and, once introduced, often name them without it ("Tony Blair said ...").
A capitalised name in a sentence is a person's when the reports print its last word after a
personal title somewhere; "Northmoor General Hospital" or "Armed Forces Institute" never
are. Used to tell whether a sentence names the person a question asks for
(assistant/qtypes.py `HOLDER`). The ranks a question may give in full ("General Walker") and
the short forms reports print them in ("Gen Walker") are here too (`TITLES`, `titled_known`:
assistant/evidence.py `unknown_names`). Examples here are ours or general usage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

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


# Ranks and titles that come before a person's name, with the short forms reports print
# ("Gen Walker", "Lt Col Smith", "Det Supt Jones"): a user asking about "General Walker" or
# "Admiral Truly" means the person a report calls "Gen Walker" or "Rear Admiral Richard H.
# Truly" (examples ours). Data, not a rule for one question.
TITLES = {
    "general": ("Gen",),
    "lieutenant": ("Lt",),
    "colonel": ("Col",),
    "major": ("Maj",),
    "captain": ("Capt",),
    "commander": ("Cdr",),
    "admiral": (),
    "brigadier": ("Brig",),
    "sergeant": ("Sgt",),
    "constable": ("PC",),
    "inspector": ("Insp",),
    "superintendent": ("Supt",),
    "detective": ("Det", "DS", "DC", "DI", "DCI"),
    "commissioner": (),
    "professor": ("Prof",),
    "doctor": ("Dr",),
    "senator": ("Sen",),
    "judge": (),
    "sir": (),
    "dame": (),
    "lord": (),
    "lady": (),
}


def titled_known(name: str, says: Callable[[str], Collection[str]]) -> bool:
    """A name with a rank or title ("General Walker", "Rear Admiral Truly") whose rest (after
    its last title word) a document names, where the same document uses that title in full or
    short form: reports add first names and initials and shorten ranks."""
    words = name.split()
    last = max((i for i, w in enumerate(words) if w.lower().rstrip(".") in TITLES), default=None)
    if last is None or last == len(words) - 1:
        return False
    docs = set(says(" ".join(words[last + 1 :])))
    title = words[last].rstrip(".")
    return any(docs & set(says(t)) for t in (title, title.capitalize(), *TITLES[title.lower()]))
