"""Importing posters: abstracts from CSV/XLSX and PDFs from a zip (docs/POSTER_IMPORT.md)."""
