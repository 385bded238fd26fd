from datetime import UTC, datetime, timedelta

from worker.revisits import listed_as_updated, next_revisit

T0 = datetime(2026, 11, 1, tzinfo=UTC)
AGES = (3600.0, 6 * 3600.0, 86400.0)


def test_next_age_after_check() -> None:
    assert next_revisit(T0, T0, AGES) == T0 + timedelta(hours=1)
    assert next_revisit(T0, T0 + timedelta(hours=1, minutes=1), AGES) == T0 + timedelta(hours=6)


def test_ages_missed_while_down_count_as_one_check() -> None:
    # down for 20 hours: the 1h and 6h checks collapse into the one made now; next is the 1d age
    assert next_revisit(T0, T0 + timedelta(hours=20), AGES) == T0 + timedelta(days=1)


def test_after_last_age_and_empty_list_never() -> None:
    assert next_revisit(T0, T0 + timedelta(days=2), AGES) is None
    assert next_revisit(T0, T0, ()) is None


def test_listed_as_updated() -> None:
    assert listed_as_updated(T0 + timedelta(minutes=5), T0, None)
    assert not listed_as_updated(T0, T0, None)
    assert not listed_as_updated(None, T0, None)
    # the listing's date was already seen at our capture: nothing new, whatever the clocks say
    assert not listed_as_updated(T0 + timedelta(minutes=5), T0, T0 + timedelta(minutes=5))
    # a newer date than the one recorded at capture is an edit, even when rounding puts it before the capture
    assert listed_as_updated(T0 - timedelta(seconds=1), T0, T0 - timedelta(days=1))
