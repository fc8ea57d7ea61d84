"""mkdocs-wa: architecture decisions as data, published as an MkDocs site."""

__version__ = "0.1.0"
