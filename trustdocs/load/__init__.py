"""trustdocs.load."""
