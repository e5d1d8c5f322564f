"""The demo meeting (Cytokines 2021) and its program, seeded by ``conference demo``."""
