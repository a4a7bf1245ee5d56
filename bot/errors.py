"""The error every command-line path raises for bad input or a refused setting."""


class UserError(Exception):
    """Bad input on the command line: shown as one line on stderr, exit status `status`
    (1; 2 for a malformed argument, as argparse itself exits)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status
