"""Signals between domains, so that a domain reacts to another's events without importing it.

Receivers run inside the sender's transaction; the sender commits after sending.
"""

from blinker import Namespace

_signals = Namespace()

#: sent with the new `User` when an account holding the agent role is created
agent_created = _signals.signal("agent-created")
#: sent with the `AgentNickname` when a nickname is set, so unmatched chats and reviews attach
nickname_assigned = _signals.signal("nickname-assigned")
#: sent with `chat_ids` after chats were written past the session (the importer's bulk writer),
#: inside the writer's transaction, so that whatever is computed from chats can be recomputed
chats_written = _signals.signal("chats-written")
