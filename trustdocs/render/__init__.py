"""trustdocs.render."""
