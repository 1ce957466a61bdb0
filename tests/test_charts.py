"""Bar charts laid out at build time: heights to one scale, a small count still a bar one can click."""
from annals.charts import HEIGHT, SHORTEST, bar_chart


def test_bars_are_as_tall_as_their_count_and_a_small_one_stays_visible():
    chart = bar_chart([("2021", 1, "years/2021.html"), ("2022", 0, ""), ("2023", 500, "years/2023.html")])
    assert [b.height for b in chart.bars] == [SHORTEST, 0, HEIGHT]
    assert all(b.y + b.height == chart.baseline for b in chart.bars)
    assert bar_chart([("a", 2, "")], largest=4).bars[0].height == HEIGHT // 2  # a shared scale
