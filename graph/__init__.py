"""The knowledge graph: schema, AnnotatedDocument -> GraphBatch, and the two stores."""
