"""A program lead's reports read whole on a desktop and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_participant import log_in

REPORT = "/cohorts/programs/learning-community-2026/reports/"


@pytest.mark.parametrize("width", [1280, 390])
def test_program_report_charts_show_each_label_whole(page, demo_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, demo_server, "lead@example.org")
    page.goto(demo_server + REPORT)
    rows = page.locator("figure.chart tr")
    assert rows.count() >= 4
    labels = [rows.nth(number).locator("th") for number in range(rows.count())]
    assert "Communications coaching 2026" in [label.inner_text() for label in labels]
    body = page.locator("body").evaluate("body => getComputedStyle(body).fontSize")
    for number, label in enumerate(labels):
        row = rows.nth(number)
        clipped = label.evaluate("cell => cell.scrollWidth > cell.clientWidth")
        assert not clipped, label.inner_text()
        # Read at the page's own size, not scaled up with a drawing.
        size = label.evaluate("cell => getComputedStyle(cell).fontSize")
        assert float(size[:-2]) <= float(body[:-2])
        label_box, bar = label.bounding_box(), row.locator("svg").bounding_box()
        value = row.locator(".bar-value").bounding_box()
        assert value["x"] >= bar["x"] + bar["width"]  # the value follows its bar
        assert value["x"] + value["width"] <= width
        if width > 600:  # side by side: the bar starts after its label
            assert bar["x"] >= label_box["x"] + label_box["width"]
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
