"""The draft program organizers build: sessions, talks, stages, people, publishing, and its API."""
