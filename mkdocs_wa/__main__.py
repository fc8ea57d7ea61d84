import sys

from mkdocs_wa.cli import main

sys.exit(main())
