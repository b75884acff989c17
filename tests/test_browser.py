"""The headless-browser helper itself: a page's DOM, a key press, failed requests, no network."""

from __future__ import annotations

from pathlib import Path

from tests.browser import open_page

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="https://cdn.example.invalid/lib.js"></script></head>
<body><p id="n">0</p><img src="missing.png" alt="">
<script>document.addEventListener("keydown", e => {
  if (e.key === "ArrowRight") document.getElementById("n").textContent++; });</script></body></html>"""


def test_keys_dom_and_failed_requests(tmp_path: Path) -> None:
    page_file = tmp_path / "page.html"
    page_file.write_text(PAGE)
    with open_page(page_file.as_uri(), width=320, height=200) as page:
        assert 'id="n"' in page.dom()
        page.press("ArrowRight")
        page.press("ArrowRight")
        assert page.evaluate("document.getElementById('n').textContent") == "2"
        page.settle(0.3)
        shot = page.screenshot(tmp_path / "shot.png")
    failed = " ".join(page.failed_requests)
    # the CDN script cannot load (offline) and the missing image is reported with its file URL
    assert "cdn.example.invalid" in failed and "missing.png" in failed, page.failed_requests
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
