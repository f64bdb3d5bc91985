"""axe-core (WCAG 2.0/2.1 A and AA) on the pages staff meet (issue 20):
0 critical and 0 serious violations, at a desktop's width and a phone's.
The first test shows the check can fail: a page with an unnamed control and
grey-on-grey text is refused."""

from urllib.parse import quote

import accessibility
import pytest


BAD_PAGE = """<!doctype html><html lang="vi"><head><title>x</title></head><body><main>
<p style="color:#999;background:#aaa">Chờ tôi xử lý</p>
<select name="send_to"><option>Ủy ban</option></select><input type="file" name="file">
</main></body></html>"""


def test_axe_refuses_a_page_with_unnamed_controls_and_poor_contrast(chromium, axe_check):
    chromium.get("data:text/html;charset=utf-8," + quote(BAD_PAGE))
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(chromium)
    message = str(failure.value)
    assert "color-contrast" in message and ("select-name" in message or "label" in message), message
    found = {v["id"] for v in accessibility.run_axe(chromium)}
    assert {"color-contrast", "select-name"} <= found, found
