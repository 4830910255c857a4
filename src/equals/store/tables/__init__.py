"""The store's tables, one module per feature, all on :data:`base.metadata`.

``equals.store.schema`` imports every module here so that the metadata is complete for
migrations and ``create_all``; feature modules import only ``base`` (and the tables they point
foreign keys at), never ``schema``, so there is no import cycle.
"""
