"""Command-line options in groups, each with its flags, `complete` and `validate`."""
