"""The application layer: the use cases that the chat handlers, the command line and the
benches call.

A use case takes plain typed arguments (a session or the Database, who acts — `Who` for the
audit, `Actor` for the role checks —, the clock's `now` or the day, values) and returns a typed
result or raises `Refused(key, values)`. It knows no message, no reply and no argv: the chat
turns its result into a Reply, the command line prints it. SQL stays in storage/, the pure
rules in campaign/.
"""
