"""Organizer console: pages for building, checking and publishing the program."""
