"""Risk rules: field catalogue, rule language, evaluation with explanations (docs/rules.md)."""
