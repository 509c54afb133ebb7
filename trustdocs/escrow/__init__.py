"""trustdocs.escrow."""
