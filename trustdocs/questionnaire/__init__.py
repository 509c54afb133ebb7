"""trustdocs.questionnaire."""
