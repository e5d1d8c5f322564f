"""iPosters: gallery, viewer, comments, votes and live author slots (see its issue)."""
