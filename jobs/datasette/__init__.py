"""Datasette configuration for `newsdesk serve`: metadata.yml and the app built from it.

Imported only by `newsdesk serve`, so other commands do not pay for loading Datasette.
"""
