"""trustdocs.analyse."""
