"""``python -m sow_sheets``."""

import sys

from sow_sheets.cli import main

sys.exit(main())
