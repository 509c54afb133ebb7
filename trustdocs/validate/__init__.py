"""trustdocs.validate."""
