"""Blocks that are not article text in any language: ad slots by their label, "updated" datelines alone."""

from __future__ import annotations

import pytest

from worker.extract.boilerplate import is_boilerplate_text

DROPPED = ["- Advertisement -热门旅游线路", "- Advertisement -Tatil fırsatı", "广告 | 限时优惠", "Реклама: Туры в Сочи",
           "10時30分更新", "2026年11月20日 10時30分 更新", "更新：2026年11月20日 配信", "Обновлено 21.11.2026, 10:30",
           "수정 2026.11.20 오후 3:10", "Updated 20 November 2026", "Güncelleme: 20 Kasım 2026 10:30",
           "更新 ２０２６年１１月２０日　１０：３０"]
# A publication dateline stays put, and some texts keep it; figures alone are content.
KEPT = ["Advertising revenue fell.", "Boston 10:30", "The score was 3-1", "2026", "Paris, 20 November 2026",
        "20.11.2026 10:30", "Veröffentlicht am 16.08.2019", "02-751-1500", "29 November 2018 | 20 January 2019",
        "4.2.3 April 2014",
        "10時30分に地震があった。", "Advertisement: a long sentence that goes on about the thing that happened yesterday "
        "in the city and more"]


@pytest.mark.parametrize("block", DROPPED)
def test_dropped(block: str) -> None:
    assert is_boilerplate_text(block)


@pytest.mark.parametrize("block", KEPT)
def test_kept(block: str) -> None:
    assert not is_boilerplate_text(block)
