"""Loaders for the bundled raw files, one module per source family.

Each module exposes ``read(data_dir, countries=None) -> list[FileLoad]`` (observations,
aggregate areas and a skipped-row report per file) and ``load(data_dir) ->
list[Observation]``; :mod:`equals.indicators.sources.countries` exposes ``load_areas``.
:func:`equals.indicators.bundle.load_bundle` runs them all and validates the result.
"""
