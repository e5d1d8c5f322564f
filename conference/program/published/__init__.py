"""The published program as attendees see it: the indexed snapshot, its pages and public API."""
