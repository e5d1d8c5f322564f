"""Live author slots: when the presenter is at their poster, and who is there now."""
