"""The MkDocs adapter: thin event handlers over the core (see ``plugin.py``)."""
