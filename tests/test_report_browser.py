"""The report page in headless Chromium: it loads with no console errors and no request
leaving the file, every chart has a size, and it prints on A4 pages.

Needs Debian's ``chromium`` (``.ci/run`` installs it); skips with the reason where it is
missing or cannot start. The screenshot is kept in the test's tmp dir and copied to
``test-artifacts/report.png`` in the checkout (ignored by git) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sow_sheets.cli import main
from tests.chromium import Browser, chromium_path
from tests.report_workbook import write_report_workbook

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
A4_POINTS = (595, 842)  # width and height of an A4 page in PDF points, rounded


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("page")
    _, config = write_report_workbook(folder)
    out = folder / "rapport.html"
    args = ["report", "--config", str(config), "--from", "2026-07-01", "--to", "2026-12-31",
            "--today", "2027-01-10", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    return out


def test_the_page_needs_nothing_from_outside(page_file: Path) -> None:
    """Checked without a browser too: no scripts, no links to fetch, no remote addresses."""
    html = page_file.read_text("utf-8")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert html.count("<svg") == 5 and html.count("<title id=") == 5
    # Aggregates only: no names, IDs, postcodes, notes or end-reason texts.
    for secret in ("Naam ", "GO-", "GZ-", "OU-", "KP-", "AC-", "VS-", "AS-", "2711",
                   "vertrouwelijk", "Gezin verhuisd", "Gezondheid grootouder"):  # fmt: skip
        assert secret not in html, secret


def test_the_page_in_headless_chromium(page_file: Path, tmp_path: Path) -> None:
    if chromium_path() is None:
        pytest.skip(
            "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"
        )
    try:
        browser = Browser.start(tmp_path / "profile")
    except OSError as exc:
        pytest.skip(f"chromium cannot start here: {exc}")
    with browser:
        try:
            page = browser.open(page_file)
        except (ConnectionError, TimeoutError) as exc:
            pytest.skip(f"chromium started but does not answer here: {exc}")
        sizes = browser.evaluate(
            "[...document.querySelectorAll('figure.chart svg')].map(s => {"
            "const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        shot = browser.screenshot()
        pdf = browser.pdf()
    picture = tmp_path / "report.png"
    picture.write_bytes(shot)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(picture, ARTIFACTS / "report.png")
    assert page.loaded
    assert page.console_errors == []
    assert page.requests == [page_file.resolve().as_uri()]  # the file itself, nothing else
    assert len(sizes) == 5 and all(w > 100 and h > 50 for w, h in sizes), sizes
    assert shot.startswith(b"\x89PNG") and len(shot) > 50_000
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {A4_POINTS}
    # The cover and each chapter start a page.
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 8
