"""The gallery: search, filters, sorting, pages, related posters and bookmarks."""
