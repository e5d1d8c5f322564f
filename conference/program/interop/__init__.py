"""Program interchange: frab/pretalx JSON and CSV import, frab JSON and iCalendar export."""
