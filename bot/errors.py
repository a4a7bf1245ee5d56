"""The error every command-line path raises for bad input or a refused setting."""


class UserError(Exception):
    """Bad input on the command line: shown as one line on stderr, exit status 1."""
