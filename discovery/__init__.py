"""Discovery over the corpus and graph: word2vec embeddings (mat2vec-style processing) that rank
candidate materials for an application, with evaluation and historical validation.

process (text -> tokens) -> corpus (graph/files -> one sentence per line) -> train (gensim)
-> query (nearest, analogy, rank + PREDICTED_FOR) / evaluate / history.
"""
