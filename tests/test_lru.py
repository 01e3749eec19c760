"""The least-recently-used map behind the caches of views and encoded bodies."""

from __future__ import annotations

from graph.lru import Lru


def test_entries_past_the_count_go_least_recent_first() -> None:
    lru: Lru[str] = Lru(2)
    lru.put("a", "1")
    lru.put("b", "2")
    assert lru.get("a") == "1"  # now the most recent
    lru.put("c", "3")
    assert (lru.get("a"), lru.get("b"), lru.get("c"), len(lru)) == ("1", None, "3", 2)


def test_a_weight_budget_drops_the_least_recent_until_the_rest_fit() -> None:
    lru: Lru[bytes] = Lru(100, budget=10, weigh=len)
    lru.put("a", b"xxxx")
    lru.put("b", b"xxxx")
    lru.put("a", b"xx")  # replaced: weighed anew, and the most recent
    lru.put("c", b"xxxx")  # 2 + 4 + 4 = 10: all fit
    assert len(lru) == 3
    lru.put("d", b"xxx")  # b, the least recent, goes
    assert (lru.get("a"), lru.get("b"), lru.get("c"), lru.get("d")) == (
        b"xx",
        None,
        b"xxxx",
        b"xxx",
    )
    lru.put("e", b"x" * 11)  # heavier than the whole budget: not kept, nothing dropped
    assert lru.get("e") is None and len(lru) == 3
