"""The program: the meeting, its stages, sessions, talks and people.

Subpackages by concern: draft (organizers build it), published (attendees read it),
interop (import and export), agenda (personal stars and feeds), demo (the seeded meeting).
"""
