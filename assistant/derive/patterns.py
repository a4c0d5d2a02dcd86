"""The detection patterns of derived items, as documented data.

Everything the extractors look for is here: the heading words of the sections that hold
recommendations, findings and chronologies, the numbering styles of a numbered item, the cue
phrases that state a recommendation in running text, the date forms of a chronology, and the
starter themes. Each pattern has examples (written for this module, not taken from any
evaluation question) and `tests/test_derive_unit.py` checks that every example matches.
"""

from __future__ import annotations

import re

# -- section headings ------------------------------------------------------------------------
# A heading (or the section a chunk is filed under) that contains one of these words opens a
# section whose paragraphs are items of that kind, until the next heading that does not.
RECOMMENDATION_HEADINGS = re.compile(
    r"\b(recommendations?|lessons(?: to be)? learn(?:ed|t)|what (?:must|needs to|should)"
    r" change|actions? required|next steps for)\b|^\W*(?:[\dA-Za-z]{1,3}[.)]\s+)?lessons\b",
    re.I,
)
RECOMMENDATION_HEADING_EXAMPLES = (
    "7. Recommendations",
    "Summary of recommendations",
    "Lessons learned",
    "Lessons",
    "What must change",
)
NOT_RECOMMENDATION_HEADING_EXAMPLES = ("Learning lessons",)  # a process, not the lessons

FINDING_HEADINGS = re.compile(
    r"(?<![-\w])(findings?|conclusions?|what went wrong|key issues identified|summary of failings)\b",
    re.I,
)
FINDING_HEADING_EXAMPLES = ("6. Findings", "Key findings", "Conclusions", "What went wrong")
NOT_FINDING_HEADING_EXAMPLES = ("The fact-finding exercise",)

# A heading followed by a page number is a line of a table of contents, not a section.
CONTENTS_LINE = re.compile(r"[A-Za-z)]\s+(?:\d{1,3}|[ivxlc]{1,6})$")
CONTENTS_LINE_EXAMPLES = ("7. Recommendations 9", "Foreword iii")

CHRONOLOGY_HEADINGS = re.compile(
    r"\b(chronology|timeline|time line|key events|sequence of events|history of events)\b", re.I
)
CHRONOLOGY_HEADING_EXAMPLES = ("3. Chronology", "Timeline of key events", "Sequence of events")

# A heading that is one of these words, or starts with a season / month and year, continues a
# chronology section rather than ending it ("Autumn 2022", "January 2024").
CHRONOLOGY_SUBHEADING = re.compile(
    r"^(?:(?:early |late |mid-?)?(?:spring|summer|autumn|winter|january|february|march|april|"
    r"may|june|july|august|september|october|november|december)\s+\d{4}|\d{4}(?:\s*[-–]\s*\d{2,4})?)$",
    re.I,
)
CHRONOLOGY_SUBHEADING_EXAMPLES = ("Autumn 2022", "January 2024", "2019", "2007-08")

# -- numbered items ----------------------------------------------------------------------------
# "Recommendation 4:", "Recommendation 12.", "R12:", "4.271 Recommendation", "Finding 3 –".
# `number` is the number as printed. Bold markup (**) around the label is allowed.
NUMBERED_RECOMMENDATION = re.compile(
    r"^[*_“\"]*(?:(?P<para>\d{1,3}(?:\.\d{1,3}){0,2})\.?\s+)?[*_]*"
    r"(?:recommendation\s+(?P<number>\d{1,3}[a-z]?)|(?P<r>R\d{1,3}[a-z]?))"
    r"[*_]*\s*(?:[:.)–—-]|$)[*_]*\s*",
    re.I,
)
NUMBERED_RECOMMENDATION_EXAMPLES = (
    "Recommendation 4: The Council should publish its plan.",
    "7.2 Recommendation 1: The partnership should review its policy.",
    "R12. Agencies must share records.",
    "**Recommendation 3:** The Board shall meet.",
)
# A paragraph label followed by the word alone: "4.271 Recommendation" (the text follows).
LABELLED_RECOMMENDATION = re.compile(
    r"^(?P<para>\d{1,3}(?:\.\d{1,3}){1,2})\.?\s+[*_]*recommendation[*_]*\s*(?:[:.–—-]\s*|\n)",
    re.I,
)
LABELLED_RECOMMENDATION_EXAMPLES = ("4.271 Recommendation: The Home Office should act.",)

NUMBERED_FINDING = re.compile(
    r"^[*_“\"]*(?:(?P<para>\d{1,3}(?:\.\d{1,3}){0,2})\.?\s+)?[*_]*"
    r"(?:(?:key\s+)?finding\s+(?P<number>\d{1,3}[a-z]?)|(?P<r>F\d{1,3}[a-z]?))"
    r"[*_]*\s*(?:[:.)–—-]|$)[*_]*\s*",
    re.I,
)
NUMBERED_FINDING_EXAMPLES = (
    "Finding 2: Injuries were assessed one at a time.",
    "6.1 Finding 1: Nobody asked who lived in the house.",
    "F3 - Records were incomplete.",
)

