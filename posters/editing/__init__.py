"""The presenter's edit page of a poster (``/posters/<id>/edit``), and deleting a poster."""
