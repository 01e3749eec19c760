"""Dates in a sentence, each form at its precision, resolved against the published date."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import find_date

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