# A list item inside a recommendations / findings section: "1.", "(a)", "#.", "•".
LIST_ITEM = re.compile(r"^(?:\(?(?P<n>\d{1,3}|[a-z]|[ivx]{1,5})[.)]|#\.|[•*–-])\s+")
LIST_ITEM_EXAMPLES = ("1. Ensure that staff are trained.", "(b) publish the plan", "#. Consult.")

# -- cue phrases in running text ---------------------------------------------------------------
# A sentence that states a recommendation outside a recommendations section.
RECOMMENDATION_CUE = re.compile(
    r"(?<!\bas )(?<!\bwhich )(?<!\bthat )(?<!\bwhat )(?<!\bshould )\b(?:we|i|the (?:review|"
    r"panel|committee|inquiry|board|report|subcommittee|commission)) (?:(?:therefore|also|"
    r"strongly|further|do|would|thus|accordingly|now|again|additionally|specifically)\s+)*"
    r"recommends?\b(?! (?:against|to me))(?!ed)",
    re.I,
)
RECOMMENDATION_CUE_EXAMPLES = (
    "We recommend that the Trust appoints a named lead.",
    "The Committee recommends that the agency review its procedures.",
    "Accordingly, I recommend:",
    "I do recommend that the Board should require it.",
)
NOT_RECOMMENDATION_CUE_EXAMPLES = (  # a recommendation referred to, not made here
    "If, as I recommend, the principle is introduced, there is no risk.",
    "The clarity which I recommend will help claimants.",
    "He said that, should the Inquiry recommend it, he would act.",
)
QUOTED_CUE_EXAMPLES = ('Her manager replied: "I would recommend we wait."',)
# Sentences that introduce the items rather than being one ("makes the following
# recommendations", "Recommendations are set out below").
INTRODUCTION = re.compile(
    r"\b(?:the following (?:recommendations|findings|conclusions|lessons)|"
    r"(?:recommendations|findings|conclusions) (?:are|is) (?:set out|listed|summarised)|"
    r"makes? (?:the following|\w+) (?:recommendations|findings))\b",
    re.I,
)
INTRODUCTION_EXAMPLES = (
    "The review makes the following recommendations.",
    "Our findings are set out below.",
)
# A paragraph in a recommendations section is a recommendation when it asks for something: a
# modal verb in its first sentence, or an imperative opening.
NORMATIVE = re.compile(
    r"\b(?:should|must|shall|ought to|needs? to|is to|are to|will need to|recommends?)\b"
    r"|^(?:[*_]*[\w\s\"“”'’-]{0,80}?\.\s+)?(?:ensure|establish|require|review|consider|introduce|"
    r"publish|develop|strengthen|complete|rank|reduce|help|narrow|design|study|evaluate|create|"
    r"make|set up|provide|appoint|amend|issue|audit)\b",
    re.I,
)
NORMATIVE_EXAMPLES = (
    "Agencies should share records.",
    "Ensure that the plan is reviewed.",
    "Strengthen Enforcement. Regulators must review their approach.",
)
NOT_NORMATIVE_EXAMPLES = ("Regulators failed to ensure safe lending.",)
# A list that a converter ran into one block: "1. Do this. 2. Do that." (the next number
# after a sentence end starts the next item).
RUN_ON_ITEM = re.compile(r"(?<=[.;:])\s+(?P<n>\d{1,2})\.\s+(?=[A-Z“\"])")

# Who a recommendation is addressed to: the words before its first modal verb, when they are
# a short name starting with a capital ("The NSCP", "Northmoor Constabulary and ...").
ADDRESSEE_VERB = re.compile(r"\s(?:should|must|shall|will|needs? to|ought to|is to|are to)\b")
# An opening clause before the addressee: "Twelve months after publication, the NSCP should".
LEADING_CLAUSE = re.compile(
    r"^(?:within|by|after|before|in|from|over|as soon|following|where|when|if|once|until|"
    r"one|two|three|six|twelve|\d+)\b",
    re.I,
)
ADDRESSEE_EXAMPLES = (
    ("The NSCP should publish guidance.", "The NSCP"),
    (
        "Northmoor Constabulary and children's social care should change procedures.",
        "Northmoor Constabulary and children's social care",
    ),
)

