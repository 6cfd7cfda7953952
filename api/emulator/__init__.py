"""A local emulator of the AWS Marketplace Image Build Service (see server.py)."""

from api.emulator.background import BackgroundEmulator
from api.emulator.faults import Faults
from api.emulator.server import Emulator, EmulatorConfig
from api.emulator.world import World, WorldConfig

__all__ = ["BackgroundEmulator", "Emulator", "EmulatorConfig", "Faults", "World", "WorldConfig"]
