"""Reading posters' abstracts from a CSV file or an XLSX workbook (docs/POSTER_IMPORT.md).

Pure functions, run in a worker thread: the bytes of a file become one :class:`PosterRow`
per poster, or :class:`ImportRefused` listing every problem with its row number as a
spreadsheet shows it (the header is row 1). Nothing here reads the database: the poster
sessions a row may name are passed in.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from conference.program.interop.plan import ImportRefused, Problem
from posters.models import PosterState
from posters.schemas import PosterChanges

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

COLUMNS = (
    "board",
    "title",
    "abstract",
    "authors",
    "presenting_author",
    "presenter_email",
    "topic",
    "keywords",
    "session",
    "doi",
    "links",
    "state",
)
REQUIRED = ("board", "title")
MAX_ROWS = 5_000
# An XLSX is a zip: its parts, uncompressed, may not exceed this (a zip bomb is refused
# before openpyxl opens it). zipfile never reads past a member's declared size, so the
# declared sizes bound what is decompressed.
MAX_XLSX_UNCOMPRESSED = 256 * 1_048_576
MAX_XLSX_MEMBERS = 1_000
XLSX_MAGIC = b"PK\x03\x04"
NOT_A_SHEET = "the file is neither a CSV file (UTF-8 text) nor an XLSX workbook"

_AUTHOR = re.compile(r"(?P<name>[^()]*?)\s*(?:\((?P<affiliation>.*)\))?\s*")
# Which column a field of PosterChanges comes from, for reporting validation errors.
_COLUMN_OF = {"session_guid": "session"}


@dataclass(frozen=True)
class SessionChoice:
    """A poster session of the published program a row may name, by GUID or title."""

    guid: str
    title: str
    is_poster_session: bool


@dataclass
class PosterRow:
    """One poster of the file: its row and the fields its columns set (PosterChanges')."""

    row: int
    board: str
    fields: dict[str, Any] = field(default_factory=dict)
    # Only the presenting author's address comes from a file; it links their account.
    presenter_email: str = ""


@dataclass
class PosterSheet:
    """What a file says: the posters in file order, and what was ignored in it."""

    rows: list[PosterRow]
    warnings: list[str]


def read_sheet(content: bytes, *, sessions: Mapping[str, SessionChoice] | None) -> PosterSheet:
    """The posters in ``content`` (CSV or XLSX, told apart by content).

    ``sessions``: the published program's sessions by GUID, or None when nothing is
    published yet (a GUID is then taken as it is, a title cannot be matched)."""
    table = _xlsx_rows(content) if content.startswith(XLSX_MAGIC) else _csv_rows(content)
    return _read_table(table, sessions)


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([Problem("file", message)])


def _problem(row: int, column: str | None, message: str) -> Problem:
    return Problem(f"row {row}", message, row=row, column=column)


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(NOT_A_SHEET) from None
    if "\x00" in text:
        raise _refuse(NOT_A_SHEET)
    # Excel writes ";" where the decimal separator is a comma; the header tells which.
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise ImportRefused(
            [_problem(reader.line_num, None, f"not readable as CSV: {exc}")]
        ) from None


def _xlsx_rows(content: bytes) -> list[list[str]]:
    # Imported here: only workbooks need it, and it is slow to import.
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise _refuse(NOT_A_SHEET) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise _refuse(f"the workbook has more than {MAX_XLSX_MEMBERS} parts")
    if sum(m.file_size for m in members) > MAX_XLSX_UNCOMPRESSED:
        raise _refuse(f"the workbook unpacks to more than {MAX_XLSX_UNCOMPRESSED // 1_048_576} MiB")
    try:
        return _first_sheet(
            openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        )
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise _refuse("the file is not a readable XLSX workbook") from None


def _first_sheet(book: Workbook) -> list[list[str]]:
    """The first sheet's rows as text, stopping past the row limit (empty rows not counted)."""
    try:
        table: list[list[str]] = []
        filled = 0
        for values in book.worksheets[0].iter_rows(values_only=True) if book.worksheets else ():
            table.append([_cell_text(v) for v in values])
            filled += any(v is not None for v in values)
            if filled > MAX_ROWS + 1:
                break
        return table
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text a CSV of it would hold (a board typed as 17 is "17")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _read_table(
    table: list[list[str]], sessions: Mapping[str, SessionChoice] | None
) -> PosterSheet:
    header = [name.strip().lower() for name in table[0]] if table else []
    problems = _header_problems(header)
    if problems:
        raise ImportRefused(problems)
    warnings = [
        f"the column {name!r} is not one of ours and was ignored"
        for name in dict.fromkeys(header)
        if name and name not in COLUMNS
    ]
    if sum(any(cell.strip() for cell in cells) for cells in table) > MAX_ROWS + 1:
        raise _refuse(f"the file has more than {MAX_ROWS} rows")
    by_title = {s.title.casefold(): s for s in (sessions or {}).values()}
    rows: list[PosterRow] = []
    boards: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(
                _problem(number, None, f"has {len(cells)} cells, the header {len(header)}")
            )
            continue
        cells_by_name = {
            name: cell.strip() for name, cell in zip(header, cells, strict=False) if name in COLUMNS
        }
        row = _read_row(number, cells_by_name, sessions, by_title, problems)
        if row is None:
            continue
        key = row.board.casefold()
        if key in boards:
            problems.append(
                _problem(number, "board", f"board {row.board} is also on row {boards[key]}")
            )
            continue
        boards[key] = number
        rows.append(row)
    if not rows and not problems:
        problems.append(_problem(1, None, "the file has a header but no rows"))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row or 0))
    return PosterSheet(rows=rows, warnings=warnings)


