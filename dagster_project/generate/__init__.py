"""A synthetic corpus of final-accounts reports: exact models, printed the way real ones are.

`model` builds one unit-year as exact Decimals, `render` prints it in the seed's text format
(rounding every figure on its own), `inject` plants known errors, `corpus` plans units,
departments and years and writes the files with their manifest and unit hierarchy.
"""
