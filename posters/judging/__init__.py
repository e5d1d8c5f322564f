"""Judging and awards: judges, rubric scores, rankings and published awards."""
