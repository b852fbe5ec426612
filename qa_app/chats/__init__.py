"""Chats: import of shop chat logs, transcripts and automatic checks."""
