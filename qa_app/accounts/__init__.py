"""Accounts: users and their roles, teams, shops and the nicknames agents use in each shop."""
