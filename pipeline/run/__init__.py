"""Runs over folders: which files, which names, what changed, what was written."""
