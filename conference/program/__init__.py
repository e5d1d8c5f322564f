"""The program: the meeting, its people and committees (sessions and talks arrive next)."""
