"""trustdocs.analyse.rules."""
