"""The demo meeting's posters: their listing, their PDFs, and the seeder."""
