"""``python -m policydata``: the same command line as ``policydata``."""

import sys

from .cli import main

sys.exit(main())
