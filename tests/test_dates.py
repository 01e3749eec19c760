"""Dates in a sentence, each form at its precision, resolved against the published date."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import DateContext, find_date

PUBLISHED = date(2020, 1, 8)  # a Wednesday


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Iran struck on January 3, 2020, officials said.", "2020-01-03"),
        ("The talks began on 5 March 2019.", "2019-03-05"),
        ("Troops left on Jan. 3.", "2020-01-03"),
        ("Troops left on Dec. 29.", "2019-12-29"),  # the latest December 29 before publication
        ("It happened in Feb. 2018 and again in 2019.", "2018-02"),
        ("Protests grew in December.", "2019-12"),
        ("Militias fired rockets on Monday.", "2020-01-06"),
        ("The embassy was stormed yesterday.", "2020-01-07"),
        ("Sanctions were tightened last year.", "2019"),
        ("The envoy visited late last year.", "2019-12"),
        ("Talks resumed earlier this month.", "2020-01"),
        ("The base was built in 2017.", "2017"),
        ("Officials said 20 people and 19 soldiers died.", None),
        ("Marines decided to withdraw; he may resign.", None),
        ("No date is stated here at all.", None),
        ("February 30, 2019 is not a day, but in 2019 is a year.", "2019"),
        ("Aid was flown in over the weekend.", "2020-01-04"),  # the Saturday before
        ("The town fell three days ago.", "2020-01-05"),
        ("The siege began two months ago.", "2019-11"),
        ("Talks broke down two weeks ago.", "2019-12"),
        ("The group was founded 12 years ago.", "2008"),
    ],
)
def test_each_form_at_its_precision(sentence: str, expected: str | None) -> None:
    assert find_date(sentence, PUBLISHED) == expected


def test_the_first_date_stated_wins() -> None:
    assert find_date("After last year's attack, on 3 January 2020 he struck.", PUBLISHED) == (
        "2019"
    )
    assert find_date("On 3 January 2020, after last year's attack, he struck.", PUBLISHED) == (
        "2020-01-03"
    )


def test_without_a_published_date_only_absolute_dates_resolve() -> None:
    assert find_date("Militias fired rockets on Monday.", None) is None
    assert find_date("Protests grew in December.", None) is None
    assert find_date("Protests grew in December 2019.", None) == "2019-12"
    assert find_date("The base was built in 2017.", None) == "2017"


@pytest.mark.parametrize(
    ("published", "sentence", "expected"),
    [
        # Published on a Wednesday: this week is that month's, last week the month before
        # when most of its days fell in it.
        (date(2020, 1, 8), "Envoys met this week.", "2020-01"),
        (date(2020, 1, 8), "Envoys met earlier this week.", "2020-01"),
        (date(2020, 1, 8), "Envoys met last week.", "2020-01"),  # Dec 30 - Jan 5
        (date(2020, 1, 2), "Envoys met last week.", "2019-12"),  # Dec 23 - 29
        (date(2020, 1, 15), "Envoys met last week.", "2020-01"),  # Jan 6 - 12
        (date(2021, 3, 2), "Envoys met this week.", "2021-03"),  # Mar 1 - 2
    ],
)
def test_weeks_resolve_to_the_month_most_of_their_days_fall_in(
    published: date, sentence: str, expected: str
) -> None:
    assert find_date(sentence, published) == expected


def test_a_more_precise_date_within_the_first_one_refines_it() -> None:
    published = date(2021, 3, 2)  # a Tuesday; this week began on Monday, March 1
    assert find_date("We will act this week, he said before leaving March 1.", published) == (
        "2021-03-01"
    )
    assert find_date("In 2019 the rebels, on 4 May 2019, took the town.", published) == (
        "2019-05-04"
    )
    # A day outside the week, or another year, does not refine it: the first date stands.
    assert find_date("We will act this week, as we did on Feb. 3.", published) == "2021-03"
    assert find_date("In 2019 they lost what they took on 4 May 2018.", published) == "2019"


def test_the_context_carries_a_date_through_its_paragraph() -> None:
    context = DateContext(date(2020, 1, 8))
    assert context.sentence("Talks resumed in December.") == "2019-12"
    assert context.sentence("Both sides welcomed them.") == "2019-12"
    context.paragraph()
    assert context.sentence("The ministry issued a statement.") == "2020-01-08"


def test_the_story_day_carries_into_later_paragraphs() -> None:
    context = DateContext(date(2020, 1, 8))
    assert context.sentence("Rockets hit the base on Monday.") == "2020-01-06"
    context.paragraph()
    assert context.sentence("The attack followed a raid two years ago.") == "2018"
    context.paragraph()
    # Undated: the story's day (Monday), not the background year nor the published day.
    assert context.sentence("Officials blamed a militia for the attack.") == "2020-01-06"


def test_only_a_day_in_the_week_before_publication_is_the_story_day() -> None:
    context = DateContext(date(2020, 1, 8))
    assert context.sentence("The war began on 3 March 2003.") == "2003-03-03"
    context.paragraph()
    assert context.sentence("Officials blamed a militia.") == "2020-01-08"
    assert DateContext(None).sentence("Officials blamed a militia.") is None
