"""The checks, one module per area of the tutorials.

Each check is a pytest test that cites the catalogue ids it verifies with
``@requirement(...)`` and takes the ``tutorial`` (or ``target``, ``client``,
``raw``) fixture; the plugin runs it once for every selected tutorial those
requirements apply to.  A failed ``assert`` is a failure of the target, with
its message as the one-line reason; any other exception is a kit error.
"""
