"""Dates in a sentence, resolved against the document's published date.

The result keeps the precision the text gives: "in December" is a month ("2019-12"),
"on Jan. 3, 2020" a day, "last year" a year. Every form is resolved here rather than by a
general date parser, because its meaning depends on the published date and its precision
must be kept (a parser returns a full timestamp), and because this runs on every sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
FULL_DATE = re.compile(
    rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?\b"
    rf"|\b(?P<day2>\d{{1,2}})\s+{MONTH.replace('month', 'month2')}"
    rf"(?:\s+(?P<year2>(?:19|20)\d{{2}}))?\b"
)
MONTH_YEAR = re.compile(
    rf"\b(?i:in|since|until|by|during|from|of|early|late|mid-?)?\s*{MONTH}(?:\s+of)?\s+(?P<year>(?:19|20)\d{{2}})\b"
)
MONTH_ONLY = re.compile(
    rf"\b(?i:in|since|until|by|during|early|late|mid-?|last|this)\s+{MONTH}\b(?!\s+\d)"
)
YEAR = re.compile(r"\b(?i:in|since|during|by|of|early|late|mid-?)\s+(?P<year>(?:19|20)\d{2})\b")
WEEKDAY = re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
RELATIVE = [
    (
        re.compile(
            r"\b(?:the\s+)?(?:beginning|start)\s+of\s+(?:the|this)\s+year\b|\bearly\s+this\s+year\b",
            re.I,
        ),
        "start_of_year",
    ),
    (
        re.compile(r"\b(?:the\s+)?end\s+of\s+last\s+year\b|\blate\s+last\s+year\b", re.I),
        "end_of_last_year",
    ),
    (re.compile(r"\blast\s+year\b", re.I), "last_year"),
    (re.compile(r"\bthis\s+year\b|\bearlier\s+this\s+year\b", re.I), "this_year"),
    (re.compile(r"\blast\s+month\b", re.I), "last_month"),
    (re.compile(r"\b(?:this|earlier\s+this)\s+month\b", re.I), "this_month"),
    (re.compile(r"\blast\s+week\b", re.I), "last_week"),
    (re.compile(r"\b(?:earlier\s+)?this\s+week\b", re.I), "this_week"),
    (re.compile(r"\b(?:over|during|at)\s+the\s+weekend\b|\blast\s+weekend\b", re.I), "weekend"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(r"\btoday\b|\bon\s+the\s+day\b", re.I), "today"),
]


NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
AGO = re.compile(
    r"\b(?P<count>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    re.I,
)

# What each family of patterns needs before it can match: a cue costs one scan of the
# sentence (or a substring test) where the family it guards costs up to a dozen scans, and
# most sentences hold no date. Each cue matches wherever its family can.
MONTH_CUE = re.compile(MONTH.replace("?P<month>", "") + r"(?![a-z])")  # MONTH, then no letter
RELATIVE_WORDS = ("day", "week", "month", "year")  # weekdays, today, yesterday, last year...
CENTURIES = ("19", "20")  # a year is 19xx or 20xx
DIGIT = re.compile(r"\d")


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _latest_month(month: int, published: date) -> str:
    """A month without a year: the latest one not after the published date."""
    year = published.year if month <= published.month else published.year - 1
    return f"{year:04d}-{month:02d}"


def _relative(kind: str, published: date) -> str:
    if kind == "start_of_year":
        return f"{published.year:04d}-01"
    if kind == "end_of_last_year":
        return f"{published.year - 1:04d}-12"
    if kind == "last_year":
        return f"{published.year - 1:04d}"
    if kind == "this_year":
        return f"{published.year:04d}"
    if kind == "last_month":
        first = published.replace(day=1) - timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if kind == "this_month":
        return f"{published.year:04d}-{published.month:02d}"
    week = _week(kind, published)
    if week is not None:
        return _month_of(*week)
    if kind == "weekend":  # the last Saturday before the published day
        return (published - timedelta(days=(published.weekday() - 5) % 7 or 7)).isoformat()
    if kind == "yesterday":
        return (published - timedelta(days=1)).isoformat()
    return published.isoformat()


def _week(kind: str, published: date) -> tuple[date, date] | None:
    """The days "last week" (Monday to Sunday before the published day's week) and "this
    week" (its Monday up to the published day) span."""
    if kind == "last_week":
        monday = published - timedelta(days=published.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if kind == "this_week":
        return published - timedelta(days=published.weekday()), published
    return None


def _month_of(first: date, last: date) -> str:
    """The month a span of days falls in; one straddling two months: the month holding
    most of its days (the later on a tie), the likeliest month of a day in it."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    months = [f"{d.year:04d}-{d.month:02d}" for d in days]
    return max(reversed(months), key=months.count)


def _refined(found: list[tuple[int, str]], weeks: dict[int, tuple[date, date]]) -> str:
    """The first date stated, or a more precise one within it that the sentence also
    states: in "this week ... on July 31" the day says when within the week."""
    position, first = min(found)
    week = weeks.get(position)
    if week is not None:
        within = [
            d for _, d in found if len(d) == 10 and week[0] <= date.fromisoformat(d) <= week[1]
        ]
    else:
        within = [d for _, d in found if d.startswith(first + "-")]
    return max(within, key=len) if within else first


def find_date(text: str, published: date | None) -> str | None:
    """The first date the sentence states, as ISO text at its precision (or a more
    precise date within it that the sentence also states)."""
    found: list[tuple[int, str]] = []
    weeks: dict[int, tuple[date, date]] = {}
    may_name_a_year = any(century in text for century in CENTURIES)
    if MONTH_CUE.search(text):
        found += _month_dates(text, published, may_name_a_year)
    if published is not None:
        lowered = text.lower()
        if any(word in lowered for word in RELATIVE_WORDS):
            found += _relative_dates(text, published, weeks)
    if may_name_a_year:
        for match in YEAR.finditer(text):
            if not any(d.startswith(match.group("year")) for _, d in found):
                found.append((match.start(), match.group("year")))
    return _refined(found, weeks) if found else None


# How many days before publication a stated day may lie and still be the story's own day.
NEWS_DAYS = 7


@dataclass
class DateContext:
    """When each sentence of a document reports: the date it states; else the last date
    stated earlier in its paragraph; else the story's day (the last day stated in the
    document that lies in the week before publication: the day of the news, which later
    paragraphs go on telling); else the published date."""

    published: date | None
    carried: str | None = None
    news_day: str | None = None

    def paragraph(self) -> None:
        """A new paragraph: dates stated in the last one carry no further."""
        self.carried = None

    def sentence(self, text: str) -> str | None:
        stated = find_date(text, self.published)
        if stated:
            self.carried = stated
            if self.published is not None and len(stated) == 10:
                days = (self.published - date.fromisoformat(stated)).days
                if 0 <= days <= NEWS_DAYS:
                    self.news_day = stated
        fallback = self.published.isoformat() if self.published else None
        return self.carried or self.news_day or fallback


def _month_dates(text: str, published: date | None, may_name_a_year: bool) -> list[tuple[int, str]]:
    """Dates that name a month: "Jan. 3, 2020", "3 January", "March 2019", "in December"."""
    found: list[tuple[int, str]] = []
    days = FULL_DATE.finditer(text) if DIGIT.search(text) else ()  # a day is a number
    for match in days:
        month = _month_number(match.group("month") or match.group("month2"))
        day = int(match.group("day") or match.group("day2"))
        year_text = match.group("year") or match.group("year2")
        if year_text:
            year = int(year_text)
        elif published is not None:
            year = int(_latest_month(month, published)[:4])
        else:
            continue
        try:
            found.append((match.start(), date(year, month, day).isoformat()))
        except ValueError:
            continue  # "February 30": not a date
    covered = [range(s, s + 12) for s, _ in found]
    for match in MONTH_YEAR.finditer(text) if may_name_a_year else ():
        if not any(match.start("month") in r for r in covered):
            month = _month_number(match.group("month"))
            found.append((match.start(), f"{int(match.group('year')):04d}-{month:02d}"))
    if published is not None:
        for match in MONTH_ONLY.finditer(text):
            if not any(match.start("month") in r for r in covered):
                month = _month_number(match.group("month"))
                found.append((match.start(), _latest_month(month, published)))
    return found


def _relative_dates(
    text: str, published: date, weeks: dict[int, tuple[date, date]]
) -> list[tuple[int, str]]:
    """Dates told from the published one: "on Tuesday", "last year", "yesterday"; the days
    of each week named go into `weeks`, by position."""
    found: list[tuple[int, str]] = []
    for match in WEEKDAY.finditer(text):
        weekday = WEEKDAYS.index(match.group("weekday").lower())
        back = (published.weekday() - weekday) % 7
        found.append((match.start(), (published - timedelta(days=back)).isoformat()))
    for pattern, kind in RELATIVE:
        for match in pattern.finditer(text):
            found.append((match.start(), _relative(kind, published)))
            week = _week(kind, published)
            if week is not None:
                weeks[match.start()] = week
    for match in AGO.finditer(text):
        found.append((match.start(), _ago(match, published)))
    return found


def _ago(match: re.Match[str], published: date) -> str:
    """ "three days ago" (a day), "two weeks ago", "two months ago" (a month), "five years
    ago" (a year): counted back from the published date, at the unit's precision."""
    raw = match.group("count").lower()
    count = int(raw) if raw.isdigit() else NUMBERS[raw]
    unit = match.group("unit").lower()
    if unit == "day":
        return (published - timedelta(days=count)).isoformat()
    if unit == "week":
        day = published - timedelta(weeks=count)
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "month":
        months = published.year * 12 + published.month - 1 - count
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return f"{published.year - count:04d}"
