"""Chart geometry: proportional, labelled, never wider than the chart."""

from portal.staff.charts import column_bars, fill_bar, stacked_bars


def test_stacked_bars_scale_to_the_biggest_row():
    chart = stacked_bars(
        [("A", [("x", "X", 30), ("y", "Y", 10)]), ("B", [("x", "X", 20), ("y", "Y", 0)])],
        width=400,
        label_width=100,
    )
    a_x, a_y, b_x = chart.rects
    assert a_x.width + a_y.width == 400 - 100 - 60
    assert b_x.width == a_x.width * 20 / 30
    assert [t[2] for t in chart.texts if t[3] == "value"] == ["40", "20"]
    assert all(r.x + r.width <= chart.width for r in chart.rects)
    assert a_y.label == "Y: 10"


def test_empty_inputs_draw_nothing():
    assert stacked_bars([]).rects == []
    assert column_bars([]).rects == []
    zeros = column_bars([("1 Jan", 0), ("8 Jan", 0)])
    assert all(r.height == 0 for r in zeros.rects if r.css == "col-bar")


def test_column_bars_and_fill():
    chart = column_bars([("a", 1), ("b", 4)], width=200, height=100)
    a, b = [r for r in chart.rects if r.css == "col-bar"]
    assert b.height == 100 - 18 - 22 and a.height == b.height / 4
    assert b.y + b.height == 100 - 22  # bars stand on the axis
    full = fill_bar(5, 5)
    assert [r.css for r in full.rects] == ["fill-track", "fill-done full"]
    assert fill_bar(7, 0).rects[0].css == "fill-track" and len(fill_bar(7, 0).rects) == 1
    assert fill_bar(9, 5).rects[1].width == full.rects[1].width
