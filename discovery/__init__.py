"""Discovery over the graph (word embeddings ranking candidate materials): issue 6, not yet built."""
