"""Interface strings per language, one YAML catalogue each (fr.yaml, en.yaml)."""
