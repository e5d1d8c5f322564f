"""Accounts: users, roles, sign-in sessions, consents, password reset and data export."""
