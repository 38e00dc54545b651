"""`python -m lepta.cli`."""

import sys

from . import main

sys.exit(main())
