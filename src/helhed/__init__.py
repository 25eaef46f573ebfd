"""helhed: the case platform for the social area of a Danish municipality."""

__version__ = "0.1.0"
