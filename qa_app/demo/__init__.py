"""The demo organisation: realistic data so that every role has something to look at."""
