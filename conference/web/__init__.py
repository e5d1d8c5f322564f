"""Web plumbing shared by every domain: templates, CSRF, limits, headers, navigation."""
