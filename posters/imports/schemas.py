"""The one report every poster import gives (abstracts and PDFs; console, API, CLI alike).

A report has a row per board the file names, in file order: the spreadsheet's row number
(or the zip's file name), the board, the poster's title, the outcome and the fields that
change. A file with any problem never gets a report: it is refused whole
(``ImportRefused``, a 422 listing every problem with its row), so a row carries no errors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, computed_field

ImportKind = Literal["abstracts", "pdfs"]


class Outcome(StrEnum):
    added = "added"
    updated = "updated"
    unchanged = "unchanged"


class ImportRow(BaseModel):
    """What the import does to one board."""

    row: int | None = Field(
        default=None, description="The spreadsheet's row (the header is row 1); abstracts only."
    )
    file: str | None = Field(default=None, description="The file in the zip; PDFs only.")
    board: str
    title: str
    outcome: Outcome = Field(
        description="added: a new poster (abstracts) or a first PDF (PDFs); updated: the "
        "poster's fields change, or its PDF is replaced; unchanged: the file matches it."
    )
    fields: list[str] = Field(
        default_factory=list, description="What an update changes (``pdf`` for a PDF)."
    )


# How each kind tells its report: the verb (dry run, applied), the summary's words for the
# three outcomes, and a row's line by outcome (None: not listed).
_WORDING: dict[ImportKind, tuple[tuple[str, str], tuple[str, str, str], dict[Outcome, str]]] = {
    "abstracts": (
        ("Would import", "Imported"),
        ("added", "updated", "unchanged"),
        {Outcome.added: "  added {board}: {title}", Outcome.updated: "  updated {board}: {fields}"},
    ),
    "pdfs": (
        ("Would store", "Stored"),
        ("new PDFs", "replaced", "unchanged"),
        {Outcome.added: "  new PDF for {board}", Outcome.updated: "  replaced PDF of {board}"},
    ),
}


class ImportReport(BaseModel):
    """What an import did (or, as a dry run, would do), a row per board."""

    kind: ImportKind
    dry_run: bool
    rows: list[ImportRow] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def with_outcome(self, outcome: Outcome) -> list[ImportRow]:
        """The rows with this outcome, in file order."""
        return [row for row in self.rows if row.outcome == outcome]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[Outcome, int]:
        """How many rows have each outcome."""
        return {outcome: len(self.with_outcome(outcome)) for outcome in Outcome}

    @property
    def change_count(self) -> int:
        return len(self.rows) - self.counts[Outcome.unchanged]

    def lines(self) -> list[str]:
        """The report as the command line prints it."""
        verbs, words, row_lines = _WORDING[self.kind]
        counts = ", ".join(
            f"{self.counts[outcome]} {word}" for outcome, word in zip(Outcome, words, strict=True)
        )
        lines = [f"{verbs[0] if self.dry_run else verbs[1]}: {counts}."]
        for outcome, line in row_lines.items():
            lines += [
                line.format(board=r.board, title=r.title, fields=", ".join(r.fields))
                for r in self.with_outcome(outcome)
            ]
        lines += [f"warning: {w}" for w in self.warnings]
        return lines