def _header_problems(header: list[str]) -> list[Problem]:
    if not any(header):
        return [_problem(1, None, "the file is empty: the first row must name the columns")]
    problems = [
        _problem(1, name, "the column appears twice")
        for name in dict.fromkeys(header)
        if name in COLUMNS and header.count(name) > 1
    ]
    problems += [_problem(1, n, "this column is required") for n in REQUIRED if n not in header]
    for needs in ("presenting_author", "presenter_email"):
        if needs in header and "authors" not in header:
            problems.append(_problem(1, needs, "this column needs the authors column"))
    return problems


def _read_row(
    number: int,
    cells: dict[str, str],
    sessions: Mapping[str, SessionChoice] | None,
    by_title: Mapping[str, SessionChoice],
    problems: list[Problem],
) -> PosterRow | None:
    """The row as a poster, or None after adding its problems to ``problems``."""
    found: list[Problem] = []
    fields: dict[str, Any] = {}
    for name in ("board", "title", "abstract", "topic", "doi"):
        if name in cells:
            fields[name] = cells[name]
    for name in REQUIRED:
        if not cells.get(name):
            found.append(_problem(number, name, f"the {name} is required"))
    if re.search(r"\s", cells.get("board", "")):
        found.append(_problem(number, "board", "a board number has no spaces"))
    if "keywords" in cells:
        fields["keywords"] = _split(cells["keywords"])
    if "links" in cells:
        fields["links"] = _links(number, cells["links"], found)
    if cells.get("state"):
        state = cells["state"].lower()
        if state in PosterState.__members__:
            fields["state"] = state
        else:
            choices = ", ".join(PosterState)
            found.append(_problem(number, "state", f"the state must be one of: {choices}"))
    if "session" in cells:
        fields["session_guid"] = _session(number, cells["session"], sessions, by_title, found)
    email = ""
    if "authors" in cells:
        fields["authors"], email = _authors(number, cells, found)
    if not found:
        try:
            fields = PosterChanges.model_validate(fields).model_dump(
                mode="json", exclude_unset=True
            )
        except ValidationError as exc:
            found += [_validation_problem(number, error) for error in exc.errors()]
    problems += found
    if found:
        return None
    return PosterRow(row=number, board=fields["board"], fields=fields, presenter_email=email)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _links(number: int, cell: str, found: list[Problem]) -> list[dict[str, str]]:
    links = []
    for part in _split(cell):
        label, bar, url = part.partition("|")
        if not bar or not label.strip() or not url.strip():
            found.append(_problem(number, "links", f"write each link as label|url, not {part!r}"))
            continue
        links.append({"label": label.strip(), "url": url.strip()})
    return links


def _session(
    number: int,
    cell: str,
    sessions: Mapping[str, SessionChoice] | None,
    by_title: Mapping[str, SessionChoice],
    found: list[Problem],
) -> str | None:
    if not cell:
        return None
    if sessions is None:
        if re.fullmatch(r"[0-9a-fA-F-]{36}", cell):
            return cell.lower()
        found.append(
            _problem(number, "session", "the program is not published: name the session by GUID")
        )
        return None
    choice = sessions.get(cell.lower()) or by_title.get(cell.casefold())
    if choice is None:
        found.append(_problem(number, "session", f"no published session is {cell!r}"))
        return None
    if not choice.is_poster_session:
        found.append(_problem(number, "session", f"“{choice.title}” is not a poster session"))
        return None
    return choice.guid


def _authors(
    number: int, cells: dict[str, str], found: list[Problem]
) -> tuple[list[dict[str, Any]], str]:
    """The authors (Name (Affiliation); ...) with the presenting one marked, and the
    presenting author's email (on the presenting author, else the first)."""
    authors: list[dict[str, Any]] = []
    for part in _split(cells["authors"]):
        match = _AUTHOR.fullmatch(part)
        name = match["name"].strip() if match else ""
        if match is None or not name:
            found.append(
                _problem(
                    number, "authors", f"write each author as Name (Affiliation), not {part!r}"
                )
            )
            continue
        authors.append({"name": name, "affiliation": (match["affiliation"] or "").strip()})
    presenting = cells.get("presenting_author", "")
    if presenting:
        chosen = [a for a in authors if a["name"].casefold() == presenting.casefold()]
        if not chosen:
            found.append(
                _problem(number, "presenting_author", f"{presenting!r} is not one of the authors")
            )
        else:
            chosen[0]["presenting"] = True
    email = cells.get("presenter_email", "")
    if email:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
            found.append(_problem(number, "presenter_email", f"{email!r} is not an email address"))
        elif not authors:
            found.append(_problem(number, "presenter_email", "an email needs an author"))
        else:
            target = next((a for a in authors if a.get("presenting")), authors[0])
            target["email"] = email
    return authors, email


def _validation_problem(number: int, error: Any) -> Problem:
    location = error["loc"]
    column = _COLUMN_OF.get(str(location[0]), str(location[0])) if location else None
    message = str(error["msg"])
    if len(location) > 1 and isinstance(location[1], int):
        message = f"item {location[1] + 1}: {message}"
    return _problem(number, column, message)
