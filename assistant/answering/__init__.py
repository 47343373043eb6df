"""A question in, events out, one :class:`Answer`: the package that owns the answer."""
