"""worker/health.py: extraction figures per source and the degraded verdict."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from worker.health import MIN_SAMPLES, HealthFigures, degraded_reason, figures

WHEN = datetime(2025, 1, 1, tzinfo=UTC)
GOOD = ("A headline", "word " * 800, WHEN)  # 4000 characters


def test_figures() -> None:
    got = figures([GOOD, ("", "", None), ("Title", "short", WHEN), GOOD])
    assert got.captures == 4
    assert got.empty_or_short == 0.5
    assert got.missing_title == 0.25
    assert got.missing_date == 0.25
    assert got.mean_body_chars == pytest.approx((3999 * 2 + 5) / 4)


def test_no_samples() -> None:
    assert figures([]) == HealthFigures(0, 0.0, 0.0, 0.0, 0.0)
    assert degraded_reason(figures([]), None) is None


def test_too_few_samples_are_not_judged() -> None:
    assert degraded_reason(figures([("", "", None)] * (MIN_SAMPLES - 1)), None) is None


def test_healthy() -> None:
    recent = figures([GOOD] * 20)
    assert degraded_reason(recent, None) is None
    assert degraded_reason(recent, figures([GOOD] * 50)) is None


def test_mostly_empty_bodies() -> None:
    recent = figures([("Title", "", WHEN)] * 13 + [GOOD] * 8)
    assert degraded_reason(recent, None) == "62% of recent captures have an empty or very short body"


def test_missing_titles() -> None:
    reason = degraded_reason(figures([("", "word " * 500, WHEN)] * 12), None)
    assert reason == "100% of recent captures have no title"


def test_a_source_that_was_always_short_is_not_degraded() -> None:
    photo_captions = [("Photo of the day", "A short caption.", WHEN)] * 30
    assert degraded_reason(figures(photo_captions), figures(photo_captions)) is None


def test_body_length_fall_and_rise_against_the_baseline() -> None:
    baseline = figures([("T", "x" * 4200, WHEN)] * 30)
    fell = figures([("T", "x" * 900, WHEN)] * 12)
    assert degraded_reason(fell, baseline) == "mean body length fell from 4200 to 900 characters"
    rose = figures([("T", "x" * 15000, WHEN)] * 12)
    assert degraded_reason(rose, baseline) == "mean body length rose from 4200 to 15000 characters"
    assert degraded_reason(figures([("T", "x" * 3000, WHEN)] * 12), baseline) is None


def test_dates_that_vanish_after_a_redesign() -> None:
    baseline = figures([GOOD] * 30)
    recent = figures([("A headline", "word " * 800, None)] * 12)
    assert degraded_reason(recent, baseline) == "100% of recent captures have no date (was 0%)"
    assert degraded_reason(recent, None) is None  # some sites never give dates


def test_several_reasons_are_joined() -> None:
    baseline = figures([GOOD] * 30)
    recent = figures([("", "", None)] * 12)
    reason = degraded_reason(recent, baseline)
    assert reason is not None
    assert reason.startswith("100% of recent captures have an empty or very short body (was 0%); ")
    assert "no title" in reason and "fell from 3999 to 0" in reason
