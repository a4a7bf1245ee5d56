"""Conversation: one module per feature. Reads an Incoming, returns Replies; no platform code."""
