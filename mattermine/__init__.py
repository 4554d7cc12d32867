"""mattermine: papers in, a materials knowledge graph out. This package holds the CLI and the jobs
that wire the stages together (ingest -> nlp -> graph)."""

__version__ = "0.1.0"
