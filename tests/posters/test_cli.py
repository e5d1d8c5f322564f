"""``conference posters import`` and ``import-pdfs``, run as an operator runs them."""

from __future__ import annotations

from pathlib import Path

from tests.cli import query, run_cli
from tests.posters.import_files import csv_bytes, pdf_bytes, zip_bytes

HEADER = ["board", "title", "topic"]


def test_posters_are_imported_from_the_command_line(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert run_cli(var, "migrate").returncode == 0
    assert run_cli(var, "demo").returncode == 0
    sheet = tmp_path / "posters.csv"
    sheet.write_bytes(
        csv_bytes([["CLI1", "First", "JAK-STAT"], ["CLI2", "Second", ""]], header=HEADER)
    )

    preview = run_cli(var, "posters", "import", str(sheet))
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.splitlines() == [
        "Would import: 2 added, 0 updated, 0 unchanged.",
        "  added CLI1: First",
        "  added CLI2: Second",
    ]
    assert query(var, "SELECT board FROM posters WHERE board LIKE 'CLI%'") == []

    applied = run_cli(var, "posters", "import", str(sheet), "--apply")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.splitlines()[0] == "Imported: 2 added, 0 updated, 0 unchanged."
    rows = query(
        var, "SELECT board, title, topic FROM posters WHERE board LIKE 'CLI%' ORDER BY board"
    )
    assert rows == [("CLI1", "First", "JAK-STAT"), ("CLI2", "Second", "")]
    again = run_cli(var, "posters", "import", str(sheet), "--apply")
    assert again.stdout.splitlines() == ["Imported: 0 added, 0 updated, 2 unchanged."]

    pdfs = tmp_path / "pdfs.zip"
    pdfs.write_bytes(zip_bytes({"CLI1.pdf": pdf_bytes()}))
    stored = run_cli(var, "posters", "import-pdfs", str(pdfs), "--apply")
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.splitlines() == [
        "Stored: 1 new PDFs, 0 replaced, 0 unchanged.",
        "  new PDF for CLI1",
    ]
    (path,) = query(var, "SELECT pdf_path FROM posters WHERE board = 'CLI1'")[0]
    assert (var / path).read_bytes() == pdf_bytes()


def test_a_refused_file_lists_its_problems_and_writes_nothing(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert run_cli(var, "migrate").returncode == 0
    assert run_cli(var, "demo").returncode == 0
    sheet = tmp_path / "posters.csv"
    sheet.write_bytes(csv_bytes([["CLI1", ""], ["CLI2", "Fine", "x"]], header=HEADER[:2]))
    result = run_cli(var, "posters", "import", str(sheet), "--apply")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Nothing was imported:",
        "  row 2, title: the title is required",
        "  row 3: has 3 cells, the header 2",
    ]
    assert query(var, "SELECT board FROM posters WHERE board LIKE 'CLI%'") == []
    bad_zip = tmp_path / "pdfs.zip"
    bad_zip.write_bytes(zip_bytes({"../CLI1.pdf": pdf_bytes()}))
    refused = run_cli(var, "posters", "import-pdfs", str(bad_zip), "--apply")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "Nothing was imported:",
        "  ../CLI1.pdf: the path leads outside the zip's folder",
    ]
    missing = run_cli(var, "posters", "import", str(tmp_path / "none.csv"))
    assert missing.returncode == 1
    assert "No such file" in missing.stderr
