"""Question types: what a question asks for, and what in a sentence answers it.

This is data, documented with examples of our own (none of them evaluation questions). Each type
names the wording that asks for it and, for the checkable fact types, the pattern an answering
sentence must contain: a when-question is not answered by a sentence without a date, and when
no retrieved sentence on the topic states one, the question is refused.

| type | asked by (examples) | answered by |
|---|---|---|
| number | "How many staff were interviewed?", "What was the total number of complaints?" | a numeral or number word, not a year, a day of a month, an age or a sum |
| percent | "What percentage of cases were closed?", "What share of referrals ...?" | a percentage or a fraction in words |
| amount | "How much did the scheme cost?", "What was the trust's annual budget?" | a sum of money |
| measure | "What was the parcel's weight in kilograms?", "How deep was the water?" | a number with its unit |
| penalty | "What fine did the regulator impose?", "What sentence was the manager given?", "Was the driver given a suspended sentence?" | a sentence, fine or ban |
| date | "When did the board first meet?", "When roughly was the policy dropped?", "In what year was the policy introduced?" (past or future: "when does/should" is a condition) | a year, month or date |
| day | "On what date was the child discharged?", "What exact date ...?" | a day of a month |
| duration | "How long did the review take?", "How often must the plan be updated?" | a length of time or frequency |
| person | "Who chaired the panel?", "Which minister approved the plan?" | a name or title |
| person's name | "Who was the trust's chief executive?", "What is the name of the ward's matron?" (an office or relation only a person holds) | a person's name: after a title, with an initial or letters after it, or one the reports print with a title elsewhere |
| institution's name | "In which prison did he serve his sentence?", "To which hospital was the child moved?" (a kind whose names carry it) | a name printed beside that kind ("HMP ...", "... Hospital") |
| place | "Where was the child living?", "In which town ...?" | a place name |
| cause | "Why was the referral closed?", "What led to the delay?" | a causal connective |
| condition | "When should a nurse escalate a concern?", "In what circumstances may a tenant withhold rent?" | a conditional clause or a threshold ("if", "unless", "or more") |
| list | "What are the signs of neglect?", "Name the agencies involved." | several sentences |
| quote | "Quote the sentence where ...", "What exactly did the panel say ...?" | the passage verbatim |
| broad | "What went wrong?", "What did the review recommend?", "Summarise ...", "What does the code tell wardens to do?", "What has changed since the inquiry?", "Why did nobody notice?" | several findings |
| comparison | "How do the two reports differ on consent?", "What do X and Y each say ...?" | a part per report |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One to twenty in words, in order (a list question's count: "the five outcomes" -> 5).
_SMALL_NUMBERS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
# Number words that state a count. Vague quantities ("several", "dozens of", "many") are not
# among them: a report that says "several wards closed" does not give the count that "how many
# wards closed?" asks for (tune and extra sets: one near miss answered so, no answer lost).
_NUMBER_WORDS = "|".join(_SMALL_NUMBERS) + (
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|half|a third|a quarter"
)
MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
# English frequency adverbs (a complete list, not picked for any question).
_FREQUENCY = r"hourly|daily|weekly|fortnightly|monthly|quarterly|termly|annually|yearly|biannually"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
# Nouns that name a sum of money: "What was the firm's share price?" asks for a sum.
MONEY_NOUNS = (
    r"price|cost|fee|fine|bonus|salary|payout|budget|compensation|sum|amount|profit|revenue|"
    r"turnover|settlement"
)
# ... and money itself, as "how much ..." asks for it: "How much spare cash did the till hold?",
# "How much funding did the trust get?" (examples ours) ask for a sum, not a count.
_MONEY = rf"money|cash|funding|funds|grants?|wages|pay|{MONEY_NOUNS}"
# Units of measure (SI and imperial, as reports write them): "What was the bridge's span in
# metres?" asks for a number with its unit.
_UNITS = (
    r"kilograms?|kg|grams?|pounds? in weight|stones?|tonnes?|tons?|metres?|meters?|"
    r"centimetres?|millimetres?|kilometres?|km|miles?|feet|foot|inch(?:es)?|degrees?|litres?|"
    r"liters?|gallons?|acres?|hectares?"
)


@dataclass(frozen=True)
class QType:
    name: str
    asks: re.Pattern  # what in a question asks for this type
    answers: re.Pattern | None  # what in a sentence answers it (None: no surface form)
    checkable: bool  # a fact whose absence from the evidence is a reason to refuse
    examples: tuple[str, ...]  # our own, not evaluation questions


def _re(pattern: str, flags=re.I) -> re.Pattern:
    return re.compile(pattern, flags)


NUMBER = QType(
    "number",
    _re(
        r"\bhow many\b|\bnumber of\b|\bwhat (?:\w+ )?(?:percentage|proportion|share|figure|rate|"
        r"total|count)\b|"
        r"\bhow much (?!money|did|does|do|was|were|is|time)\w+|"
        r"\bhow much (?:did|does|do|has|have|had) .{0,60}?\b(?:grow|rise|increase|fall|drop|"
        r"decline|shrink|change)\b"
    ),
    # not a year, a day of a month, an age nor a sum ('in 2015', '4 July', 'a 17-month-old',
    # '£100,000 for each claimant'): a count
    _re(
        rf"(?<![£$€\d.,])\b(?!{YEAR}\b)(?!\d\d?\s+(?:{MONTHS})\b)\d[\d,.]*\b"
        r"(?![-‑](?:year|month|week|day)s?[-‑]old)|"
        rf"\b(?:{_NUMBER_WORDS})\b"
    ),
    True,
    (
        "How many staff were interviewed?",
        "What was the total number of complaints?",
        "How much did the waiting list grow over the year?",
    ),
)
# A share asks for a share: a paragraph number or a count in the same sentence does not answer
# "what percentage of schools ...".
PERCENT = QType(
    "percent",
    _re(r"\bwhat (?:\w+ )?(?:percentage|proportion|share|per ?cent)\b|\bhow many per ?cent\b"),
    _re(
        r"\b\d[\d.,]*\s?(?:%|per ?cent)|\b(?:half|a third|a quarter|two[- ]thirds|"
        r"three[- ]quarters|one in (?:\d+|\w+)|majority|minority)\b"
    ),
    True,
    ("What percentage of cases were closed?", "What share of referrals came from schools?"),
)
AMOUNT = QType(
    "amount",
    _re(
        rf"\bhow much (?:[\w'’-]+ ){{0,2}}?(?:{_MONEY})\b|"
        r"\bhow much (?:(?:did|does|do|will|would) .{0,60}?\b(?:cost|pay|spend|receive|lose|earn|"
        r"make|raise|charge|save|owe|borrow|lend|add up to|amount to|come to)|(?:was|is|were|"
        r"are) .{0,40}\b(?:paid|spent|lost|worth))|"
        rf"\bhow much (?:is|was|are|were) (?:[\w'’-]+ ){{0,6}}?(?:{_MONEY})\b|"
        r"\bwhat (?:was|were|is|are) .{0,60}?\bworth\W*$|"
        r"\bwhat (?:\w+ )?(?:sum|amount|cost|fine|fees?|price|compensation)\b|"
        rf"\bwhat (?:was|were|is|are) (?:[\w.&'’-]+\s+){{0,3}}?(?:{MONEY_NOUNS})s?\b|"
        r"\bwhat did .{0,60}?\bcost\b|"
        rf"\bhow (?:big|large) (?:a |an |was |were |is |are )?(?:[\w'’-]+\s+){{0,2}}?"
        rf"(?:{MONEY_NOUNS})s?\b"
    ),
    _re(r"[£$€]\s?\d|\b\d[\d,.]*\s*(?:million|billion|pounds|dollars|euros|[mb]n)\b"),
    True,
    (
        "How much did the new system cost?",
        "What sum was paid to the claimants?",
        "What was the trust's annual budget?",
        "How big a payout did the director receive?",
        "How much spare cash did the till hold?",
        "What did the new ward cost the trust?",
        "How much does a street trading licence cost?",
        "What was the council's land deal worth?",
        "How much is the annual grant to each school?",
        "How much did the storm damage add up to?",
    ),
)
# A measure asks for a number in a unit: a number without it (a centile, a count) does not
# answer "what was the parcel's weight in kilograms?".
MEASURE = QType(
    "measure",
    # "how far" and "how high" are left out: in reports they are mostly figurative ("how far
    # did attendance fall", "how high was the risk")
    _re(rf"\bin (?:{_UNITS})\b|\bhow (?:heavy|tall|deep|wide|thick)\b"),
    _re(
        rf"\b\d[\d.,]*\s?(?:{_UNITS}|kgs?|lbs?|cm|mm|ft|°)(?![\w])|"
        r"\b\d[\d.,]*\s?(?:-|to)\s?\d[\d.,]*\s?(?:inch|inches|feet|metres|miles)\b"
    ),
    True,
    ("What was the parcel's weight in kilograms?", "How deep was the flood water?"),
    # not: "How far did the number of visits fall?" (a number, or a share)
)
DATE = QType(
    "date",
    _re(
        # an adverb may come between: "when first did", "when roughly was"
        r"\bwhen (?:\w+ly )?(?:did|was|were|is|are|will|would|had|has|have)\b|"
        r"\b(?:in )?what (?:year|month|date|day)\b|\bwhich (?:year|month|date|day)s?\b|"
        r"\bby what (?:date|time)\b|\bsince when\b|\bwhat (?:were|was|are|is) the (?:\w+ )?"
        r"(?:dates?|years?)\b"
    ),
    _re(rf"\b{YEAR}\b|\b(?:{MONTHS})\b", 0),
    True,
    (
        "When did the board first meet?",
        "In what year was the policy introduced?",
        "When roughly was the policy dropped?",
        "When exactly did the flood barrier fail?",
    ),
)
# A condition: "when does/should/must/can ..." asks in what case something holds or is to be
# done, a rule rather than an event, and is answered by a conditional clause or a threshold,
# not by a date. Past and future "when did/was/will" stay a date.
CONDITION = QType(
    "condition",
    _re(
        r"\bwhen (?:\w+ly )?(?:does|do|must|should|can|could|may|might|ought)\b|"
        r"\b(?:in|under) what (?:circumstances|conditions|situations?|cases?)\b|"
        r"\bat what (?:point|stage|threshold|age)\b"
    ),
    # "where"/"when" only where they open the sentence or follow a verb of occurring: inside a
    # sentence they are mostly relative ("the arrangement where children stay")
    _re(
        r"\b(?:if|unless|once|whenever|provided that)\b|^\W*(?:where|when|only when)\b|"
        r"\b(?:occurs?|applies|arises?|happens?|starts?|begins?) (?:when|where|if|once)\b|"
        r"\b(?:or|and) (?:more|longer|over|above|under|fewer|less)\b|\bat least\b|"
        r"\b(?:more|longer|fewer|less) than\b|\b(?:over|under|above|below) the age\b"
    ),
    False,
    (
        "When should a nurse escalate a concern about a colleague?",
        "In what circumstances may a tenant withhold rent?",
        "At what point does a short stay count as a placement?",
    ),
)
# A day of a month: "on what date", "what exact date" are not answered by a year alone.
DAY = QType(
    "day",
    _re(
        r"\bon what (?:exact |precise )?(?:date|day)\b|\bwhat (?:exact|precise) date\b|"
        r"\bon which (?:date|day)\b|\bwhat was the date\b"
    ),
    _re(
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
        r"\b\d{1,2}[/.]\d{1,2}[/.](?:19|20)?\d\d\b",
        0,
    ),
    True,
    (
        "On what date was the child discharged?",
        "What exact date did the audit start?",
    ),
)
DURATION = QType(
    "duration",
    _re(
        r"\bhow (?:long|often|soon|quickly|frequently)\b|\bhow much time\b|"
        r"\b(?:over|for|within) what (?:time|period|length)\b|\bwhat (?:length of time|period)\b"
    ),
    _re(
        rf"\b(?:\d+|{_NUMBER_WORDS}|a few|a|an)[- ](?:seconds?|minutes?|hours?|days?|weeks?|"
        rf"fortnights?|months?|years?|decades?)\b|\b(?:{_FREQUENCY})\b|\bevery (?:\w+ )?(?:day|week|fortnight|month|quarter|term|"
        rf"year)s?\b|\bimmediately\b|\bworking days?\b|"
        # how often, as a count of occasions: "twice", "three times a year", "once a week"
        rf"\b(?:once|twice|thrice)\b|\b(?:\d+|{_NUMBER_WORDS}) times\b|"
        rf"\b(?:from|between)\s+(?:[\w,]+\s+){{0,3}}?{YEAR}\s+(?:to|and|until)\s+"
        rf"(?:[\w,]+\s+){{0,3}}?{YEAR}\b"
    ),
    True,
    ("How long did the review take?", "How often must the plan be updated?"),
)
PENALTY = QType(
    "penalty",
    _re(
        r"\bwhat (?:\w+ )?(?:sentence|penalty|punishment|fine|sanction)s? (?:did|was|were|has|"
        r"had|would|will|does|do|is)\b|\bhow long (?:was|were) .{0,60}\b(?:jailed|imprisoned|"
        r"sentenced|banned|suspended)\b|"
        # asked yes or no: "Was the driver given a suspended sentence?", "Has the firm received a fine?"
        r"^\s*(?:was|were|did|has|had)\b.{0,60}?\b(?:given|receive|received|get|got|handed|"
        r"serve|served) (?:a |an |any )?(?:\w+ )?(?:sentence|penalty|fine|ban|sanction)s?\b"
    ),
    _re(
        r"\b(?:sentenced to|jailed for|imprisoned for|(?:months?|years?)['’]?\s+(?:imprisonment|"
        r"in prison|in jail|custody|detention)|life (?:sentence|imprisonment)|suspended sentence|"
        r"community (?:order|sentence)|fined|banned from|struck off|dismissed)\b|"
        # the kinds of sentence a court hands down (UK and US usage)
        r"\b(?:indeterminate|determinate|custodial|prison|jail|extended|concurrent|consecutive|"
        r"\d+-(?:year|month)) sentences?\b|\bsentences? of (?:\d+|\w+) (?:years?|months?)\b|"
        r"\bminimum (?:term|tariff)\b|\b(?:on|to) probation\b|\ba fine of\b|\bordered to pay\b"
    ),
    True,
    (
        "What fine did the regulator impose on the company?",
        "What sentence was the manager given for the fraud?",
        "Was the driver given a suspended sentence for the crash?",
    ),
)
PERSON = QType(
    "person",
    _re(
        r"^\s*who\b|\bwho (?:was|were|is|did|had|chaired|led|wrote)\b|\bwhose\b|\bwhich "
        r"(?:person|official|minister|judge|officer|manager|director|chair)\b"
    ),
    _re(
        r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Judge|Professor)\.?\s+[A-Z]|"
        r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b",
        0,
    ),
    False,
    ("Who chaired the review panel?", "Which minister approved the plan?"),
)
# Offices and relations only a person holds: a question asking who holds one ("Who was the
# trust's chief executive?", "What is the name of the ward's matron?") asks for a person's
# name, while "who" alone may ask for a body ("Who regulates the market?" -> "the FCA").
# "Partner" and "lead" are left out: bodies are partners and leads too, as "manager",
# "adviser", "auditor", "regulator", "examiner" and "trustee" are often firms or agencies.
_ROLES = (
    "chair, chairs, chairman, chairwoman, chairperson, chief executive, director, reviewer, "
    "author, expert, father, mother, counsel, minister, secretary, judge, president, head, "
    "headteacher, matron, leader, commissioner, governor, spokesman, spokeswoman, "
    "spokesperson, coroner, pathologist, surgeon, barrister, solicitor, whistleblower, founder, "
    # ranks and posts of public service and the professions, held by one person at a time
    "commander, captain, editor, inspector, detective, prosecutor, representative, ambassador, "
    "envoy, officer, investigator, astronaut, pilot, nurse, doctor, midwife, teacher, treasurer"
)
PERSONAL_ROLES = tuple(_ROLES.split(", "))
_ROLE = "|".join(PERSONAL_ROLES)
HOLDER = QType(
    "person's name",
    _re(
        # "Who was the ...'s chief executive", "What is the name of the ... matron", "Who did
        # the board appoint as chair", "Which coroner ...", "Who chairs ..."
        rf"(?:^\s*who\b|\bname of\b)[^?]{{0,80}}?\b(?:the|a|an|its|their|his|her|as|"
        rf"[\w-]+['’]s)\s+(?:[\w-]+\s+){{0,5}}?(?:{_ROLE})\b|"
        rf"\bwhich (?:{_ROLE})\b|^\s*who (?:chairs|chaired)\b"
    ),
    # a capitalised name or a title; whether it is a person's is checked against the reports
    # (index/persons.py, assistant/evidence.py `fact_missing`)
    PERSON.answers,
    True,
    (
        "Who was the trust's chief executive at the time?",
        "What is the name of the ward's matron?",
        "Who did the council appoint as chair of the panel?",
    ),
)
# Institutions whose names carry their kind ("HMP Holloway", "Kingsmere Children's Hospital",
# "Wrenfield Primary School", "Southwark Crown Court"; examples ours), each with the words a
# report names that kind by. A question asking which one ("In which prison did she serve her
# sentence?") is answered by a name printed beside one of them. Left out: kinds whose names
# seldom carry the kind ("the Daily Echo" for a newspaper, "Acme & Co" for a firm, a city).
NAMED_KINDS = {
    "prison": r"prison|HMP|HMYOI|jail|gaol",
    "hospital": r"hospital|infirmary",
    "school": r"school|academy|primary",
    "court": r"court",
    "university": r"university|college",
}
_AUX = "should|must|can|could|would|will|does|do|did|is|are|was|were|has|have|had|a|an|the"
INSTITUTION = QType(
    "institution's name",
    _re(
        # "Which prison is she held in?", "At which court was he tried?", "To which hospital
        # was the child moved?": the kind asked for (after words of its own, "which secure
        # hospital", "what Crown Court", not "what should a school do?"), then a verb or a
        # preposition (not "which prison officers did she name?")
        rf"\b(?:which|what) (?:(?!(?:{_AUX})\b)[\w'’-]+ ){{0,2}}?({'|'.join(NAMED_KINDS)})s? "
        r"(?=(?:did|do|does|"
        r"was|were|is|are|has|had|will|would|in|at|on|of|for|to|from|\w+ed|held|sent|took)\b)"
    ),
    _re(r"\b[A-Z][a-z]", 0),
    True,
    (
        "In which prison did the driver serve his sentence?",
        "To which hospital was the child moved?",
        "At which court was the manager tried?",
    ),
)
PLACE = QType(
    "place",
    _re(
        r"^\s*where\b|\bwhere (?:was|were|is|did|had)\b|\bin which (?:town|city|county|"
        r"country|area|region|court|branch|school)\b"
    ),
    _re(r"\b(?:in|at|from|to)\s+(?:the\s+)?[A-Z][a-z]+", 0),
    False,
    ("Where was the child living at the time?", "In which town was the branch?"),
)
CAUSE = QType(
    "cause",
    _re(
        r"\bwhy\b|\bwhat (?:led|caused|prompted|explains)\b|\b(?:the )?reasons?\b|"
        r"\bhow come\b"
    ),
    _re(
        r"\b(?:because|due to|as a result|reasons?|since|so that|owing to|led to|lead to|"
        r"caused|causes?|in order to|therefore|consequently|resulted? (?:in|from)|stemmed from|"
        r"attributable to|contributed to)\b"
    ),
    False,
    ("Why was the referral closed?", "What led to the delay in the assessment?"),
)
LIST = QType(
    "list",
    _re(
        r"\blist\b|\bname (?:the|all|some)\b|\bwhat (?:are|were) the\b|\bwhich (?:are|were) "
        r"the\b|\b(?:types|kinds|forms|examples|ways|steps|stages|principles|areas|factors|"
        r"categories|signs|elements|duties|responsibilities) (?:of|that|which)\b|\bwhat other\b"
    ),
    None,
    False,
    ("What are the signs of neglect the guidance lists?", "Name the agencies involved."),
)
QUOTE = QType(
    "quote",
    _re(
        r"\bquote\b|\bexact (?:words|wording|sentence|phrase|terms)\b|\bverbatim\b|"
        r"\bword for word\b|\bprecisely what\b|\bwhat exactly did\b|\bin (?:its|his|her|their) "
        r"own words\b"
    ),
    None,
    False,
    ("Quote the passage in which the panel describes the home visit.",),
)
# The verbs of a report's judgement ("did the review think ...", "the panel regarded ...").
JUDGING = r"think|consider|believe|judge|regard"
# "Why didn't the nurse escalate?", "Why did nobody notice?": why something failed to happen.
WHY_NOT = (
    r"\bwhy (?:did|was|were|had|has|have|do|does|could|would) (?:no ?one|nobody|no agency|no "
    r"professional)\b|\bwhy (?:\w+n['’]t|did not|was not|were not|could not|had not|has not)\b"
)
BROAD = QType(
    "broad",
    _re(
        # up to two words may qualify the noun ("what were the most serious failings", "what
        # practical lessons"), and a plural object may come between "what" and the verb ("what
        # steps did the panel recommend", "what failings did it identify")
        r"\bwhat went wrong\b|\bwhat (?:were|are) the (?:[\w-]+ ){0,2}?(?:lessons|"
        r"findings|failings|failures|conclusions|recommendations|problems|issues|themes|points)"
        r"\b|\bwhat (?:(?:[\w-]+ ){0,2}?[\w-]+s )?(?:did|does|do) (?:the |it |they )?.{0,60}?"
        r"\b(?:recommend|conclude|find|identify|learn|criticis|criticiz)\w*|"
        r"\b(?:what|which) (?:[\w-]+ ){0,2}?(?:lessons|recommendations|findings|failings)\b|"
        r"\b(?:list|name|give|set out) the (?:[\w-]+ ){0,2}?(?:lessons|recommendations|"
        r"findings|failings|conclusions)\b|"
        # where or in what ways something failed, or how a body failed someone or in a role:
        # a failure has several contributing findings ("how did the barrier fail?" asks how a
        # thing broke: one cause)
        r"\b(?:where|in what ways?) (?:did|does|do|had|has|have|was|were) .{0,80}?"
        r"\b(?:fail|go wrong|fall short)\b|"
        r"\bhow (?:did|does|do|had|has|have) .{0,80}?\bfail(?:ed)? (?:as|to|the|a|an|his|her|"
        r"their|its|[A-Z]\w*)\b|"
        r"\bsummari[sz]e\b|"
        r"\boverview\b|\bwhat does .{0,60}? say about\b|\btell me about\b|\bkey (?:points|"
        r"messages|themes)\b|\bwhat can (?:we|be) learn|"
        # advice: what a document tells its readers to do, what changed after a review
        r"\bwhat (?:does|do|did) .{0,60}?\btells? (?:\w+ ){0,3}?(?:to do|about|to)\b|"
        r"\bwhat (?:should|must) (?:a |an |the )?\w+(?: \w+)? do\b|"
        r"\bhow (?:should|must) \w+|\bwhat (?:is|are) (?:expected|required) of\b|"
        r"\bhow (?:does|do|did) .{0,60}?\bexpects? \w+|"
        r"\bwhat (?:has|have) changed\b|\bwhat (?:changes|progress) (?:has|have)\b|"
        # why something was not done, or why signs were missed: a failure has several
        # contributing findings
        rf"{WHY_NOT}|\bwhy (?:was|were|had|has|have) .{{0,60}}?\b(?:missed|ignored|overlooked)\b|"
        # the report's judgement ("did the review think the care was adequate?") and effects
        r"^\W*(?:did|does|do|was|is) (?:the |its |their )?(?:\w+ ){0,3}?(?:inquiry|review|"
        r"report|committee|panel|commission|chair|reviewers?|guidance)\b.{0,40}?\b(?:"
        rf"{JUDGING}|find|accept)\b|"
        r"\bhow (?:did|does|do|has|have) .{0,60}?\b(?:affect|influence|shape|impact)(?:ed)?\b"
    ),
    None,
    False,
    (
        "What went wrong in the handling of the complaint?",
        "What did the review recommend?",
        "Summarise what the guidance says about record keeping.",
        "What does the code tell wardens to do after a fall?",
        "What should a ward manager do when a bed is not available?",
        "What has changed at the hospital since the inquiry?",
        "Why did nobody notice the boy was losing weight?",
        "Why didn't the nurse escalate her concern?",
        "Why were the signs of neglect at the care home missed?",
        "Did the review think the family got the support it needed?",
        "How did staff shortages affect the ward's night care?",
        "What changes did the panel recommend for the ferry timetable?",
        "What practical lessons does the note draw for wardens?",
        "What were the most serious failings of the night shift?",
        "Which lessons does the note draw for wardens?",
        "List the main recommendations on ferry safety.",
        "How did the council fail the tenants of the tower?",
        "In what ways did the harbour board fail as a regulator?",
        "How should wardens respond to a report of a fall?",
        "What is expected of ward managers under the code?",
        "What did the inspectors criticise in the ward's night rota?",
    ),
)
COMPARISON = QType(
    "comparison",
    _re(
        r"\bcompare\b|\bcomparison\b|\bdiffer(?:ence|ent)?\b|\beach (?:say|said|report)\b|"
        r"\bboth\b|\bin common\b|\beach (?:describe|see|treat|view|explain|define|handle|"
        r"deal|recommend|find|conclude)\w*\b|\bsimilar(?:ities)?\b|\b(?:dis)?agree\b|\bline up\b|"
        r"\bconsistent with\b"
    ),
    None,
    False,
    (
        "How do the two reports differ on consent?",
        "What do both reviews say about escalation?",
        "How do the ward review and the code each describe lone working?",
    ),
)

# In order of precedence when a question matches several: the more specific fact first.
TYPES = (
    PENALTY,
    AMOUNT,
    MEASURE,
    DURATION,
    DAY,
    DATE,
    PERCENT,
    NUMBER,
    PERSON,
    HOLDER,
    INSTITUTION,
    PLACE,
    CAUSE,
    CONDITION,
    QUOTE,
    LIST,
    BROAD,
    COMPARISON,
)
FACT_TYPES = tuple(t for t in TYPES if t.checkable)


def types_of(question: str) -> list[QType]:
    """Every type the question asks for, most specific first ('how much did it cost' is an
    amount, not also a number; 'how long was he jailed' a penalty, not also a duration)."""
    found = [t for t in TYPES if t.asks.search(question)]
    if PENALTY in found and DURATION in found:
        found.remove(DURATION)
    if AMOUNT in found and NUMBER in found:
        found.remove(NUMBER)
    if MEASURE in found and NUMBER in found:
        found.remove(NUMBER)
    if PERCENT in found and NUMBER in found:
        found.remove(NUMBER)
    if DAY in found and DATE in found:
        found.remove(DATE)
    if DURATION in found and DATE in found and not DATE.asks.search(question.split(",")[0]):
        found.remove(DATE)
    return found


def answer_patterns(question: str) -> list[re.Pattern]:
    """Patterns an answering sentence is likely to contain, from the question's types (and
    for a list question that says how many, the count with its noun: see count_cue)."""
    out = [t.answers for t in types_of(question) if t.answers is not None]
    cue = count_cue(question)
    return out + [cue] if cue is not None else out


def fact_types(question: str) -> dict[str, re.Pattern]:
    """The checkable facts asked for (number, amount, penalty, date, duration) and their
    patterns."""
    return {t.name: t.answers for t in types_of(question) if t.checkable}


def is_broad(question: str) -> bool:
    """A question for several findings ('what went wrong', 'what was recommended') or for what
    several reports each say (a comparison) rather than one fact; a question that also asks
    for a checkable fact is pointed."""
    kinds = types_of(question)
    return (BROAD in kinds or COMPARISON in kinds) and not any(t.checkable for t in kinds)


def is_quote(question: str) -> bool:
    return bool(QUOTE.asks.search(question))


def is_list(question: str) -> bool:
    return bool(LIST.asks.search(question))


# "the five possible outcomes", "the 7 principles", "seven golden rules": a count before a
# plural noun, at most three words apart.
_ASKED_COUNT = re.compile(
    rf"\b(\d{{1,2}}|{'|'.join(_SMALL_NUMBERS)})\s+(?:[\w'’-]+\s+){{0,3}}?([\w'’-]+s)\b", re.I
)


def asked_count(question: str) -> int | None:
    """How many items a list question asks for, when it says ("What are the five stages of
    the review?" -> 5; "List the 3 agencies involved." -> 3); None otherwise."""
    m = _asked(question)
    if not m:
        return None
    word = m.group(1).lower()
    return int(word) if word.isdigit() else _SMALL_NUMBERS.index(word) + 1


def _asked(question: str) -> re.Match | None:
    return _ASKED_COUNT.search(question) if LIST.asks.search(question) else None


def count_cue(question: str) -> re.Pattern | None:
    """For a list question that says how many ("What are the five stages of the review?"),
    the sentence that names that many of them ("The review had five stages: ...") introduces
    or holds the list: the count, then within three words the same noun."""
    m = _asked(question)
    if not m:
        return None
    n = asked_count(question)
    said = rf"(?:{n}|{_SMALL_NUMBERS[n - 1]})" if n and n <= len(_SMALL_NUMBERS) else str(n)
    return re.compile(rf"\b{said}\s+(?:[\w'’-]+\s+){{0,3}}?{re.escape(m.group(2))}\b", re.I)
