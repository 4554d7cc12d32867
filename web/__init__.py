"""The curator's workbench (`mattermine serve`): server-rendered pages over the graph to browse
materials and their facts, search, query read-only, and review facts when started with --review."""
