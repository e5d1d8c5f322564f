"""Files for the poster import tests: CSV text, XLSX workbooks and zips built in memory."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl

HEADER = [
    "Board",
    "Title",
    "Abstract",
    "Authors",
    "Presenting_Author",
    "Presenter_Email",
    "Topic",
    "Keywords",
    "Session",
    "DOI",
    "Links",
    "State",
]


def good_rows() -> list[list[str]]:
    """Two posters, every column filled."""
    return [
        [
            "P1",
            "STAT1 kinetics after IFN-γ priming",
            "**Background.** Interferon-γ primes macrophages.",
            "Ada Lovelace (Karolinska Institutet); Ken Tanaka (Osaka University)",
            "Ken Tanaka",
            "tanaka@example.org",
            "IFN signalling",
            "JAK-STAT; Macrophages",
            "",
            "10.1000/xyz1",
            "Lab|https://example.org/lab",
            "published",
        ],
        [
            "P2",
            "IL-6 trans-signalling in the gut",
            "",
            "Mei Chen (Peking University)",
            "",
            "",
            "IL-6 family",
            "IL-6",
            "",
            "",
            "",
            "",
        ],
    ]


def csv_bytes(rows: list[list[str]], *, header: list[str] = HEADER, delimiter: str = ",") -> bytes:
    """A CSV file as Excel saves it: UTF-8 with a BOM, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def xlsx_bytes(rows: list[list[object]], *, header: list[str] = HEADER) -> bytes:
    """A workbook whose first sheet holds ``header`` and ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(text: str = "poster") -> bytes:
    """Bytes that pass the PDF check (a header and some body)."""
    return b"%PDF-1.7\n%" + text.encode() + b"\n%%EOF\n"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A deflated zip of ``members`` (name: content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zeros_zip(name: str, megabytes: int, *, head: bytes = b"%PDF-1.7\n") -> bytes:
    """A zip bomb: one member of ``head`` then ``megabytes`` MB of zeros, written in
    chunks (never held whole in memory)."""
    out = io.BytesIO()
    chunk = b"\0" * 1_048_576
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        member.write(head)
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()
