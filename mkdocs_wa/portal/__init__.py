"""The organisation portal: many repositories' exports merged into one site.

``sources`` fetches exports (files, folders, HTTPS) within limits, ``read`` turns each
back into the model (checked against its schema), ``build`` makes every repository's
pages with the site's own builders under ``<portal>/<repository>/`` and ``dashboard`` the
organisation's page. The MkDocs adapter is :mod:`mkdocs_wa.plugin.portal`.
"""
