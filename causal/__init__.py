"""Causal discovery over graph facts and linked property data (issue 7).

link.py/recipes.py bring external tables and text-mined recipes into the graph; dataset.py turns
a YAML spec into a table; algorithms.py runs causal-learn; report.py and writeback.py publish the
result. synthetic.py and metrics.py check the algorithms on structural causal models with known
graphs. Every edge found is a hypothesis for an experiment, not a finding.
"""


class CausalError(Exception):
    """A causal-module failure whose message a user can act on (bad spec, empty table...)."""
