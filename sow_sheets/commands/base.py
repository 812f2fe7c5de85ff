"""What every command has in common: its signature, and a backend built from the settings."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from sow_sheets.model.sheet import Backend
from sow_sheets.settings import Settings

BackendFactory = Callable[[Settings], Backend]
# A fleet's backends: one for each target's settings and name.
TargetBackend = Callable[[Settings, str], Backend]
Command = Callable[[argparse.Namespace, Settings, Backend, TextIO], int]
