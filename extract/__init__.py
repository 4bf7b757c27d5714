"""Pure extraction functions: HTML -> Article; article body -> statements and figures.

Nothing in this package does I/O beyond reading its own lexicon data files.
"""
