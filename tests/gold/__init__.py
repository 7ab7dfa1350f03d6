"""The gold sample, checked by hand against the source (see README's Accuracy section).

Shipped with the build as ``policydata_gold``: ``policydata build`` scores
every version against it (build/accuracy.py).
"""