# -- dates ---------------------------------------------------------------------------------------
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for m in names
}
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
# One date expression (a range gives its start): "2 to 13 October 2023", "March and July 2023",
# "3 August 2007", "3rd of August 2007", "August 3, 2007", "March 2023",
# "12/01/2023" (day first), "2023-01-12", "in 2019". Precision follows what is written.
DATE = re.compile(
    r"\b(?:(?P<d0>\d{1,2})(?:st|nd|rd|th)?\s+(?:to|and|-|–)\s+\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH.replace("month", "month0")
    + r",?(?:\s+(?P<y0>1[6-9]\d\d|20\d\d))?"
    r"|" + _MONTH.replace("month", "month9") + r"\s+(?:to|and|-|–)\s+(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+(?P<y9>1[6-9]\d\d|20\d\d)"
    r"|(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+"
    + _MONTH
    + r",?(?:\s+(?P<y1>1[6-9]\d\d|20\d\d))?"
    r"|"
    + _MONTH.replace("month", "month2")
    + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>1[6-9]\d\d|20\d\d)"
    r"|" + _MONTH.replace("month", "month3") + r",?\s+(?P<y3>1[6-9]\d\d|20\d\d)"
    r"|(?P<d4>\d{1,2})/(?P<m4>\d{1,2})/(?P<y4>(?:19|20)\d\d)"
    r"|(?P<y5>(?:19|20)\d\d)-(?P<m5>\d\d)-(?P<d5>\d\d)"
    r"|(?P<y6>1[6-9]\d\d|20\d\d))\b"
)
DATE_EXAMPLES = (
    ("On 3 August 2007 the GP saw the child.", "2007-08-03", "day"),
    ("In March 2023 the GP referred her.", "2023-03", "month"),
    ("On September 28, 2005, the board met.", "2005-09-28", "day"),
    ("In 2019 a notice was issued.", "2019", "year"),
    ("She was away from 2 to 13 October 2023.", "2023-10-02", "day"),
    ("Between March and July 2023 four visits were made.", "2023-03", "month"),
)
# A sentence that reports an event opens with a date ("On 3 October 2022 …", "In March 2023 …",
# "At 07:42 on 18 January 2024 …", "By June 2008 …", "12 January 2023: police attended …").
EVENT_OPENING = re.compile(
    r"^(?:[*_]{0,2})(?:(?:on|in|at|by|during|from|early in|late in|in late|in early|"
    r"in mid-?|on or about|shortly after|between|after|before|until)\s+)?"
    r"(?:(?:about\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?\s+(?:on\s+)?)?"
    r"(?:the\s+)?(?:\w+day,?\s+)?(?=\d|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    re.I,
)
EVENT_OPENING_EXAMPLES = (
    "On 3 October 2022 the midwife saw the mother.",
    "At 23:10 on 12 January 2023 police attended.",
    "In March 2023 the GP prescribed medication.",
    "12 January 2023: police attended the home.",
)
# In a chronology section, a date after one of these words is a plan or a deadline, not the day
# something happened ("rearranged for 25 January", "had not done so by 18 January").
NOT_EVENT_BEFORE = re.compile(r"\b(?:for|by|planned|due|deadline|expected)\s+(?:the\s+)?$", re.I)
NOT_EVENT_EXAMPLES = ("The meeting was rearranged for ", "She had not called back by ")
LIST_OF_DATES = 3  # a sentence with this many dates lists them (a referral's contents)
# "On the same day …", "… was arrested the same day" takes the date of the event before it in the same paragraph.
SAME_DAY = re.compile(r"\b(?:the same day|later that day|the same evening|that evening)\b", re.I)

# -- themes ----------------------------------------------------------------------------------
# Starter themes common to case reviews and inquiries: each a list of phrases that state it.
# A cell of the theme grid is the report's best sentence that holds one of these phrases
# (all its words, stemmed, in one sentence); free-text themes use their own words.
THEMES: dict[str, tuple[str, ...]] = {
    "information sharing": (
        "information sharing",
        "share information",
        "shared information",
        "sharing of information",
        "information was not shared",
        "information exchange",
        "exchange of information",
        "passing information",
    ),
    "escalation and challenge": (
        "escalation",
        "escalate",
        "professional challenge",
        "challenge decisions",
        "professional disagreement",
    ),
    "voice of the child": (
        "voice of the child",
        "child's voice",
        "seen alone",
        "views of the child",
        "child's wishes",
        "child's own words",
    ),
    "risk assessment": ("risk assessment", "assess risk", "assessment of risk", "risk assessed"),
    "leadership and culture": (
        "leadership",
        "organisational culture",
        "culture of",
        "senior management",
        "tone from the top",
    ),
    "record keeping": (
        "record keeping",
        "record-keeping",
        "records were",
        "recorded",
        "case records",
        "chronology",
    ),
    "whistleblowing": ("whistleblowing", "whistleblower", "whistle-blower", "raise concerns"),
    "regulator capture": (
        "regulator capture",
        "regulatory capture",
        "captured by",
        "too close to",
        "light-touch regulation",
        "light touch regulation",
    ),
}


# A heading that names recommendations or findings with something else ("Conclusions and
# recommendations", "Other issues and recommendations") opens a section of discussion: only
# its numbered items and cue sentences count.
MIXED_HEADING = re.compile(r"\b(?:and|&)\b|,", re.I)
MIXED_HEADING_EXAMPLES = ("Conclusions and recommendations", "d. Other Issues and Recommendations")


def heading_kind(text: str) -> str | None:
    """What kind of items a heading's section holds: 'recommendation', 'finding',
    'chronology', 'mixed' (recommendations or findings among discussion), or None."""
    t = text.strip()
    recs, finds = RECOMMENDATION_HEADINGS.search(t), FINDING_HEADINGS.search(t)
    if (recs or finds) and MIXED_HEADING.search(t):
        return "mixed"  # "Conclusions and recommendations": discussion, numbered items only
    if recs:
        return "recommendation"
    if finds:
        return "finding"
    if CHRONOLOGY_HEADINGS.search(t):
        return "chronology"
    return None
