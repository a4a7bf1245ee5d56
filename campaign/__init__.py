"""Pure domain of the emulation campaign: no I/O, no imports from the rest of the project."""
