"""The story's builder, renderers and ``core.steps`` as they were before their fast paths
(December 2026): the reference the property tests hold the fast code to, output for output.

Frozen copies: never optimise these. Only the imports differ from the originals.
"""
