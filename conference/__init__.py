"""Core of the Cytokines virtual meeting platform: app factory, settings, database,
accounts, program, realtime hub, console and command line."""
