"""The organizer imports posters on the console: upload a CSV, read the dry run, apply, and
find the posters listed. The boards carry a tag of their own (the demo may hold posters)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.people import ORGANIZER, People
from tests.posters.import_files import csv_bytes

pytestmark = pytest.mark.browser


def test_organizer_imports_posters_from_a_csv(people: People) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    first, second = f"E{tag}-1", f"E{tag}-2"
    content = csv_bytes(
        [
            [
                first,
                f"Interferon lambda at barriers {tag}",
                "Ada Lovelace (Karolinska)",
                "published",
            ],
            [second, f"IL-33 alarmins {tag}", "Mei Chen (Peking University)", ""],
        ],
        header=["board", "title", "authors", "state"],
    )
    page: Page = people.signed_in(ORGANIZER)
    page.goto("/console")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Posters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posters")
    page.get_by_role("link", name="Import abstracts or PDFs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import posters")

    page.get_by_label("Posters file (.csv or .xlsx)").set_input_files(
        {"name": "posters.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Preview the posters").click()
    expect(page.get_by_role("heading", name="Preview of posters.csv")).to_be_visible()
    report = page.get_by_test_id("sheet-report")
    expect(report.get_by_test_id("summary")).to_have_text(
        "Posters: 2 added, 0 updated, 0 unchanged."
    )
    expect(report).to_contain_text(f"{first}: Interferon lambda at barriers {tag}")

    page.get_by_role("button", name="Apply: import these posters").click()
    expect(page.get_by_role("status")).to_have_text("Imported posters.csv")
    page.get_by_role("link", name="the posters").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posters")
    row = page.get_by_test_id("poster-row").filter(has_text=first)
    expect(row).to_contain_text(f"Interferon lambda at barriers {tag}")
    expect(row).to_contain_text("Ada Lovelace (Karolinska)")
    expect(row).to_contain_text("Published")
    expect(row).to_contain_text("No PDF")
    expect(page.get_by_test_id("poster-row").filter(has_text=second)).to_contain_text("Draft")
    assert people.errors == []
