"""The personal agenda: starred sessions, their calendar feed, and its API."""
