"""Causal discovery over graph facts and linked property data: issue 7, not yet built."""
