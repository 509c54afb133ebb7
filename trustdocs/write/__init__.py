"""trustdocs.write."""
