"""Runtime of the campaign bot: settings, command line, wiring, channels."""
