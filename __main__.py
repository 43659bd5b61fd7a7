"""Pulumi program: settings from the stack -> EksPlatform -> stack outputs."""

import pulumi

from eks_platform.outputs import export_platform
from eks_platform.platform import EksPlatform, EksPlatformArgs
from eks_platform.stack import SettingsError, load

try:
    settings = load()
except SettingsError as error:
    # Shown by the Pulumi CLI as a one-message error, without a Python traceback.
    raise pulumi.RunError(str(error)) from None

platform = EksPlatform("eks", EksPlatformArgs(settings=settings, stack=pulumi.get_stack()))
export_platform(platform, settings)
